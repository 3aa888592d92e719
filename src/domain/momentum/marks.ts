import { sql, type SQL } from "drizzle-orm";
import { arrayLiteral } from "../../db/pg-array.js";
import { addDays } from "../days.js";
import { TOLERANCE_DAYS } from "./v1.js";

/**
 * A SELECT of each account's FOLLOWERS on some days (its "marks"), one column per mark named
 * after it: the value that day, or the newest within the tolerance before it, in one grouped
 * pass over just those days. `where` narrows the accounts (`a` is platform_accounts).
 */
export function accountValuesAt(marks: Record<string, string>, where: SQL = sql``): SQL {
  const columns = Object.entries(marks).map(
    ([label, mark]) =>
      sql`(array_agg(s.value ORDER BY s.day DESC) FILTER (WHERE s.day BETWEEN ${addDays(mark, -TOLERANCE_DAYS)}::date AND ${mark}::date))[1] AS ${sql.identifier(label)}`,
  );
  const days = Object.values(marks).flatMap((mark) => Array.from({ length: TOLERANCE_DAYS + 1 }, (_, back) => addDays(mark, -back)));
  return sql`
    SELECT a.artist_id, s.account_id, ${sql.join(columns, sql`, `)}
    FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' AND s.day = ANY(${arrayLiteral(days)}::date[]) ${where}
    GROUP BY a.artist_id, s.account_id`;
}

/** Momentum's four marks: the day, a week, four weeks and five weeks before. */
const MOMENTUM_MARKS = { t: 0, w: 7, m: 28, b: 35 } as const;

/** Momentum's marks of one day, for accountValuesAt, with the day as a column. */
export const momentumValuesAt = (day: string, where: SQL = sql``): SQL =>
  sql`SELECT v.*, ${day}::date AS day FROM (${accountValuesAt(
    Object.fromEntries(Object.entries(MOMENTUM_MARKS).map(([label, back]) => [label, addDays(day, -back)])),
    where,
  )}) v`;

/**
 * Each account's FOLLOWERS at momentum's four marks of every day `days` (a SELECT of `day`)
 * lists, with the same tolerance, read through the snapshots' primary key: for many days at once.
 */
export function accountValuesOnDays(days: SQL, where: SQL = sql``): SQL {
  const columns = Object.entries(MOMENTUM_MARKS).map(
    ([label, back]) => sql`(
      SELECT s.value FROM metric_snapshots s
      WHERE s.account_id = a.id AND s.metric = 'followers' AND s.day BETWEEN d.day - ${back + TOLERANCE_DAYS}::int AND d.day - ${back}::int
      ORDER BY s.day DESC LIMIT 1) AS ${sql.identifier(label)}`,
  );
  return sql`
    SELECT a.artist_id, a.id AS account_id, d.day, ${sql.join(columns, sql`, `)}
    FROM platform_accounts a CROSS JOIN (${days}) d
    WHERE true ${where}`;
}
