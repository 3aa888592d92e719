import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseLegacyOptions } from "../../src/legacy/command.js";
import { createTestDatabase } from "../helpers/database.js";
import { createLegacyDatabase, U } from "./fixture.js";

describe("npm run import-legacy options", () => {
  it("reads --from, --dry-run, --batch-size and --report", () => {
    expect(parseLegacyOptions(["--from", "postgres://u:p@db:5432/legacy", "--dry-run", "--batch-size", "100", "--report", "r.json"])).toEqual({
      from: "postgres://u:p@db:5432/legacy",
      dryRun: true,
      batchSize: 100,
      reportFile: "r.json",
    });
    expect(parseLegacyOptions(["--from", "postgresql://db/legacy"])).toMatchObject({ dryRun: false, batchSize: 500 });
  });

  it.each([
    [[], /^--from: /],
    [["--from", "mysql://db/legacy"], /^--from: /],
    [["--from", "postgres://db/x", "--batch-size", "0"], /^--batch-size: /],
    [["--from", "postgres://db/x", "--force"], /force/],
  ])("refuses %o naming the option", (argv, message) => {
    expect(() => parseLegacyOptions(argv)).toThrow(message);
  });
});

describe("npm run import-legacy, end to end", () => {
  it("imports, prints progress and the report, and a second run imports nothing", async () => {
    const legacy = await createLegacyDatabase();
    const target = await createTestDatabase();
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "import-legacy", "--from", legacy.url, ...args], {
          env: { ...process.env, DATABASE_URL: target.url, LOG_LEVEL: "warn" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const dry = await run("--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain("DRY RUN: nothing was written");
      const first = await run("--batch-size", "2");
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/users: 5\/5 \(100%\)/);
      expect(first.stdout).toMatch(/^users \| 5 \| 4 \| 0 \| 0 \| 1$/m);
      expect(first.stdout).toContain("OAuth tokens not carried over: 3");
      expect(first.stdout).toContain(`${U.aliceAgain}: email "alice@example.com" belongs to user`);
      const second = await run();
      expect(second.stdout).toMatch(/^users \| 5 \| 0 \| 0 \| 4 \| 1$/m);
    } finally {
      await target.drop();
      await legacy.drop();
    }
  });
});
