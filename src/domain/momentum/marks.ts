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
    ([label, day]) =>
      sql`(array_agg(s.value ORDER BY s.day DESC) FILTER (WHERE s.day BETWEEN ${addDays(day, -TOLERANCE_DAYS)}::date AND ${day}::date))[1] AS ${sql.identifier(label)}`,
  );
  const days = Object.values(marks).flatMap((day) => Array.from({ length: TOLERANCE_DAYS + 1 }, (_, back) => addDays(day, -back)));
  return sql`
    SELECT a.artist_id, s.account_id, ${sql.join(columns, sql`, `)}
    FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' AND s.day = ANY(${arrayLiteral(days)}::date[]) ${where}
    GROUP BY a.artist_id, s.account_id`;
}
