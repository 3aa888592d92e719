/**
 * A PostgreSQL array literal ('{"a","b"}') to send as one parameter and cast (`::text[]`,
 * `::uuid[]`), for unnest and ANY: drizzle's sql template spreads a JS array into a list.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const element = (v: string | number | null) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return `{${values.map(element).join(",")}}`;
}
