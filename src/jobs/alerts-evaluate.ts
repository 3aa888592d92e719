import type { Task } from "graphile-worker";
import { evaluateArtists, evaluatePopulation } from "../domain/alerts/evaluate.js";
import { announceNotifications } from "../domain/alerts/live.js";
import type { JobServices } from "./job-services.js";
import type { TaskPayloads } from "./queue.js";

/** Evaluates the alert rules of some artists after their scores, or of every watched artist after the population's. */
export const alertsEvaluate =
  ({ db, logger }: JobServices): Task =>
  async (raw) => {
    const { day, artistIds } = raw as TaskPayloads["alerts:evaluate"];
    const started = Date.now();
    if (artistIds) {
      const created = await evaluateArtists(db, artistIds, day, announceNotifications);
      if (created.length > 0) logger.info({ day, artists: artistIds.length, notifications: created.length }, "alert rules fired");
      return;
    }
    const outcome = await evaluatePopulation(db, day, announceNotifications);
    logger.info({ day, ...outcome, ms: Date.now() - started }, "evaluated the alert rules of every watched artist");
  };
