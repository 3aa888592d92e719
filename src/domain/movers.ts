import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { addDays, utcDay } from "./days.js";
import { invalidArgument, unauthenticated } from "./errors.js";
import { TOLERANCE_DAYS } from "./momentum/v1.js";
import { MAX_PAGE_SIZE } from "./pagination.js";

export const DEFAULT_MIN_START_AUDIENCE = 1_000;
export const DEFAULT_MOVERS = 20;

export type Movement = { artistId: string; startValue: number; endValue: number; change: number; changePercent: number | null };

export type MoversQuery = {
  windowDays: 7 | 28;
  /** Only this user's artists; every tracked artist when null. */
  userId: string | null;
  first?: number | null;
  minStartAudience?: number | null;
  day?: string;
};

/**
 * Artists whose FOLLOWERS audience grew most over the window, largest change first. As in
 * momentum, a missing day takes the newest value of the two days before, and only platforms
 * with a value at both ends count. Small starting audiences are left out so they do not crowd the list.
 */
export async function topMovers(db: Database, query: MoversQuery): Promise<Movement[]> {
  const first = query.first ?? DEFAULT_MOVERS;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw invalidArgument("first", `must be between 0 and ${MAX_PAGE_SIZE}`);
  const minStart = query.minStartAudience ?? DEFAULT_MIN_START_AUDIENCE;
  if (!Number.isInteger(minStart) || minStart < 0) throw invalidArgument("minStartAudience", "must be a whole number, 0 or more");
  const end = query.day ?? utcDay();
  const start = addDays(end, -query.windowDays);
  const artists = query.userId
    ? sql`SELECT artist_id FROM user_artists WHERE user_id = ${query.userId}::uuid`
    : sql`SELECT DISTINCT artist_id FROM user_artists`;
  const rows = await db.execute<{ artist_id: string; start_value: number; end_value: number }>(sql`
    WITH marks(label, day) AS (VALUES ('start', ${start}::date), ('end', ${end}::date)),
    candidates AS (SELECT id AS account_id, artist_id FROM platform_accounts WHERE artist_id IN (${artists})),
    vals AS (
      SELECT DISTINCT ON (s.account_id, k.label) s.account_id, k.label, s.value
      FROM marks k
      JOIN metric_snapshots s ON s.metric = 'followers' AND s.day BETWEEN k.day - ${TOLERANCE_DAYS}::int AND k.day
       AND s.account_id IN (SELECT account_id FROM candidates)
      ORDER BY s.account_id, k.label, s.day DESC
    ),
    accounts AS (
      SELECT c.artist_id, max(v.value) FILTER (WHERE v.label = 'start') AS s, max(v.value) FILTER (WHERE v.label = 'end') AS e
      FROM vals v JOIN candidates c USING (account_id) GROUP BY c.artist_id, v.account_id
    )
    SELECT artist_id, sum(s) AS start_value, sum(e) AS end_value
    FROM accounts WHERE s IS NOT NULL AND e IS NOT NULL
    GROUP BY artist_id
    HAVING sum(s) >= ${minStart}
    ORDER BY sum(e) - sum(s) DESC, artist_id
    LIMIT ${first}`);
  return rows.map((r) => {
    const startValue = Number(r.start_value);
    const endValue = Number(r.end_value);
    return {
      artistId: r.artist_id,
      startValue,
      endValue,
      change: endValue - startValue,
      changePercent: startValue === 0 ? null : ((endValue - startValue) / startValue) * 100,
    };
  });
}

export function requireUserForMine(scope: "MINE" | "ALL", userId: string | null): string | null {
  if (scope === "ALL") return null;
  if (!userId) throw unauthenticated();
  return userId;
}
