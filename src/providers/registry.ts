import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { utcDay } from "../domain/days.js";
import type { Logger } from "../logger.js";
import { behindBreaker, createCircuitBreaker } from "./circuit-breaker.js";
import { createDeezerProvider, type DeezerProvider } from "./deezer.js";
import { createMusicBrainz, type MusicBrainz } from "./musicbrainz.js";
import { SYNCED_PLATFORMS, type ArtistProvider, type ArtistSearch, type Providers, type SyncedPlatform } from "./provider.js";
import { createDatabaseRateLimiter } from "./rate-limiter.js";
import { createSimulatedProvider } from "./simulated.js";
import { createSpotifyOembedProvider, createSpotifyProvider } from "./spotify.js";

const perPlatform = (make: (platform: SyncedPlatform) => ArtistProvider) =>
  Object.fromEntries(SYNCED_PLATFORMS.map((platform) => [platform, make(platform)])) as Record<SyncedPlatform, ArtistProvider>;

/** The live platforms when configured for them (new accounts get those), and the simulated ones always. */
export function createProviders(config: Config, db: Database, logger: Logger): Providers {
  const today = () => utcDay();
  const simulated = perPlatform((platform) => createSimulatedProvider(platform, today));
  const live = config.liveProviders ? liveProviders(config, db, logger) : null;
  const configured = live ?? simulated;
  return {
    forNewAccount: (platform) => configured[platform],
    forAccount: (account) => (account.simulated ? simulated[account.platform] : (live?.[account.platform] ?? null)),
    configured: SYNCED_PLATFORMS.map((platform) => configured[platform]),
    searchDeezer: live ? (query, limit, call) => live.deezer.searchArtists(query, limit, call) : null,
    searchSpotify: live?.searchSpotify ?? null,
    musicBrainz: live?.musicBrainz ?? null,
    inRequest: () => ({ signal: AbortSignal.timeout(config.providerRequestDeadlineMs) }),
    inJob: (jobAbort) => ({ signal: AbortSignal.any([jobAbort, AbortSignal.timeout(config.providerJobDeadlineMs)]) }),
  };
}

/** MusicBrainz asks each client to say who it is and how to reach its operator. */
const musicBrainzUserAgent = (contact: string | null) => `FanPulse/0.1 ( ${contact ?? "no contact configured: set MUSICBRAINZ_CONTACT"} )`;

/** Deezer's public API and MusicBrainz need no key; Spotify gives figures only to an app with credentials, else its name and picture. */
function liveProviders(
  config: Config,
  db: Database,
  logger: Logger,
): { spotify: ArtistProvider; deezer: DeezerProvider; musicBrainz: MusicBrainz; searchSpotify: ArtistSearch | null } {
  const common = {
    timeoutMs: config.providerTimeoutMs,
    maxRetries: config.providerMaxRetries,
    limiter: createDatabaseRateLimiter(db, config.rateLimits),
    logger: logger.child({ component: "providers" }),
  };
  const breaker = createCircuitBreaker(db, { ...config.breaker, probeMs: 2 * config.providerTimeoutMs });
  const webApi = config.spotify ? createSpotifyProvider({ ...common, apiUrl: config.spotifyApiUrl, accountsUrl: config.spotifyAccountsUrl, ...config.spotify }) : null;
  return {
    spotify: behindBreaker(webApi ?? createSpotifyOembedProvider({ ...common, webUrl: config.spotifyWebUrl }), breaker),
    searchSpotify: webApi ? (query, limit, call) => webApi.searchArtists(query, limit, call) : null,
    deezer: behindBreaker(createDeezerProvider({ ...common, apiUrl: config.deezerApiUrl }), breaker),
    musicBrainz: createMusicBrainz({ ...common, apiUrl: config.musicBrainz.apiUrl, userAgent: musicBrainzUserAgent(config.musicBrainz.contact) }),
  };
}
