import type { Policies } from "../domain/policies.js";
import { spendRequest } from "../domain/request-budgets.js";
import { authenticate, type Authenticator, type Viewer } from "./authenticate.js";

export type Admission = Authenticator & { policies: Policies };

/**
 * Every request passes here, whatever it asks for (GraphQL, an export): its credentials are
 * checked, and a signed-in caller spends a request of its user's budget and of its key's.
 */
export async function admit(services: Admission, authorization: string | undefined | null): Promise<Viewer | null> {
  const viewer = await authenticate(services, authorization);
  if (viewer) {
    await spendRequest(services.db, { userId: viewer.user.id, keyId: viewer.credential.kind === "key" ? viewer.credential.keyId : null }, services.policies.requests);
  }
  return viewer;
}
