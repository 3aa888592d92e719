import { ARTIST_ID, ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError, type ArtistProfile, type ArtistProvider, type CallOptions } from "./provider.js";
import { abortable, callProvider, retryAfterMs, type HttpAnswer, type HttpOptions, type Verdict } from "./http.js";

export type SpotifyOptions = Omit<HttpOptions, "platform"> & {
  apiUrl: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
};

type SpotifyArtist = {
  id: string;
  name: string;
  genres?: string[];
  images?: { url: string; width?: number | null }[];
  external_urls?: { spotify?: string };
  // Absent for development-mode apps since February 2026.
  followers?: { total?: number | null } | null;
  popularity?: number | null;
};

/** A 429 without Retry-After: Spotify's window is 30 seconds. */
const RATE_LIMIT_WAIT_MS = 30_000;

/** Renew a little before expiry so a token never dies in flight. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * A 429 says when to come back (Retry-After; an exhausted quota says it in the body too); a 5xx
 * asks for a retry, or for a wait when it says how long.
 */
function transient(answer: HttpAnswer, what: string): Verdict<never> | null {
  const after = retryAfterMs(answer.headers);
  if (answer.status === 429) {
    const quota = (answer.body as { reason?: string } | null)?.reason === "QUOTA_EXCEEDED";
    return { wait: after ?? RATE_LIMIT_WAIT_MS, reason: quota ? "quota exceeded" : `${what}: rate limited (429)` };
  }
  if (answer.status >= 500) return after === undefined ? { retry: true, reason: `${what}: server error ${answer.status}` } : { wait: after, reason: `${what}: server error ${answer.status}` };
  return null;
}

type Oembed = { title?: string; thumbnail_url?: string };

/**
 * Spotify without credentials: the public oEmbed endpoint of open.spotify.com gives an artist's
 * name and picture, and no figures. Accounts it serves are links that keep their name fresh; the
 * artist's audience comes from its other platforms.
 */
export function createSpotifyOembedProvider(options: Omit<HttpOptions, "platform"> & { webUrl: string }): ArtistProvider {
  const http = { ...options, platform: "spotify" as const };
  return {
    platform: "spotify",
    simulated: false,
    fetchArtist(externalId, call) {
      if (!ARTIST_ID.spotify.test(externalId)) return Promise.reject(new InvalidExternalIdError("spotify", externalId));
      const artistUrl = `https://open.spotify.com/artist/${externalId}`;
      return callProvider(
        http,
        `${options.webUrl}/oembed?url=${encodeURIComponent(artistUrl)}`,
        {},
        (answer): Verdict<ArtistProfile> => {
          const trouble = transient(answer, "oembed");
          if (trouble) return trouble;
          if (answer.status === 404 || answer.status === 400) throw new ArtistNotFoundError("spotify", externalId);
          const body = answer.body as Oembed | null;
          if (answer.status !== 200 || !body?.title) throw new ProviderUnavailableError("spotify", `oembed answered ${answer.status}`);
          return { retry: false, value: { externalId, name: body.title, genres: [], imageUrl: body.thumbnail_url ?? null, url: artistUrl, metrics: {} } };
        },
        call,
      );
    },
  };
}

export type SpotifyProvider = ArtistProvider & { searchArtists(query: string, limit: number, call?: CallOptions): Promise<ArtistProfile[]> };

/** The Spotify Web API with client-credentials auth; the token is reused until it expires. */
export function createSpotifyProvider(options: SpotifyOptions): SpotifyProvider {
  const http = { ...options, platform: "spotify" as const };
  let token: { value: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;

  const requestToken = () =>
    callProvider(
      http,
      `${options.accountsUrl}/api/token`,
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      },
      (answer): Verdict<{ value: string; expiresAt: number }> => {
        const retry = transient(answer, "token");
        if (retry) return retry;
        const body = answer.body as { access_token?: string; expires_in?: number } | null;
        if (answer.status !== 200 || !body?.access_token) {
          throw new ProviderUnavailableError("spotify", `token request refused (${answer.status}): check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET`);
        }
        return { retry: false, value: { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS } };
      },
    );

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now()) return token.value;
    pending ??= requestToken().then(
      (fresh) => {
        token = fresh;
        pending = null;
        return fresh.value;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  }

  /** A GET of the Web API with the app's token; a token Spotify refuses (401) is renewed once. */
  async function get<T>(path: string, what: string, read: (answer: HttpAnswer) => T, call: CallOptions, renewed = false): Promise<T> {
    // The token request is shared by every caller: one caller's deadline ends its own wait, not the request.
    const bearer = await abortable(accessToken(), call.signal, "spotify");
    const result = await callProvider(
      http,
      `${options.apiUrl}${path}`,
      { headers: { authorization: `Bearer ${bearer}`, accept: "application/json" } },
      (answer): Verdict<T | "expired"> => {
        if (answer.status === 401) return { retry: false, value: "expired" };
        const retry = transient(answer, what);
        if (retry) return retry;
        return { retry: false, value: read(answer) };
      },
      call,
    );
    if (result !== "expired") return result;
    if (renewed) throw new ProviderUnavailableError("spotify", "a fresh token was refused");
    token = null;
    return get(path, what, read, call, true);
  }

  const ok = (answer: HttpAnswer) => {
    if (answer.status !== 200) throw new ProviderUnavailableError("spotify", `unexpected status ${answer.status}`);
    return answer.body;
  };

  return {
    platform: "spotify",
    simulated: false,
    fetchArtist: (externalId, call = {}) =>
      get(
        `/v1/artists/${encodeURIComponent(externalId)}`,
        "artist",
        (answer) => {
          if (answer.status === 404) throw new ArtistNotFoundError("spotify", externalId);
          if (answer.status === 400) throw new InvalidExternalIdError("spotify", externalId);
          return toProfile(ok(answer) as SpotifyArtist);
        },
        call,
      ),
    searchArtists: (query, limit, call = {}) =>
      get(
        `/v1/search?type=artist&limit=${limit}&q=${encodeURIComponent(query)}`,
        "search",
        (answer) => ((ok(answer) as { artists?: { items?: SpotifyArtist[] } }).artists?.items ?? []).map(toProfile),
        call,
      ),
  };
}

function toProfile(artist: SpotifyArtist): ArtistProfile {
  const images = [...(artist.images ?? [])].sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
  const metrics: ArtistProfile["metrics"] = {};
  if (typeof artist.followers?.total === "number") metrics.followers = artist.followers.total;
  if (typeof artist.popularity === "number") metrics.popularity = artist.popularity;
  return {
    externalId: artist.id,
    name: artist.name,
    genres: artist.genres ?? [],
    imageUrl: images[0]?.url ?? null,
    url: artist.external_urls?.spotify ?? `https://open.spotify.com/artist/${artist.id}`,
    metrics,
  };
}
