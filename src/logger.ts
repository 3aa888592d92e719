import { pino, type Logger } from "pino";

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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redact, censor: "[redacted]" }, base: { service: "fanpulse" } });
}

export type { Logger };
