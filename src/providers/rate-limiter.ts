import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../db/client.js";
import { spend } from "../domain/budgets.js";
import { ProviderUnavailableError, type Service } from "./provider.js";

export type RateLimit = { maxCalls: number; windowMs: number };

export interface RateLimiter {
  /**
   * Resolves when a call to the platform may be made within its limit, across all processes.
   * A wait that would outlast `signal` fails at once, with the time the next slot is free.
   */
  acquire(platform: Service, signal?: AbortSignal): Promise<void>;
}

/** Each provider's rolling window, kept in PostgreSQL so every worker process shares it. */
export function createDatabaseRateLimiter(db: Database, limits: Record<Service, RateLimit>): RateLimiter {
  return {
    async acquire(platform, signal) {
      const { maxCalls, windowMs } = limits[platform];
      for (;;) {
        if (signal?.aborted) throw new ProviderUnavailableError(platform, "no call slot before the call's deadline");
        const wait = await spend(db, { key: `platform:${platform}`, max: maxCalls, windowMs });
        if (wait === null) return;
        await sleep(Math.max(10, Math.ceil(wait)), undefined, { signal }).catch(() => {
          throw new ProviderUnavailableError(platform, "no call slot before the call's deadline", wait);
        });
      }
    },
  };
}
