import type { Database } from "../db/client.js";
import type { UserRow } from "../db/schema.js";
import { keyWithUser, noteKeyUse, type ApiKeyScope } from "../domain/api-keys.js";
import { DomainError } from "../domain/errors.js";
import { usersByIds } from "../domain/users.js";
import type { KeySecrets } from "./api-key-secrets.js";
import type { TokenService } from "./tokens.js";

/** What a request proved itself with: a sign-in session, or an API key and its scope. */
export type Credential = { kind: "session"; sessionId: string } | { kind: "key"; keyId: string; scope: ApiKeyScope };

/** Who a request (or a subscription) acts for. */
export type Viewer = { user: UserRow; credential: Credential };

/** Why credentials were refused, for the client to tell "session expired" from "signed out". */
export type RefusalReason = "malformed" | "expired" | "invalid" | "revoked" | "account_deleted";

const refused = (reason: RefusalReason, message: string) => new DomainError("UNAUTHENTICATED", message, undefined, { reason });

export type Authenticator = { db: Database; tokens: TokenService; keys: KeySecrets };

/**
 * The one door of authentication, for HTTP requests, exports and WebSocket subscriptions alike:
 * no Authorization is an anonymous caller (null); credentials that were sent must be good, or the
 * request is refused with the reason, never treated as anonymous.
 */
export async function authenticate({ db, tokens, keys }: Authenticator, authorization: string | undefined | null): Promise<Viewer | null> {
  if (authorization === undefined || authorization === null || authorization.trim() === "") return null;
  const credential = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!credential) throw refused("malformed", "Send credentials as 'Authorization: Bearer <token or API key>'");
  return keys.isKey(credential) ? byKey(db, keys, credential) : bySession(db, tokens, credential);
}

async function byKey(db: Database, keys: KeySecrets, secret: string): Promise<Viewer> {
  const found = await keyWithUser(db, keys.hash(secret));
  if (!found) throw refused("invalid", "This API key is not valid: it was revoked, or never issued");
  const { key, user } = found;
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw refused("expired", `This API key expired at ${key.expiresAt.toISOString()}`);
  await noteKeyUse(db, key);
  return { user, credential: { kind: "key", keyId: key.id, scope: key.scope } };
}

async function bySession(db: Database, tokens: TokenService, token: string): Promise<Viewer> {
  const check = await tokens.verify(token);
  if (!check.ok) throw refused(check.reason, check.reason === "expired" ? "Your session has expired: sign in again" : "The token is not valid: sign in again");
  const [user] = await usersByIds(db, [check.userId]);
  if (!user) throw refused("account_deleted", "The account of this token no longer exists");
  // A password change keeps the session that made it; anything else at an older version has ended.
  if (check.version !== user.tokenVersion && check.sessionId !== user.keptSessionId) {
    throw refused("revoked", "This session has ended (signed out everywhere, or the password changed): sign in again");
  }
  return { user, credential: { kind: "session", sessionId: check.sessionId } };
}
