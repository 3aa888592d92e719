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

export type { Logger };
