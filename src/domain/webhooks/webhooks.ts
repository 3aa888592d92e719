import { randomBytes } from "node:crypto";
import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { SecretBox } from "../../auth/secret-box.js";
import type { Database, Executor } from "../../db/client.js";
import { arrayLiteral, isAnyOf } from "../../db/pg-array.js";
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from "../../db/schema.js";
import { DomainError, invalidArgument } from "../errors.js";
import { isId } from "../ids.js";
import { lockUser } from "../users.js";
import { checkTarget, UnsafeTargetError, type TargetPolicy } from "./targets.js";

/** Webhooks one user may hold. */
export const WEBHOOKS_PER_USER = 10;
export const URL_MAX = 2_000;
export const DESCRIPTION_MAX = 200;

export type NewWebhook = { url: string; description?: string | null };

/** A webhook for the user, after its URL passed the target rules; its signing secret is returned here only. */
export async function createWebhook(db: Database, box: SecretBox, policy: TargetPolicy, userId: string, input: NewWebhook): Promise<{ webhook: WebhookRow; secret: string }> {
  const url = input.url.trim();
  if (url.length === 0 || url.length > URL_MAX) throw invalidArgument("input.url", `must be 1 to ${URL_MAX} characters long`);
  const description = input.description?.trim() || null;
  if (description && description.length > DESCRIPTION_MAX) throw invalidArgument("input.description", `must be at most ${DESCRIPTION_MAX} characters long`);
  try {
    await checkTarget(url, policy);
  } catch (error) {
    if (error instanceof UnsafeTargetError) throw invalidArgument("input.url", error.message);
    throw error;
  }
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(webhooks).where(eq(webhooks.userId, userId));
    if (count >= WEBHOOKS_PER_USER) throw invalidArgument("input", `a user may hold at most ${WEBHOOKS_PER_USER} webhooks: delete one first`);
    const [webhook] = await tx.insert(webhooks).values({ userId, url, description, sealedSecret: box.seal(secret) }).returning();
    return { webhook: webhook!, secret };
  });
}

export const webhooksOf = (db: Database, userId: string) => db.select().from(webhooks).where(eq(webhooks.userId, userId)).orderBy(webhooks.createdAt, webhooks.id);

export async function deleteWebhook(db: Database, userId: string, id: string): Promise<boolean> {
  if (!isId(id)) throw invalidArgument("id", "must be a webhook id");
  const removed = await db.delete(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.userId, userId))).returning({ id: webhooks.id });
  if (removed.length === 0) throw new DomainError("NOT_FOUND", "id: you have no webhook with this id", "id");
  return true;
}

/** The newest deliveries of many webhooks, in one statement. */
export async function deliveriesOf(db: Database, keys: readonly { webhookId: string; first: number }[]): Promise<WebhookDeliveryRow[][]> {
  const most = Math.max(...keys.map((k) => k.first));
  const ranked = db
    .select({
      id: webhookDeliveries.id,
      rank: sql<number>`row_number() OVER (PARTITION BY ${webhookDeliveries.webhookId} ORDER BY ${webhookDeliveries.createdAt} DESC, ${webhookDeliveries.id} DESC)`.as("rank"),
    })
    .from(webhookDeliveries)
    .where(isAnyOf(webhookDeliveries.webhookId, [...new Set(keys.map((k) => k.webhookId))]))
    .as("ranked");
  const found = await db
    .select({ delivery: webhookDeliveries })
    .from(webhookDeliveries)
    .innerJoin(ranked, eq(ranked.id, webhookDeliveries.id))
    .where(lte(ranked.rank, most))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id));
  return keys.map((k) => found.map((row) => row.delivery).filter((d) => d.webhookId === k.webhookId).slice(0, k.first));
}

/** A delivery to each webhook of each notification's user, in the caller's transaction; their ids, to queue. */
export async function createDeliveries(executor: Executor, notificationIds: readonly string[]): Promise<string[]> {
  if (notificationIds.length === 0) return [];
  const rows = await executor.execute<{ id: string }>(sql`
    INSERT INTO webhook_deliveries (webhook_id, notification_id)
    SELECT w.id, n.id FROM notifications n JOIN webhooks w ON w.user_id = n.user_id
    WHERE n.id = ANY(${arrayLiteral(notificationIds)}::uuid[])
    ON CONFLICT (webhook_id, notification_id) DO NOTHING
    RETURNING id`);
  return rows.map((r) => r.id);
}
