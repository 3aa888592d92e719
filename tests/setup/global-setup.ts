import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startScratchServer } from "../../src/db/scratch-server.js";
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
  const server = await startScratchServer(logger, "test");
  const template = `fanpulse_template_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${template}`);
  await admin.unsafe(`CREATE DATABASE ${template}`);
  await migrateDatabase(server.urlOf(template), logger);
  project.provide("adminUrl", server.adminUrl);
  project.provide("templateDatabase", template);
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
}
