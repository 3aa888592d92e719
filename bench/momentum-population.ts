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
import { createDatabase, type Database } from "../src/db/client.js";
import { arrayLiteral } from "../src/db/pg-array.js";
import { withScratchDatabase } from "./scratch-database.js";
import { addDays, utcDay } from "../src/domain/days.js";
import { computeArtistMomentum, computePopulationMomentum } from "../src/domain/momentum/compute.js";
import { MODEL_VERSION, scorePopulation, type Observation } from "../src/domain/momentum/v1.js";
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

/** How long `run` takes, in ms. */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function time(label: string, n: number, run: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    times.push(await run());
    process.stderr.write(`${label} run ${i + 1}/${n}: ${(times.at(-1)! / 1000).toFixed(2)} s\n`);
  }
  return times;
}

/** Every snapshot the formula needs on `today`, into Node, grouped by artist. */
async function histories(db: Database): Promise<Map<string, Observation[]>> {
  const rows = await db.execute<{ artist_id: string; account_id: string; day: string; value: number }>(sql`
    SELECT a.artist_id, s.account_id, s.day::text, s.value FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' AND s.day >= ${addDays(today, -37)}::date`);
  const byArtist = new Map<string, Observation[]>();
  for (const r of rows) {
    let list = byArtist.get(r.artist_id);
    if (!list) byArtist.set(r.artist_id, (list = []));
    list.push({ account: r.account_id, day: r.day, value: r.value });
  }
  return byArtist;
}

/** The baseline: the history into Node, scored by the pure functions, written back in bulk. */
async function appSide(db: Database): Promise<number> {
  const scores = scorePopulation(await histories(db), today);
  const ids = [...scores.keys()];
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000).map((id) => ({ id, ...scores.get(id)! }));
    const column = (pick: (s: (typeof chunk)[number]) => string | number | null) => arrayLiteral(chunk.map(pick));
    await db.execute(sql`
      INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, growth7d, growth28d, acceleration, audience, tier,
                                   peer_group, peer_count, peer_mean, peer_sd)
      SELECT a, ${today}::date, ${BASELINE_MODEL}, s, z, c, g7, g28, acc, aud, t, pg, pc, pm, ps
      FROM unnest(${column((s) => s.id)}::uuid[], ${column((s) => s.score)}::float8[], ${column((s) => s.z)}::float8[],
                  ${column((s) => s.category)}::momentum_category[], ${column((s) => s.growth7d)}::float8[], ${column((s) => s.growth28d)}::float8[],
                  ${column((s) => s.acceleration)}::float8[], ${column((s) => s.audience)}::float8[], ${column((s) => s.tier)}::int[],
                  ${column((s) => s.peers.group)}::momentum_peer_group[], ${column((s) => s.peers.count)}::int[],
                  ${column((s) => s.peers.mean)}::float8[], ${column((s) => s.peers.sd)}::float8[])
        AS u(a, s, z, c, g7, g28, acc, aud, t, pg, pc, pm, ps)
      ON CONFLICT (artist_id, day, model_version) DO UPDATE SET score = excluded.score, z = excluded.z, computed_at = now()`);
  }
  return scores.size;
}

/** The set-based SQL's stored scores must be the reference's, every one: a fast wrong answer is no answer. */
async function assertAgreement(db: Database): Promise<number> {
  const expected = scorePopulation(await histories(db), today);
  const stored = await db.execute<{ artist_id: string; z: number; score: number; category: string; peer_group: string; peer_count: number }>(sql`
    SELECT artist_id, z, score, category::text, peer_group::text, peer_count FROM artist_momentum WHERE model_version = ${MODEL_VERSION} AND day = ${today}::date`);
  const wrong = stored.filter((row) => {
    const e = expected.get(row.artist_id);
    return !e || Math.abs(row.z - e.z) > 1e-8 * Math.max(1, Math.abs(e.z)) || row.score !== e.score || row.category !== e.category || row.peer_group !== e.peers.group || row.peer_count !== e.peers.count;
  });
  if (wrong.length > 0 || stored.length !== expected.size) {
    throw new Error(`the SQL and the reference disagree: ${wrong.length} different scores, ${stored.length} stored against ${expected.size} expected`);
  }
  return stored.length;
}

const BASELINE_MODEL = "v1-app";

/** A run on a day with no score yet (the daily job), after the day's rows of `model` are removed. */
const fresh = (db: Database, model: string, run: () => Promise<unknown>) => async () => {
  await db.execute(sql`DELETE FROM artist_momentum WHERE model_version = ${model} AND day = ${today}::date`);
  await db.execute(sql`VACUUM artist_momentum`);
  return timed(run);
};

async function main() {
  const logger = createLogger("warn");
  await withScratchDatabase("bench", logger, async ({ url }) => {
    const database = createDatabase(url);
    const seeding = performance.now();
    await seed(database.db, database.client, { users: 1, artists, linksPerUser: 0, days, momentumDays: 0, today });
    await database.db.execute(sql`ANALYZE`);
    const seedSeconds = (performance.now() - seeding) / 1000;
    const [{ snapshots } = { snapshots: 0 }] = await database.db.execute<{ snapshots: number }>(sql`SELECT count(*)::int AS snapshots FROM metric_snapshots`);

    const db = database.db;
    let scored = 0;
    const sql1 = () => computePopulationMomentum(db, today).then((n) => (scored = n));
    // The daily job scores a day with no score yet; a re-run (a retry, a second run that day) finds the day scored.
    const oursFresh = await time("set-based SQL, new day", runs, fresh(db, MODEL_VERSION, sql1));
    const checked = await assertAgreement(db);
    const oursAgain = await time("set-based SQL, re-run", runs, () => timed(sql1));
    const sample = await db.execute<{ id: string }>(sql`SELECT id FROM global_artists ORDER BY md5(id::text) LIMIT 21`);
    const single = await time("one artist", sample.length, () => timed(() => computeArtistMomentum(db, [sample.pop()!.id], today)));
    let baselineScored = 0;
    const app = () => appSide(db).then((n) => (baselineScored = n));
    const baseFresh = await time("load into Node, new day", runs, fresh(db, BASELINE_MODEL, app));
    const baseAgain = await time("load into Node, re-run", runs, () => timed(app));
    await database.close();

    const row = (label: string, n: number, times: number[]) =>
      `| ${label} | ${n.toLocaleString("en")} | ${(median(times) / 1000).toFixed(2)} s | ${times.map((t) => (t / 1000).toFixed(2)).join(", ")} |`;
    console.log(`\nMomentum v1 population, ${artists.toLocaleString("en")} artists × ${days} days (${snapshots.toLocaleString("en")} snapshots; seeded in ${seedSeconds.toFixed(0)} s)`);
    console.log(`Every one of the ${checked.toLocaleString("en")} scores the SQL stored equals the reference's (z, score, category, peers).`);
    console.log(`| method | artists scored | median of ${runs} | runs (s) |`);
    console.log(`| --- | --- | --- | --- |`);
    console.log(row("set-based SQL, a day not scored yet", scored, oursFresh));
    console.log(row("set-based SQL, the same day again", scored, oursAgain));
    console.log(row("baseline: load into Node, score, write back; a day not scored yet", baselineScored, baseFresh));
    console.log(row("baseline, the same day again", baselineScored, baseAgain));
    const ratio = (ours: number[], base: number[]) => `${(median(ours) / median(base)).toFixed(2)}× the baseline's median time (${(median(base) / median(ours)).toFixed(2)}× faster)`;
    console.log(`\nA new day: set-based SQL takes ${ratio(oursFresh, baseFresh)}. The same day again: ${ratio(oursAgain, baseAgain)}.`);
    console.log(`One artist after its sync (computeArtistMomentum): median ${median(single).toFixed(1)} ms over ${single.length} artists.`);
  });
}

await main();
