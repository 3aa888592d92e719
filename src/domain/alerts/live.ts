import { EventEmitter, on } from "node:events";
import { eq, sql } from "drizzle-orm";
import type { Sql } from "postgres";
import type { Database, Executor } from "../../db/client.js";
import { arrayLiteral } from "../../db/pg-array.js";
import { notifications, type NotificationRow } from "../../db/schema.js";
import type { Logger } from "../../logger.js";

/** The PostgreSQL channel that carries new notifications from whichever process made them. */
const CHANNEL = "fanpulse_notifications";

/** The topic of new notifications; each user's are published under their id. */
export const NOTIFICATION_ADDED = "NOTIFICATION_ADDED";

/**
 * Announces notifications to every API process, in the transaction that creates them: PostgreSQL
 * delivers the message at commit, and never for a transaction that rolls back. The message holds
 * ids only (NOTIFY payloads are small); the listening process reads the row.
 */
export async function announceNotifications(executor: Executor, ids: readonly string[]): Promise<void> {
  await executor.execute(sql`
    SELECT pg_notify(${CHANNEL}, json_build_object('id', id, 'userId', user_id)::text)
    FROM ${notifications} WHERE id = ANY(${arrayLiteral(ids)}::uuid[])`);
}

/**
 * This process's live subscribers, by user: the publish/subscribe the schema's subscriptions
 * run on. Listening starts when `subscribe` is called, so nothing published after it is missed.
 */
export type NotificationHub = {
  publish: (topic: string, userId: string, notification: NotificationRow) => void;
  subscribe: (topic: string, userId?: unknown) => AsyncIterableIterator<NotificationRow>;
  subscribers: (userId: string) => number;
};

export function createNotificationHub(): NotificationHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const channel = (topic: string, userId: unknown) => `${topic}:${String(userId)}`;
  return {
    publish: (topic, userId, notification) => void emitter.emit(channel(topic, userId), notification),
    subscribe: (topic, userId) => {
      const events = on(emitter, channel(topic, userId)) as AsyncIterableIterator<[NotificationRow]>;
      const rows: AsyncIterableIterator<NotificationRow> = {
        [Symbol.asyncIterator]: () => rows,
        next: async () => {
          const next = await events.next();
          return next.done ? { done: true, value: undefined } : { done: false, value: next.value[0] };
        },
        return: async () => {
          await events.return?.();
          return { done: true, value: undefined };
        },
      };
      return rows;
    },
    subscribers: (userId) => emitter.listenerCount(channel(NOTIFICATION_ADDED, userId)),
  };
}

/**
 * Brings every notification announced by any process to this process's hub, for the users that
 * have a live subscriber here. One LISTEN connection; postgres.js listens again after a reconnect.
 */
export async function relayNotifications(client: Sql, db: Database, hub: NotificationHub, logger: Logger): Promise<() => Promise<void>> {
  const relay = async (payload: string) => {
    const { id, userId } = JSON.parse(payload) as { id: string; userId: string };
    if (hub.subscribers(userId) === 0) return;
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    if (row) hub.publish(NOTIFICATION_ADDED, userId, row);
  };
  const listening = await client.listen(CHANNEL, (payload) => void relay(payload).catch((err) => logger.warn({ err }, "could not relay a live notification")));
  return listening.unlisten;
}
