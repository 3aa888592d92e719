import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { isDatabaseUnavailable } from "../db/deadline.js";
import { DomainError, type ErrorCode } from "../domain/errors.js";
import { loggableError, type Logger } from "../logger.js";

/** Codes graphql-js, Apollo and our own checks before execution give, safe to show as they are. */
const REQUEST_ERRORS = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "UNAUTHENTICATED",
  "TOO_MANY_REQUESTS",
  "SERVICE_UNAVAILABLE",
]);

/** The HTTP status of a refusal that ends a whole request (its admission, an export). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** Extensions a client may read besides the code. */
const CLIENT_EXTENSIONS = ["argument", "reason", "retryAfter"];

/** PostgreSQL's query_canceled, which statement_timeout raises. */
const STATEMENT_TIMEOUT = "57014";

/** An error and the errors it wraps (drizzle wraps the driver's error as its `cause`). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  return chain;
}

/** Our errors keep their code and message; anything unexpected is logged and shown as a bare INTERNAL_SERVER_ERROR. */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...(original.argument ? { argument: original.argument } : {}), ...original.details },
      };
    }
    if (isDatabaseUnavailable(original)) {
      return {
        message: "The database is not answering; try again in a few seconds",
        path: formatted.path,
        extensions: { code: "SERVICE_UNAVAILABLE" },
      };
    }
    if (causes(original).some((e) => (e as { code?: string }).code === STATEMENT_TIMEOUT)) {
      return {
        message: "The database did not answer within the statement timeout (STATEMENT_TIMEOUT_MS); try again or ask for less",
        path: formatted.path,
        extensions: { code: "TIMEOUT" },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERRORS.has(code)) {
      const extras = Object.fromEntries(CLIENT_EXTENSIONS.flatMap((key) => (formatted.extensions?.[key] === undefined ? [] : [[key, formatted.extensions[key]]])));
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code, ...extras } };
    }
    logger.error({ err: loggableError(original), path: formatted.path }, "internal error in a GraphQL request");
    return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
