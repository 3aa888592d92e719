import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { withDeadline } from "./deadline.js";
import { withPreparedStatements } from "./prepared.js";
import * as schema from "./schema.js";

export type QueryListener = (query: string) => void;

export type DatabaseOptions = {
  max?: number;
  /** Called for every statement sent; lets tests count statements on the real connection. */
  onQuery?: QueryListener;
  /** PostgreSQL cancels any statement of this pool that runs longer. */
  statementTimeoutMs?: number;
  /** The client gives up on a query or transaction start after this long, answered or not (a frozen server never answers). */
  deadlineMs?: number;
  name?: string;
  /**
   * Prepare every statement with parameters outside transactions, once per connection: for a pool
   * that runs the same statements over and over (the API's). Not for one whose statements' text
   * varies with their data (the worker's bulk writes), where each would stay prepared for nothing.
   */
  prepare?: boolean;
};

export function createDatabase(url: string, options: DatabaseOptions = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(options.deadlineMs ? { connect_timeout: Math.ceil(options.deadlineMs / 1000) } : {}),
    connection: {
      application_name: options.name ?? "fanpulse",
      // Values the app reads as text (cursors, timestamps) must not change with the server's settings.
      DateStyle: "ISO, YMD",
      TimeZone: "UTC",
      extra_float_digits: 3,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
    ...(options.onQuery ? { debug: (_connection: number, query: string) => options.onQuery?.(query) } : {}),
  });
  const bounded = options.deadlineMs ? withDeadline(client, options.deadlineMs) : client;
  const db = drizzle(options.prepare ? withPreparedStatements(bounded) : bounded, { schema });
  return { db, client, close: () => client.end({ timeout: 5 }) };
}

export type Database = ReturnType<typeof createDatabase>["db"];
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that runs statements: the database itself or a transaction inside it. */
export type Executor = Database | Transaction;
