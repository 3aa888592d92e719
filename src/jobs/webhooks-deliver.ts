import type { Task } from "graphile-worker";
import { deliverWebhook } from "../domain/webhooks/deliver.js";
import type { JobServices } from "./job-services.js";
import type { TaskPayloads } from "./queue.js";

/** One delivery attempt; a failure fails the job, which graphile-worker retries with exponential backoff. */
export const webhooksDeliver =
  ({ db, box, webhookDelivery }: JobServices): Task =>
  async (raw) => {
    const { deliveryId } = raw as TaskPayloads["webhooks:deliver"];
    await deliverWebhook(db, box, webhookDelivery, deliveryId);
  };
