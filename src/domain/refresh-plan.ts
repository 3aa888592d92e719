import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { arrayLiteral } from "../db/pg-array.js";
import type { RefreshPlanRow } from "../db/schema.js";
import type { SyncedPlatform } from "../providers/provider.js";
import type { RateLimit } from "../providers/rate-limiter.js";
import { MODEL_VERSION } from "./momentum/v1.js";

export type RefreshPolicy = {
  /** Each platform's rate, as the shared rate limiter enforces it. */
  rates: Record<SyncedPlatform, RateLimit>;
  /** The part of a day's calls the refresh may spend; the rest is for tracking, look-ups and retries. */
  quotaShare: number;
  /** Hours after the plan starts when the day's momentum runs even if the refresh is not done. */
  deadlineHours: number;
};

/** Every tracked artist is refreshed at least this often. */
export const REFRESH_AT_LEAST_EVERY_DAYS = 7;
/** An artist its platform says does not exist is checked again weekly, not daily forever. */
export const NOT_FOUND_RECHECK_DAYS = 7;

/** Calls each platform's rate allows the refresh in a day. */
export const dailyCalls = (policy: RefreshPolicy): Record<SyncedPlatform, number> => {
  const perDay = ({ maxCalls, windowMs }: RateLimit) => Math.floor((86_400_000 / windowMs) * maxCalls * policy.quotaShare);
  return { spotify: perDay(policy.rates.spotify), deezer: perDay(policy.rates.deezer) };
};

export type RefreshPlan = Pick<RefreshPlanRow, "day" | "candidates" | "planned" | "dueLeftOut"> & { calls: Record<SyncedPlatform, number> };

/**
 * Plans a day's refresh within the platforms' quotas, in one statement after clearing the day's
 * earlier plan and those older than a week. Tracked artists are
 * ranked: those due for their weekly refresh first, then favourites, fast movers (the size of
 * their latest momentum z) and widely tracked artists; the plan takes them in that order while the
 * calls they cost (one per live account on each platform; simulated ones cost nothing) fit each
 * platform's day. Planning a day again (a second run) replaces its plan and starts it over.
 */
export async function planRefresh(tx: Executor, policy: RefreshPolicy, day: string): Promise<RefreshPlan> {
  const calls = dailyCalls(policy);
  await tx.execute(sql`DELETE FROM refresh_plans WHERE day = ${day}::date OR day < ${day}::date - ${REFRESH_AT_LEAST_EVERY_DAYS}::int`);
  const [plan] = await tx.execute<RefreshPlan>(sql`
    WITH trackers AS (SELECT artist_id, count(*) AS n, bool_or(is_favorite) AS favourite FROM user_artists GROUP BY artist_id),
    costs AS (
      SELECT artist_id, count(*) FILTER (WHERE platform = 'spotify') AS spotify, count(*) FILTER (WHERE platform = 'deezer') AS deezer
      FROM platform_accounts WHERE NOT simulated AND platform IN ('spotify', 'deezer') GROUP BY artist_id
    ),
    movement AS (
      SELECT artist_id, abs(z) AS z FROM artist_momentum
      WHERE model_version = ${MODEL_VERSION} AND day = (SELECT max(day) FROM artist_momentum WHERE model_version = ${MODEL_VERSION})
    ),
    candidates AS (
      SELECT a.id, coalesce(c.spotify, 0) AS spotify, coalesce(c.deezer, 0) AS deezer,
        (a.last_synced_at IS NULL OR a.last_synced_at < now() - make_interval(days => ${REFRESH_AT_LEAST_EVERY_DAYS - 1})) AS due,
        row_number() OVER (
          ORDER BY (a.last_synced_at IS NULL OR a.last_synced_at < now() - make_interval(days => ${REFRESH_AT_LEAST_EVERY_DAYS - 1})) DESC,
            t.favourite DESC, coalesce(m.z, 0) DESC, t.n DESC, a.id
        ) AS rank
      FROM global_artists a
      JOIN trackers t ON t.artist_id = a.id
      LEFT JOIN costs c ON c.artist_id = a.id
      LEFT JOIN movement m ON m.artist_id = a.id
      WHERE NOT (a.sync_status = 'not_found' AND a.last_synced_at > now() - make_interval(days => ${NOT_FOUND_RECHECK_DAYS}))
    ),
    spent AS (
      SELECT id, rank, due,
        -- The plan is the longest prefix of the ranking the day's calls pay for; what costs no call (a simulated account) always fits.
        (spotify = 0 AND deezer = 0) OR (sum(spotify) OVER (ORDER BY rank) <= ${calls.spotify} AND sum(deezer) OVER (ORDER BY rank) <= ${calls.deezer}) AS fits
      FROM candidates
    ),
    plan AS (
      INSERT INTO refresh_plans (day, started_at, deadline_at, candidates, planned, remaining, due_left_out)
      SELECT ${day}::date, now(), now() + make_interval(hours => ${policy.deadlineHours}), count(*), count(*) FILTER (WHERE fits), count(*) FILTER (WHERE fits), count(*) FILTER (WHERE due AND NOT fits)
      FROM spent
      RETURNING day, candidates, planned, due_left_out
    ),
    planned AS (
      INSERT INTO refresh_plan_artists (day, artist_id, rank)
      SELECT (SELECT day FROM plan), id, rank FROM spent WHERE fits
    )
    SELECT day::text, candidates, planned, due_left_out AS "dueLeftOut" FROM plan`);
  return { ...plan!, calls };
}

/** Marks these artists' refresh done in every plan that holds them; the day whose last artist this was gets its momentum. */
export async function markRefreshed(tx: Executor, artistIds: string[]): Promise<void> {
  if (artistIds.length === 0) return;
  await tx.execute(sql`
    WITH done AS (
      UPDATE refresh_plan_artists SET done = true
      WHERE artist_id = ANY(${arrayLiteral(artistIds)}::uuid[]) AND NOT done
      RETURNING day
    )
    UPDATE refresh_plans p SET remaining = p.remaining - d.n
    FROM (SELECT day, count(*)::int AS n FROM done GROUP BY day) d
    WHERE p.day = d.day`);
}

export type Finished = Pick<RefreshPlanRow, "day" | "planned" | "remaining"> & { atDeadline: boolean };

/**
 * The plans whose momentum may run now: their refresh is done, or their deadline has passed.
 * Each is claimed once (`scored_at`), however many workers ask at the same time.
 */
export async function claimFinishedRefreshes(tx: Executor): Promise<Finished[]> {
  return tx.execute<Finished>(sql`
    UPDATE refresh_plans SET scored_at = now()
    WHERE scored_at IS NULL AND (remaining <= 0 OR deadline_at <= now())
    RETURNING day::text, planned, remaining, remaining > 0 AS "atDeadline"`);
}

export type RefreshProgress = Pick<RefreshPlanRow, "day" | "candidates" | "planned" | "remaining" | "dueLeftOut"> & { scored: boolean };

/** The latest day's plan and how far it has come; null before the first refresh. */
export async function latestRefresh(executor: Executor): Promise<RefreshProgress | null> {
  const [row] = await executor.execute<RefreshProgress>(sql`
    SELECT day::text, candidates, planned, remaining, due_left_out AS "dueLeftOut", scored_at IS NOT NULL AS scored
    FROM refresh_plans ORDER BY day DESC LIMIT 1`);
  return row ?? null;
}
