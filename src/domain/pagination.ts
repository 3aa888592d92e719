import { sql, type SQLWrapper } from "drizzle-orm";
import { invalidArgument } from "./errors.js";
import { isId } from "./ids.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type PageArgs = { first?: number | null; after?: string | null };

/** `Count` is `number | null` for a list that counts only when asked to. */
export type Page<T, Count extends number | null = number> = {
  items: { cursor: string; node: T }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: Count;
};

/** `first`, defaulted and checked; a larger page is refused, not silently cut. */
export function pageSize(first: number | null | undefined, argument = "first"): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw invalidArgument(argument, `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

export type CursorKey = { key: string; id: string };

/**
 * A timestamp as a cursor carries it: microseconds since the epoch, a whole number that no
 * DateStyle or TimeZone can change (a JS Date would drop the microseconds).
 */
export const timestampCursor = {
  key: (column: SQLWrapper) => sql<string>`(extract(epoch FROM ${column}) * 1000000)::bigint::text`,
  valid: (key: string) => /^-?\d{1,16}$/.test(key),
  value: (key: string) => sql`timestamptz 'epoch' + ${key}::bigint * interval '1 microsecond'`,
};

/**
 * Opaque keyset cursors: the sort order they belong to, the sort key of the last row and
 * its id. A cursor of another order or a forged one is bad input, never a wrong page.
 */
export function encodeCursor(order: string, { key, id }: CursorKey): string {
  return Buffer.from(JSON.stringify([order, key, id])).toString("base64url");
}

export function decodeCursor(
  cursor: string | null | undefined,
  order: string,
  validKey: (key: string) => boolean = () => true,
  argument = "after",
): CursorKey | null {
  if (cursor === null || cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === order) {
    const [, key, id] = parsed as unknown[];
    if (typeof key === "string" && typeof id === "string" && isId(id) && !key.includes("\u0000") && validKey(key)) return { key, id };
  }
  throw invalidArgument(argument, "is not a cursor of this list (pass an endCursor or cursor that this list returned)");
}

/** Rows fetched with one extra to learn whether another page follows, each with its sort key. */
export function toPage<T, Count extends number | null = number>(
  rows: { node: T; key: string }[],
  size: number,
  totalCount: Count,
  order: string,
  idOf: (node: T) => string,
): Page<T, Count> {
  const items = rows.slice(0, size).map(({ node, key }) => ({ cursor: encodeCursor(order, { key, id: idOf(node) }), node }));
  return { items, hasNextPage: rows.length > size, endCursor: items.at(-1)?.cursor ?? null, totalCount };
}
