import { createHmac } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { eq, sql } from "drizzle-orm";
import type { SecretBox } from "../../auth/secret-box.js";
import type { Database } from "../../db/client.js";
import { globalArtists, notifications, webhookDeliveries, webhooks } from "../../db/schema.js";
import { notificationMessage } from "../alerts/messages.js";
import { checkTarget, type TargetPolicy } from "./targets.js";

export type DeliveryPolicy = TargetPolicy & { timeoutMs: number; maxAttempts: number };

/** The event every delivery carries in X-FanPulse-Event. */
export const NOTIFICATION_EVENT = "notification.created";
/** How much of a receiver's answer is read: enough for an error page, never a flood. */
const RESPONSE_READ_MAX = 64 * 1024;

/** The receiver did not take the delivery; the job is retried, with backoff, until its attempts run out. */
export class DeliveryFailedError extends Error {
  override name = "DeliveryFailedError";
}

/** X-FanPulse-Signature: receivers recompute it over the raw body with their secret. */
export const signature = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/**
 * One attempt at a delivery: the notification as JSON, signed, POSTed to the address checked
 * just before, the receiver's status recorded with the attempt. Resolves when delivered (or when
 * there is nothing left to deliver: the webhook or the notification is gone); throws
 * DeliveryFailedError otherwise.
 */
export async function deliverWebhook(db: Database, box: SecretBox, policy: DeliveryPolicy, deliveryId: string): Promise<void> {
  const [found] = await db
    .select({ delivery: webhookDeliveries, webhook: webhooks, notification: notifications, artistName: globalArtists.name })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .innerJoin(notifications, eq(notifications.id, webhookDeliveries.notificationId))
    .innerJoin(globalArtists, eq(globalArtists.id, notifications.artistId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!found || found.delivery.succeeded) return;
  const { webhook, notification } = found;
  const body = JSON.stringify({
    event: NOTIFICATION_EVENT,
    deliveryId,
    notification: {
      id: notification.id,
      kind: notification.kind.toUpperCase(),
      day: notification.day,
      message: notificationMessage(notification.kind, found.artistName, notification.facts),
      artist: { id: notification.artistId, name: found.artistName },
      facts: notification.facts,
      createdAt: notification.createdAt.toISOString(),
    },
  });
  let status: number | null = null;
  let error: string | null = null;
  try {
    const target = await checkTarget(webhook.url, policy);
    status = await post(target, body, {
      "content-type": "application/json",
      "user-agent": "FanPulse-Webhooks/1",
      "x-fanpulse-event": NOTIFICATION_EVENT,
      "x-fanpulse-delivery": deliveryId,
      "x-fanpulse-signature": signature(box.open(webhook.sealedSecret), body),
    }, policy.timeoutMs);
    if (status < 200 || status >= 300) error = `the receiver answered HTTP ${status}`;
  } catch (failure) {
    error = (failure as Error).message;
  }
  await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, status, succeeded: error === null, lastError: error, updatedAt: sql`now()` })
    .where(eq(webhookDeliveries.id, deliveryId));
  if (error !== null) throw new DeliveryFailedError(`webhook delivery ${deliveryId}: ${error}`);
}

/** POSTs to the checked address (never a second DNS answer), gives up at the timeout, reads at most RESPONSE_READ_MAX. */
function post(target: Awaited<ReturnType<typeof checkTarget>>, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  // Node tries each address it is given (IPv6 and IPv4 for localhost): all of them checked, none looked up again.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const [first] = target.addresses as [{ address: string; family: 4 | 6 }];
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, target.addresses);
    else callback(null, first.address, first.family);
  };
  const request = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(target.url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, lookup: pinned }, (res: IncomingMessage) => {
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_READ_MAX) res.destroy();
      });
      res.on("close", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(res.statusCode ?? 0));
    });
    // The whole exchange, a receiver that answers drop by drop included.
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("error", reject);
    req.end(body);
  });
}
