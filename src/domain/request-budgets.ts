import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { tooManyRequests } from "./budgets.js";

/** Requests one caller may make per rolling window. */
export type RequestBudget = { max: number; windowMs: number };

export type RequestBudgets = { perUser: RequestBudget; perKey: RequestBudget };

/** Whose budgets a request spends: always its user's, and its key's when it comes with one. */
export type RequestCaller = { userId: string; keyId: string | null };

/** One budget a request spends, and what its refusal says. */
export type Spend = RequestBudget & { key: string; what: string };

/** A caller's budgets as `request_counts` keys them. */
export function spendsOf(caller: RequestCaller, budgets: RequestBudgets): Spend[] {
  const spends = [{ key: `requests:user:${caller.userId}`, ...budgets.perUser, what: "Too many requests for this account" }];
  if (caller.keyId) spends.push({ key: `requests:key:${caller.keyId}`, ...budgets.perKey, what: "Too many requests with this API key" });
  return spends;
}

/** A budget's count as the statement of `spendingCtes` leaves it in `spent`. */
export type SpentRow = { key: string; current: number; previous: number; into_window_ms: number };

/**
 * Common table expressions that count a request against each of `spends` when `when` holds, and
 * leave in `spent` each budget's counts: to begin a statement's WITH, so that a statement that
 * does other work (looking up the caller) spends in the same round trip. Each budget is a sliding
 * window estimated from two fixed ones (the current window's count plus the previous one's,
 * weighted by how much of it still overlaps the rolling window): one upsert per request instead of
 * a row per request, which a hot read path cannot afford.
 */
export function spendingCtes(spends: Spend[], when: SQL = sql`true`): SQL {
  return sql`
    spend AS (
      SELECT s.key, s.window_ms, to_timestamp(floor(extract(epoch FROM now()) * 1000 / s.window_ms) * s.window_ms / 1000) AS window_start
      FROM (VALUES ${sql.join(
        spends.map((s) => sql`(${s.key}::text, ${s.windowMs}::bigint)`),
        sql`, `,
      )}) AS s(key, window_ms)
    ), counted AS (
      INSERT INTO request_counts AS c (key, window_start, count)
      SELECT key, window_start, 1 FROM spend WHERE ${when}
      ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + 1
      RETURNING c.key, c.count
    ), spent AS (
      SELECT counted.key, counted.count AS current,
        coalesce((SELECT p.count FROM request_counts p WHERE p.key = spend.key AND p.window_start = spend.window_start - make_interval(secs => spend.window_ms / 1000.0)), 0) AS previous,
        (extract(epoch FROM now() - spend.window_start) * 1000)::float8 AS into_window_ms
      FROM counted JOIN spend USING (key)
    )`;
}

/**
 * Refuses the request with TOO_MANY_REQUESTS when a budget is overspent. Refused requests count
 * too, so a client that ignores the answer stays refused.
 */
export function refuseOverspent(spends: Spend[], rows: readonly SpentRow[]): void {
  for (const spend of spends) {
    const row = rows.find((r) => r.key === spend.key);
    if (!row) continue;
    const overlap = 1 - row.into_window_ms / spend.windowMs;
    const estimate = Number(row.previous) * overlap + Number(row.current);
    if (estimate > spend.max) {
      // When enough of the previous window has slid out for one more request to fit.
      const waitMs = Number(row.previous) > 0 ? Math.min(spend.windowMs - row.into_window_ms, ((estimate - spend.max) / Number(row.previous)) * spend.windowMs) : spend.windowMs - row.into_window_ms;
      throw tooManyRequests(spend.what, waitMs);
    }
  }
}

/** Counts a request against its user's budget and its key's, in one statement. */
export async function spendRequest(executor: Executor, caller: RequestCaller, budgets: RequestBudgets): Promise<void> {
  const spends = spendsOf(caller, budgets);
  refuseOverspent(spends, await executor.execute<SpentRow>(sql`WITH ${spendingCtes(spends)} SELECT * FROM spent`));
}

/** Forgets windows that no longer count (older than the previous one of the longest window, a day). */
export async function sweepRequestCounts(executor: Executor): Promise<number> {
  const rows = await executor.execute(sql`DELETE FROM request_counts WHERE window_start < now() - interval '2 days' RETURNING 1`);
  return rows.length;
}
