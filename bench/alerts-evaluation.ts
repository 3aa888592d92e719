/**
 * Alert rules after a population's momentum day: the set-based evaluation (evaluatePopulation,
 * what the worker runs) against a baseline that evaluates rule by rule in Node. Usage:
 *   npm run bench:alerts -- [--users 10000] [--rules 20] [--artists 10000] [--tracked 20] [--runs 3] [--sample-users 500]
 * Uses DATABASE_URL's server when set (creating and dropping a database of its own), otherwise
 * an embedded PostgreSQL in a temporary folder.
 */
import "reflect-metadata";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { createDatabase, type Database } from "../src/db/client.js";
import { arrayLiteral } from "../src/db/pg-array.js";
import { withScratchDatabase } from "./scratch-database.js";
import { evaluatePopulation } from "../src/domain/alerts/evaluate.js";
import { addDays, utcDay } from "../src/domain/days.js";
import { MODEL_VERSION } from "../src/domain/momentum/v1.js";
import { createLogger } from "../src/logger.js";

const { values } = parseArgs({
  options: {
    users: { type: "string" },
    rules: { type: "string" },
    artists: { type: "string" },
    tracked: { type: "string" },
    runs: { type: "string" },
    "sample-users": { type: "string" },
  },
});
const USERS = Number(values.users ?? 10_000);
const RULES = Number(values.rules ?? 20);
const ARTISTS = Number(values.artists ?? 10_000);
const TRACKED = Number(values.tracked ?? 20);
const RUNS = Number(values.runs ?? 3);
const SAMPLE_USERS = Number(values["sample-users"] ?? 500);
/** Rules per user on every artist they track; the rest name one tracked artist each. */
const EVERY_ARTIST_RULES = 4;
const DAY = utcDay();
const BEFORE = addDays(DAY, -1);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Artists with a score on the day before and on the day, five days of followers; users tracking
 * TRACKED artists each, with RULES rules of every kind; the day before already evaluated.
 */
async function seedData(db: Database): Promise<void> {
  await db.execute(sql`INSERT INTO global_artists (name) SELECT 'Bench artist ' || n FROM generate_series(1, ${ARTISTS}) n`);
  await db.execute(sql`
    INSERT INTO platform_accounts (artist_id, platform, external_id, linked_by, simulated)
    SELECT id, 'spotify', lpad(row_number() OVER (ORDER BY id)::text, 22, '0'), 'tracked', true FROM global_artists`);
  await db.execute(sql`
    INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at, source)
    SELECT a.id, 'followers', ${DAY}::date - k, round(100000 * (1 + random() * 0.1)), now(), 'simulated'
    FROM platform_accounts a CROSS JOIN generate_series(0, 4) k`);
  await db.execute(sql`
    INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, growth7d, growth28d, acceleration, audience, tier, peer_group, peer_count, peer_mean, peer_sd)
    SELECT id, d, ${MODEL_VERSION}, s, (s - 50) / 20,
      (CASE WHEN s < 20 THEN 'declining' WHEN s < 50 THEN 'steady' WHEN s < 70 THEN 'growing' WHEN s < 90 THEN 'high' ELSE 'explosive' END)::momentum_category,
      g, g * 2, 0, 100000, 1, 'all', ${ARTISTS}, 0, 1
    FROM (SELECT id, d, random() * 100 AS s, random() * 0.3 - 0.05 AS g FROM global_artists CROSS JOIN (VALUES (${BEFORE}::date), (${DAY}::date)) days(d)) x`);
  await db.execute(sql`INSERT INTO users (email, password_hash) SELECT 'bench' || n || '@example.com', 'not a hash' FROM generate_series(1, ${USERS}) n`);
  await db.execute(sql`
    WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users),
         artists AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM global_artists)
    INSERT INTO user_artists (user_id, artist_id)
    SELECT u.id, a.id FROM numbered u CROSS JOIN generate_series(0, ${TRACKED - 1}) k
    JOIN artists a ON a.i = (u.n * 37 + k * 499) % ${ARTISTS}
    ON CONFLICT DO NOTHING`);
  // Each user's named rules cycle through the kinds over the artists they track.
  await db.execute(sql`
    WITH tracked AS (SELECT user_id, artist_id, row_number() OVER (PARTITION BY user_id ORDER BY artist_id) - 1 AS k FROM user_artists)
    INSERT INTO alert_rules (user_id, artist_id, kind, category, threshold, window_days)
    SELECT t.user_id, t.artist_id, kind, category, threshold, window_days
    FROM tracked t CROSS JOIN LATERAL (VALUES
      ('category_reached'::alert_kind, 'high'::momentum_category, NULL::float8, NULL::int),
      ('score_above', NULL, 80, NULL),
      ('growth_above', NULL, 0.1, 7),
      ('new_high', NULL, NULL, NULL)) AS r(kind, category, threshold, window_days)
    WHERE t.k < ${RULES - EVERY_ARTIST_RULES} AND (t.k % 4) = (CASE r.kind WHEN 'category_reached' THEN 0 WHEN 'score_above' THEN 1 WHEN 'growth_above' THEN 2 ELSE 3 END)`);
  await db.execute(sql`
    INSERT INTO alert_rules (user_id, kind, category, threshold, window_days)
    SELECT u.id, kind, category, threshold, window_days FROM users u CROSS JOIN (VALUES
      ('category_reached'::alert_kind, 'explosive'::momentum_category, NULL::float8, NULL::int),
      ('score_above', NULL, 95, NULL),
      ('growth_above', NULL, 0.3, 28),
      ('new_high', NULL, NULL, NULL)) AS r(kind, category, threshold, window_days)`);
  await db.execute(sql`INSERT INTO alert_evaluations (artist_id, day, evaluated_at) SELECT id, ${BEFORE}::date, now() + interval '1 minute' FROM global_artists`);
  await db.execute(sql`ANALYZE`);
}

type Rule = { id: string; user_id: string; artist_id: string | null; kind: string; category: string | null; threshold: number | null; window_days: number | null };
type Score = { artist_id: string; day: string; score: number; category: string; growth7d: number; growth28d: number };

const RANK: Record<string, number> = { declining: 0, steady: 1, growing: 2, high: 3, explosive: 4 };

/** Whether a rule's condition holds on one score (NEW_HIGH is decided on the followers). */
function holds(rule: Rule, s: Score | undefined): boolean {
  if (!s) return false;
  if (rule.kind === "category_reached") return RANK[s.category]! >= RANK[rule.category!]!;
  if (rule.kind === "score_above") return s.score > rule.threshold!;
  return (rule.window_days === 28 ? s.growth28d : s.growth7d) > rule.threshold!;
}

/**
 * The baseline, rule by rule as an obvious implementation would: for each rule, its artists
 * (the one it names, or every artist its user tracks), their two scores (or their followers for
 * NEW_HIGH), the crossing decided in Node, and its notifications written.
 */
async function ruleByRule(db: Database, userIds: string[]): Promise<Set<string>> {
  const fired = new Set<string>();
  const rules = await db.execute<Rule>(sql`SELECT id, user_id, artist_id, kind, category, threshold, window_days FROM alert_rules WHERE user_id = ANY(${arrayLiteral(userIds)}::uuid[]) ORDER BY id`);
  for (const rule of rules) {
    const artists = rule.artist_id
      ? [rule.artist_id]
      : (await db.execute<{ artist_id: string }>(sql`SELECT artist_id FROM user_artists WHERE user_id = ${rule.user_id}`)).map((r) => r.artist_id);
    const hits: string[] = [];
    if (rule.kind === "new_high") {
      const rows = await db.execute<{ artist_id: string; day: string; value: number }>(sql`
        SELECT a.artist_id, s.day::text, s.value FROM platform_accounts a JOIN metric_snapshots s ON s.account_id = a.id AND s.metric = 'followers'
        WHERE a.artist_id = ANY(${arrayLiteral(artists)}::uuid[]) AND s.day <= ${DAY}::date ORDER BY a.artist_id, s.day`);
      for (const artist of artists) {
        const series = rows.filter((r) => r.artist_id === artist);
        const today = series.at(-1);
        if (!today || today.day !== DAY || series.length < 2) continue;
        const previous = series.at(-2)!;
        const prior = series.slice(0, -2).map((r) => r.value);
        const high = prior.length > 0 ? Math.max(...prior) : null;
        const isHigh = today.value > (high === null ? previous.value : Math.max(previous.value, high));
        const wasHigh = high !== null && previous.value > high;
        if (isHigh && !wasHigh) hits.push(artist);
      }
    } else {
      const scores = await db.execute<Score>(sql`
        SELECT artist_id, day::text, score, category::text, growth7d, growth28d FROM artist_momentum
        WHERE model_version = ${MODEL_VERSION} AND artist_id = ANY(${arrayLiteral(artists)}::uuid[]) AND day IN (${BEFORE}::date, ${DAY}::date)`);
      for (const artist of artists) {
        const now = scores.find((s) => s.artist_id === artist && s.day === DAY);
        const before = scores.find((s) => s.artist_id === artist && s.day === BEFORE);
        if (holds(rule, now) && !holds(rule, before)) hits.push(artist);
      }
    }
    if (hits.length > 0) {
      await db.execute(sql`
        INSERT INTO notifications (user_id, rule_id, artist_id, kind, day, facts)
        SELECT ${rule.user_id}, ${rule.id}, a, ${rule.kind}::alert_kind, ${DAY}::date, '{}'::jsonb FROM unnest(${arrayLiteral(hits)}::uuid[]) a
        ON CONFLICT (rule_id, artist_id, day) DO NOTHING`);
      for (const artist of hits) fired.add(`${rule.id} ${artist}`);
    }
  }
  return fired;
}

/** Each run starts from the same state: the day's notifications and evaluations gone. */
async function reset(db: Database): Promise<void> {
  await db.execute(sql`DELETE FROM notifications WHERE day = ${DAY}::date`);
  await db.execute(sql`DELETE FROM alert_evaluations WHERE day = ${DAY}::date`);
  await db.execute(sql`VACUUM ANALYZE notifications`);
}

async function main() {
  const logger = createLogger("warn");
  await withScratchDatabase("bench-alerts", logger, async ({ url }) => {
    const database = createDatabase(url);
    const db = database.db;
    const seeding = performance.now();
    await seedData(db);
    const seedSeconds = (performance.now() - seeding) / 1000;
    const [counts] = await db.execute<{ rules: number; pairs: number }>(sql`
      SELECT (SELECT count(*)::int FROM alert_rules) AS rules,
             (SELECT count(*)::int FROM alert_rules WHERE artist_id IS NOT NULL) + (SELECT count(*)::int FROM alert_rules r JOIN user_artists l ON l.user_id = r.user_id WHERE r.artist_id IS NULL) AS pairs`);
    const sample = (await db.execute<{ id: string }>(sql`SELECT id FROM users ORDER BY id LIMIT ${SAMPLE_USERS}`)).map((r) => r.id);
    const [{ sampleRules } = { sampleRules: 0 }] = await db.execute<{ sampleRules: number }>(sql`SELECT count(*)::int AS "sampleRules" FROM alert_rules WHERE user_id = ANY(${arrayLiteral(sample)}::uuid[])`);

    const ours: number[] = [];
    const base: number[] = [];
    let notifications = 0;
    let baselineFired = new Set<string>();
    for (let run = 1; run <= RUNS; run++) {
      await reset(db);
      let started = performance.now();
      baselineFired = await ruleByRule(db, sample);
      base.push(performance.now() - started);
      await reset(db);
      started = performance.now();
      notifications = (await evaluatePopulation(db, DAY)).notifications;
      ours.push(performance.now() - started);
      process.stderr.write(`run ${run}/${RUNS}: set-based ${(ours.at(-1)! / 1000).toFixed(2)} s, rule by rule (sample) ${(base.at(-1)! / 1000).toFixed(2)} s\n`);
    }
    // The two agree on the sample: the same (rule, artist) pairs fired.
    const setBased = await db.execute<{ pair: string }>(sql`
      SELECT n.rule_id || ' ' || n.artist_id AS pair FROM notifications n JOIN alert_rules r ON r.id = n.rule_id
      WHERE n.day = ${DAY}::date AND r.user_id = ANY(${arrayLiteral(sample)}::uuid[])`);
    const agree = setBased.length === baselineFired.size && setBased.every((r) => baselineFired.has(r.pair));
    if (!agree) throw new Error(`the two methods disagree on the sample: ${setBased.length} against ${baselineFired.size} notifications`);
    await database.close();

    const rate = (rules: number, ms: number) => Math.round(rules / (ms / 1000));
    const oursRate = rate(counts!.rules, median(ours));
    const baseRate = rate(sampleRules, median(base));
    console.log(`\nAlert rules after a momentum day: ${USERS.toLocaleString("en")} users × ${RULES} rules (${counts!.rules.toLocaleString("en")} rules, ${counts!.pairs.toLocaleString("en")} rule-artist pairs) against ${ARTISTS.toLocaleString("en")} artists; seeded in ${seedSeconds.toFixed(0)} s`);
    console.log(`Both methods fired the same ${setBased.length.toLocaleString("en")} notifications for the ${SAMPLE_USERS} users of the sample; the set-based run made ${notifications.toLocaleString("en")} in all.`);
    console.log(`| method | rules evaluated | median of ${RUNS} | runs (s) | rules per second |`);
    console.log(`| --- | --- | --- | --- | --- |`);
    console.log(`| set-based (evaluatePopulation) | ${counts!.rules.toLocaleString("en")} | ${(median(ours) / 1000).toFixed(2)} s | ${ours.map((t) => (t / 1000).toFixed(2)).join(", ")} | ${oursRate.toLocaleString("en")} |`);
    console.log(`| baseline: rule by rule in Node (${SAMPLE_USERS} users' rules) | ${sampleRules.toLocaleString("en")} | ${(median(base) / 1000).toFixed(2)} s | ${base.map((t) => (t / 1000).toFixed(2)).join(", ")} | ${baseRate.toLocaleString("en")} |`);
    console.log(`\nSet-based: ${(oursRate / baseRate).toFixed(1)}× the baseline's rules per second.`);
  });
}

await main();
