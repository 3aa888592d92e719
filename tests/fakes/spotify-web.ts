import { startFakeServer, type FakeServer } from "./http-fake.js";

export type FakeSpotifyWeb = FakeServer & { artists: Map<string, { name: string }> };

/** open.spotify.com's public oEmbed endpoint: an artist page's title and picture, 404 for an unknown page. */
export async function startFakeSpotifyWeb(): Promise<FakeSpotifyWeb> {
  const artists = new Map<string, { name: string }>();
  const server = await startFakeServer((_req, path) => {
    const url = new URL(path, "http://open.spotify.test");
    const page = url.pathname === "/oembed" ? /^https:\/\/open\.spotify\.com\/artist\/([0-9A-Za-z]{22})$/.exec(url.searchParams.get("url") ?? "") : null;
    const artist = page ? artists.get(page[1]!) : undefined;
    if (!page || !artist) return { status: 404, body: { error: "not found" } };
    return {
      status: 200,
      body: {
        html: `<iframe src="https://open.spotify.com/embed/artist/${page[1]}" width="100%" height="352"></iframe>`,
        width: 456,
        height: 352,
        version: "1.0",
        provider_name: "Spotify",
        provider_url: "https://spotify.com",
        type: "rich",
        title: artist.name,
        thumbnail_url: `https://i.scdn.co/image/${page[1]}`,
        thumbnail_width: 320,
        thumbnail_height: 320,
      },
    };
  });
  return { ...server, artists };
}
