import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Database } from "../db/client.js";
import { healthRoutes } from "./health.js";
import { notFound } from "./http-errors.js";
import { metricsRoutes, type Metrics } from "./metrics.js";

export type MonitorServer = { url: string; close: () => Promise<void> };

/** /healthz, /readyz and /metrics of a process that serves no API (`npm run worker`), so it can be watched. */
export async function startMonitorServer(db: Database, metrics: Metrics, options: { port: number; host: string; metricsToken: string | undefined }): Promise<MonitorServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoutes(db));
  app.use(metricsRoutes(metrics, options.metricsToken));
  app.use(notFound);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
