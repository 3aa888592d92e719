import type { Task } from "graphile-worker";
import { recordSyncTrouble, syncArtists } from "../domain/sync.js";
import type { JobServices } from "./job-services.js";
import { queueArtistSync, queuePastDaysScoring, type TaskPayloads } from "./queue.js";
import { scoreFinishedRefreshes } from "./refresh-finish.js";

/**
 * A batch of the day's refresh. Artists a platform cannot answer for now get a sync job of their
 * own, with its retries and reschedules; the rest are written together and counted done. Their
 * scores come from the day's population pass, not one job each.
 */
export const syncBatch =
  ({ db, providers, logger }: JobServices): Task =>
  async (raw, helpers) => {
    const { artistIds } = raw as TaskPayloads["metrics:sync-batch"];
    const { synced, unavailable } = await syncArtists(db, providers, artistIds, () => providers.inJob(helpers.abortSignal), { scoreToday: null, scorePastDays: queuePastDaysScoring });
    if (unavailable.length > 0) {
      await db.transaction(async (tx) => {
        for (const artistId of unavailable) {
          await recordSyncTrouble(tx, artistId, "retrying", "a platform could not answer during the daily refresh; retrying on its own");
          await queueArtistSync(tx, artistId);
        }
      });
      logger.warn({ synced: synced.length, unavailable: unavailable.length }, "some artists of a refresh batch were left to syncs of their own");
    }
    await scoreFinishedRefreshes(db, logger);
  };
