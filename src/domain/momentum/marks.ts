import { sql, type SQL } from "drizzle-orm";
import { arrayLiteral } from "../../db/pg-array.js";
import { addDays } from "../days.js";
import { TOLERANCE_DAYS } from "./v1.js";

/**
 * A SELECT of each account's FOLLOWERS on some days (its "marks"), one column per mark named
 * after it: the value that day, or the newest within the tolerance before it. `where` narrows the
 * accounts (`a` is platform_accounts).
 *
 * Values on the marks themselves are read in one grouped pass over just those days; the days
 * before, within the tolerance, are looked up one account at a time, and only where a mark has no
 * value: most accounts have a figure every day, so this reads a third of what reading every day of
 * every tolerance window does.
 */
export function accountValuesAt(marks: Record<string, string>, where: SQL = sql``): SQL {
  const entries = Object.entries(marks);
  const exact = entries.map(([label, mark]) => sql`max(s.value) FILTER (WHERE s.day = ${mark}::date) AS ${sql.identifier(label)}`);
  const columns = entries.map(
    ([label, mark]) => sql`coalesce(e.${sql.identifier(label)}, (
      SELECT earlier.value FROM metric_snapshots earlier
      WHERE earlier.account_id = a.id AND earlier.metric = 'followers'
        AND earlier.day BETWEEN ${addDays(mark, -TOLERANCE_DAYS)}::date AND ${addDays(mark, -1)}::date
      ORDER BY earlier.day DESC LIMIT 1)) AS ${sql.identifier(label)}`,
  );
  return sql`
    SELECT a.artist_id, a.id AS account_id, ${sql.join(columns, sql`, `)}
    FROM platform_accounts a
    LEFT JOIN (
      SELECT s.account_id, ${sql.join(exact, sql`, `)}
      FROM metric_snapshots s
      WHERE s.metric = 'followers' AND s.day = ANY(${arrayLiteral(Object.values(marks))}::date[])
        AND s.account_id IN (SELECT a.id FROM platform_accounts a WHERE true ${where})
      GROUP BY s.account_id
    ) e ON e.account_id = a.id
    WHERE true ${where}`;
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
