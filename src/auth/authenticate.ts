import type { Database } from "../db/client.js";
import type { UserRow } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import { usersByIds } from "../domain/users.js";
import type { TokenService } from "./tokens.js";

/** Who a request (or a subscription) acts for. */
export type Viewer = { user: UserRow };

/** Why credentials were refused, for the client to tell "session expired" from "signed out". */
export type RefusalReason = "malformed" | "expired" | "invalid" | "account_deleted";

const refused = (reason: RefusalReason, message: string) => new DomainError("UNAUTHENTICATED", message, undefined, { reason });

/**
 * The one door of authentication, for HTTP requests and WebSocket subscriptions alike: no
 * Authorization is an anonymous caller (null); credentials that were sent must be good, or the
 * request is refused with the reason, never treated as anonymous.
 */
export async function authenticate(db: Database, tokens: TokenService, authorization: string | undefined | null): Promise<Viewer | null> {
  if (authorization === undefined || authorization === null || authorization.trim() === "") return null;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!token) throw refused("malformed", "Send credentials as 'Authorization: Bearer <token>'");
  const check = await tokens.verify(token);
  if (!check.ok) throw refused(check.reason, check.reason === "expired" ? "Your session has expired: sign in again" : "The token is not valid: sign in again");
  const [user] = await usersByIds(db, [check.userId]);
  if (!user) throw refused("account_deleted", "The account of this token no longer exists");
  return { user };
}
