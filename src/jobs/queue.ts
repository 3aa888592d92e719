import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";

/** Every task the code may enqueue, with its payload: the one place a task identifier is spelled. */
export type TaskPayloads = {
  "artist:sync": { artistId: string };
  /** The artist's accounts on the other platforms, found from the one it was tracked by. */
  "artist:cross-link": { artistId: string };
  /** Another look for artists still missing a platform, a week after the last. */
  "artists:recheck-links": Record<string, never>;
  "budgets:sweep": Record<string, never>;
  /** Plans the day's refresh and queues it in batches. */
  "metrics:refresh-all": Record<string, never>;
  /** A batch of the day's refresh, in priority order. */
  "metrics:sync-batch": { artistIds: string[] };
  /** Scores a day whose refresh is done or past its deadline. */
  "metrics:refresh-deadline": Record<string, never>;
  /** One artist's score when `artistId` is given, else the whole population; `day` defaults to today (UTC). */
  "momentum:compute": { artistId?: string; day?: string };
  /**
   * Past days' scores: of these artists over their history (up to a year), or of every artist
   * from `from` to `to` (after the scores of those days were found wrong).
   */
  "momentum:score-past-days": { artistIds: string[] } | { from: string; to: string };
  /** The alert rules concerning these artists (every watched artist when left out), on their data of `day`. */
  "alerts:evaluate": { day: string; artistIds?: string[] };
  /** One notification's POST to one webhook, retried with backoff until delivered. */
  "webhooks:deliver": { deliveryId: string };
};

export type TaskName = keyof TaskPayloads;

export type JobSpec = { jobKey?: string; runAt?: Date; maxAttempts?: number; priority?: number };

/**
 * Queues a job through the caller's executor, so a job that belongs to a data change is
 * committed or rolled back with it.
 */
export async function enqueue<T extends TaskName>(
  executor: Executor,
  task: T,
  payload: TaskPayloads[T],
  spec: JobSpec = {},
): Promise<void> {
  await executor.execute(sql`
    SELECT graphile_worker.add_job(
      identifier => ${task}::text,
      payload => ${JSON.stringify(payload)}::json,
      run_at => ${spec.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${spec.maxAttempts ?? null}::int,
      job_key => ${spec.jobKey ?? null}::text,
      priority => ${spec.priority ?? null}::int,
      job_key_mode => ${spec.jobKey ? "preserve_run_at" : null}::text
    )`);
}

export const SYNC_MAX_ATTEMPTS = 8;

/** A sync is keyed by artist: asking again while one is queued does not queue another. */
export const queueArtistSync = (executor: Executor, artistId: string) =>
  enqueue(executor, "artist:sync", { artistId }, { jobKey: `artist:sync:${artistId}`, maxAttempts: SYNC_MAX_ATTEMPTS });

/** A newly tracked artist's other accounts are looked for once; keyed by artist. */
export const queueCrossLinking = (executor: Executor, artistId: string) =>
  enqueue(executor, "artist:cross-link", { artistId }, { jobKey: `artist:cross-link:${artistId}`, maxAttempts: SYNC_MAX_ATTEMPTS });

/** An artist's score follows its sync; keyed so a burst of syncs scores it once. */
export const queueArtistMomentum = (executor: Executor, artistId: string) =>
  enqueue(executor, "momentum:compute", { artistId }, { jobKey: `momentum:compute:${artistId}` });

/** An artist whose history arrived at once (backfilled, imported) gets its past days scored. */
export const queuePastDaysScoring = (executor: Executor, artistIds: string[]) =>
  artistIds.length > 0 ? enqueue(executor, "momentum:score-past-days", { artistIds }) : Promise.resolve();

/** Alert rules follow new scores; keyed per artist and day, so a burst of scorings evaluates once. */
export const queueAlertEvaluation = (executor: Executor, day: string, artistIds?: string[]) =>
  enqueue(executor, "alerts:evaluate", { day, artistIds }, artistIds?.length === 1 ? { jobKey: `alerts:evaluate:${artistIds[0]}:${day}` } : {});

/** The running job's fields a reschedule needs (graphile-worker's Job has them). */
export type RunningJob = { task_identifier: string; payload: unknown; key: string | null; attempts: number; max_attempts: number; priority: number };

/**
 * Puts the running job back in the queue for `runAt`, as if this run had not happened: the same
 * task, payload and key, and the attempts it had before this run. The run then ends as a success.
 */
export async function rescheduleRunningJob(executor: Executor, job: RunningJob, runAt: Date): Promise<void> {
  await executor.execute(sql`
    WITH again AS (
      SELECT * FROM graphile_worker.add_job(
        identifier => ${job.task_identifier}::text,
        payload => ${JSON.stringify(job.payload)}::json,
        run_at => ${runAt.toISOString()}::timestamptz,
        max_attempts => ${job.max_attempts}::int,
        job_key => ${job.key}::text,
        priority => ${job.priority}::int,
        job_key_mode => 'replace'
      )
    )
    SELECT graphile_worker.reschedule_jobs(ARRAY[(SELECT id FROM again)], attempts => ${Math.max(0, job.attempts - 1)}::int)`);
}

/** Each delivery is its own job, keyed so that queuing it again does nothing. */
export async function queueWebhookDeliveries(executor: Executor, deliveryIds: readonly string[], maxAttempts: number): Promise<void> {
  for (const deliveryId of deliveryIds) await enqueue(executor, "webhooks:deliver", { deliveryId }, { jobKey: `webhooks:deliver:${deliveryId}`, maxAttempts });
}
