import { GraphQLError } from "graphql";
import { authenticate } from "../auth/authenticate.js";
import type { TokenService } from "../auth/tokens.js";
import type { Database } from "../db/client.js";
import { isDatabaseUnavailable } from "../db/deadline.js";
import { DomainError, unauthenticated } from "../domain/errors.js";
import type { LookupRequester } from "../domain/platform-lookups.js";
import type { Policies } from "../domain/policies.js";
import type { Logger } from "../logger.js";
import type { Providers } from "../providers/provider.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** What lives as long as the process: shared by every request. */
export type Services = {
  db: Database;
  providers: Providers;
  tokens: TokenService;
  policies: Policies;
  logger: Logger;
};

export type Context = Services & {
  requestId: string;
  viewerId: string | null;
  /** The caller's network address, for the limits kept per address. */
  clientAddress: string;
  loaders: Loaders;
  /**
   * The estimated cost of the request's operations so far. An object, because Apollo gives each
   * operation of a batch a shallow copy of the context and the batch shares one budget.
   */
  complexity: { spent: number };
};

export type RequestFacts = { id: string; authorization: string | undefined; clientAddress: string };

/**
 * A request's context; credentials that are sent and refused end the request at once with
 * UNAUTHENTICATED (HTTP 401) and the reason.
 */
export async function createContext(services: Services, request: RequestFacts): Promise<Context> {
  let viewer;
  try {
    viewer = await authenticate(services.db, services.tokens, request.authorization);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw new GraphQLError("The database is not answering; try again in a few seconds", { extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } } });
    }
    if (!(error instanceof DomainError)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: error.code, ...error.details, http: { status: 401 } } });
  }
  const loaders = createLoaders(services.db, viewer?.user.id ?? null);
  if (viewer) loaders.user.prime(viewer.user.id, viewer.user);
  return {
    ...services,
    logger: services.logger.child({ requestId: request.id }),
    requestId: request.id,
    viewerId: viewer?.user.id ?? null,
    clientAddress: request.clientAddress,
    loaders,
    complexity: { spent: 0 },
  };
}

/** The signed-in user's id; UNAUTHENTICATED otherwise. */
export function requireViewer(context: Context): string {
  if (!context.viewerId) throw unauthenticated();
  return context.viewerId;
}

/** The signed-in user, as the one their platform look-ups are counted against. */
export const requireRequester = (context: Context): LookupRequester => ({ userId: requireViewer(context), lookups: context.policies.platformLookups });
