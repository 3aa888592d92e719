import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { post, startProcess } from "../helpers/process.js";

describe("fanpulse start", () => {
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("serves on an embedded PostgreSQL, keeps its data across restarts and exits 0 on SIGTERM", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fanpulse-start-"));
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const first = startProcess({ FANPULSE_DATA_DIR: dataDir, PORT: String(port) });
    const url = await first.ready;
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(await post(url, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
    const signUp = await post(url, 'mutation { signUp(input: { email: "kept@example.com", password: "password123" }) { user { email } } }');
    expect(signUp.data?.signUp.user.email).toBe("kept@example.com");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = startProcess({ FANPULSE_DATA_DIR: dataDir, PORT: String(port) });
    await second.ready;
    const signIn = await post(url, 'mutation { signIn(input: { email: "kept@example.com", password: "password123" }) { user { email } } }');
    expect(signIn.data?.signIn.user.email).toBe("kept@example.com");
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
