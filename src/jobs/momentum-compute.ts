import type { Task } from "graphile-worker";
import { utcDay } from "../domain/days.js";
import { computeArtistMomentum, computePopulationMomentum } from "../domain/momentum/compute.js";
import type { JobServices } from "./job-services.js";
import { queueAlertEvaluation, type TaskPayloads } from "./queue.js";

/** Scores one artist (after its sync) or, from the daily cron, the whole population of a day; alert rules are evaluated next. */
export const momentumCompute =
  ({ db, logger }: JobServices): Task =>
  async (raw) => {
    const { artistId, day = utcDay() } = (raw ?? {}) as TaskPayloads["momentum:compute"];
    if (artistId) {
      await computeArtistMomentum(db, [artistId], day, (tx) => queueAlertEvaluation(tx, day, [artistId]));
      return;
    }
    const started = Date.now();
    const scored = await computePopulationMomentum(db, day, (tx) => queueAlertEvaluation(tx, day));
    logger.info({ day, scored, ms: Date.now() - started }, "computed the momentum of the population");
  };
