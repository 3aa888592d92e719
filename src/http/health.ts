import { sql } from "drizzle-orm";
import type { Router } from "express";
import express from "express";
import type { Database } from "../db/client.js";
import { appliedMigrationCount, journalEntries } from "../db/migrate.js";

/** `/healthz`: the process answers. `/readyz`: the database answers and has every migration. */
export function healthRoutes(db: Database): Router {
  const router = express.Router();
  const expected = journalEntries().length;
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await db.execute(sql`SELECT 1`);
      const applied = await appliedMigrationCount(db);
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
