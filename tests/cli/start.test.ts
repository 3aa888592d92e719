import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** Runs `fanpulse start` as `npm start` does, with no DATABASE_URL: the embedded PostgreSQL. */
function start(dataDir: string, port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, FANPULSE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const url = /FanPulse is ready: (\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, ready, exited, output: () => output };
}

const post = (url: string, query: string) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) }).then(
    (r) => r.json() as Promise<{ data?: any }>,
  );

describe("fanpulse start", () => {
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("serves on an embedded PostgreSQL, keeps its data across restarts and exits 0 on SIGTERM", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fanpulse-start-"));
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const first = start(dataDir, port);
    const url = await first.ready;
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(await post(url, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
    const signUp = await post(url, 'mutation { signUp(input: { email: "kept@example.com", password: "password123" }) { user { email } } }');
    expect(signUp.data?.signUp.user.email).toBe("kept@example.com");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = start(dataDir, port);
    await second.ready;
    const signIn = await post(url, 'mutation { signIn(input: { email: "kept@example.com", password: "password123" }) { user { email } } }');
    expect(signIn.data?.signIn.user.email).toBe("kept@example.com");
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
