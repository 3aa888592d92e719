import { randomUUID } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { Kind, type OperationDefinitionNode } from "graphql";
import type { Context } from "../graphql/context.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";

declare module "express-serve-static-core" {
  interface Request {
    id: string;
  }
}

/** Every request gets an id (the caller's X-Request-Id when it is sane), echoed in the response. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.header("x-request-id");
  req.id = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader("x-request-id", req.id);
  next();
};

/**
 * A request's metrics label, from a set the schema bounds (a client's operation names are
 * unbounded): the one root field it asks for (`query.myArtists`), `<type>.multiple` for several,
 * `other` when no valid operation was found.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return "other";
  const selections = operation.selectionSet.selections;
  const [only] = selections;
  if (selections.length > 1) return `${operation.operation}.multiple`;
  return only?.kind === Kind.FIELD ? `${operation.operation}.${only.name.value}` : "other";
}

/**
 * One log line and one metrics sample per GraphQL request: its id, operation, duration and
 * outcome. Variables are never logged: they carry passwords, tokens and private notes.
 */
export function requestLogPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, operation }) {
          const seconds = (performance.now() - started) / 1000;
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
          const outcome = codes.length === 0 ? "success" : "error";
          metrics.requestDuration.observe({ operation: operationLabel(operation), outcome }, seconds);
          for (const code of codes) metrics.errors.inc({ code });
          logger.info(
            { requestId: contextValue.requestId, operation: operationName ?? "anonymous", durationMs: Math.round(seconds * 1000), outcome, errorCodes: codes, status: response.http.status ?? 200 },
            "graphql request",
          );
        },
      };
    },
  };
}
