import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../src/db/embedded.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the run (the embedded one, or DATABASE_URL's server) and one migrated
 * template database that every test file clones into a database of its own.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger("warn");
  let adminUrl: string;
  let stopServer = async () => {};
  const given = process.env.DATABASE_URL;
  if (given) {
    adminUrl = given;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), "fanpulse-test-"));
    const server = await startEmbeddedPostgres(dataDir, logger);
    adminUrl = server.url("postgres");
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const template = `fanpulse_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${template}`);
  await admin.unsafe(`CREATE DATABASE ${template}`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  await migrateDatabase(templateUrl.toString(), logger);
  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", template);
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
    await stopServer();
  };
}
