import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { startApp, type Roles } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabaseServer } from "./db/database.js";
import { DataDirInUseError, DataDirUnreachableError } from "./db/embedded/server.js";
import { migrateDatabase } from "./db/migrate.js";
import { buildFanPulseSchema, printFanPulseSchema } from "./graphql/schema.js";
import { createLogger, type Logger } from "./logger.js";
import { runLegacyImport } from "./legacy/command.js";
import { runSeed } from "./seed/command.js";
import { runMomentumCheck } from "./cli/check-momentum.js";

const USAGE = "usage: fanpulse <start | api | worker | migrate | seed | import-legacy | check-momentum | emit-schema>";

const ROLES: Record<string, Roles> = {
  start: { api: true, worker: true },
  api: { api: true, worker: false },
  worker: { api: false, worker: true },
};

/**
 * Runs until SIGINT or SIGTERM, then stops taking work, lets requests and jobs in flight finish,
 * closes the pools and the embedded database, and exits 0; 1 when that outlasts SHUTDOWN_TIMEOUT_MS.
 */
async function serve(roles: Roles, config: Config, logger: Logger): Promise<void> {
  const app = await startApp(config, roles, logger);
  if (app.url) logger.info({ url: app.url }, `FanPulse API listening on ${app.url}`);
  if (app.url) console.log(`FanPulse is ready: ${app.url} (GraphiQL: ${app.url.replace(/graphql$/, "graphiql")})`);
  else console.log(`FanPulse is ready: ${app.monitorUrl}/healthz (jobs only; metrics at ${app.monitorUrl}/metrics)`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutting down");
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "unclean shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

async function main(command: string | undefined): Promise<void> {
  if (command === "emit-schema") {
    await writeFile("schema.graphql", printFanPulseSchema(await buildFanPulseSchema()));
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (command && !(command in ROLES)) {
    // One-shot commands stop at a signal by exiting, which stops an embedded PostgreSQL on the way out.
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  }
  if (command === "migrate") {
    const server = await openDatabaseServer(config, logger);
    try {
      await migrateDatabase(server.url, logger);
      logger.info("migrations applied");
    } finally {
      await server.stop();
    }
    return;
  }
  if (command === "import-legacy") {
    await runLegacyImport(config, logger, process.argv.slice(3));
    return;
  }
  if (command === "check-momentum") {
    if (!(await runMomentumCheck(config, logger, process.argv.slice(3)))) process.exitCode = 1;
    return;
  }
  if (command === "seed") {
    await runSeed(config, logger, process.argv.slice(3));
    return;
  }
  const roles = command ? ROLES[command] : undefined;
  if (!roles) {
    console.error(USAGE);
    process.exit(2);
  }
  await serve(roles, config, logger);
}

main(process.argv[2]).catch((error: unknown) => {
  // Errors that explain themselves are printed without a stack trace.
  const explained = error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof DataDirUnreachableError || (error instanceof Error && /^--[a-z-]+: /.test(error.message));
  console.error(explained ? (error as Error).message : error);
  process.exit(1);
});
