import { sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.js";
import { arrayLiteral } from "../../db/pg-array.js";
import { addDays } from "../days.js";
import { MODEL_VERSION } from "../momentum/v1.js";

/** What the caller does, in the evaluation's transaction, with the notifications it created (deliver them). */
export type AfterNotified = (tx: Executor, notificationIds: string[]) => Promise<void>;

/** Artists evaluated per transaction when evaluating a whole population. */
export const EVALUATION_BATCH = 2_000;

/** How long the evaluation times are kept: a rule looks back to an artist's previous data, days before at most. */
const EVALUATIONS_KEPT_DAYS = 35;

/**
 * Every rule concerning these artists, evaluated on their data of `day`, in one statement whatever
 * the number of rules: each artist's figures are read once, then compared with all its rules.
 *
 * A rule concerns an artist its user tracks: the rule names it, or names none. It fires on the
 * crossing: its condition holds on `day` and did not hold at the artist's previous data point, or
 * that point does not count for this rule because it was not evaluated after the rule was made
 * and its user tracked the artist (so an artist's first score, and the first data a rule sees,
 * fire it when the condition holds). Conditions:
 * - CATEGORY_REACHED: the momentum category is the rule's or above;
 * - SCORE_ABOVE: the score is above the threshold;
 * - GROWTH_ABOVE: growth7d or growth28d (the rule's window) is above the threshold;
 * - NEW_HIGH: a platform's FOLLOWERS are above every earlier value of that account.
 * The notification's unique key (rule, artist, day) makes a second run of the same evaluation
 * write nothing. Returns the ids of the notifications created.
 */
export async function evaluateArtists(executor: Executor, artistIds: readonly string[], day: string, afterNotified?: AfterNotified): Promise<string[]> {
  if (artistIds.length === 0) return [];
  return executor.transaction(async (tx) => {
    const created = await tx.execute<{ id: string }>(sql`
      WITH artists AS (SELECT DISTINCT unnest(${arrayLiteral(artistIds)}::uuid[]) AS artist_id),
      targets AS (
        SELECT r.id AS rule_id, r.user_id, r.kind, r.category, r.threshold, r.window_days, r.artist_id, greatest(r.created_at, l.created_at) AS since
        FROM alert_rules r JOIN user_artists l ON l.user_id = r.user_id AND l.artist_id = r.artist_id
        WHERE r.artist_id IN (SELECT artist_id FROM artists)
        UNION ALL
        SELECT r.id, r.user_id, r.kind, r.category, r.threshold, r.window_days, l.artist_id, greatest(r.created_at, l.created_at)
        FROM user_artists l JOIN alert_rules r ON r.user_id = l.user_id AND r.artist_id IS NULL
        WHERE l.artist_id IN (SELECT artist_id FROM artists)
      ),
      today AS (
        SELECT m.artist_id, m.score, m.category, m.growth7d, m.growth28d, m.audience
        FROM artist_momentum m
        WHERE m.model_version = ${MODEL_VERSION} AND m.day = ${day}::date AND m.artist_id IN (SELECT artist_id FROM artists)
      ),
      -- The previous score, and when its day was last evaluated.
      earlier AS (
        SELECT x.artist_id, p.score, p.category, p.growth7d, p.growth28d, e.evaluated_at
        FROM artists x
        CROSS JOIN LATERAL (
          SELECT m.day, m.score, m.category, m.growth7d, m.growth28d FROM artist_momentum m
          WHERE m.artist_id = x.artist_id AND m.model_version = ${MODEL_VERSION} AND m.day < ${day}::date
          ORDER BY m.day DESC LIMIT 1
        ) p
        LEFT JOIN alert_evaluations e ON e.artist_id = x.artist_id AND e.day = p.day
      ),
      -- Each account of an artist a NEW_HIGH rule watches, with a value on the day: is it a high,
      -- and was its previous value one (above every value before it)?
      highs AS (
        SELECT a.artist_id, a.platform, cur.value,
               cur.value > greatest(previous.value, prior.high) AS is_high,
               coalesce(previous.value > prior.high, false) AS was_high,
               e.evaluated_at
        FROM platform_accounts a
        JOIN metric_snapshots cur ON cur.account_id = a.id AND cur.metric = 'followers' AND cur.day = ${day}::date
        CROSS JOIN LATERAL (
          SELECT s.day, s.value FROM metric_snapshots s
          WHERE s.account_id = a.id AND s.metric = 'followers' AND s.day < ${day}::date
          ORDER BY s.day DESC LIMIT 1
        ) previous
        CROSS JOIN LATERAL (
          SELECT max(s.value) AS high FROM metric_snapshots s
          WHERE s.account_id = a.id AND s.metric = 'followers' AND s.day < previous.day
        ) prior
        LEFT JOIN alert_evaluations e ON e.artist_id = a.artist_id AND e.day = previous.day
        WHERE a.artist_id IN (SELECT artist_id FROM targets WHERE kind = 'new_high')
      ),
      -- Each artist's highs in one row, so that each rule reads its artist's few accounts by a
      -- hash join rather than scanning every account of the batch.
      highs_by_artist AS (
        SELECT artist_id,
               jsonb_agg(jsonb_build_object('platform', platform, 'value', value, 'wasHigh', was_high, 'evaluatedAt', evaluated_at)) AS entries
        FROM highs WHERE is_high GROUP BY artist_id
      ),
      fired AS (
        SELECT t.rule_id, t.user_id, t.artist_id, t.kind,
               CASE WHEN t.kind = 'new_high' THEN jsonb_build_object('highs', nh.highs)
                    ELSE jsonb_build_object('score', n.score, 'category', n.category, 'growth7d', n.growth7d, 'growth28d', n.growth28d,
                                            'audience', n.audience, 'threshold', t.threshold, 'windowDays', t.window_days, 'ruleCategory', t.category)
               END AS facts
        FROM targets t
        LEFT JOIN today n ON n.artist_id = t.artist_id
        LEFT JOIN earlier b ON b.artist_id = t.artist_id
        LEFT JOIN highs_by_artist hb ON t.kind = 'new_high' AND hb.artist_id = t.artist_id
        LEFT JOIN LATERAL (
          SELECT jsonb_agg(jsonb_build_object('platform', h->'platform', 'value', h->'value') ORDER BY (h->>'value')::float8 DESC) AS highs
          FROM jsonb_array_elements(hb.entries) h
          WHERE NOT coalesce((h->>'wasHigh')::boolean AND (h->>'evaluatedAt')::timestamptz >= t.since, false)
        ) nh ON true
        WHERE CASE t.kind
          WHEN 'category_reached' THEN n.category >= t.category AND NOT coalesce(b.category >= t.category AND b.evaluated_at >= t.since, false)
          WHEN 'score_above' THEN n.score > t.threshold AND NOT coalesce(b.score > t.threshold AND b.evaluated_at >= t.since, false)
          WHEN 'growth_above' THEN
            (CASE t.window_days WHEN 28 THEN n.growth28d ELSE n.growth7d END) > t.threshold
            AND NOT coalesce((CASE t.window_days WHEN 28 THEN b.growth28d ELSE b.growth7d END) > t.threshold AND b.evaluated_at >= t.since, false)
          ELSE nh.highs IS NOT NULL
        END
      ),
      created AS (
        INSERT INTO notifications (user_id, rule_id, artist_id, kind, day, facts)
        SELECT user_id, rule_id, artist_id, kind, ${day}::date, facts FROM fired
        ON CONFLICT (rule_id, artist_id, day) DO NOTHING
        RETURNING id
      ),
      -- Only artists some rule concerns: for the others no rule could have seen the day.
      evaluated AS (
        INSERT INTO alert_evaluations (artist_id, day, evaluated_at)
        SELECT DISTINCT artist_id, ${day}::date, now() FROM targets
        ON CONFLICT (artist_id, day) DO UPDATE SET evaluated_at = excluded.evaluated_at
      )
      SELECT id::text FROM created`);
    const ids = created.map((row) => row.id);
    if (ids.length > 0) await afterNotified?.(tx, ids);
    return ids;
  });
}

/** Every artist that some rule concerns: named by a rule, or tracked by a user with a rule on every artist. */
async function watchedArtists(db: Database): Promise<string[]> {
  const rows = await db.execute<{ artist_id: string }>(sql`
    SELECT r.artist_id FROM alert_rules r WHERE r.artist_id IS NOT NULL
    UNION
    SELECT l.artist_id FROM user_artists l WHERE EXISTS (SELECT 1 FROM alert_rules r WHERE r.user_id = l.user_id AND r.artist_id IS NULL)
    ORDER BY 1`);
  return rows.map((row) => row.artist_id);
}

/**
 * After a population's momentum: every watched artist evaluated on `day`, a batch of artists per
 * transaction (each batch is idempotent, so a retried job redoes nothing twice). Evaluation times
 * no rule will look back to are dropped.
 */
export async function evaluatePopulation(db: Database, day: string, afterNotified?: AfterNotified): Promise<{ artists: number; notifications: number }> {
  const artists = await watchedArtists(db);
  let notifications = 0;
  for (let i = 0; i < artists.length; i += EVALUATION_BATCH) {
    notifications += (await evaluateArtists(db, artists.slice(i, i + EVALUATION_BATCH), day, afterNotified)).length;
  }
  await db.execute(sql`DELETE FROM alert_evaluations WHERE day < ${addDays(day, -EVALUATIONS_KEPT_DAYS)}::date`);
  return { artists: artists.length, notifications };
}
