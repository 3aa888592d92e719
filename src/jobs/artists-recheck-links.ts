import { sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import { staleCrossLinks } from "../domain/cross-linking.js";
import type { JobServices } from "./job-services.js";
import { SYNC_MAX_ATTEMPTS, type TaskName } from "./queue.js";

const CROSS_LINK: TaskName = "artist:cross-link";
/** Behind the cross-links of newly tracked artists, which a user is waiting for. */
const RECHECK_PRIORITY = 10;
/** Calls one look costs at most: MusicBrainz's URL, then its artist. */
const CALLS_PER_LOOK = 2;

/**
 * Daily: queues another look for artists still missing a platform whose last look is a week old,
 * as many as MusicBrainz's rate allows in the day, spread over it so the looks never queue up
 * behind its limit. New links appear on MusicBrainz and Deezer over time; a week is how long an
 * artist waits for them at most while the backlog lasts.
 */
export const artistsRecheckLinks =
  ({ db, logger, crossLinks }: JobServices): Task =>
  async () => {
    const { maxCalls, windowMs } = crossLinks.musicBrainzRate;
    const spacingMs = Math.ceil((CALLS_PER_LOOK * windowMs) / maxCalls);
    const perDay = Math.min(crossLinks.rechecksPerDay, Math.floor(86_400_000 / spacingMs));
    const [queued] = await db.execute<{ count: number }>(sql`
      WITH due AS (SELECT id, row_number() OVER () - 1 AS n FROM (${staleCrossLinks(crossLinks.recheckDays)} LIMIT ${perDay}) stale)
      SELECT count(*)::int AS count FROM graphile_worker.add_jobs(
        (SELECT array_agg(ROW(${CROSS_LINK}::text, json_build_object('artistId', id), NULL, now() + n * make_interval(secs => ${spacingMs / 1000}), ${SYNC_MAX_ATTEMPTS}::int, ${CROSS_LINK}::text || ':' || id, ${RECHECK_PRIORITY}::int, NULL)::graphile_worker.job_spec) FROM due),
        true
      )`);
    logger.info({ queued: queued?.count ?? 0, perDay, spacingMs }, "queued another look for artists still missing a platform");
  };
