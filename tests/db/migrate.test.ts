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

  /** An empty database migrated up to (and with) the migration whose tag ends with `last`, as an earlier release left it. */
  async function migratedUpTo(last: string) {
    const empty = await createTestDatabase({ empty: true });
    const { db, close } = connect(empty.url);
    const earlier = await mkdtemp(join(tmpdir(), "fanpulse-migrations-"));
    const entries = journalEntries();
    const upTo = entries.findIndex((e) => e.tag.endsWith(last)) + 1;
    await mkdir(join(earlier, "meta"));
    for (const entry of entries.slice(0, upTo)) await copyFile(join(migrationsFolder, `${entry.tag}.sql`), join(earlier, `${entry.tag}.sql`));
    const journal = JSON.parse(await readFile(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    await writeFile(join(earlier, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    await migrate(db, { migrationsFolder: earlier });
    await runWorkerMigrations({ connectionString: empty.url, logger: workerLogger(createLogger("silent")) });
    return {
      db,
      url: empty.url,
      done: async () => {
        await close();
        await empty.drop();
        await rm(earlier, { recursive: true, force: true });
      },
    };
  }

  it("removes the momentum scored with the wrong peers of earlier releases and queues the scoring of those days again", async () => {
    const { db, url, done } = await migratedUpTo("_worker_heartbeats");
    try {
      await db.execute(sql`
        WITH artist AS (INSERT INTO global_artists (name) VALUES ('Scored Wrongly') RETURNING id)
        INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, audience, tier)
        SELECT id, d::date, 'v1', 100, 22.4, 'explosive', 5000, 0 FROM artist, generate_series('2026-10-01'::date, '2026-10-05'::date, interval '1 day') d`);
      await db.execute(sql`INSERT INTO momentum_tier_stats (day, model_version, tier, artists, mean, sd) VALUES ('2026-10-05', 'v1', 0, 3, 0.01, 0.001)`);

      await migrateDatabase(url, createLogger("silent"));
      const [left] = await db.execute<{ scores: number; stats: number }>(sql`
        SELECT (SELECT count(*)::int FROM artist_momentum) AS scores, (SELECT count(*)::int FROM momentum_tier_stats) AS stats`);
      expect(left).toEqual({ scores: 0, stats: 0 });
      const jobs = await queuedJobs(db, "momentum:score-past-days");
      expect(jobs.map((j) => j.payload)).toEqual([{ from: "2026-10-01", to: "2026-10-05" }]);
    } finally {
      await done();
    }
  });

  it("gives a hijacked Spotify account back to the artist tracked by it, keeps one account per platform, and records how each was linked", async () => {
    const { db, url, done } = await migratedUpTo("_momentum_functions_plpgsql");
    try {
      const [ids] = await db.execute<{ victim: string; attacker: string; legacy: string; bare: string }>(sql`
        WITH v AS (INSERT INTO global_artists (name, spotify_id) VALUES ('Victim', 'victimSpotifyId0000000') RETURNING id),
             a AS (INSERT INTO global_artists (name, spotify_id) VALUES ('Attacker', 'attackerSpotifyId00000') RETURNING id),
             l AS (INSERT INTO global_artists (name) VALUES ('Legacy links') RETURNING id),
             b AS (INSERT INTO global_artists (name, spotify_id) VALUES ('No account', 'bareSpotifyId000000000') RETURNING id)
        SELECT (SELECT id FROM v) AS victim, (SELECT id FROM a) AS attacker, (SELECT id FROM l) AS legacy, (SELECT id FROM b) AS bare`);
      await db.execute(sql`
        INSERT INTO platform_accounts (artist_id, platform, external_id, created_at) VALUES
          (${ids!.attacker}::uuid, 'spotify', 'attackerSpotifyId00000', '2026-01-01'),
          (${ids!.attacker}::uuid, 'spotify', 'victimSpotifyId0000000', '2026-01-02'),
          (${ids!.attacker}::uuid, 'deezer', '111', '2026-01-03'),
          (${ids!.attacker}::uuid, 'deezer', '222', '2026-01-04'),
          (${ids!.legacy}::uuid, 'youtube', 'channel', '2026-01-05')`);
      await db.execute(sql`
        INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at)
        SELECT id, 'followers', '2026-01-10', 70000, now() FROM platform_accounts WHERE external_id = 'victimSpotifyId0000000'`);

      await migrateDatabase(url, createLogger("silent"));
      const accounts = await db.execute<{ artist: string; platform: string; external_id: string; linked_by: string; snapshots: number }>(sql`
        SELECT g.name AS artist, a.platform::text, a.external_id, a.linked_by::text, (SELECT count(*)::int FROM metric_snapshots s WHERE s.account_id = a.id) AS snapshots
        FROM platform_accounts a JOIN global_artists g ON g.id = a.artist_id ORDER BY 1, 2, 3`);
      expect(accounts).toEqual([
        { artist: "Attacker", platform: "deezer", external_id: "111", linked_by: "user", snapshots: 0 },
        { artist: "Attacker", platform: "spotify", external_id: "attackerSpotifyId00000", linked_by: "tracked", snapshots: 0 },
        { artist: "Legacy links", platform: "youtube", external_id: "channel", linked_by: "legacy_import", snapshots: 0 },
        { artist: "No account", platform: "spotify", external_id: "bareSpotifyId000000000", linked_by: "tracked", snapshots: 0 },
        { artist: "Victim", platform: "spotify", external_id: "victimSpotifyId0000000", linked_by: "tracked", snapshots: 1 },
      ]);
      const [column] = await db.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'global_artists' AND column_name = 'spotify_id'`);
      expect(column?.n).toBe(0);
    } finally {
      await done();
    }
  });
  it("trims the emails legacy imports kept with spaces, unless the trimmed email is another account's", async () => {
    const { db, url, done } = await migratedUpTo("_spend_budget");
    try {
      await db.execute(sql`
        INSERT INTO users (email, password_hash, created_at) VALUES
          ('  Spaced@Example.com ', 'x', '2020-01-01'),
          ('taken@example.com', 'x', '2020-01-01'),
          (' Taken@example.com', 'x', '2020-01-02'),
          (' twice@example.com', 'x', '2020-01-01'),
          ('twice@example.com  ', 'x', '2020-01-02'),
          ('tab@example.com' || chr(9), 'x', '2020-01-01')`);

      await migrateDatabase(url, createLogger("silent"));
      const emails = await db.execute<{ email: string }>(sql`SELECT email FROM users ORDER BY created_at, email`);
      expect(emails.map((u) => u.email).sort()).toEqual(
        ["Spaced@Example.com", "taken@example.com", " Taken@example.com", "twice@example.com", "twice@example.com  ", "tab@example.com"].sort(),
      );
    } finally {
      await done();
    }
  });
});
