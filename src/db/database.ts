import postgres from "postgres";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { startEmbeddedPostgres } from "./embedded/server.js";

export type DatabaseServer = {
  url: string;
  /** True when this process started the PostgreSQL it uses. */
  embedded: boolean;
  stop: () => Promise<void>;
};

const EMBEDDED_DATABASE = "fanpulse";

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const existing = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (existing.length === 0) await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** `DATABASE_URL` when set; otherwise a PostgreSQL of our own kept in the data folder. */
export async function openDatabaseServer(config: Config, logger: Logger): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres(config.dataDir, logger);
  try {
    await ensureDatabase(server.url("postgres"), EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url(EMBEDDED_DATABASE), embedded: true, stop: server.stop };
}
