import { sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import type { JobServices } from "./job-services.js";
import { SYNC_MAX_ATTEMPTS, type TaskName } from "./queue.js";

const SYNC: TaskName = "artist:sync";

export const REFRESH_BATCH = 1_000;
export const NOT_FOUND_RECHECK_DAYS = 7;

/**
 * Queues a sync for every artist at least one user tracks, a batch per statement. The cost
 * follows the number of distinct artists, never the number of users.
 */
export const refreshAll =
  ({ db, logger }: JobServices): Task =>
  async () => {
    let after = "00000000-0000-0000-0000-000000000000";
    let queued = 0;
    for (;;) {
      const [batch] = await db.execute<{ last: string | null; count: number }>(sql`
        WITH batch AS (
          SELECT a.id FROM global_artists a
          WHERE a.id > ${after}::uuid AND EXISTS (SELECT 1 FROM user_artists l WHERE l.artist_id = a.id)
            -- An artist its platform says does not exist is checked again weekly, not daily forever.
            AND NOT (a.sync_status = 'not_found' AND a.last_synced_at > now() - make_interval(days => ${NOT_FOUND_RECHECK_DAYS}))
          ORDER BY a.id LIMIT ${REFRESH_BATCH}
        ), queued AS (
          SELECT job.id FROM graphile_worker.add_jobs(
            (SELECT array_agg(ROW(${SYNC}::text, json_build_object('artistId', id), NULL, NULL, ${SYNC_MAX_ATTEMPTS}::int, ${SYNC}::text || ':' || id, NULL, NULL)::graphile_worker.job_spec) FROM batch),
            true
          ) AS job
        )
        SELECT (SELECT max(id::text) FROM batch) AS last, (SELECT count(*)::int FROM queued) AS count`);
      if (!batch?.last) break;
      after = batch.last;
      queued += batch.count;
    }
    logger.info({ queued }, "queued a sync of every tracked artist");
  };
