import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { Logger } from "../../logger.js";
import { postgresBinaries, type Binaries } from "./binaries.js";
import { serverUser, userCan, type ServerUser } from "./os-user.js";

export type EmbeddedServer = {
  url: (database: string) => string;
  port: number;
  /** The postmaster's process id; its processes share its process group. */
  pid: number;
  stop: () => Promise<void>;
};

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

/** A data folder that the user PostgreSQL runs as cannot reach; the message says what to do. */
export class DataDirUnreachableError extends Error {
  override name = "DataDirUnreachableError";
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readPid(file: string): Promise<number | null> {
  if (!existsSync(file)) return null;
  const pid = Number((await readFile(file, "utf8")).split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Asks a postmaster for a fast shutdown and waits for it to go; an immediate one if it lingers. */
async function stopPostmaster(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGQUIT");
      await sleep(500);
      return;
    }
    await sleep(50);
  }
}

/**
 * The cluster's PostgreSQL may still run from an earlier FanPulse process: one that is alive
 * owns it (refused), one that died left it orphaned (stopped, so this process can start its own).
 */
async function takeOver(clusterDir: string, ownerFile: string, log: Logger): Promise<void> {
  const postmaster = await readPid(join(clusterDir, "postmaster.pid"));
  if (!postmaster || !isAlive(postmaster)) return;
  const owner = await readPid(ownerFile);
  if (owner === null || isAlive(owner)) {
    throw new DataDirInUseError(
      `The data folder ${clusterDir} is in use by another running PostgreSQL (pid ${postmaster}${owner ? `, started by process ${owner}` : ""}). ` +
        "Stop the other FanPulse process, or set FANPULSE_DATA_DIR to another folder, or DATABASE_URL to a server.",
    );
  }
  log.warn({ pid: postmaster, owner }, "stopping a PostgreSQL left running by a FanPulse process that died");
  await stopPostmaster(postmaster);
}

/** As root, PostgreSQL runs as another user, who must be able to enter the data folder. */
function assertReachable(user: ServerUser, dataDir: string): void {
  if (userCan(user, ["-x"], dataDir)) return;
  throw new DataDirUnreachableError(
    `The embedded PostgreSQL runs as the OS user '${user?.name}' (PostgreSQL refuses to run as root), and that user cannot reach ${dataDir}: ` +
      "a folder on the way is closed to other users. Set FANPULSE_DATA_DIR to a folder it can reach (for example /var/lib/fanpulse), " +
      "run FanPulse as a user other than root, or set DATABASE_URL to a PostgreSQL server.",
  );
}

/** Runs a binary as the server's user and resolves when it exits 0; its output goes to `logFile`. */
async function runAs(user: ServerUser, command: string, args: string[], logFile: string): Promise<void> {
  const log = await open(logFile, "a");
  try {
    const child = spawn(command, args, { ...(user ? { uid: user.uid, gid: user.gid } : {}), stdio: ["ignore", log.fd, log.fd], env: { ...process.env, LC_ALL: "C" } });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`${command} exited with ${code}; see ${logFile}`);
  } finally {
    await log.close();
  }
}

async function initialise(binaries: Binaries, user: ServerUser, clusterDir: string, password: string, logFile: string): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(tmpdir(), `fanpulse-pw-${randomBytes(6).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) await Promise.all([chown(clusterDir, user.uid, user.gid), chown(passwordFile, user.uid, user.gid)]);
    await runAs(user, binaries.initdb, [`--pgdata=${clusterDir}`, "--auth=password", "--username=postgres", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"], logFile);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Starts PostgreSQL in a process group (and session) of its own: a Ctrl-C or a SIGTERM sent to
 * FanPulse's group reaches FanPulse only, which stops the database last, after its requests and jobs.
 */
async function launch(binaries: Binaries, user: ServerUser, clusterDir: string, port: number, logFile: string): Promise<ChildProcess> {
  const log = await open(logFile, "a");
  try {
    const child = spawn(
      binaries.postgres,
      ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
      { ...(user ? { uid: user.uid, gid: user.gid } : {}), detached: true, stdio: ["ignore", log.fd, log.fd], env: { ...process.env, LC_ALL: "C" } },
    );
    child.unref();
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return child;
  } finally {
    await log.close();
  }
}

async function lastLines(file: string, count: number): Promise<string> {
  const text = existsSync(file) ? await readFile(file, "utf8") : "";
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/** Waits until the server takes connections, or fails with the end of its log when it exits first. */
async function waitUntilReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`SELECT 1`;
      return;
    } catch {
      if (exited !== undefined) throw new Error(`PostgreSQL exited with ${exited} while starting:\n${await lastLines(logFile, 10)}`);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not take connections within ${READY_TIMEOUT_MS / 1000} s:\n${await lastLines(logFile, 10)}`);
    } finally {
      await probe.end({ timeout: 0 });
    }
    await sleep(100);
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

/**
 * Starts (initialising on first use) a PostgreSQL cluster kept in `dataDir/pg`, its log in
 * `dataDir/postgres.log`, on `port` (a free one when left out).
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger, options: { port?: number } = {}): Promise<EmbeddedServer> {
  const log = logger.child({ component: "embedded-postgres" });
  await mkdir(dataDir, { recursive: true });
  const user = await serverUser();
  if (user) await chmod(dataDir, 0o755);
  assertReachable(user, dataDir);
  const clusterDir = join(dataDir, "pg");
  const ownerFile = join(dataDir, "owner.pid");
  const logFile = join(dataDir, "postgres.log");
  await takeOver(clusterDir, ownerFile, log);
  const binaries = await postgresBinaries(user);
  const password = await clusterPassword(dataDir);
  if (!existsSync(join(clusterDir, "PG_VERSION"))) {
    log.info({ clusterDir }, "initialising a new PostgreSQL cluster");
    await initialise(binaries, user, clusterDir, password, logFile);
  }
  const port = options.port ?? (await freePort());
  const url = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await writeFile(ownerFile, String(process.pid));
  const child = await launch(binaries, user, clusterDir, port, logFile);
  const pid = child.pid!;
  // A last resort if this process exits without stopping the server: ask PostgreSQL for a fast shutdown.
  const stopOnExit = () => {
    if (isAlive(pid)) process.kill(pid, "SIGINT");
  };
  process.once("exit", stopOnExit);
  try {
    await waitUntilReady(child, url("postgres"), logFile);
  } catch (error) {
    process.removeListener("exit", stopOnExit);
    await stopPostmaster(pid);
    await rm(ownerFile, { force: true });
    throw error;
  }
  log.info({ port, pid }, "embedded PostgreSQL started");
  return {
    url,
    port,
    pid,
    stop: async () => {
      process.removeListener("exit", stopOnExit);
      await stopPostmaster(pid);
      await rm(ownerFile, { force: true });
      log.info("embedded PostgreSQL stopped");
    },
  };
}
