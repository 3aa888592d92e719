import { ARTIST_ID, ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError, type ArtistProfile, type ArtistProvider, type CallOptions } from "./provider.js";
import { callProvider, retryAfterMs, type HttpOptions, type Verdict } from "./http.js";

export type DeezerOptions = Omit<HttpOptions, "platform"> & { apiUrl: string; quotaWaitMs?: number };

type DeezerArtist = { id: number; name: string; link?: string; picture_xl?: string; nb_fan?: number };
type DeezerError = { error?: { type?: string; message?: string; code?: number } };

/** Deezer's quota is 50 calls per 5 seconds; after a code 4, wait out a window. */
const QUOTA_WAIT_MS = 5_000;

/**
 * Deezer answers errors with HTTP 200 and an `error` object: code 800 is "no data" (no such
 * artist), code 4 the quota; other codes are treated as passing failures.
 */
function judge<T>(externalId: string | null, quotaWaitMs: number, parse: (body: unknown) => T) {
  return (answer: { status: number; headers: Headers; body: unknown }): Verdict<T> => {
    if (answer.status === 429 || answer.status >= 500) {
      const after = retryAfterMs(answer.headers);
      const reason = `server answered ${answer.status}`;
      return after === undefined && answer.status !== 429 ? { retry: true, reason } : { wait: after ?? quotaWaitMs, reason };
    }
    const error = (answer.body as DeezerError | null)?.error;
    if (error) {
      if (error.code === 800 && externalId !== null) throw new ArtistNotFoundError("deezer", externalId);
      if (error.code === 4) return { wait: quotaWaitMs, reason: "quota exceeded (code 4)" };
      return { retry: true, reason: `error ${error.code ?? "?"} ${error.type ?? ""}: ${error.message ?? ""}`.trim() };
    }
    if (answer.status !== 200) throw new ProviderUnavailableError("deezer", `unexpected status ${answer.status}`);
    return { retry: false, value: parse(answer.body) };
  };
}

const toProfile = (artist: DeezerArtist): ArtistProfile => ({
  externalId: String(artist.id),
  name: artist.name,
  genres: [],
  imageUrl: artist.picture_xl ?? null,
  url: artist.link ?? `https://www.deezer.com/artist/${artist.id}`,
  metrics: typeof artist.nb_fan === "number" ? { followers: artist.nb_fan } : {},
});

export type DeezerProvider = ArtistProvider & { searchArtists(query: string, limit?: number, call?: CallOptions): Promise<ArtistProfile[]> };

/** Deezer's public API (no key). */
export function createDeezerProvider(options: DeezerOptions): DeezerProvider {
  const http = { ...options, platform: "deezer" as const };
  const quotaWait = options.quotaWaitMs ?? QUOTA_WAIT_MS;
  return {
    platform: "deezer",
    simulated: false,
    fetchArtist(externalId, call) {
      if (!ARTIST_ID.deezer.test(externalId)) return Promise.reject(new InvalidExternalIdError("deezer", externalId));
      return callProvider(http, `${options.apiUrl}/artist/${externalId}`, {}, judge(externalId, quotaWait, (body) => toProfile(body as DeezerArtist)), call);
    },
    searchArtists(query, limit = 10, call) {
      const url = `${options.apiUrl}/search/artist?q=${encodeURIComponent(query)}&limit=${limit}`;
      return callProvider(http, url, {}, judge(null, quotaWait, (body) => ((body as { data?: DeezerArtist[] }).data ?? []).map(toProfile)), call);
    },
  };
}
