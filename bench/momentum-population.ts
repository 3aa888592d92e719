/**
 * Momentum v1 for a whole population: the set-based SQL against a baseline that loads the
 * history into Node and scores it with the pure functions. Usage:
 *   npm run bench -- [--artists 100000] [--days 60] [--runs 5]
 * Uses DATABASE_URL's server when set (creating and dropping a database of its own), otherwise
 * an embedded PostgreSQL in a temporary folder.
 */
import "reflect-metadata";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDatabase, type Database } from "../src/db/client.js";
import { arrayLiteral } from "../src/db/pg-array.js";
import { startScratchServer } from "../src/db/scratch-server.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { addDays, utcDay } from "../src/domain/days.js";
import { computeArtistMomentum, computePopulationMomentum } from "../src/domain/momentum/compute.js";
import { scorePopulation, type Observation } from "../src/domain/momentum/v1.js";
import { createLogger } from "../src/logger.js";
import { seed } from "../src/seed/seed.js";

const { values } = parseArgs({ options: { artists: { type: "string" }, days: { type: "string" }, runs: { type: "string" } } });
const artists = Number(values.artists ?? 100_000);
const days = Number(values.days ?? 60);
const runs = Number(values.runs ?? 5);
const today = utcDay();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function time(label: string, n: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    process.stderr.write(`${label} run ${i + 1}/${n}: ${(times.at(-1)! / 1000).toFixed(2)} s\n`);
  }
  return times;
}

/** The baseline: every needed snapshot into Node, scored by the pure functions, written back in bulk. */
async function appSide(db: Database): Promise<number> {
  const rows = await db.execute<{ artist_id: string; account_id: string; day: string; value: number }>(sql`
    SELECT a.artist_id, s.account_id, s.day::text, s.value FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' AND s.day >= ${addDays(today, -37)}::date`);
  const histories = new Map<string, Observation[]>();
  for (const r of rows) {
    let list = histories.get(r.artist_id);
    if (!list) histories.set(r.artist_id, (list = []));
    list.push({ account: r.account_id, day: r.day, value: r.value });
  }
  const scores = scorePopulation(histories, today);
  const ids = [...scores.keys()];
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000).map((id) => ({ id, ...scores.get(id)! }));
    const column = (pick: (s: (typeof chunk)[number]) => string | number | null) => arrayLiteral(chunk.map(pick));
    await db.execute(sql`
      INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, growth7d, growth28d, acceleration, audience, tier)
      SELECT a, ${today}::date, 'v1-app', s, z, c, g7, g28, acc, aud, t
      FROM unnest(${column((s) => s.id)}::uuid[], ${column((s) => s.score)}::float8[], ${column((s) => s.z)}::float8[],
                  ${column((s) => s.category)}::momentum_category[], ${column((s) => s.growth7d)}::float8[], ${column((s) => s.growth28d)}::float8[],
                  ${column((s) => s.acceleration)}::float8[], ${column((s) => s.audience)}::float8[], ${column((s) => s.tier)}::int[])
        AS u(a, s, z, c, g7, g28, acc, aud, t)
      ON CONFLICT (artist_id, day, model_version) DO UPDATE SET score = excluded.score, z = excluded.z, computed_at = now()`);
  }
  return scores.size;
}

async function main() {
  const logger = createLogger("warn");
  const server = await startScratchServer(logger, "bench");
  const name = `fanpulse_bench_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = server.urlOf(name);
  try {
    await migrateDatabase(url, logger);
    const database = createDatabase(url);
    const seeding = performance.now();
    await seed(database.db, database.client, { users: 1, artists, linksPerUser: 0, days, momentumDays: 0, today });
    await database.db.execute(sql`ANALYZE`);
    const seedSeconds = (performance.now() - seeding) / 1000;
    const [{ snapshots } = { snapshots: 0 }] = await database.db.execute<{ snapshots: number }>(sql`SELECT count(*)::int AS snapshots FROM metric_snapshots`);

    let scored = 0;
    const ours = await time("set-based SQL", runs, async () => (scored = await computePopulationMomentum(database.db, today)));
    const sample = await database.db.execute<{ id: string }>(sql`SELECT id FROM global_artists ORDER BY md5(id::text) LIMIT 21`);
    const single = await time("one artist", sample.length, async () => computeArtistMomentum(database.db, [sample.pop()!.id], today));
    let baselineScored = 0;
    const baseline = await time("load into Node", runs, async () => (baselineScored = await appSide(database.db)));
    await database.close();

    const m = median(ours);
    const b = median(baseline);
    console.log(`\nMomentum v1 population, ${artists.toLocaleString("en")} artists × ${days} days (${snapshots.toLocaleString("en")} snapshots; seeded in ${seedSeconds.toFixed(0)} s)`);
    console.log(`| method | artists scored | median of ${runs} | runs (s) |`);
    console.log(`| --- | --- | --- | --- |`);
    console.log(`| set-based SQL (computePopulationMomentum) | ${scored.toLocaleString("en")} | ${(m / 1000).toFixed(2)} s | ${ours.map((t) => (t / 1000).toFixed(2)).join(", ")} |`);
    console.log(`| baseline: load into Node, score, write back | ${baselineScored.toLocaleString("en")} | ${(b / 1000).toFixed(2)} s | ${baseline.map((t) => (t / 1000).toFixed(2)).join(", ")} |`);
    console.log(`\nSet-based SQL takes ${(m / b).toFixed(2)}× the baseline's median time (${(b / m).toFixed(2)}× faster).`);
    console.log(`One artist after its sync (computeArtistMomentum): median ${median(single).toFixed(1)} ms over ${single.length} artists.`);
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}

await main();
