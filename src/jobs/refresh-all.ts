import { sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import { planRefresh } from "../domain/refresh-plan.js";
import { utcDay } from "../domain/days.js";
import type { JobServices } from "./job-services.js";
import { scoreFinishedRefreshes } from "./refresh-finish.js";
import type { TaskName } from "./queue.js";

const SYNC_BATCH: TaskName = "metrics:sync-batch";
/** Artists a batch syncs: few statements for many artists, and small enough to retry whole. */
export const SYNC_BATCH_SIZE = 250;
const BATCH_MAX_ATTEMPTS = 5;

/**
 * Daily: plans the day's refresh from the platforms' quotas and queues it as batches of syncs, in
 * priority order, in the plan's transaction. The cost follows the number of distinct artists,
 * never the number of users. The day's momentum runs when the last batch is done (or at the
 * plan's deadline), not at a fixed hour.
 */
export const refreshAll =
  ({ db, logger, refresh }: JobServices): Task =>
  async () => {
    const day = utcDay();
    const plan = await db.transaction(async (tx) => {
      const planned = await planRefresh(tx, refresh, day);
      await tx.execute(sql`
        WITH batches AS (
          SELECT json_build_object('artistIds', json_agg(artist_id ORDER BY rank)) AS payload, min(rank) AS first
          FROM (SELECT artist_id, rank, (rank - 1) / ${SYNC_BATCH_SIZE} AS batch FROM refresh_plan_artists WHERE day = ${day}::date) planned
          GROUP BY batch
        )
        SELECT graphile_worker.add_jobs(
          (SELECT array_agg(ROW(${SYNC_BATCH}::text, payload, NULL, NULL, ${BATCH_MAX_ATTEMPTS}::int, NULL, NULL, NULL)::graphile_worker.job_spec ORDER BY first) FROM batches)
        )
        WHERE EXISTS (SELECT 1 FROM batches)`);
      return planned;
    });
    logger.info(plan, "planned the day's refresh within the platforms' quotas");
    if (plan.dueLeftOut > 0) logger.warn({ day, dueLeftOut: plan.dueLeftOut }, "artists due for their weekly refresh do not fit in the day's quota: raise the platforms' rate limits or the refresh's share");
    await scoreFinishedRefreshes(db, logger);
  };
