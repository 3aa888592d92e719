import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";

export type QueuedJob = { id: string; task: string; key: string | null; payload: Record<string, unknown>; attempts: number; lastError: string | null };

/** Jobs in graphile-worker's queue (its `jobs` view leaves the payload out). */
export async function queuedJobs(db: Database, task?: string): Promise<QueuedJob[]> {
  return db.execute<QueuedJob>(sql`
    SELECT j.id::text, t.identifier AS task, j.key, j.payload, j.attempts, j.last_error AS "lastError"
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE ${task ?? null}::text IS NULL OR t.identifier = ${task ?? null}::text
    ORDER BY j.id`);
}
