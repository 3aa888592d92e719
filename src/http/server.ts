import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { createContext, type Context, type Services } from "../graphql/context.js";
import { createErrorFormatter } from "../graphql/errors.js";
import { exportRoutes } from "./exports.js";
import { graphiqlRoutes } from "./graphiql.js";
import { healthRoutes } from "./health.js";
import { browsersToGraphiql, httpErrors, notFound, responseSizeLimit } from "./http-errors.js";
import { batchLimit, limitRules, requestRulesPlugin, type RequestLimits } from "./limits.js";
import { metricsRoutes, type Metrics } from "./metrics.js";
import { requestId, requestLogPlugin } from "./request-log.js";
import { startSubscriptionServer } from "./subscriptions.js";

/** Every answer is its caller's own (or says who may see what): no cache on the way may keep it. */
const privateAnswers: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set("cache-control", "no-store");
      },
    };
  },
};

export type HttpServer = { server: Server; url: string; close: () => Promise<void> };

export type HttpOptions = {
  port: number;
  host: string;
  introspection: boolean;
  graphiql: boolean;
  limits: RequestLimits;
  trustProxy: string | undefined;
  metrics: Metrics;
  metricsToken: string | undefined;
  corsOrigins: string[];
};

export async function startHttpServer(schema: GraphQLSchema, services: Services, options: HttpOptions): Promise<HttpServer> {
  const app = express();
  const server = createServer(app);
  const { limits } = options;
  const subscriptions = startSubscriptionServer(server, schema, services, limits);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    // Without introspection, errors do not hint at the schema either ("Did you mean ...?").
    hideSchemaDetailsFromClientErrors: !options.introspection,
    // GET and simple POSTs need a header a cross-site form or image cannot send.
    csrfPrevention: true,
    // Shutdown is ordered by the process (requests, then jobs, then the database), not by Apollo.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitRules(limits),
    formatError: createErrorFormatter(services.logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      { serverWillStart: async () => ({ drainServer: subscriptions.close }) },
      ApolloServerPluginLandingPageDisabled(),
      // No field has a cache hint, so Apollo's cache-control plugin only ever answered no-store, at
      // the price of a hook around every field resolved: the header is set here instead.
      ApolloServerPluginCacheControlDisabled(),
      privateAnswers,
      requestRulesPlugin(schema, limits.maxComplexity),
      requestLogPlugin(services.logger, options.metrics),
    ],
  });
  await apollo.start();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", options.trustProxy);
  app.use(requestId);
  app.use(healthRoutes(services.db));
  app.use(metricsRoutes(options.metrics, options.metricsToken));
  if (options.graphiql) app.use(graphiqlRoutes());
  const webOrigins = cors({
    origin: options.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-request-id"],
    exposedHeaders: ["x-request-id", "retry-after", "content-disposition"],
    maxAge: 600,
  });
  app.use("/export", webOrigins);
  app.use(exportRoutes(services));
  app.use(
    "/graphql",
    webOrigins,
    browsersToGraphiql(options.graphiql),
    express.json({ limit: limits.maxBodyBytes, type: ["application/json", "application/graphql-response+json"] }),
    batchLimit(limits.maxBatch),
    responseSizeLimit(limits.maxResponseBytes),
    expressMiddleware(apollo, {
      context: ({ req }) => createContext(services, { id: req.id, authorization: req.headers.authorization, clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
    }),
  );
  app.use(notFound);
  app.use(httpErrors(limits.maxBodyBytes, services.logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return { server, url: `http://${host}:${port}/graphql`, close: () => apollo.stop() };
}
