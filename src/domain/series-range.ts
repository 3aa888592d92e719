import { addDays, daysBetween, utcDay } from "./days.js";
import { invalidArgument } from "./errors.js";

export const DEFAULT_SERIES_DAYS = 90;
export const MAX_SERIES_DAYS = 366;

/** The UTC days a series covers: the last 90 by default, at most 366, never reversed. */
export function seriesRange(from: Date | null | undefined, to: Date | null | undefined, today = utcDay()): { from: string; to: string } {
  const toDay = to ? utcDay(to) : today;
  const fromDay = from ? utcDay(from) : addDays(toDay, -(DEFAULT_SERIES_DAYS - 1));
  if (fromDay > toDay) throw invalidArgument("from", "must not be after to");
  if (daysBetween(fromDay, toDay) + 1 > MAX_SERIES_DAYS) throw invalidArgument("from", `the range from..to must span at most ${MAX_SERIES_DAYS} days`);
  return { from: fromDay, to: toDay };
}
