import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { utcDay } from "../domain/days.js";
import type { Logger } from "../logger.js";
import { createDeezerProvider } from "./deezer.js";
import type { Providers } from "./provider.js";
import { createDatabaseRateLimiter } from "./rate-limiter.js";
import { createSimulatedProvider } from "./simulated.js";
import { createSpotifyProvider } from "./spotify.js";

/** The live platforms when configured for them, the simulated ones otherwise. */
export function createProviders(config: Config, db: Database, logger: Logger): Providers {
  if (!config.liveProviders || !config.spotify) {
    const today = () => utcDay();
    return { spotify: createSimulatedProvider("spotify", today), deezer: createSimulatedProvider("deezer", today) };
  }
  const common = {
    timeoutMs: config.providerTimeoutMs,
    maxRetries: config.providerMaxRetries,
    limiter: createDatabaseRateLimiter(db, config.rateLimits),
    logger: logger.child({ component: "providers" }),
  };
  return {
    spotify: createSpotifyProvider({ ...common, apiUrl: config.spotifyApiUrl, accountsUrl: config.spotifyAccountsUrl, ...config.spotify }),
    deezer: createDeezerProvider({ ...common, apiUrl: config.deezerApiUrl }),
  };
}
