import type { Credential } from "../../auth/authenticate.js";
import { DomainError, unauthenticated } from "../../domain/errors.js";

/**
 * The role of fields that manage the account itself (keys, passwords, sessions, deletion): only a
 * person signed in with a password may use them, never a script's API key.
 */
export const ACCOUNT_OWNER = "ACCOUNT_OWNER";

/**
 * Who may run a guarded field, in one place for every query and mutation: a signed-in caller;
 * a READ key only for queries; no key for the account's own management.
 */
export function checkAccess(credential: Credential | null, roles: readonly string[], operation: "query" | "mutation" | "subscription"): true {
  if (!credential) throw unauthenticated();
  if (credential.kind === "key") {
    if (roles.includes(ACCOUNT_OWNER)) {
      throw new DomainError("FORBIDDEN", "API keys cannot manage keys, passwords or the account: sign in with your password for that");
    }
    if (credential.scope === "read" && operation === "mutation") {
      throw new DomainError("FORBIDDEN", "This API key's scope is READ: it cannot run mutations (create a READ_WRITE key)");
    }
  }
  return true;
}
