import type { Sql } from "postgres";

/** The database did not answer in time, or could not be reached: the caller should try again later. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** postgres.js's own connection failures, and Node's. */
const CONNECTION_CODES = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATEs of a server that is going away, restarting or full: connection exceptions (08) and operator intervention. */
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;

/** Whether an error (or one it wraps) says the database is unreachable rather than that a statement was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const { code } = e as { code?: unknown };
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  }
  return false;
}

/** The database's answer, or DatabaseUnavailableError once `ms` have passed: for callers that must answer sooner than a query's deadline. */
export function within<T>(ms: number, answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unavailable(ms)), ms)));
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

type PendingQuery = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

const unavailable = (ms: number) => new DatabaseUnavailableError(`the database did not answer within ${ms} ms`);

/**
 * A postgres.js client whose every query and transaction gives up after `ms`, whether it waits for
 * a connection, for a connection to open, or for an answer. A frozen server (or a lost network)
 * would otherwise hold a request for as long as the operating system keeps the socket open.
 */
export function withDeadline<T extends Sql>(sql: T, ms: number, onExpiry: (error: Error) => void = () => undefined): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (...args: Parameters<Sql["unsafe"]>) => {
          const query = target.unsafe(...args) as unknown as PendingQuery;
          const { resolve, reject } = query;
          const timer = setTimeout(() => {
            const error = unavailable(ms);
            reject(error);
            onExpiry(error);
          }, ms);
          query.resolve = (value) => (clearTimeout(timer), resolve(value));
          query.reject = (error) => (clearTimeout(timer), reject(error));
          return query;
        };
      }
      if (property === "begin" || property === "savepoint") return transactionWithDeadline(target, property, ms, onExpiry);
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * A transaction that must start within `ms` (a transaction started after its caller gave up
 * rolls back at once) and that fails as soon as one of its queries does: the ROLLBACK of a
 * transaction on a frozen server would never answer either.
 */
function transactionWithDeadline(sql: Sql, method: "begin" | "savepoint", ms: number, onExpiry: (error: Error) => void) {
  return (...args: unknown[]) => {
    const body = args.pop() as (tx: Sql) => unknown;
    let fail!: (error: Error) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined);
    const expire = (error: Error) => {
      fail(error);
      onExpiry(error);
    };
    let started = false;
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      if (!started) expire(unavailable(ms));
    }, ms);
    // `savepoint` exists on a transaction's client only, which the Sql type does not tell apart.
    const start = (sql as unknown as Record<typeof method, (...a: unknown[]) => Promise<unknown>>)[method];
    const run = start.call(sql, ...args, (tx: Sql) => {
      if (expired) throw unavailable(ms);
      started = true;
      clearTimeout(timer);
      return body(withDeadline(tx, ms, expire));
    });
    return Promise.race([run, failed]).finally(() => clearTimeout(timer));
  };
}
