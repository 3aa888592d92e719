import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { addDays, utcDay } from "./days.js";
import { invalidArgument, unauthenticated } from "./errors.js";
import { accountValuesAt } from "./momentum/marks.js";
import { MODEL_VERSION } from "./momentum/v1.js";
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE } from "./pagination.js";

export const DEFAULT_MIN_START_AUDIENCE = 1_000;
export const DEFAULT_MOVERS = 20;

export type MoverOrder = "CHANGE" | "CHANGE_PERCENT" | "SCORE";

export type Movement = {
  artistId: string;
  startValue: number;
  endValue: number;
  change: number;
  changePercent: number | null;
  /** Where the next page starts: pass it as `after`. */
  cursor: string;
};

export type MoversQuery = {
  windowDays: 7 | 28;
  /** Only this user's artists; every tracked artist when null. */
  userId: string | null;
  first?: number | null;
  after?: string | null;
  orderBy?: MoverOrder | null;
  minStartAudience?: number | null;
  day?: string;
};

/**
 * The sort key of each order, largest first. A key that cannot be had (a change in percent of
 * nothing, an artist not scored yet) sorts last, as minus infinity.
 */
const ORDER_KEYS: Record<MoverOrder, SQL> = {
  CHANGE: sql`m.end_value - m.start_value`,
  CHANGE_PERCENT: sql`CASE WHEN m.start_value > 0 THEN (m.end_value - m.start_value) / m.start_value END`,
  SCORE: sql`(SELECT s.score FROM artist_momentum s WHERE s.artist_id = m.artist_id AND s.model_version = ${MODEL_VERSION} ORDER BY s.day DESC LIMIT 1)`,
};

/** A cursor's key is a number the server wrote: finite, or minus infinity for the keys sorted last. */
const isKey = (key: string) => key === "-Infinity" || (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(key) && Number.isFinite(Number(key)));

/**
 * Artists whose FOLLOWERS audience moved most over the window, by absolute change, by change in
 * percent of the start, or by momentum score; in pages. As in momentum, a missing day takes the
 * newest value of the two days before, and only platforms with a value at both ends count.
 * Small starting audiences are left out so they do not crowd the list.
 */
export async function topMovers(db: Database, query: MoversQuery): Promise<Movement[]> {
  const first = query.first ?? DEFAULT_MOVERS;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw invalidArgument("first", `must be between 0 and ${MAX_PAGE_SIZE}`);
  const minStart = query.minStartAudience ?? DEFAULT_MIN_START_AUDIENCE;
  if (!Number.isInteger(minStart) || minStart < 0) throw invalidArgument("minStartAudience", "must be a whole number, 0 or more");
  const orderBy = query.orderBy ?? "CHANGE";
  const after = decodeCursor(query.after, `movers:${orderBy}:${query.windowDays}`, isKey);
  const end = query.day ?? utcDay();
  const start = addDays(end, -query.windowDays);
  const artists = query.userId
    ? sql`SELECT artist_id FROM user_artists WHERE user_id = ${query.userId}::uuid`
    : sql`SELECT DISTINCT artist_id FROM user_artists`;
  const rows = await db.execute<{ artist_id: string; start_value: number; end_value: number; key: number }>(sql`
    WITH accounts AS (${accountValuesAt({ start, end }, sql`AND a.artist_id IN (${artists})`)}),
    moved AS (
      SELECT artist_id, sum(start) AS start_value, sum("end") AS end_value
      FROM accounts WHERE start IS NOT NULL AND "end" IS NOT NULL
      GROUP BY artist_id
      HAVING sum(start) >= ${minStart}
    ),
    keyed AS (SELECT m.*, coalesce((${ORDER_KEYS[orderBy]})::float8, '-Infinity') AS key FROM moved m)
    SELECT artist_id, start_value, end_value, key FROM keyed
    ${after ? sql`WHERE key < ${after.key}::float8 OR (key = ${after.key}::float8 AND artist_id > ${after.id}::uuid)` : sql``}
    ORDER BY key DESC, artist_id
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
      cursor: encodeCursor(`movers:${orderBy}:${query.windowDays}`, { key: String(Number(r.key)), id: r.artist_id }),
    };
  });
}

export function requireUserForMine(scope: "MINE" | "ALL", userId: string | null): string | null {
  if (scope === "ALL") return null;
  if (!userId) throw unauthenticated();
  return userId;
}
