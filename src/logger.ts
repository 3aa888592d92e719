import { pino, type DestinationStream, type Logger } from "pino";

/** Fields that must never reach a log line, wherever they appear in it. */
const redact = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "customNotes",
  "*.customNotes",
  "*.*.customNotes",
  "req.headers.authorization",
  "headers.authorization",
  "variables",
  "*.variables",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: redact, censor: "[redacted]" }, base: { service: "fanpulse" } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * An error as it may be logged: drizzle puts a failed statement's parameters (notes, hashes,
 * emails) in its message, so they are cut, and the driver's error is kept without its parameters.
 */
export function loggableError(error: unknown): Record<string, unknown> | unknown {
  if (!(error instanceof Error)) return error;
  const { code } = error as { code?: string };
  return {
    type: error.name,
    message: error.message.split("\nparams:")[0],
    ...(code ? { code } : {}),
    stack: error.stack?.split("\n").filter((line) => line.trimStart().startsWith("at ")).join("\n"),
    ...(error.cause ? { cause: loggableError(error.cause) } : {}),
  };
}

export type { Logger };
