import { and, asc, eq, sql } from "drizzle-orm";
import type { KeySecrets } from "../auth/api-key-secrets.js";
import type { Database, Executor } from "../db/client.js";
import { apiKeys, users, type ApiKeyRow, type UserRow } from "../db/schema.js";
import { DomainError, invalidArgument } from "./errors.js";
import { isId } from "./ids.js";
import { lockUser } from "./users.js";

export const KEY_NAME_MAX = 100;
/** Keys one user may hold: enough for every script a team runs, few enough to review. */
export const KEYS_PER_USER = 25;

export type ApiKeyScope = ApiKeyRow["scope"];
export type NewApiKey = { name: string; scope: ApiKeyScope; expiresAt?: Date | null };

/** A new key for the user: the secret is returned here and never again. */
export async function createApiKey(db: Database, secrets: KeySecrets, userId: string, input: NewApiKey): Promise<{ key: ApiKeyRow; secret: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > KEY_NAME_MAX) throw invalidArgument("input.name", `must be 1 to ${KEY_NAME_MAX} characters long`);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalidArgument("input.expiresAt", "must be in the future");
  const { secret, prefix, hash } = secrets.create();
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(apiKeys).where(eq(apiKeys.userId, userId));
    if (count >= KEYS_PER_USER) throw invalidArgument("input", `a user may hold at most ${KEYS_PER_USER} API keys: revoke one first`);
    const [key] = await tx.insert(apiKeys).values({ userId, name, scope: input.scope, prefix, secretHash: hash, expiresAt: input.expiresAt ?? null }).returning();
    return { key: key!, secret };
  });
}

export const listApiKeys = (db: Database, userId: string) => db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));

/** Removes the key: the next request that sends it is refused. False when the user has no such key. */
export async function revokeApiKey(db: Database, userId: string, keyId: string): Promise<boolean> {
  if (!isId(keyId)) throw invalidArgument("id", "must be an API key id");
  const removed = await db.delete(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId))).returning({ id: apiKeys.id });
  if (removed.length === 0) throw new DomainError("NOT_FOUND", "id: you have no API key with this id", "id");
  return true;
}

/** The key with this secret's hash and its user, in one statement. */
export async function keyWithUser(executor: Executor, hash: string): Promise<{ key: ApiKeyRow; user: UserRow } | null> {
  const [row] = await executor.select({ key: apiKeys, user: users }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.secretHash, hash));
  return row ?? null;
}

/** How stale `lastUsedAt` may be: a busy script must not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Records a use when the last one recorded is older than a minute; the condition is checked again in SQL for concurrent requests. */
export async function noteKeyUse(executor: Executor, key: ApiKeyRow): Promise<void> {
  if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await executor
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, key.id), sql`(${apiKeys.lastUsedAt} IS NULL OR ${apiKeys.lastUsedAt} < now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000}))`));
}
