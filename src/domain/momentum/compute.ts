import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { arrayLiteral } from "../../db/pg-array.js";
import { addDays } from "../days.js";
import { accountValuesAt } from "./marks.js";
import { DEFAULT_STATS, MIN_POPULATION, MODEL_VERSION, SD_FLOOR, TIER_BOUNDS } from "./v1.js";

/**
 * Momentum v1 in set-based SQL: the rules of v1.ts, for one artist or a whole day's population
 * in a few statements, whatever its size.
 */

/** Per artist: audience, tier, g7, baseline, acceleration, raw and growth, as CTEs ending in `inputs`. */
function inputsCtes(day: string, artistIds: readonly string[] | null): SQL {
  const onlyArtists = artistIds
    ? sql`AND a.artist_id = ANY(${arrayLiteral(artistIds)}::uuid[])`
    : sql``;
  const [t1, t2, t3, t4] = TIER_BOUNDS;
  return sql`
    accounts AS (${accountValuesAt({ t: day, w: addDays(day, -7), m: addDays(day, -28), b: addDays(day, -35) }, onlyArtists)}),
    -- Only platforms with a value on both days of a comparison count in it.
    sums AS (
      SELECT artist_id, sum(t) AS audience,
             sum(t) FILTER (WHERE w IS NOT NULL) AS t7, sum(w) FILTER (WHERE t IS NOT NULL) AS w7,
             sum(t) FILTER (WHERE m IS NOT NULL) AS t28, sum(m) FILTER (WHERE t IS NOT NULL) AS m28,
             sum(w) FILTER (WHERE b IS NOT NULL) AS wb, sum(b) FILTER (WHERE w IS NOT NULL) AS bb
      FROM accounts GROUP BY artist_id
    ),
    logs AS (
      SELECT artist_id, audience, ln(t7 / w7) AS g7, t7 / w7 - 1 AS growth7d,
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

/** Scores `inputs` against `stats` (tier -1 is every artist) with v1's fallbacks, into artist_momentum. */
function scoreInto(day: string, source: SQL): SQL {
  return sql`
    INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, growth7d, growth28d, acceleration, audience, tier, computed_at)
    SELECT artist_id, ${day}::date, ${MODEL_VERSION}, round((100 * fanpulse_norm_cdf(z))::numeric, 1)::float8, z,
           fanpulse_momentum_category(z), growth7d, growth28d, acceleration, audience, tier, now()
    FROM (
      SELECT i.*, (i.raw - coalesce(own.mean, every.mean, ${DEFAULT_STATS.mean}::float8))
                  / coalesce(greatest(own.sd, ${SD_FLOOR}::float8), greatest(every.sd, ${SD_FLOOR}::float8), ${DEFAULT_STATS.sd}::float8) AS z
      FROM ${source} i
      LEFT JOIN stats own ON own.tier = i.tier AND own.artists >= ${MIN_POPULATION}
      LEFT JOIN stats every ON every.tier = -1 AND every.artists >= ${MIN_POPULATION}
    ) scored
    ON CONFLICT (artist_id, day, model_version) DO UPDATE SET
      score = excluded.score, z = excluded.z, category = excluded.category, growth7d = excluded.growth7d,
      growth28d = excluded.growth28d, acceleration = excluded.acceleration, audience = excluded.audience,
      tier = excluded.tier, computed_at = excluded.computed_at`;
}

/**
 * The whole population on `day`: each tier's statistics (kept for later single-artist scores),
 * then every artist's score. Idempotent: a re-run replaces the day's rows.
 */
export async function computePopulationMomentum(executor: Executor, day: string): Promise<number> {
  return executor.transaction(async (tx) => {
    // The inputs are computed once, into a table that lives as long as this transaction.
    await tx.execute(sql`CREATE TEMPORARY TABLE fanpulse_momentum_inputs ON COMMIT DROP AS WITH ${inputsCtes(day, null)} SELECT * FROM inputs`);
    await tx.execute(sql`DELETE FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day = ${day}::date`);
    await tx.execute(sql`
      INSERT INTO momentum_tier_stats (day, model_version, tier, artists, mean, sd)
      SELECT ${day}::date, ${MODEL_VERSION}, tier, count(*), avg(raw), coalesce(stddev_pop(raw), 0) FROM fanpulse_momentum_inputs GROUP BY tier
      UNION ALL
      SELECT ${day}::date, ${MODEL_VERSION}, -1, count(*), avg(raw), coalesce(stddev_pop(raw), 0) FROM fanpulse_momentum_inputs HAVING count(*) > 0`);
    const scored = await tx.execute(sql`
      WITH stats AS (SELECT tier, artists, mean, sd FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day = ${day}::date)
      ${scoreInto(day, sql`fanpulse_momentum_inputs`)}`);
    return scored.count;
  });
}

/**
 * Some artists on `day`, scored against the newest population statistics up to that day
 * (the defaults when none were computed yet).
 */
export async function computeArtistMomentum(executor: Executor, artistIds: readonly string[], day: string): Promise<number> {
  if (artistIds.length === 0) return 0;
  const scored = await executor.execute(sql`
    WITH ${inputsCtes(day, artistIds)},
    stats AS (
      SELECT tier, artists, mean, sd FROM momentum_tier_stats
      WHERE model_version = ${MODEL_VERSION}
        AND day = (SELECT max(day) FROM momentum_tier_stats WHERE model_version = ${MODEL_VERSION} AND day <= ${day}::date)
    )
    ${scoreInto(day, sql`inputs`)}`);
  return scored.count;
}
