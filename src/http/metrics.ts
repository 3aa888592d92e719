import { sql } from "drizzle-orm";
import type { Router } from "express";
import express from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Database } from "../db/client.js";
import { within } from "../db/deadline.js";

/** How long a scrape waits for the database's count of waiting jobs. */
const SCRAPE_TIMEOUT_MS = 2_000;

/** The process's Prometheus metrics: one registry per app, so several apps in one process stay apart. */
export function createMetrics(db: Database) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "fanpulse_" });
  const databaseUp = new Gauge({ name: "fanpulse_database_up", help: "1 when the database answered the last scrape in time, else 0", registers: [registry] });
  return {
    registry,
    requestDuration: new Histogram({
      name: "fanpulse_graphql_request_duration_seconds",
      help: "GraphQL requests and their latency, by operation name and outcome",
      labelNames: ["operation", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    errors: new Counter({
      name: "fanpulse_graphql_errors_total",
      help: "Errors returned to GraphQL clients, by extensions.code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: "fanpulse_jobs_total",
      help: "Jobs run by this process's worker, by task and outcome (success or failure)",
      labelNames: ["task", "outcome"] as const,
      registers: [registry],
    }),
    waiting: new Gauge({
      name: "fanpulse_jobs_waiting",
      help: "Jobs in the queue not yet taken by a worker (all processes)",
      registers: [registry],
      // Scrapes must answer while the database does not: the count is then unknown (NaN), and database_up says why.
      async collect() {
        try {
          const [row] = await within(
            SCRAPE_TIMEOUT_MS,
            db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_at IS NULL AND attempts < max_attempts`),
          );
          this.set(row?.n ?? 0);
          databaseUp.set(1);
        } catch {
          this.set(Number.NaN);
          databaseUp.set(0);
        }
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function metricsRoutes(metrics: Metrics): Router {
  const router = express.Router();
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
