import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { post, startNpm } from "../helpers/process.js";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start", () => {
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("serves on an embedded PostgreSQL, keeps its data, and stops with exit 0 when the whole process group is signalled", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fanpulse-start-"));
    const postmasterPid = async () => Number((await readFile(join(dataDir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]);

    // A terminal's Ctrl-C (twice), then systemd's or docker's SIGTERM: each reaches npm, node and
    // everything else in the group at once.
    for (const [run, signal] of (["SIGINT", "SIGINT", "SIGTERM"] as const).entries()) {
      const server = startNpm({ FANPULSE_DATA_DIR: dataDir });
      const url = await server.ready;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      if (run === 0) {
        const signUp = await post(url, 'mutation { signUp(input: { email: "kept@example.com", password: "correct horse battery" }) { user { email } } }');
        expect(signUp.data?.signUp.user.email).toBe("kept@example.com");
      } else {
        const signIn = await post(url, 'mutation { signIn(input: { email: "kept@example.com", password: "correct horse battery" }) { user { email } } }');
        expect(signIn.data?.signIn.user.email).toBe("kept@example.com");
      }
      const postgresPid = await postmasterPid();
      process.kill(-server.child.pid!, signal);
      expect(await server.exited, server.output()).toBe(0);
      expect(server.output()).not.toMatch(/error/i);
      // PostgreSQL was stopped by FanPulse, last, not killed under it by the signal.
      expect(isAlive(postgresPid)).toBe(false);
      expect(existsSync(join(dataDir, "pg", "postmaster.pid"))).toBe(false);
    }
    // Three builds and three PostgreSQL starts and stops: on a loaded 2-core machine that alone takes most of a minute.
  }, 180_000);
});
