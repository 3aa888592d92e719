import { randomBytes } from "node:crypto";
import { startFakeServer, type FakeServer } from "./http-fake.js";

export type FakeSpotifyArtist = { id: string; name: string; genres?: string[]; followers?: number; popularity?: number };

export const SPOTIFY_CLIENT = { id: "fake-client-id", secret: "fake-client-secret" };

export type FakeSpotify = FakeServer & {
  artists: Map<string, FakeSpotifyArtist>;
  tokens: Set<string>;
  artistCalls: (id?: string) => number;
  tokenCalls: () => number;
};

/**
 * The parts of the Spotify Web API FanPulse uses, answering as Spotify does: client-credentials
 * tokens (Basic auth), `GET /v1/artists/{id}` and `GET /v1/search?type=artist`, 400 for a malformed id, 404 for an unknown one,
 * 401 for an unknown token. Artists without followers/popularity answer as development-mode apps see them.
 */
export async function startFakeSpotify(): Promise<FakeSpotify> {
  const artists = new Map<string, FakeSpotifyArtist>();
  const tokens = new Set<string>();
  const basic = `Basic ${Buffer.from(`${SPOTIFY_CLIENT.id}:${SPOTIFY_CLIENT.secret}`).toString("base64")}`;
  const toJson = (artist: FakeSpotifyArtist) => ({
    id: artist.id,
    name: artist.name,
    type: "artist",
    uri: `spotify:artist:${artist.id}`,
    genres: artist.genres ?? [],
    images: [
      { url: `https://i.scdn.co/image/${artist.id}-small`, width: 160, height: 160 },
      { url: `https://i.scdn.co/image/${artist.id}-large`, width: 640, height: 640 },
    ],
    external_urls: { spotify: `https://open.spotify.com/artist/${artist.id}` },
    ...(artist.followers === undefined ? {} : { followers: { href: null, total: artist.followers } }),
    ...(artist.popularity === undefined ? {} : { popularity: artist.popularity }),
  });
  const authorised = (req: { headers: { authorization?: string } }) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    return token !== undefined && tokens.has(token);
  };
  const EXPIRED = { status: 401, body: { error: { status: 401, message: "The access token expired" } } };
  const server = await startFakeServer((req, path, body) => {
    if (req.method === "POST" && path === "/api/token") {
      if (req.headers.authorization !== basic || body !== "grant_type=client_credentials") {
        return { status: 400, body: { error: "invalid_client", error_description: "Invalid client" } };
      }
      const token = randomBytes(16).toString("hex");
      tokens.add(token);
      return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: 3600 } };
    }
    const match = /^\/v1\/artists\/([^/?]+)$/.exec(path);
    if (req.method === "GET" && match) {
      if (!authorised(req)) return EXPIRED;
      const id = decodeURIComponent(match[1]!);
      if (!/^[0-9A-Za-z]{22}$/.test(id)) return { status: 400, body: { error: { status: 400, message: "invalid id" } } };
      const artist = artists.get(id);
      if (!artist) return { status: 404, body: { error: { status: 404, message: "Resource not found" } } };
      return { status: 200, body: toJson(artist) };
    }
    const search = new URL(path, "http://spotify.test");
    if (req.method === "GET" && search.pathname === "/v1/search") {
      if (!authorised(req)) return EXPIRED;
      const q = search.searchParams.get("q");
      if (!q || search.searchParams.get("type") !== "artist") return { status: 400, body: { error: { status: 400, message: "No search query" } } };
      const limit = Number(search.searchParams.get("limit") ?? 20);
      const items = [...artists.values()].filter((a) => a.name.toLowerCase().includes(q.toLowerCase())).slice(0, limit).map(toJson);
      return { status: 200, body: { artists: { href: search.href, items, limit, next: null, offset: 0, previous: null, total: items.length } } };
    }
    return { status: 404, body: { error: { status: 404, message: "Service not found" } } };
  });
  return {
    ...server,
    artists,
    tokens,
    artistCalls: (id) => server.requests.filter((r) => r.path.startsWith("/v1/artists/") && (!id || r.path.endsWith(`/${id}`))).length,
    tokenCalls: () => server.requests.filter((r) => r.path === "/api/token").length,
  };
}
