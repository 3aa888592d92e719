import type { Task } from "graphile-worker";
import { sweepBudgets } from "../domain/budgets.js";
import { sweepRequestCounts } from "../domain/request-budgets.js";
import type { JobServices } from "./job-services.js";

/** Hourly: forgets the budget uses and request counts that no longer count against anyone. */
export const budgetsSweep =
  ({ db, logger }: JobServices): Task =>
  async () => {
    const swept = await sweepBudgets(db);
    const windows = await sweepRequestCounts(db);
    logger.info({ swept, windows }, "forgot expired budget uses and request counts");
  };
