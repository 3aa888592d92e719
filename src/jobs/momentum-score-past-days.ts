import type { Task } from "graphile-worker";
import { utcDay } from "../domain/days.js";
import { scoreHistoryOf, scorePastDays } from "../domain/momentum/compute.js";
import type { JobServices } from "./job-services.js";
import type { TaskPayloads } from "./queue.js";

/** Scores the past days of artists whose history arrived at once, or of everyone over a range. */
export const momentumScorePastDays =
  ({ db, logger }: JobServices): Task =>
  async (raw) => {
    const payload = raw as TaskPayloads["momentum:score-past-days"];
    const started = Date.now();
    const scored = "artistIds" in payload ? await scoreHistoryOf(db, payload.artistIds, utcDay()) : await scorePastDays(db, null, payload.from, payload.to);
    logger.info({ scored, ms: Date.now() - started }, "scored past days' momentum");
  };
