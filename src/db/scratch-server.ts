import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { startEmbeddedPostgres } from "./embedded/server.js";

export type ScratchServer = {
  /** A URL to the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  /** The URL of database `name` on the same server. */
  urlOf: (name: string) => string;
  /** The embedded server's postmaster, the parent of its backends; null for DATABASE_URL's server. */
  pid: number | null;
  stop: () => Promise<void>;
};

/**
 * A server for throwaway databases (tests, benchmarks): the one DATABASE_URL names, or an
 * embedded PostgreSQL in a temporary folder that `stop` removes.
 */
/** The URL of database `name` on the server `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startScratchServer(logger: Logger, label: string): Promise<ScratchServer> {
  const urlOf = (adminUrl: string) => (name: string) => databaseUrl(adminUrl, name);
  const given = process.env.DATABASE_URL;
  if (given) return { adminUrl: given, urlOf: urlOf(given), pid: null, stop: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), `fanpulse-${label}-`));
  const server = await startEmbeddedPostgres(dir, logger);
  const adminUrl = server.url("postgres");
  return {
    adminUrl,
    urlOf: urlOf(adminUrl),
    pid: server.pid,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
