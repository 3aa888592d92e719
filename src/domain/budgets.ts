import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { DomainError } from "./errors.js";

/** A rolling window: at most `max` uses in any `windowMs`. */
export type Budget = { key: string; max: number; windowMs: number };

/**
 * Spends one use of a budget shared by every process (a platform's calls, a client address's
 * sign-ins, a user's platform lookups, an API key's requests). Null when granted; else how long,
 * in ms, until a use frees. The check and the count are one atomic step.
 */
export async function spend(executor: Executor, budget: Budget): Promise<number | null> {
  const [row] = await executor.execute<{ wait_ms: number | null }>(sql`
    SELECT (extract(epoch FROM fanpulse_spend_budget(${budget.key}, ${budget.max}::int, make_interval(secs => ${budget.windowMs / 1000}))) * 1000)::float8 AS wait_ms`);
  return row?.wait_ms === null || row?.wait_ms === undefined ? null : Math.max(0, row.wait_ms);
}

/** Gives back the newest use of a budget (an attempt that turned out well should not count against its caller). */
export async function refund(executor: Executor, key: string): Promise<void> {
  await executor.execute(sql`
    DELETE FROM budget_uses WHERE id = (SELECT id FROM budget_uses WHERE key = ${key} ORDER BY used_at DESC LIMIT 1)`);
}

/** Spends one use or refuses the request with TOO_MANY_REQUESTS and when to try again. */
export async function requireBudget(executor: Executor, budget: Budget, what: string): Promise<void> {
  const wait = await spend(executor, budget);
  if (wait !== null) throw tooManyRequests(what, wait);
}

export const tooManyRequests = (what: string, waitMs: number) => {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new DomainError("TOO_MANY_REQUESTS", `${what}; try again in ${seconds} s`, undefined, { retryAfter: seconds });
};

/** Forgets every use older than a day (the longest window), for keys no one spends any more. */
export async function sweepBudgets(executor: Executor): Promise<number> {
  const rows = await executor.execute(sql`DELETE FROM budget_uses WHERE used_at < now() - interval '1 day' RETURNING 1`);
  return rows.length;
}
