import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { createContext, type Context, type Services } from "../graphql/context.js";
import { limitRules, type RequestLimits } from "./limits.js";

type Extra = { context?: Context };

/** Close codes of the graphql-ws protocol's family: refused credentials and a spent budget. */
const UNAUTHORIZED = 4401;
const TOO_MANY_REQUESTS = 4429;

/** The token or key a client sends in connection_init, as `authorization` (or `Authorization`), like the HTTP header. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === "string" ? value : undefined;
}

/**
 * GraphQL subscriptions over the graphql-ws protocol, on the HTTP server's own port and the
 * /graphql path. A connection is admitted once, like a request (its credentials, its budget);
 * only subscriptions are served here, under the same document limits as HTTP, so the WebSocket is
 * no way around the limits of queries and mutations.
 */
export function startSubscriptionServer(server: Server, schema: GraphQLSchema, services: Services, limits: RequestLimits): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: limits.maxBodyBytes });
  const rules = [...specifiedRules, ...limitRules(limits)];
  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.context = await createContext(services, {
            id: randomUUID(),
            authorization: authorizationOf(ctx.connectionParams),
            clientAddress: ctx.extra.request.socket.remoteAddress ?? "unknown",
          });
          return true;
        } catch (error) {
          const code = error instanceof GraphQLError && error.extensions.code === "TOO_MANY_REQUESTS" ? TOO_MANY_REQUESTS : UNAUTHORIZED;
          // A close reason is at most 123 bytes.
          ctx.extra.socket.close(code, (error instanceof GraphQLError ? error.message : "Unauthorized").slice(0, 120));
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError("The document does not parse")];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== "subscription") {
          return [new GraphQLError("Only subscriptions are served over WebSocket: send queries and mutations over HTTP")];
        }
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue: ctx.extra.context };
      },
    },
    wss,
  );
  return {
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
