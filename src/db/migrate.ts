import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations as runWorkerMigrations } from "graphile-worker";
import { workerLogger } from "../jobs/worker-logger.js";
import type { Logger } from "../logger.js";
import { createDatabase, type Database } from "./client.js";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Arbitrary constant: serialises migrations when several processes start at once. */
const MIGRATION_LOCK = 4_118_027;

type Journal = { entries: { tag: string; when: number }[] };

export function journalEntries(): Journal["entries"] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as Journal;
  return journal.entries;
}

/** How many of our migrations the database has applied, or 0 before the first. */
export async function appliedMigrationCount(db: Database): Promise<number> {
  const [row] = await db.execute<{ count: number }>(sql`
    SELECT CASE WHEN to_regclass('drizzle.__drizzle_migrations') IS NULL THEN 0
           ELSE (SELECT count(*)::int FROM drizzle.__drizzle_migrations) END AS count`);
  return row?.count ?? 0;
}

/** Applies ours and graphile-worker's migrations; running it again changes nothing. */
export async function migrateDatabase(url: string, logger: Logger): Promise<void> {
  const { db, close } = createDatabase(url, { max: 1 });
  try {
    await db.execute(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrate(db, { migrationsFolder });
      const expected = journalEntries().length;
      const applied = await appliedMigrationCount(db);
      if (applied !== expected) {
        throw new Error(
          `The database has ${applied} FanPulse migrations applied but the project has ${expected}: ` +
            "a migration was skipped (is drizzle/meta/_journal.json in order?)",
        );
      }
      await runWorkerMigrations({ connectionString: url, logger: workerLogger(logger) });
    } finally {
      await db.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await close();
  }
}
