import { callProvider, retryAfterMs, type HttpAnswer, type HttpOptions, type Verdict } from "./http.js";
import type { CallOptions } from "./provider.js";

export type MusicBrainzOptions = Omit<HttpOptions, "platform"> & { apiUrl: string; userAgent: string };

/** An artist as MusicBrainz files it, with the URLs of its current relationships. */
export type MusicBrainzArtist = { mbid: string; name: string; urls: string[] };

export interface MusicBrainz {
  /** The one artist MusicBrainz files this URL under, with its URLs; null when it has the URL under no single artist. */
  artistByUrl(resource: string, call?: CallOptions): Promise<MusicBrainzArtist | null>;
}

type Relation = { "target-type"?: string; ended?: boolean; artist?: { id: string; name: string }; url?: { resource: string } };
type UrlEntity = { relations?: Relation[] };
type ArtistEntity = { id: string; name: string; relations?: Relation[] };

/** What MusicBrainz asks a client that went too fast to wait when it does not say: its limit is one call a second. */
const SLOW_DOWN_MS = 1_000;

/**
 * MusicBrainz answers 503 to a client over its rate (with Retry-After when it says how long), 404
 * to a URL or id it does not have and 400 to one it cannot read: both of those mean "not known".
 */
function judge<T>(parse: (body: unknown) => T) {
  return (answer: HttpAnswer): Verdict<T | null> => {
    if (answer.status === 503 || answer.status === 429) return { wait: retryAfterMs(answer.headers) ?? SLOW_DOWN_MS, reason: `rate limited (${answer.status})` };
    if (answer.status >= 500) return { retry: true, reason: `server answered ${answer.status}` };
    if (answer.status === 404 || answer.status === 400) return { retry: false, value: null };
    if (answer.status !== 200) return { retry: true, reason: `unexpected status ${answer.status}` };
    return { retry: false, value: parse(answer.body) };
  };
}

/** MusicBrainz's web service (no key; a User-Agent naming the application and a contact). */
export function createMusicBrainz(options: MusicBrainzOptions): MusicBrainz {
  const http = { ...options, platform: "musicbrainz" as const };
  const init = { headers: { "user-agent": options.userAgent, accept: "application/json" } };
  const get = <T>(path: string, parse: (body: unknown) => T, call?: CallOptions) => callProvider(http, `${options.apiUrl}${path}`, init, judge(parse), call);
  return {
    async artistByUrl(resource, call) {
      const artists = await get(
        `/url?resource=${encodeURIComponent(resource)}&inc=artist-rels&fmt=json`,
        (body) => (body as UrlEntity).relations?.flatMap((r) => (r["target-type"] === "artist" && r.artist ? [r.artist.id] : [])) ?? [],
        call,
      );
      const distinct = [...new Set(artists ?? [])];
      if (distinct.length !== 1) return null;
      return get(
        `/artist/${encodeURIComponent(distinct[0]!)}?inc=url-rels&fmt=json`,
        (body) => {
          const artist = body as ArtistEntity;
          const urls = artist.relations?.flatMap((r) => (r["target-type"] === "url" && r.url && !r.ended ? [r.url.resource] : [])) ?? [];
          return { mbid: artist.id, name: artist.name, urls };
        },
        call,
      );
    },
  };
}
