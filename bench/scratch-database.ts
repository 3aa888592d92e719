import postgres from "postgres";
import { migrateDatabase } from "../src/db/migrate.js";
import { startScratchServer } from "../src/db/scratch-server.js";
import type { Logger } from "../src/logger.js";

/** What a bench gets: its migrated database, and the embedded server's postmaster (null with DATABASE_URL). */
export type ScratchDatabase = { url: string; serverPid: number | null };

/**
 * Runs `use` on a migrated database of its own, on DATABASE_URL's server or an embedded one in a
 * temporary folder, and drops it (and stops the embedded server) afterwards, whatever happened.
 */
export async function withScratchDatabase<T>(label: string, logger: Logger, use: (database: ScratchDatabase) => Promise<T>): Promise<T> {
  const server = await startScratchServer(logger, label);
  const name = `fanpulse_${label.replace(/\W/g, "_")}_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = server.urlOf(name);
    await migrateDatabase(url, logger);
    return await use({ url, serverPid: server.pid });
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}
