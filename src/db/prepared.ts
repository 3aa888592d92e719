import type { Sql } from "postgres";

/**
 * A postgres.js client that prepares every statement it sends with parameters (by its text, once
 * per connection), as postgres.js does for its own tagged queries: drizzle sends its statements
 * unprepared, so PostgreSQL parsed and planned the same read again on every request, which on the
 * frontend's reads cost more of the database's time than running them. Statements without
 * parameters (several statements at once) go as simple queries, and those of transactions (the
 * writes, each run a few times) as they did, unprepared.
 */
export function withPreparedStatements<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: unknown[], options?: object) => target.unsafe(query, parameters as never, { ...options, prepare: true });
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
