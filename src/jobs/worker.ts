import { run, type ParsedCronItem, type Runner } from "graphile-worker";
import type { Logger } from "../logger.js";
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

/** A graphile-worker runner over the typed task list; signals are handled by our own shutdown. */
export async function startWorker(services: JobServices, options: WorkerOptions, logger: Logger): Promise<Runner> {
  const taskList = createTaskList(services);
  const crontab = createCrontab(options.schedule);
  assertTasksRegistered(taskList, crontab);
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency,
    taskList,
    parsedCronItems: crontab,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2_000,
    logger: workerLogger(logger),
  });
  runner.events.on("job:success", ({ job }) => logger.info({ task: job.task_identifier, jobId: job.id, attempts: job.attempts }, "job done"));
  runner.events.on("job:error", ({ job, error }) =>
    logger.warn({ task: job.task_identifier, jobId: job.id, attempts: job.attempts, err: error }, "job failed"),
  );
  return runner;
}
