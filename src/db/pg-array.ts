import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/**
 * A PostgreSQL array literal ('{"a","b"}') to send as one parameter and cast (`::text[]`,
 * `::uuid[]`), for unnest and ANY: drizzle's sql template spreads a JS array into a list.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const element = (v: string | number | null) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return `{${values.map(element).join(",")}}`;
}

/**
 * `column = ANY($1::uuid[])` (or `::text[]`): the list as one parameter, so that the statement's
 * text does not change with the list's length. drizzle's `inArray` writes one parameter per
 * value, which would make the API's prepared statements one per length of every batch.
 */
export const isAnyOf = (column: SQLWrapper, values: readonly string[], type: "uuid" | "text" = "uuid"): SQL =>
  sql`${column} = ANY(${arrayLiteral(values)}::${sql.raw(type)}[])`;
