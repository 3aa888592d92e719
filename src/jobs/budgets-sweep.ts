import type { Task } from "graphile-worker";
import { sweepBudgets } from "../domain/budgets.js";
import type { JobServices } from "./job-services.js";

/** Hourly: forgets the budget uses of keys no one spends any more (unknown emails, gone addresses). */
export const budgetsSweep =
  ({ db, logger }: JobServices): Task =>
  async () => {
    const swept = await sweepBudgets(db);
    logger.info({ swept }, "forgot expired budget uses");
  };
