import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { RequestHandler, Router } from "express";
import express from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Database } from "../db/client.js";
import { within } from "../db/deadline.js";
import { latestRefresh } from "../domain/refresh-plan.js";
import { sendError } from "./http-errors.js";

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
    refresh: new Gauge({
      name: "fanpulse_refresh_artists",
      help: "The latest day's refresh plan: tracked artists (candidates), planned within the quotas, done, remaining, and due for their weekly refresh but left out",
      labelNames: ["day", "state"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const plan = await within(SCRAPE_TIMEOUT_MS, latestRefresh(db)).catch(() => null);
        if (!plan) return;
        const states = { candidates: plan.candidates, planned: plan.planned, done: plan.planned - plan.remaining, remaining: plan.remaining, due_left_out: plan.dueLeftOut };
        for (const [state, value] of Object.entries(states)) this.set({ day: plan.day, state }, value);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Metrics tell what the service does and for whom: with a token set, a scraper must send it
 * (`Authorization: Bearer <token>`); without one, only this host may read them. The client's
 * address is the one Express sees (through TRUST_PROXY's proxies, the forwarded one).
 */
function scrapersOnly(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) {
      if (LOOPBACK.has(req.ip ?? "")) return next();
      return sendError(res, 403, "FORBIDDEN", "/metrics is served to this host only: set METRICS_TOKEN to scrape it from elsewhere");
    }
    const given = /^Bearer (.+)$/.exec(req.header("authorization") ?? "")?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), digest(token))) return next();
    res.setHeader("www-authenticate", 'Bearer realm="metrics"');
    sendError(res, 401, "UNAUTHENTICATED", "/metrics needs Authorization: Bearer <METRICS_TOKEN>");
  };
}

export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
  const router = express.Router();
  router.get("/metrics", scrapersOnly(token), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
