import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError, type ArtistProvider, type SyncedPlatform } from "./provider.js";

export type BreakerSettings = {
  /** Failed calls in a row (after their own retries) that open the breaker. */
  failures: number;
  /** How long an open breaker stops calls before one probe may try. */
  cooldownMs: number;
  /** How long a probe has before another caller may probe instead. */
  probeMs: number;
};

/**
 * A platform's circuit breaker, kept in PostgreSQL so every process sees it: repeated failures
 * (outages, timeouts; not an artist that does not exist, not a quota that says when to come back)
 * open it, and while it is open calls fail at once with the time it may close, instead of every
 * job hammering a platform that is down. After the cool-down one call at a time probes: a success
 * closes it, a failure opens it again.
 */
export function createCircuitBreaker(db: Database, settings: BreakerSettings) {
  return {
    /** Null when a call may go ahead (a probe, when the breaker was open); else how long to wait, in ms. */
    async admit(platform: SyncedPlatform): Promise<number | null> {
      const [row] = await db.execute<{ wait_ms: number | null }>(sql`
        WITH state AS (SELECT * FROM provider_breakers WHERE platform = ${platform}::platform FOR UPDATE),
        probe AS (
          UPDATE provider_breakers b SET probing_until = now() + make_interval(secs => ${settings.probeMs / 1000})
          FROM state s
          WHERE b.platform = s.platform AND s.open_until <= now() AND (s.probing_until IS NULL OR s.probing_until <= now())
          RETURNING 1
        )
        SELECT CASE
                 WHEN s.open_until IS NULL OR EXISTS (SELECT 1 FROM probe) THEN NULL
                 ELSE extract(epoch FROM greatest(s.open_until, s.probing_until) - now()) * 1000
               END::float8 AS wait_ms
        FROM state s`);
      return row?.wait_ms === null || row?.wait_ms === undefined ? null : Math.max(0, row.wait_ms);
    },
    async succeeded(platform: SyncedPlatform): Promise<void> {
      await db.execute(sql`
        UPDATE provider_breakers SET failures = 0, open_until = NULL, probing_until = NULL
        WHERE platform = ${platform}::platform AND (failures > 0 OR open_until IS NOT NULL)`);
    },
    async failed(platform: SyncedPlatform): Promise<void> {
      await db.execute(sql`
        INSERT INTO provider_breakers (platform, failures, open_until)
        VALUES (${platform}::platform, 1, CASE WHEN 1 >= ${settings.failures} THEN now() + make_interval(secs => ${settings.cooldownMs / 1000}) END)
        ON CONFLICT (platform) DO UPDATE SET
          failures = provider_breakers.failures + 1,
          open_until = CASE
            WHEN provider_breakers.failures + 1 >= ${settings.failures} OR provider_breakers.probing_until IS NOT NULL
            THEN now() + make_interval(secs => ${settings.cooldownMs / 1000})
            ELSE provider_breakers.open_until END,
          probing_until = NULL`);
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

/** The provider behind its platform's breaker: every call is admitted first, and its outcome counted. */
export function behindBreaker<P extends ArtistProvider>(provider: P, breaker: CircuitBreaker): P {
  const { platform } = provider;
  return {
    ...provider,
    async fetchArtist(externalId, call) {
      const wait = await breaker.admit(platform);
      if (wait !== null) throw new ProviderUnavailableError(platform, "calls are paused after repeated failures (circuit breaker open)", wait);
      try {
        const profile = await provider.fetchArtist(externalId, call);
        await breaker.succeeded(platform);
        return profile;
      } catch (error) {
        // The platform answered, or said when to come back: it is up.
        if (error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError) await breaker.succeeded(platform);
        else if (error instanceof ProviderUnavailableError && error.retryAfterMs === undefined) await breaker.failed(platform);
        throw error;
      }
    },
  };
}
