import { sql } from "drizzle-orm";
import type { Router } from "express";
import express from "express";
import type { Database } from "../db/client.js";
import { within } from "../db/deadline.js";
import { appliedMigrationCount, journalEntries } from "../db/migrate.js";

/** How long /readyz waits for the database: a load balancer's probe must get an answer, not a hang. */
export const READY_TIMEOUT_MS = 2_000;

/** `/healthz`: the process answers. `/readyz`: the database answers, in time, and has every migration. */
export function healthRoutes(db: Database): Router {
  const router = express.Router();
  const expected = journalEntries().length;
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      const applied = await within(
        READY_TIMEOUT_MS,
        db.execute(sql`SELECT 1`).then(() => appliedMigrationCount(db)),
      );
      if (applied < expected) {
        res.status(503).json({ status: "migrating", migrations: { applied, expected } });
        return;
      }
      res.json({ status: "ready", migrations: { applied, expected } });
    } catch {
      res.status(503).json({ status: "database unreachable" });
    }
  });
  return router;
}
