import type { Task } from "graphile-worker";
import type { JobServices } from "./job-services.js";
import { scoreFinishedRefreshes } from "./refresh-finish.js";

/** Frequent and cheap: a day whose refresh cannot finish (a platform down all day) still gets its momentum at the deadline. */
export const refreshDeadline =
  ({ db, logger }: JobServices): Task =>
  async () => {
    await scoreFinishedRefreshes(db, logger);
  };
