import { parseCronItems, type ParsedCronItem } from "graphile-worker";
import type { TaskName } from "./queue.js";

/** Recurring work, in UTC; only tasks of the typed task list can be named here. */
export function createCrontab(refreshCron: string): ParsedCronItem[] {
  const items: { task: TaskName; match: string; identifier: string }[] = [
    { task: "metrics:refresh-all", match: refreshCron, identifier: "daily-metrics-refresh" },
  ];
  return parseCronItems(items.map((item) => ({ ...item, options: { backfillPeriod: 0 } })));
}
