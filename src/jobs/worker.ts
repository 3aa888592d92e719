import { EventEmitter } from "node:events";
import { run, type ParsedCronItem, type Runner, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Metrics } from "../http/metrics.js";
import { loggableError, type Logger } from "../logger.js";
import { createCrontab } from "./crontab.js";
import type { JobServices } from "./job-services.js";
import { createTaskList } from "./task-list.js";
import { beat, forgetWorker, registerWorker, unlockDeadWorkers } from "./worker-heartbeats.js";
import { workerLogger } from "./worker-logger.js";

export type WorkerOptions = {
  connectionString: string;
  concurrency: number;
  schedule: { refresh: string };
  pollInterval?: number;
  /** A worker silent longer than this is dead: its jobs are unlocked for the others. */
  deadAfterSeconds: number;
  /** How long a shutdown lets running jobs go on before it aborts them (their provider calls end at once; they run again later). */
  abortJobsAfterMs: number;
};

/** Refuses a crontab naming a task the worker would not run: such a job would wait forever. */
export function assertTasksRegistered(taskList: Record<string, unknown>, crontab: ParsedCronItem[]): void {
  const missing = crontab.map((item) => item.task).filter((task) => !(task in taskList));
  if (missing.length > 0) throw new Error(`The crontab names tasks the worker does not run: ${missing.join(", ")}`);
}

export type Worker = { stop: () => Promise<void> };

const RESTART_BACKOFF_MAX_MS = 30_000;
/** How long a stop waits for the pool's connections to close before the database may stop. */
const POOL_CLOSE_WAIT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * graphile-worker's connections, in a pool the app owns: errors of idle or busy connections
 * (the database shutting down or restarting) are logged instead of crashing the process, and the
 * pool is ended after the runner, before the database stops.
 */
function workerPool(connectionString: string, concurrency: number, logger: Logger): { pool: pg.Pool; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: concurrency + 2, application_name: "fanpulse-graphile-worker" });
  const log = logger.child({ component: "worker-pool" });
  const onError = (error: Error) => log.warn({ err: loggableError(error) }, "a worker database connection failed");
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  // pg's end() resolves once each connection was asked to close, not once it has closed; the
  // database must not stop before, or it ends the closing ones itself.
  let open = 0;
  let allClosed: (() => void) | null = null;
  pool.on("connect", () => open++);
  pool.on("remove", () => {
    if (--open === 0) allClosed?.();
  });
  return {
    pool,
    end: async () => {
      const closed = open === 0 ? Promise.resolve() : new Promise<void>((resolve) => (allClosed = resolve));
      await pool.end();
      await Promise.race([closed, sleep(POOL_CLOSE_WAIT_MS)]);
    },
  };
}

/** One log line and one metrics sample per job run, like requests get. */
function observeJobs(events: WorkerEvents, logger: Logger, metrics: Metrics): void {
  const started = new Map<string, number>();
  events.on("job:start", ({ job }) => started.set(job.id, performance.now()));
  const finished = (job: { id: string; task_identifier: string; attempts: number; max_attempts: number }, outcome: "success" | "failure", error?: unknown) => {
    const durationMs = Math.round(performance.now() - (started.get(job.id) ?? performance.now()));
    started.delete(job.id);
    metrics.jobs.inc({ task: job.task_identifier, outcome });
    const fields = { task: job.task_identifier, jobId: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, durationMs, outcome };
    if (error) logger.warn({ ...fields, err: loggableError(error) }, "job failed");
    else logger.info(fields, "job done");
  };
  events.on("job:success", ({ job }) => finished(job, "success"));
  events.on("job:error", ({ job, error }) => finished(job, "failure", error));
}

/**
 * A graphile-worker runner over the typed task list, kept alive: a runner that stops on its own
 * (the database went away) is started again, and a heartbeat lets the other workers unlock the
 * jobs of a worker that dies. Signals are handled by the process's own shutdown.
 */
export async function startWorker(services: JobServices, options: WorkerOptions, logger: Logger, metrics: Metrics): Promise<Worker> {
  const { db } = services;
  const log = logger.child({ component: "worker" });
  const taskList = createTaskList(services);
  const crontab = createCrontab(options.schedule);
  assertTasksRegistered(taskList, crontab);
  const { pool: pgPool, end: endPool } = workerPool(options.connectionString, options.concurrency, logger);
  const events: WorkerEvents = new EventEmitter();
  observeJobs(events, logger, metrics);

  let current: { runner: Runner; workerId: string } | null = null;
  let stopping = false;
  let restarting: Promise<void> | null = null;

  const startRunner = async () => {
    let workerId = "";
    events.once("pool:create", ({ workerPool }) => (workerId = workerPool.id));
    const runner = await run({
      pgPool,
      events,
      concurrency: options.concurrency,
      taskList,
      parsedCronItems: crontab,
      noHandleSignals: true,
      pollInterval: options.pollInterval ?? 2_000,
      gracefulShutdownAbortTimeout: options.abortJobsAfterMs,
      logger: workerLogger(logger),
    });
    await registerWorker(db, workerId).catch((error: unknown) => log.warn({ err: loggableError(error) }, "could not record the worker's heartbeat"));
    const settled = () => {
      if (!stopping && current?.runner === runner) restart("the job runner stopped on its own");
    };
    runner.promise.then(settled, settled);
    log.info({ workerId }, "job runner started");
    return { runner, workerId };
  };

  /** Stops the current runner (its jobs in flight finish) and starts a new one, retrying while the database is away. */
  const restart = (reason: string) => {
    restarting ??= (async () => {
      log.warn({ workerId: current?.workerId, reason }, "restarting the job runner");
      const previous = current;
      current = null;
      if (previous) {
        await previous.runner.stop().catch(() => undefined);
        await forgetWorker(db, previous.workerId).catch(() => undefined);
      }
      for (let attempt = 0; !stopping; attempt++) {
        try {
          current = await startRunner();
          return;
        } catch (error) {
          log.warn({ err: loggableError(error), attempt }, "the job runner could not start; retrying");
          await sleep(Math.min(RESTART_BACKOFF_MAX_MS, 500 * 2 ** attempt));
        }
      }
    })().finally(() => (restarting = null));
  };

  /**
   * The heartbeat, then the sweep of dead workers. A worker that was itself silent for half the
   * limit (a pause, a database outage) skips the sweep: the others may not have had their chance
   * to beat since. One whose heartbeat is gone was judged dead and its jobs handed to others: it
   * starts afresh under a new identity.
   */
  let ticking = false;
  const tick = async () => {
    if (ticking || !current || restarting) return;
    ticking = true;
    try {
      const silent = await beat(db, current.workerId);
      if (silent === null) {
        restart(`this worker was silent for more than ${options.deadAfterSeconds} s and its jobs were handed to others`);
      } else if (silent < options.deadAfterSeconds / 2) {
        const unlocked = await unlockDeadWorkers(db, options.deadAfterSeconds);
        if (unlocked.length > 0) log.warn({ workers: unlocked }, "unlocked the jobs of workers that stopped answering");
      }
    } catch (error) {
      log.warn({ err: loggableError(error) }, "could not record the worker's heartbeat");
    } finally {
      ticking = false;
    }
  };
  const beats = setInterval(() => void tick(), Math.max(500, (options.deadAfterSeconds * 1000) / 6));
  beats.unref();

  try {
    current = await startRunner();
  } catch (error) {
    clearInterval(beats);
    await endPool();
    throw error;
  }
  return {
    stop: async () => {
      stopping = true;
      clearInterval(beats);
      await restarting;
      if (current) {
        await current.runner.stop().catch((error: unknown) => log.warn({ err: loggableError(error) }, "the job runner did not stop cleanly"));
        await forgetWorker(db, current.workerId).catch(() => undefined);
      }
      await endPool();
    },
  };
}
