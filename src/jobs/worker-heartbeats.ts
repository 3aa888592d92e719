import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { arrayLiteral } from "../db/pg-array.js";
import { workerHeartbeats } from "../db/schema.js";

/** The SQL of worker liveness: heartbeats, and the unlocking of the jobs of workers that fell silent. */

export const registerWorker = (db: Database, workerId: string) =>
  db.insert(workerHeartbeats).values({ workerId, hostname: hostname(), pid: process.pid }).onConflictDoNothing();

export const forgetWorker = (db: Database, workerId: string) => db.execute(sql`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}`);

/**
 * Records that the worker is alive. Null when its heartbeat is gone: another worker judged it
 * dead and unlocked its jobs. Otherwise how long it had been silent, in seconds.
 */
export async function beat(db: Database, workerId: string): Promise<number | null> {
  const [row] = await db.execute<{ silent: number }>(sql`
    UPDATE worker_heartbeats h SET last_seen_at = now()
    FROM worker_heartbeats before
    WHERE h.worker_id = ${workerId} AND before.worker_id = h.worker_id
    RETURNING extract(epoch FROM now() - before.last_seen_at)::float8 AS silent`);
  return row ? row.silent : null;
}

/**
 * Forgets the workers silent longer than `deadAfterSeconds` and unlocks every job and job queue
 * locked by a worker that is not alive, so other workers run them. A job locked less long ago than
 * the limit is left alone: its worker may not have written its first heartbeat yet.
 */
export async function unlockDeadWorkers(db: Database, deadAfterSeconds: number): Promise<string[]> {
  const limit = sql`make_interval(secs => ${deadAfterSeconds})`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM worker_heartbeats WHERE last_seen_at < now() - ${limit}`);
    const dead = await tx.execute<{ worker_id: string }>(sql`
      SELECT DISTINCT locked_by AS worker_id FROM (
        SELECT locked_by, locked_at FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
        UNION ALL
        SELECT locked_by, locked_at FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL
      ) locks
      WHERE locked_at < now() - ${limit} AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = locks.locked_by)`);
    const ids = dead.map((row) => row.worker_id);
    if (ids.length > 0) await tx.execute(sql`SELECT graphile_worker.force_unlock_workers(${arrayLiteral(ids)}::text[])`);
    return ids;
  });
}
