import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeServer } from "./http-fake.js";

export type FakeMusicBrainzArtist = { name: string; urls: (string | { resource: string; ended: true })[] };

export type FakeMusicBrainz = FakeServer & {
  /** Artists by MBID. */
  artists: Map<string, FakeMusicBrainzArtist>;
  /** Requests answered 503 because they came too soon after the one before. */
  tooFast: () => number;
};

const NOT_FOUND = { error: "Not Found", help: "For usage, please see: https://musicbrainz.org/development/mmd" };
const TOO_FAST = { error: "Your requests are exceeding the allowable rate limit. Please see https://musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting for more information." };
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const resourceOf = (url: FakeMusicBrainzArtist["urls"][number]) => (typeof url === "string" ? url : url.resource);

/**
 * MusicBrainz's web service as FanPulse uses it (`/url?resource=&inc=artist-rels`,
 * `/artist/<mbid>?inc=url-rels`, JSON with fmt=json): 404 for what it does not have, 400 for an
 * id it cannot read, and 503 to a client calling again within `minIntervalMs` of its last call.
 */
export async function startFakeMusicBrainz(options: { minIntervalMs?: number } = {}): Promise<FakeMusicBrainz> {
  const artists = new Map<string, FakeMusicBrainzArtist>();
  const urlIds = new Map<string, string>();
  const urlId = (resource: string) => urlIds.get(resource) ?? (urlIds.set(resource, randomUUID()), urlIds.get(resource)!);
  let last = -Infinity;
  let tooFast = 0;
  const server = await startFakeServer((_req, path) => {
    const now = performance.now();
    if (options.minIntervalMs && now - last < options.minIntervalMs) {
      tooFast++;
      return { status: 503, body: TOO_FAST };
    }
    last = now;
    const url = new URL(path, "http://musicbrainz.test");
    if (url.searchParams.get("fmt") !== "json") return { status: 400, body: { error: "this fake answers fmt=json only" } };
    if (url.pathname === "/ws/2/url") {
      const resource = url.searchParams.get("resource") ?? "";
      const owners = [...artists].filter(([, a]) => a.urls.some((u) => resourceOf(u) === resource));
      if (owners.length === 0) return { status: 404, body: NOT_FOUND };
      return {
        status: 200,
        body: {
          id: urlId(resource),
          resource,
          relations: owners.map(([id, a]) => ({
            type: "free streaming",
            "target-type": "artist",
            direction: "backward",
            ended: false,
            artist: { id, name: a.name, "sort-name": a.name, disambiguation: "" },
          })),
        },
      };
    }
    const match = /^\/ws\/2\/artist\/([^/]+)$/.exec(url.pathname);
    if (match) {
      if (!MBID.test(match[1]!)) return { status: 400, body: { error: "Invalid mbid." } };
      const artist = artists.get(match[1]!);
      if (!artist) return { status: 404, body: NOT_FOUND };
      return {
        status: 200,
        body: {
          id: match[1],
          name: artist.name,
          "sort-name": artist.name,
          type: "Group",
          relations: artist.urls.map((u) => ({
            type: /spotify|deezer/.test(resourceOf(u)) ? "free streaming" : "social network",
            "target-type": "url",
            direction: "forward",
            ended: typeof u !== "string",
            url: { id: urlId(resourceOf(u)), resource: resourceOf(u) },
          })),
        },
      };
    }
    return { status: 404, body: NOT_FOUND };
  });
  return { ...server, url: `${server.url}/ws/2`, artists, tooFast: () => tooFast };
}
