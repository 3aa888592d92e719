import { resolveJwtSecret } from "./auth/jwt-secret.js";
import { createKeySecrets } from "./auth/api-key-secrets.js";
import { createSecretBox } from "./auth/secret-box.js";
import { createNotificationHub, relayNotifications, type NotificationHub } from "./domain/alerts/live.js";
import { createTokenService } from "./auth/tokens.js";
import type { Config } from "./config.js";
import { createDatabase, type QueryListener } from "./db/client.js";
import { openDatabaseServer } from "./db/database.js";
import { migrateDatabase } from "./db/migrate.js";
import type { Services } from "./graphql/context.js";
import { buildFanPulseSchema } from "./graphql/schema.js";
import { createMetrics } from "./http/metrics.js";
import { startMonitorServer, type MonitorServer } from "./http/monitor-server.js";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { startWorker } from "./jobs/worker.js";
import type { Logger } from "./logger.js";
import { settleUnknownProvenance } from "./domain/accounts.js";
import { isSynced } from "./providers/provider.js";
import { createProviders } from "./providers/registry.js";

export type Roles = { api: boolean; worker: boolean };

/** What a caller may supply instead of what configuration would build (tests count statements through `onQuery`). */
export type AppOverrides = { onQuery?: QueryListener; workerPollInterval?: number };

export type App = {
  /** The GraphQL endpoint, when this process serves the API. */
  url: string | null;
  /** Where /healthz, /readyz and /metrics are served. */
  monitorUrl: string | null;
  services: Services;
  /** This process's live subscribers, when it serves the API. */
  live: NotificationHub | null;
  stop: () => Promise<void>;
};

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
    // The API's statements are cut at the statement timeout; jobs (a population's momentum) may run longer.
    const apiDatabase = createDatabase(server.url, {
      onQuery: overrides.onQuery,
      statementTimeoutMs: config.statementTimeoutMs,
      // PostgreSQL cuts a slow statement first; the client gives up a second later on a server that does not answer at all.
      deadlineMs: config.statementTimeoutMs + 1_000,
      name: "fanpulse-api",
      prepare: true,
    });
    stops.push({ name: "API database pool", run: apiDatabase.close });
    const providers = createProviders(config, apiDatabase.db, logger);
    const settled = await settleUnknownProvenance(apiDatabase.db, (platform) => isSynced(platform) && providers.forNewAccount(platform).simulated);
    if (settled > 0) logger.warn({ accounts: settled }, "accounts of an earlier release took the provenance of the configured providers (simulated or live)");
    if (providers.configured.some((p) => p.simulated)) {
      logger.warn("PROVIDERS=simulated: new artists get SIMULATED audience figures (the offline demo), not real platform data");
    }
    const serverSecret = await resolveJwtSecret(config);
    const services: Services = {
      db: apiDatabase.db,
      providers,
      tokens: createTokenService(serverSecret, config.jwtTtlSeconds),
      keys: createKeySecrets(serverSecret),
      box: createSecretBox(serverSecret),
      webhookDelivery: config.webhookDelivery,
      policies: config.policies,
      logger,
    };
    const metrics = createMetrics(apiDatabase.db);
    if (roles.worker) {
      const jobDatabase = createDatabase(server.url, { name: "fanpulse-worker" });
      stops.push({ name: "worker database pool", run: jobDatabase.close });
      const worker = await startWorker(
        {
          ...services,
          db: jobDatabase.db,
          crossLinks: { ...config.crossLinks, musicBrainzRate: config.rateLimits.musicbrainz },
          refresh: { ...config.refresh, rates: config.rateLimits },
        },
        {
          connectionString: server.url,
          concurrency: config.workerConcurrency,
          schedule: { refresh: config.metricsRefreshCron },
          pollInterval: overrides.workerPollInterval,
          deadAfterSeconds: config.workerDeadAfterSeconds,
          // Jobs get half the shutdown's time to finish on their own; aborted, they still end well within it.
          abortJobsAfterMs: Math.floor(config.shutdownTimeoutMs / 2),
        },
        logger,
        metrics,
      );
      stops.push({ name: "worker (waits for running jobs)", run: worker.stop });
    }
    let http: HttpServer | undefined;
    let live: NotificationHub | null = null;
    if (roles.api) {
      live = createNotificationHub();
      stops.push({ name: "live notifications relay", run: await relayNotifications(apiDatabase.client, apiDatabase.db, live, logger) });
      http = await startHttpServer(await buildFanPulseSchema(live), services, {
        port: config.port,
        host: config.host,
        introspection: config.introspection,
        graphiql: config.graphiql,
        limits: config.limits,
        trustProxy: config.trustProxy,
        metrics,
        metricsToken: config.metricsToken,
        corsOrigins: config.corsOrigins,
      });
      stops.push({ name: "HTTP server (waits for requests in flight)", run: http.close });
    }
    let monitor: MonitorServer | undefined;
    if (!roles.api) {
      monitor = await startMonitorServer(apiDatabase.db, metrics, { ...config.workerMonitor, metricsToken: config.metricsToken });
      stops.push({ name: "health and metrics server", run: monitor.close });
    }
    return { url: http?.url ?? null, monitorUrl: monitor?.url ?? http?.url.replace(/\/graphql$/, "") ?? null, services, live, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
