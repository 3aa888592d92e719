import { invalidArgument } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is reported against the argument instead of reaching SQL. */
export function parseId(value: string, argument: string): string {
  if (!UUID.test(value)) throw invalidArgument(argument, "must be an id returned by this API");
  return value.toLowerCase();
}

export const isId = (value: string) => UUID.test(value);
