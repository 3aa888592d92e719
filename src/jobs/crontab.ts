import { parseCronItems, type ParsedCronItem } from "graphile-worker";
import type { TaskName } from "./queue.js";

/** Recurring work, in UTC; only tasks of the typed task list can be named here. */
export function createCrontab(schedule: { refresh: string }): ParsedCronItem[] {
  const items: { task: TaskName; match: string; identifier: string }[] = [
    { task: "metrics:refresh-all", match: schedule.refresh, identifier: "daily-metrics-refresh" },
    { task: "metrics:refresh-deadline", match: "*/10 * * * *", identifier: "refresh-deadline-check" },
    { task: "artists:recheck-links", match: "30 2 * * *", identifier: "daily-cross-link-recheck" },
    { task: "budgets:sweep", match: "17 * * * *", identifier: "hourly-budgets-sweep" },
  ];
  return parseCronItems(items.map((item) => ({ ...item, options: { backfillPeriod: 0 } })));
}
