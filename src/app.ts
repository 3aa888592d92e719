import type { Runner } from "graphile-worker";
import { resolveJwtSecret } from "./auth/jwt-secret.js";
import { createTokenService } from "./auth/tokens.js";
import type { Config } from "./config.js";
import { createDatabase, type QueryListener } from "./db/client.js";
import { openDatabaseServer } from "./db/database.js";
import { migrateDatabase } from "./db/migrate.js";
import type { Services } from "./graphql/context.js";
import { buildFanPulseSchema } from "./graphql/schema.js";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { startWorker } from "./jobs/worker.js";
import type { Logger } from "./logger.js";
import type { Providers } from "./providers/provider.js";
import { createProviders } from "./providers/registry.js";

export type Roles = { api: boolean; worker: boolean };

/** What a caller may supply instead of what configuration would build (tests count statements through `onQuery`). */
export type AppOverrides = { onQuery?: QueryListener; providers?: Providers; workerPollInterval?: number };

export type App = { url: string | null; services: Services; stop: () => Promise<void> };

/**
 * Opens the database (starting an embedded one when needed), migrates it, and starts the
 * API, the worker or both. `stop` undoes it all in reverse order.
 */
export async function startApp(config: Config, roles: Roles, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const stops: { name: string; run: () => Promise<void> }[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      logger.debug(`stopping ${step.name}`);
      await step.run();
    }
  };
  try {
    const server = await openDatabaseServer(config, logger);
    stops.push({ name: "database server", run: server.stop });
    await migrateDatabase(server.url, logger);
    const database = createDatabase(server.url, { onQuery: overrides.onQuery });
    stops.push({ name: "database pool", run: database.close });
    const providers = overrides.providers ?? createProviders(config, database.db, logger);
    if (Object.values(providers).some((p) => p.simulated)) {
      logger.warn("no provider credentials configured: audience figures are SIMULATED, not real platform data");
    }
    const services: Services = {
      db: database.db,
      providers,
      tokens: createTokenService(await resolveJwtSecret(config), config.jwtTtlSeconds),
      logger,
    };
    let runner: Runner | undefined;
    if (roles.worker) {
      runner = await startWorker(
        services,
        {
          connectionString: server.url,
          concurrency: config.workerConcurrency,
          schedule: { refresh: config.metricsRefreshCron, momentum: config.momentumCron },
          pollInterval: overrides.workerPollInterval,
        },
        logger,
      );
      stops.push({ name: "worker", run: () => runner!.stop() });
    }
    let http: HttpServer | undefined;
    if (roles.api) {
      http = await startHttpServer(await buildFanPulseSchema(), services, {
        port: config.port,
        host: config.host,
        introspection: config.env !== "production",
      });
      stops.push({ name: "HTTP server", run: http.close });
    }
    return { url: http?.url ?? null, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
