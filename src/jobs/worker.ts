import { run, type ParsedCronItem } from "graphile-worker";
import pg from "pg";
import type { Metrics } from "../http/metrics.js";
import { loggableError, type Logger } from "../logger.js";
import { createCrontab } from "./crontab.js";
import type { JobServices } from "./job-services.js";
import { createTaskList } from "./task-list.js";
import { workerLogger } from "./worker-logger.js";

export type WorkerOptions = { connectionString: string; concurrency: number; schedule: { refresh: string; momentum: string }; pollInterval?: number };

/** Refuses a crontab naming a task the worker would not run: such a job would wait forever. */
export function assertTasksRegistered(taskList: Record<string, unknown>, crontab: ParsedCronItem[]): void {
  const missing = crontab.map((item) => item.task).filter((task) => !(task in taskList));
  if (missing.length > 0) throw new Error(`The crontab names tasks the worker does not run: ${missing.join(", ")}`);
}

export type Worker = { stop: () => Promise<void> };

/**
 * graphile-worker's connections, in a pool the app owns: errors of idle or busy connections
 * (the database shutting down or restarting) are logged instead of crashing the process, and the
 * pool is ended after the runner, before the database stops.
 */
function workerPool(connectionString: string, concurrency: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: concurrency + 2, application_name: "fanpulse-graphile-worker" });
  const log = logger.child({ component: "worker-pool" });
  const onError = (error: Error) => log.warn({ err: loggableError(error) }, "a worker database connection failed");
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

/** A graphile-worker runner over the typed task list; signals are handled by our own shutdown. */
export async function startWorker(services: JobServices, options: WorkerOptions, logger: Logger, metrics: Metrics): Promise<Worker> {
  const taskList = createTaskList(services);
  const crontab = createCrontab(options.schedule);
  assertTasksRegistered(taskList, crontab);
  const pgPool = workerPool(options.connectionString, options.concurrency, logger);
  const runner = await run({
    pgPool,
    concurrency: options.concurrency,
    taskList,
    parsedCronItems: crontab,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2_000,
    logger: workerLogger(logger),
  }).catch(async (error: unknown) => {
    await pgPool.end();
    throw error;
  });
  // One log line and one metrics sample per job run, like requests get.
  const started = new Map<string, number>();
  runner.events.on("job:start", ({ job }) => started.set(job.id, performance.now()));
  const finished = (job: { id: string; task_identifier: string; attempts: number; max_attempts: number }, outcome: "success" | "failure", error?: unknown) => {
    const durationMs = Math.round(performance.now() - (started.get(job.id) ?? performance.now()));
    started.delete(job.id);
    metrics.jobs.inc({ task: job.task_identifier, outcome });
    const fields = { task: job.task_identifier, jobId: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, durationMs, outcome };
    if (error) logger.warn({ ...fields, err: loggableError(error) }, "job failed");
    else logger.info(fields, "job done");
  };
  runner.events.on("job:success", ({ job }) => finished(job, "success"));
  runner.events.on("job:error", ({ job, error }) => finished(job, "failure", error));
  return {
    stop: async () => {
      await runner.stop();
      await pgPool.end();
    },
  };
}
