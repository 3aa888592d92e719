import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { isAnyOf } from "../../db/pg-array.js";
import type { Database } from "../../db/client.js";
import { notifications, type NotificationRow } from "../../db/schema.js";
import { invalidArgument } from "../errors.js";
import { parseId } from "../ids.js";
import { decodeCursor, pageSize, timestampCursor, toPage, type Page, type PageArgs } from "../pagination.js";

const ORDER = "newest";

/** Most ids one markNotificationsRead takes; all of them are marked by leaving ids out. */
export const MARK_READ_MAX = 1_000;

export type Inbox = Page<NotificationRow> & { unreadCount: number };

/** The user's notifications, newest first, in keyset pages, with how many are unread in all. */
export async function listNotifications(db: Database, userId: string, args: PageArgs & { unreadOnly?: boolean | null }): Promise<Inbox> {
  const size = pageSize(args.first);
  const after = decodeCursor(args.after, ORDER, timestampCursor.valid);
  const filter = and(eq(notifications.userId, userId), args.unreadOnly ? isNull(notifications.readAt) : undefined);
  const afterKey = after ? sql`(${notifications.createdAt}, ${notifications.id}) < (${timestampCursor.value(after.key)}, ${after.id}::uuid)` : undefined;
  const [rows, [counts]] = await Promise.all([
    db
      .select({ node: notifications, key: timestampCursor.key(notifications.createdAt) })
      .from(notifications)
      .where(and(filter, afterKey))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(size + 1),
    db
      .select({
        total: sql<number>`count(*) FILTER (WHERE ${args.unreadOnly ? isNull(notifications.readAt) : sql`true`})::int`,
        unread: sql<number>`count(*) FILTER (WHERE ${notifications.readAt} IS NULL)::int`,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId)),
  ]);
  return { ...toPage(rows, size, counts?.total ?? 0, ORDER, (n) => n.id), unreadCount: counts?.unread ?? 0 };
}

/** Marks the user's unread notifications among `ids` (all of them when ids is left out) read; how many changed. */
export async function markNotificationsRead(db: Database, userId: string, idsInput: readonly string[] | null | undefined): Promise<number> {
  if (idsInput && idsInput.length > MARK_READ_MAX) throw invalidArgument("ids", `must list at most ${MARK_READ_MAX} ids (leave ids out to mark all)`);
  const ids = idsInput?.map((id, i) => parseId(id, `ids[${i}]`));
  if (ids?.length === 0) return 0;
  const changed = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids ? isAnyOf(notifications.id, ids) : undefined))
    .returning({ id: notifications.id });
  return changed.length;
}
