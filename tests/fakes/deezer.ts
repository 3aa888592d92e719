import { startFakeServer, type FakeServer } from "./http-fake.js";

export type FakeDeezerArtist = { id: number; name: string; fans: number };

export type FakeDeezer = FakeServer & { artists: Map<number, FakeDeezerArtist>; artistCalls: (id?: number) => number };

/** Deezer's public API as FanPulse uses it: errors come back with HTTP 200 and an `error` object. */
export async function startFakeDeezer(): Promise<FakeDeezer> {
  const artists = new Map<number, FakeDeezerArtist>();
  const toJson = (a: FakeDeezerArtist) => ({
    id: a.id,
    name: a.name,
    link: `https://www.deezer.com/artist/${a.id}`,
    picture_xl: `https://e-cdns-images.dzcdn.net/images/artist/${a.id}/1000x1000.jpg`,
    nb_album: 3,
    nb_fan: a.fans,
    type: "artist",
  });
  const server = await startFakeServer((_req, path) => {
    const url = new URL(path, "http://deezer.test");
    const match = /^\/artist\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const artist = artists.get(Number(match[1]));
      if (!artist) return { status: 200, body: { error: { type: "DataException", message: "no data", code: 800 } } };
      return { status: 200, body: toJson(artist) };
    }
    if (url.pathname === "/search/artist") {
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      const found = [...artists.values()].filter((a) => a.name.toLowerCase().includes(q)).map(toJson);
      return { status: 200, body: { data: found, total: found.length } };
    }
    return { status: 200, body: { error: { type: "DataException", message: "no data", code: 800 } } };
  });
  return {
    ...server,
    artists,
    artistCalls: (id) => server.requests.filter((r) => r.path.startsWith("/artist/") && (id === undefined || r.path === `/artist/${id}`)).length,
  };
}

export const DEEZER_QUOTA_ERROR = {
  status: 200,
  body: { error: { type: "Exception", message: "Quota limit exceeded", code: 4 } },
};
