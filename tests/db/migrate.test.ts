import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations as runWorkerMigrations } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appliedMigrationCount, journalEntries, migrateDatabase, migrationsFolder } from "../../src/db/migrate.js";
import { workerLogger } from "../../src/jobs/worker-logger.js";
import { createLogger } from "../../src/logger.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { queuedJobs } from "../helpers/jobs.js";

describe("migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("apply every migration, and running them again changes nothing", async () => {
    const { db, close } = connect(database.url);
    const schemaOf = () =>
      db.execute(sql`SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                     WHERE table_schema IN ('public', 'graphile_worker', 'drizzle') ORDER BY 1, 2, 3`);
    const before = await schemaOf();
    await migrateDatabase(database.url, createLogger("silent"));
    await migrateDatabase(database.url, createLogger("silent"));
    expect(await appliedMigrationCount(db)).toBe(journalEntries().length);
    expect(await schemaOf()).toEqual(before);
    const [worker] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM graphile_worker.migrations`);
    expect(worker?.n).toBeGreaterThan(0);
    await close();
  });

  it("removes the momentum scored with the wrong peers of earlier releases and queues the scoring of those days again", async () => {
    const empty = await createTestDatabase({ empty: true });
    const { db, close } = connect(empty.url);
    const earlier = await mkdtemp(join(tmpdir(), "fanpulse-migrations-"));
    try {
      // The database as the release before the fix left it: migrations up to the worker heartbeats.
      const entries = journalEntries();
      const upTo = entries.findIndex((e) => e.tag.endsWith("_worker_heartbeats")) + 1;
      await mkdir(join(earlier, "meta"));
      for (const entry of entries.slice(0, upTo)) await copyFile(join(migrationsFolder, `${entry.tag}.sql`), join(earlier, `${entry.tag}.sql`));
      const journal = JSON.parse(await readFile(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      await writeFile(join(earlier, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
      await migrate(db, { migrationsFolder: earlier });
      await runWorkerMigrations({ connectionString: empty.url, logger: workerLogger(createLogger("silent")) });
      await db.execute(sql`
        WITH artist AS (INSERT INTO global_artists (name) VALUES ('Scored Wrongly') RETURNING id)
        INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, audience, tier)
        SELECT id, d::date, 'v1', 100, 22.4, 'explosive', 5000, 0 FROM artist, generate_series('2026-10-01'::date, '2026-10-05'::date, interval '1 day') d`);
      await db.execute(sql`INSERT INTO momentum_tier_stats (day, model_version, tier, artists, mean, sd) VALUES ('2026-10-05', 'v1', 0, 3, 0.01, 0.001)`);

      await migrateDatabase(empty.url, createLogger("silent"));
      const [left] = await db.execute<{ scores: number; stats: number }>(sql`
        SELECT (SELECT count(*)::int FROM artist_momentum) AS scores, (SELECT count(*)::int FROM momentum_tier_stats) AS stats`);
      expect(left).toEqual({ scores: 0, stats: 0 });
      const jobs = await queuedJobs(db, "momentum:score-past-days");
      expect(jobs.map((j) => j.payload)).toEqual([{ from: "2026-10-01", to: "2026-10-05" }]);
    } finally {
      await close();
      await empty.drop();
      await rm(earlier, { recursive: true, force: true });
    }
  });
});
