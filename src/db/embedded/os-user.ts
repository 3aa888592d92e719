import { execFile } from "node:child_process";
import { spawnSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The OS user PostgreSQL runs as: itself when not root; as root, a `postgres` user (made when missing). */
export type ServerUser = { uid: number; gid: number; name: string } | null;

const SERVER_USER = "postgres";

async function idsOf(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** PostgreSQL refuses to run as root, so a root process runs it as an unprivileged user of its own. */
export async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return null;
  const existing = await idsOf(SERVER_USER);
  if (existing) return { ...existing, name: SERVER_USER };
  await run("groupadd", ["--system", SERVER_USER]).catch(() => undefined);
  await run("useradd", ["--system", "--gid", SERVER_USER, "--no-create-home", SERVER_USER]);
  const made = await idsOf(SERVER_USER);
  if (!made) throw new Error(`Could not create the OS user '${SERVER_USER}' that the embedded PostgreSQL runs as`);
  return { ...made, name: SERVER_USER };
}

/** Whether `user` may do what `test` checks (`-x` to enter or run, `-w` to write) on `path`, every folder on the way included. */
export function userCan(user: ServerUser, flags: string[], path: string): boolean {
  if (!user) return true;
  const args = flags.flatMap((flag, i) => (i === 0 ? [flag, path] : ["-a", flag, path]));
  return spawnSync("test", args, { uid: user.uid, gid: user.gid }).status === 0;
}
