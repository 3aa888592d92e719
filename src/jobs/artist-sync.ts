import type { Task } from "graphile-worker";
import { markRefreshed } from "../domain/refresh-plan.js";
import { recordSyncTrouble, syncArtist } from "../domain/sync.js";
import { loggableError } from "../logger.js";
import { ProviderUnavailableError } from "../providers/provider.js";
import type { JobServices } from "./job-services.js";
import { queueArtistMomentum, queuePastDaysScoring, rescheduleRunningJob, type TaskPayloads } from "./queue.js";
import { scoreFinishedRefreshes } from "./refresh-finish.js";

/**
 * Syncs one artist. When a platform cannot answer now: a platform that says when to come back
 * (Retry-After, a quota, an open circuit breaker) gets the job rescheduled for then without
 * spending an attempt; any other failure spends one and is retried with graphile-worker's backoff;
 * the last one leaves the artist FAILED with the error, and ends the job. Either end counts the
 * artist done in the day's refresh plan that holds it.
 */
export const artistSync =
  ({ db, providers, logger }: JobServices): Task =>
  async (raw, helpers) => {
    const { artistId } = raw as TaskPayloads["artist:sync"];
    try {
      await syncArtist(db, providers, artistId, providers.inJob(helpers.abortSignal), { scoreToday: queueArtistMomentum, scorePastDays: queuePastDaysScoring });
      await scoreFinishedRefreshes(db, logger);
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      const { job } = helpers;
      if (error.retryAfterMs !== undefined) {
        const runAt = new Date(Date.now() + error.retryAfterMs);
        await db.transaction(async (tx) => {
          await recordSyncTrouble(tx, artistId, "retrying", `${error.message}; retrying at ${runAt.toISOString()}`);
          await rescheduleRunningJob(tx, job, runAt);
        });
        logger.info({ artistId, runAt, reason: error.message }, "sync rescheduled for when the platform said to come back");
        return;
      }
      if (job.attempts >= job.max_attempts) {
        await db.transaction(async (tx) => {
          await recordSyncTrouble(tx, artistId, "failed", `${error.message} (after ${job.attempts} attempts)`);
          await markRefreshed(tx, [artistId]);
        });
        logger.error({ artistId, err: loggableError(error) }, "sync failed for good");
        await scoreFinishedRefreshes(db, logger);
        return;
      }
      await recordSyncTrouble(db, artistId, "retrying", error.message);
      throw error;
    }
  };
