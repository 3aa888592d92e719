import type { Task } from "graphile-worker";
import { evaluateArtists, evaluatePopulation, type AfterNotified } from "../domain/alerts/evaluate.js";
import { announceNotifications } from "../domain/alerts/live.js";
import type { JobServices } from "./job-services.js";
import { createDeliveries } from "../domain/webhooks/webhooks.js";
import { queueWebhookDeliveries, type TaskPayloads } from "./queue.js";

/** Evaluates the alert rules of some artists after their scores, or of every watched artist after the population's. */
export const alertsEvaluate =
  ({ db, logger, webhookDelivery }: JobServices): Task =>
  async (raw) => {
    // New notifications go out in the transaction that made them: live to subscribers, and queued for webhooks.
    const deliver: AfterNotified = async (tx, ids) => {
      await announceNotifications(tx, ids);
      await queueWebhookDeliveries(tx, await createDeliveries(tx, ids), webhookDelivery.maxAttempts);
    };
    const { day, artistIds } = raw as TaskPayloads["alerts:evaluate"];
    const started = Date.now();
    if (artistIds) {
      const created = await evaluateArtists(db, artistIds, day, deliver);
      if (created.length > 0) logger.info({ day, artists: artistIds.length, notifications: created.length }, "alert rules fired");
      return;
    }
    const outcome = await evaluatePopulation(db, day, deliver);
    logger.info({ day, ...outcome, ms: Date.now() - started }, "evaluated the alert rules of every watched artist");
  };
