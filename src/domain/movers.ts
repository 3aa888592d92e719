import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { addDays, utcDay } from "./days.js";
import { invalidArgument, unauthenticated } from "./errors.js";
import { accountValuesAt } from "./momentum/marks.js";
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
    WITH accounts AS (${accountValuesAt({ start, end }, sql`AND a.artist_id IN (${artists})`)})
    SELECT artist_id, sum(start) AS start_value, sum("end") AS end_value
    FROM accounts WHERE start IS NOT NULL AND "end" IS NOT NULL
    GROUP BY artist_id
    HAVING sum(start) >= ${minStart}
    ORDER BY sum("end") - sum(start) DESC, artist_id
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
