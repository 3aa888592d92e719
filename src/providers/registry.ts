import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { utcDay } from "../domain/days.js";
import type { Logger } from "../logger.js";
import { behindBreaker, createCircuitBreaker } from "./circuit-breaker.js";
import { createDeezerProvider, type DeezerProvider } from "./deezer.js";
import { SYNCED_PLATFORMS, type ArtistProvider, type Providers, type SyncedPlatform } from "./provider.js";
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
    configured: Object.values(configured),
    searchDeezer: live ? (query, limit, call) => live.deezer.searchArtists(query, limit, call) : null,
    inRequest: () => ({ signal: AbortSignal.timeout(config.providerRequestDeadlineMs) }),
    inJob: (jobAbort) => ({ signal: AbortSignal.any([jobAbort, AbortSignal.timeout(config.providerJobDeadlineMs)]) }),
  };
}

/** Deezer's public API needs no key; Spotify gives figures only to an app with credentials, else its name and picture. */
function liveProviders(config: Config, db: Database, logger: Logger): { spotify: ArtistProvider; deezer: DeezerProvider } {
  const common = {
    timeoutMs: config.providerTimeoutMs,
    maxRetries: config.providerMaxRetries,
    limiter: createDatabaseRateLimiter(db, config.rateLimits),
    logger: logger.child({ component: "providers" }),
  };
  const breaker = createCircuitBreaker(db, { ...config.breaker, probeMs: 2 * config.providerTimeoutMs });
  return {
    spotify: behindBreaker(
      config.spotify
        ? createSpotifyProvider({ ...common, apiUrl: config.spotifyApiUrl, accountsUrl: config.spotifyAccountsUrl, ...config.spotify })
        : createSpotifyOembedProvider({ ...common, webUrl: config.spotifyWebUrl }),
      breaker,
    ),
    deezer: behindBreaker(createDeezerProvider({ ...common, apiUrl: config.deezerApiUrl }), breaker),
  };
}
