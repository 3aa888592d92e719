import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { users, type UserRow } from "../db/schema.js";
import { keyWithUser, noteKeyUse, type ApiKeyScope } from "../domain/api-keys.js";
import { DomainError } from "../domain/errors.js";
import type { Policies } from "../domain/policies.js";
import { refuseOverspent, spendingCtes, spendRequest, spendsOf, type RequestBudgets, type Spend, type SpentRow } from "../domain/request-budgets.js";
import type { KeySecrets } from "./api-key-secrets.js";
import type { TokenService } from "./tokens.js";

/** What a request proved itself with: a sign-in session, or an API key and its scope. */
export type Credential = { kind: "session"; sessionId: string } | { kind: "key"; keyId: string; scope: ApiKeyScope };

/** Who a request (or a subscription) acts for. */
export type Viewer = { user: UserRow; credential: Credential };

/** Why credentials were refused, for the client to tell "session expired" from "signed out". */
export type RefusalReason = "malformed" | "expired" | "invalid" | "revoked" | "account_deleted";

const refused = (reason: RefusalReason, message: string) => new DomainError("UNAUTHENTICATED", message, undefined, { reason });

export type Admission = { db: Database; tokens: TokenService; keys: KeySecrets; policies: Policies };

/**
 * The one door of every request, whatever it asks for (GraphQL, an export, a WebSocket
 * subscription): no Authorization is an anonymous caller (null); credentials that were sent must be
 * good, or the request is refused with the reason, never treated as anonymous. A signed-in caller
 * spends a request of its user's budget and of its key's.
 */
export async function admit({ db, tokens, keys, policies }: Admission, authorization: string | undefined | null): Promise<Viewer | null> {
  if (authorization === undefined || authorization === null || authorization.trim() === "") return null;
  const credential = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!credential) throw refused("malformed", "Send credentials as 'Authorization: Bearer <token or API key>'");
  return keys.isKey(credential) ? byKey(db, keys, credential, policies.requests) : bySession(db, tokens, credential, policies.requests);
}

async function byKey(db: Database, keys: KeySecrets, secret: string, budgets: RequestBudgets): Promise<Viewer> {
  const found = await keyWithUser(db, keys.hash(secret));
  if (!found) throw refused("invalid", "This API key is not valid: it was revoked, or never issued");
  const { key, user } = found;
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw refused("expired", `This API key expired at ${key.expiresAt.toISOString()}`);
  await noteKeyUse(db, key);
  await spendRequest(db, { userId: user.id, keyId: key.id }, budgets);
  return { user, credential: { kind: "key", keyId: key.id, scope: key.scope } };
}

/** The user's columns as `to_jsonb` names them (timestamps as ISO text). */
type UserJson = { id: string; email: string; display_name: string | null; password_hash: string; token_version: number; kept_session_id: string | null; created_at: string; updated_at: string };

/**
 * A session's user, looked up in the same statement that spends the request: every request with a
 * token pays one round trip to the database, not two. Only a current session spends (the test
 * `bySession` makes of the row, in SQL), so an ended session cannot use up its user's budget, and a
 * deleted account leaves no count behind.
 */
async function sessionUser(db: Database, check: { userId: string; version: number; sessionId: string }, spends: Spend[]): Promise<{ user: UserRow; spent: SpentRow[] } | null> {
  const current = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${check.userId} AND (${users.tokenVersion} = ${check.version} OR ${users.keptSessionId} = ${check.sessionId}))`;
  const [row] = await db.execute<{ user: UserJson } & { [K in keyof SpentRow]: SpentRow[K] | null }>(sql`
    WITH ${spendingCtes(spends, current)}
    SELECT to_jsonb(u) AS user, spent.* FROM ${users} u LEFT JOIN spent ON true WHERE u.id = ${check.userId}`);
  if (!row) return null;
  const { user: u } = row;
  const user: UserRow = {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    passwordHash: u.password_hash,
    tokenVersion: u.token_version,
    keptSessionId: u.kept_session_id,
    createdAt: new Date(u.created_at),
    updatedAt: new Date(u.updated_at),
  };
  return { user, spent: row.key === null ? [] : [row as SpentRow] };
}

async function bySession(db: Database, tokens: TokenService, token: string, budgets: RequestBudgets): Promise<Viewer> {
  const check = await tokens.verify(token);
  if (!check.ok) throw refused(check.reason, check.reason === "expired" ? "Your session has expired: sign in again" : "The token is not valid: sign in again");
  const spends = spendsOf({ userId: check.userId, keyId: null }, budgets);
  const found = await sessionUser(db, check, spends);
  if (!found) throw refused("account_deleted", "The account of this token no longer exists");
  const { user } = found;
  // A password change keeps the session that made it; anything else at an older version has ended.
  if (check.version !== user.tokenVersion && check.sessionId !== user.keptSessionId) {
    throw refused("revoked", "This session has ended (signed out everywhere, or the password changed): sign in again");
  }
  refuseOverspent(spends, found.spent);
  return { user, credential: { kind: "session", sessionId: check.sessionId } };
}
