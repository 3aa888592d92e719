import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { arrayLiteral } from "../../db/pg-array.js";
import { addDays } from "../days.js";
import { accountValuesOnDays, momentumValuesAt } from "./marks.js";
import { DEFAULT_STATS, MIN_POPULATION, MODEL_VERSION, SD_FLOOR, TIER_BOUNDS } from "./v1.js";

/**
 * Momentum v1 in set-based SQL: the rules of v1.ts, for one artist, a whole day's population or
 * many days of history, in a few statements whatever their size.
 */

const onlyArtists = (artistIds: readonly string[] | null) => (artistIds ? sql`AND a.artist_id = ANY(${arrayLiteral(artistIds)}::uuid[])` : sql``);

/**
 * Per artist and day: audience, tier, g7, baseline, acceleration, raw and growth, as CTEs ending
 * in `inputs`, from `accounts` (artist_id, account_id, day and FOLLOWERS at t, w = t-7, m = t-28, b = t-35).
 */
function inputsCtes(accounts: SQL): SQL {
  const [t1, t2, t3, t4] = TIER_BOUNDS;
  return sql`
    accounts AS (${accounts}),
    -- Only platforms with a value on both days of a comparison count in it.
    sums AS (
      SELECT artist_id, day, sum(t) AS audience,
             sum(t) FILTER (WHERE w IS NOT NULL) AS t7, sum(w) FILTER (WHERE t IS NOT NULL) AS w7,
             sum(t) FILTER (WHERE m IS NOT NULL) AS t28, sum(m) FILTER (WHERE t IS NOT NULL) AS m28,
             sum(w) FILTER (WHERE b IS NOT NULL) AS wb, sum(b) FILTER (WHERE w IS NOT NULL) AS bb
      FROM accounts GROUP BY artist_id, day
    ),
    logs AS (
      SELECT artist_id, day, audience, ln(t7 / w7) AS g7, t7 / w7 - 1 AS growth7d,
             CASE WHEN m28 > 0 THEN t28 / m28 - 1 END AS growth28d,
             CASE WHEN wb > 0 AND bb > 0 THEN ln(wb / bb) / 4 END AS baseline,
             CASE WHEN audience < ${t1} THEN 0 WHEN audience < ${t2} THEN 1 WHEN audience < ${t3} THEN 2
                  WHEN audience < ${t4} THEN 3 ELSE 4 END AS tier
      FROM sums WHERE t7 > 0 AND w7 > 0
    ),
    inputs AS (
      SELECT *, g7 - baseline AS acceleration, CASE WHEN baseline IS NULL THEN g7 ELSE g7 + 0.5 * (g7 - baseline) END AS raw
      FROM logs
    )`;
}

/** Each day's statistics of raw per tier, and of every artist (tier -1, written even for an empty day). */
const statisticsOf = (inputs: SQL, days: SQL) => sql`
  SELECT day, ${MODEL_VERSION}, tier, count(*), avg(raw), coalesce(stddev_pop(raw), 0) FROM ${inputs} GROUP BY day, tier
  UNION ALL
  SELECT d.day, ${MODEL_VERSION}, -1, count(i.raw), coalesce(avg(i.raw), 0), coalesce(stddev_pop(i.raw), 0)
  FROM (${days}) d LEFT JOIN ${inputs} i ON i.day = d.day GROUP BY d.day`;

const daysBetween = (from: string, to: string) => sql`SELECT generate_series(${from}::date, ${to}::date, interval '1 day')::date AS day`;

/** The columns of a score, all but its key and when it was computed. */
const SCORE_COLUMN_NAMES = ["score", "z", "category", "growth7d", "growth28d", "acceleration", "audience", "tier", "peer_group", "peer_count", "peer_mean", "peer_sd"];
const columnsOf = (table: string) => sql.join(SCORE_COLUMN_NAMES.map((c) => sql`${sql.identifier(table)}.${sql.identifier(c)}`), sql`, `);

/**
 * Scores `source` (inputs with a day) against `stats` (day, tier, artists, mean, sd; tier -1 is
 * every artist), with v1's peers: the tier's own with 20 artists or more, else every artist's with
 * 20 or more, else the defaults. The peers used are stored with the score. Existing rows are
 * replaced, or kept when `keepExisting`; a score that comes out as it is stored is not written
 * again (nor locked), so a re-run writes only what changed.
 */
function scoreInto(ctes: SQL, source: SQL, keepExisting = false): SQL {
  return sql`
    WITH ${ctes},
    scored AS (
      SELECT artist_id, day, round((100 * fanpulse_norm_cdf(z))::numeric, 1)::float8 AS score, z,
             fanpulse_momentum_category(z) AS category, growth7d, growth28d, acceleration, audience, tier,
             peer_group::momentum_peer_group AS peer_group, peer_count, peer_mean, peer_sd
      FROM (
        SELECT *, (raw - peer_mean) / peer_sd AS z
        FROM (
          SELECT i.*,
                 CASE WHEN own.artists >= ${MIN_POPULATION} THEN 'tier' WHEN every.artists >= ${MIN_POPULATION} THEN 'all' ELSE 'default' END AS peer_group,
                 CASE WHEN own.artists >= ${MIN_POPULATION} THEN own.artists ELSE coalesce(every.artists, 0) END AS peer_count,
                 CASE WHEN own.artists >= ${MIN_POPULATION} THEN own.mean WHEN every.artists >= ${MIN_POPULATION} THEN every.mean
                      ELSE ${DEFAULT_STATS.mean}::float8 END AS peer_mean,
                 CASE WHEN own.artists >= ${MIN_POPULATION} THEN greatest(own.sd, ${SD_FLOOR}::float8)
                      WHEN every.artists >= ${MIN_POPULATION} THEN greatest(every.sd, ${SD_FLOOR}::float8)
                      ELSE ${DEFAULT_STATS.sd}::float8 END AS peer_sd
          FROM ${source} i
          LEFT JOIN stats own ON own.day = i.day AND own.tier = i.tier
          LEFT JOIN stats every ON every.day = i.day AND every.tier = -1
        ) peered
      ) zs
    )
    INSERT INTO artist_momentum (artist_id, day, model_version, ${sql.join(SCORE_COLUMN_NAMES.map((c) => sql.identifier(c)), sql`, `)}, computed_at)
    SELECT artist_id, day, ${MODEL_VERSION}, ${columnsOf("scored")}, now() FROM scored
    WHERE NOT EXISTS (
      SELECT 1 FROM artist_momentum stored
      WHERE stored.artist_id = scored.artist_id AND stored.day = scored.day AND stored.model_version = ${MODEL_VERSION}
        AND ${keepExisting ? sql`true` : sql`(${columnsOf("stored")}) IS NOT DISTINCT FROM (${columnsOf("scored")})`}
    )
    ON CONFLICT (artist_id, day, model_version) DO ${
      keepExisting
        ? sql`NOTHING`
        : sql`UPDATE SET (${sql.join(SCORE_COLUMN_NAMES.map((c) => sql.identifier(c)), sql`, `)}, computed_at) = (${columnsOf("excluded")}, excluded.computed_at)`
    }`;
}

/** What the caller queues in the scoring's transaction (the evaluation of alert rules on the new scores). */
export type AfterScoring = (tx: Executor) => Promise<void>;

const storedStats = sql`SELECT day, tier, artists, mean, sd FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION}`;

/**
 * The whole population on `day`: each tier's statistics (kept for later single-artist scores),
 * then every artist's score. Idempotent: a re-run replaces the day's rows.
 */
export async function computePopulationMomentum(executor: Executor, day: string, afterScoring?: AfterScoring): Promise<number> {
  return executor.transaction(async (tx) => {
    // The inputs are computed once, into a table that lives as long as this transaction.
    await tx.execute(sql`
      CREATE TEMPORARY TABLE fanpulse_momentum_inputs ON COMMIT DROP AS
      WITH ${inputsCtes(momentumValuesAt(day))}
      SELECT * FROM inputs`);
    await tx.execute(sql`DELETE FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day = ${day}::date`);
    await tx.execute(sql`
      INSERT INTO momentum_tier_stats (day, model_version, tier, artists, mean, sd)
      ${statisticsOf(sql`fanpulse_momentum_inputs`, sql`SELECT ${day}::date AS day`)}`);
    await tx.execute(scoreInto(sql`stats AS (${storedStats} AND day = ${day}::date)`, sql`fanpulse_momentum_inputs`));
    const [scored] = await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM fanpulse_momentum_inputs`);
    await afterScoring?.(tx);
    return scored?.n ?? 0;
  });
}

/**
 * Some artists on `day`, scored against the newest population statistics up to that day. With
 * none at all yet (a new install, before its first daily run), the day's population is computed
 * and kept first.
 */
export async function computeArtistMomentum(executor: Executor, artistIds: readonly string[], day: string, afterScoring?: AfterScoring): Promise<number> {
  if (artistIds.length === 0) return 0;
  return executor.transaction(async (tx) => {
    const [known] = await tx.execute<{ any: boolean }>(sql`
      SELECT EXISTS (SELECT 1 FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day <= ${day}::date) AS any`);
    if (!known?.any) await storeStatistics(tx, [day]);
    const scored = await tx.execute(
      scoreInto(
        sql`${inputsCtes(momentumValuesAt(day, onlyArtists(artistIds)))},
        stats AS (
          SELECT ${day}::date AS day, tier, artists, mean, sd FROM momentum_tier_stats
          WHERE model_version = ${MODEL_VERSION}
            AND day = (SELECT max(day) FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day <= ${day}::date)
        )`,
        sql`inputs`,
      ),
    );
    await afterScoring?.(tx);
    return scored.count;
  });
}

/** The population statistics of these days, computed and kept. */
async function storeStatistics(tx: Executor, days: string[]): Promise<void> {
  if (days.length === 0) return;
  const list = sql`SELECT unnest(${arrayLiteral(days)}::date[]) AS day`;
  await tx.execute(sql`
    INSERT INTO momentum_tier_stats (day, model_version, tier, artists, mean, sd)
    WITH ${inputsCtes(accountValuesOnDays(list))}
    ${statisticsOf(sql`inputs`, list)}`);
}

/** Days scored per transaction when scoring many past days: each statement stays bounded. */
const PAST_DAYS_CHUNK = 31;

/**
 * Scores the given artists (every artist when null) on each day from `from` to `to` that they
 * have no score for: against that day's stored statistics, computing and storing the statistics
 * of the population of each day that has none yet. For history that arrives at once (backfilled
 * or imported), so a chart has a score beside every day of followers.
 */
export async function scorePastDays(executor: Executor, artistIds: readonly string[] | null, from: string, to: string): Promise<number> {
  let scored = 0;
  for (let start = from; start <= to; start = addDays(start, PAST_DAYS_CHUNK)) {
    const end = addDays(start, PAST_DAYS_CHUNK - 1) < to ? addDays(start, PAST_DAYS_CHUNK - 1) : to;
    scored += await executor.transaction(async (tx) => {
      const missing = await tx.execute<{ day: string }>(sql`
        SELECT d.day::text FROM (${daysBetween(start, end)}) d
        WHERE NOT EXISTS (SELECT 1 FROM momentum_tier_stats s WHERE s.model_version = ${MODEL_VERSION} AND s.day = d.day AND s.tier = -1)`);
      await storeStatistics(tx, missing.map((m) => m.day));
      const written = await tx.execute(
        scoreInto(
          sql`${inputsCtes(accountValuesOnDays(daysBetween(start, end), onlyArtists(artistIds)))},
          stats AS (${storedStats} AND day BETWEEN ${start}::date AND ${end}::date)`,
          sql`inputs`,
          true,
        ),
      );
      return written.count;
    });
  }
  return scored;
}

/** How far back an artist's history is scored: a year of charts. */
const PAST_DAYS_SCORED = 365;

/** The artists' past days, from their first day with a week of history before it (at most a year back) to `today`. */
export async function scoreHistoryOf(executor: Executor, artistIds: readonly string[], today: string): Promise<number> {
  const [first] = await executor.execute<{ day: string | null }>(sql`
    SELECT (min(s.day) + 7)::text AS day FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' ${onlyArtists(artistIds)}`);
  if (!first?.day) return 0;
  const earliest = addDays(today, -PAST_DAYS_SCORED);
  return scorePastDays(executor, artistIds, first.day > earliest ? first.day : earliest, today);
}
