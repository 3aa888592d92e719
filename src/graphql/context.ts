import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import { admit } from "../auth/authenticate.js";
import type { KeySecrets } from "../auth/api-key-secrets.js";
import type { SecretBox } from "../auth/secret-box.js";
import type { DeliveryPolicy } from "../domain/webhooks/deliver.js";
import type { Credential } from "../auth/authenticate.js";
import type { TokenService } from "../auth/tokens.js";
import type { Database } from "../db/client.js";
import type { UserRow } from "../db/schema.js";
import { isDatabaseUnavailable } from "../db/deadline.js";
import { DomainError, unauthenticated } from "../domain/errors.js";
import type { LookupRequester } from "../domain/platform-lookups.js";
import type { Policies } from "../domain/policies.js";
import type { Logger } from "../logger.js";
import type { Providers } from "../providers/provider.js";
import { HTTP_STATUS } from "./errors.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** What lives as long as the process: shared by every request. */
export type Services = {
  db: Database;
  providers: Providers;
  tokens: TokenService;
  keys: KeySecrets;
  /** Seals the secrets the server must read back (webhooks' signing secrets). */
  box: SecretBox;
  /** Where webhooks may point and how long a receiver gets. */
  webhookDelivery: DeliveryPolicy;
  policies: Policies;
  logger: Logger;
};

export type Context = Services & {
  requestId: string;
  viewerId: string | null;
  /** How the viewer signed in: the scope of an API key, or the session of a token. */
  credential: Credential | null;
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
 * UNAUTHENTICATED (HTTP 401) and the reason, and a spent request budget with TOO_MANY_REQUESTS
 * (HTTP 429, Retry-After).
 */
export async function createContext(services: Services, request: RequestFacts): Promise<Context> {
  let viewer;
  try {
    viewer = await admit(services, request.authorization);
  } catch (error) {
    throw admissionError(error);
  }
  const loaders = createLoaders(services.db, viewer?.user.id ?? null);
  if (viewer) loaders.user.prime(viewer.user.id, viewer.user);
  return {
    ...services,
    logger: services.logger.child({ requestId: request.id }),
    requestId: request.id,
    viewerId: viewer?.user.id ?? null,
    credential: viewer?.credential ?? null,
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

/** The signed-in user and the session of their token (account management needs a password sign-in). */
export async function requireSession(context: Context): Promise<{ user: UserRow; sessionId: string }> {
  const userId = requireViewer(context);
  if (context.credential?.kind !== "session") throw unauthenticated();
  const user = await context.loaders.user.load(userId);
  if (!user) throw unauthenticated();
  return { user, sessionId: context.credential.sessionId };
}

/** The signed-in user, as the one their platform look-ups are counted against. */
export const requireRequester = (context: Context): LookupRequester => ({ userId: requireViewer(context), lookups: context.policies.platformLookups });

/** A refused admission as the GraphQL-over-HTTP answer a client can act on. */
export function admissionError(error: unknown): GraphQLError {
  if (isDatabaseUnavailable(error)) {
    return new GraphQLError("The database is not answering; try again in a few seconds", { extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } } });
  }
  if (!(error instanceof DomainError)) throw error;
  const retryAfter = error.details?.retryAfter;
  const http = { status: HTTP_STATUS[error.code], ...(retryAfter !== undefined ? { headers: new HeaderMap([["retry-after", String(retryAfter)]]) } : {}) };
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details, http } });
}
