import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { createContext, type Context, type Services } from "../graphql/context.js";
import { createErrorFormatter } from "../graphql/errors.js";
import { healthRoutes } from "./health.js";

export type HttpServer = { server: Server; url: string; close: () => Promise<void> };

export type HttpOptions = { port: number; host: string; introspection: boolean };

export async function startHttpServer(schema: GraphQLSchema, services: Services, options: HttpOptions): Promise<HttpServer> {
  const app = express();
  const server = createServer(app);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    csrfPrevention: true,
    // Shutdown is ordered by the process (requests, then jobs, then the database), not by Apollo.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(services.logger),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server })],
  });
  await apollo.start();
  app.disable("x-powered-by");
  app.use(healthRoutes(services.db));
  app.use(
    "/graphql",
    express.json({ limit: "100kb" }),
    expressMiddleware(apollo, { context: ({ req }) => createContext(services, req.headers.authorization) }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return { server, url: `http://${host}:${port}/graphql`, close: () => apollo.stop() };
}
