import { Logger as WorkerLogger, type LogLevel } from "graphile-worker";
import type { Logger } from "../logger.js";

const levels: Record<LogLevel, "error" | "warn" | "info" | "debug"> = {
  error: "error",
  warning: "warn",
  info: "info",
  debug: "debug",
};

/** graphile-worker's logger writing through our pino logger, so its lines are JSON like ours. */
export function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ component: "worker" });
  return new WorkerLogger((scope) => (level, message, meta) => {
    log[levels[level]]({ ...scope, ...meta }, message);
  });
}
