/**
 * The worker's daily refresh, end to end: every tracked artist synced with the simulated provider
 * and the day scored. Ours (the planned refresh: batches of syncs, then one population momentum
 * pass) against the baseline of one sync job and one momentum job per artist, on the same
 * database and worker, in the same run. Usage:
 *   npm run bench:refresh -- [--artists 100000] [--baseline-artists 10000] [--days 40]
 * Uses DATABASE_URL's server when set (creating and dropping a database of its own), otherwise
 * an embedded PostgreSQL in a temporary folder.
 */
import "reflect-metadata";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createDatabase, type Database } from "../src/db/client.js";
import { arrayLiteral } from "../src/db/pg-array.js";
import { withScratchDatabase } from "./scratch-database.js";
import { utcDay } from "../src/domain/days.js";
import { MODEL_VERSION } from "../src/domain/momentum/v1.js";
import { enqueue } from "../src/jobs/queue.js";
import { createLogger } from "../src/logger.js";
import { seed } from "../src/seed/seed.js";

const { values } = parseArgs({ options: { artists: { type: "string" }, "baseline-artists": { type: "string" }, days: { type: "string" } } });
const artists = Number(values.artists ?? 100_000);
const baselineArtists = Math.min(artists, Number(values["baseline-artists"] ?? 10_000));
const days = Number(values.days ?? 40);
const today = utcDay();

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const count = async (db: Database, query: ReturnType<typeof sql>) => (await db.execute<{ n: number }>(query))[0]?.n ?? 0;
const queueEmpty = async (db: Database) => (await count(db, sql`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)) === 0;
const scoredToday = (db: Database) => count(db, sql`SELECT count(*)::int AS n FROM artist_momentum WHERE model_version = ${MODEL_VERSION} AND day = ${today}::date`);
const syncedSince = (db: Database, since: Date) => count(db, sql`SELECT count(*)::int AS n FROM global_artists WHERE last_synced_at >= ${since.toISOString()}::timestamptz`);

async function main() {
  const logger = createLogger("warn");
  await withScratchDatabase("bench-refresh", logger, async ({ url }) => {
    const seeding = createDatabase(url);
    const seeded = performance.now();
    await seed(seeding.db, seeding.client, { users: 1, artists, linksPerUser: 0, days, momentumDays: 0, today });
    // One user tracks every artist: the refresh's cost follows distinct artists, never users.
    await seeding.db.execute(sql`INSERT INTO user_artists (user_id, artist_id) SELECT u.id, a.id FROM users u CROSS JOIN global_artists a ON CONFLICT DO NOTHING`);
    await seeding.db.execute(sql`VACUUM ANALYZE`);
    await seeding.close();
    const seedSeconds = (performance.now() - seeded) / 1000;

    const config = loadConfig({ ...process.env, NODE_ENV: "production", DATABASE_URL: url, PROVIDERS: "simulated", JWT_SECRET: "bench-secret-that-is-at-least-32-characters-long", LOG_LEVEL: "warn" });
    const app = await startApp(config, { api: false, worker: true }, logger, { workerPollInterval: 100 });
    const db = app.services.db;
    try {
      // Ours: the planned refresh, from the cron's job to the day's scores.
      const load = loadavg()[0]!.toFixed(1);
      const started = new Date();
      const t0 = performance.now();
      await enqueue(db, "metrics:refresh-all", {});
      await until("the planned refresh's syncs", async () => (await count(db, sql`SELECT count(*)::int AS n FROM refresh_plans WHERE day = ${today}::date AND remaining = 0`)) === 1);
      const syncSeconds = (performance.now() - t0) / 1000;
      await until("the day's scores", async () => (await count(db, sql`SELECT count(*)::int AS n FROM refresh_plans WHERE scored_at IS NOT NULL`)) === 1 && (await queueEmpty(db)));
      const oursSeconds = (performance.now() - t0) / 1000;
      const synced = await syncedSince(db, started);
      const scored = await scoredToday(db);
      if (synced !== artists) throw new Error(`the planned refresh synced ${synced} artists of ${artists}`);
      if (scored === 0) throw new Error("the planned refresh scored no artist");

      // Baseline: what the refresh did before, one sync job per artist, each queueing its artist's momentum job.
      const sample = await db.execute<{ id: string }>(sql`SELECT id FROM global_artists ORDER BY md5(id::text) LIMIT ${baselineArtists}`);
      const baseStarted = new Date();
      const t1 = performance.now();
      await db.execute(sql`
        SELECT graphile_worker.add_jobs(array_agg(ROW('artist:sync', json_build_object('artistId', id), NULL, NULL, 8, 'artist:sync:' || id, NULL, NULL)::graphile_worker.job_spec))
        FROM unnest(${arrayLiteral(sample.map((r) => r.id))}::uuid[]) AS id`);
      await until("the baseline's jobs", () => queueEmpty(db));
      const baseSeconds = (performance.now() - t1) / 1000;
      const baseSynced = await syncedSince(db, baseStarted);
      if (baseSynced !== baselineArtists) throw new Error(`the baseline synced ${baseSynced} artists of ${baselineArtists}`);

      const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString("en");
      console.log(`\nDaily refresh, simulated provider, ${artists.toLocaleString("en")} tracked artists with ${days} days of history (seeded in ${seedSeconds.toFixed(0)} s)`);
      console.log(`Machine: ${availableParallelism()} cores, load average ${load} at the start; worker concurrency ${config.workerConcurrency}.`);
      console.log(`| refresh | artists | synced in | synced and scored in | artists/s end to end |`);
      console.log(`| --- | --- | --- | --- | --- |`);
      console.log(`| planned: batches of syncs, one population pass | ${artists.toLocaleString("en")} | ${syncSeconds.toFixed(1)} s | ${oursSeconds.toFixed(1)} s (${scored.toLocaleString("en")} scores) | ${perSecond(artists, oursSeconds)} |`);
      console.log(`| baseline: a sync job and a momentum job per artist | ${baselineArtists.toLocaleString("en")} | | ${baseSeconds.toFixed(1)} s | ${perSecond(baselineArtists, baseSeconds)} |`);
      console.log(`\nThe planned refresh runs ${(artists / oursSeconds / (baselineArtists / baseSeconds)).toFixed(1)}× the baseline's artists per second.`);
    } finally {
      await app.stop();
    }
  });
}

await main();
