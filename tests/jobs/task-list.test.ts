import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createCrontab } from "../../src/jobs/crontab.js";
import { createTaskList } from "../../src/jobs/task-list.js";
import { assertTasksRegistered } from "../../src/jobs/worker.js";
import { parseCronItems } from "graphile-worker";

const services = { db: {} as never, providers: {} as never, box: {} as never, webhookDelivery: {} as never, crossLinks: {} as never, refresh: {} as never, logger: createLogger("silent") };
const registered = Object.keys(createTaskList(services));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the task list", () => {
  it("registers every task identifier the code names when it queues a job", () => {
    // Identifiers appear as the task argument of enqueue(...) and as typed TaskName constants.
    const named = new Set<string>();
    for (const file of sourceFiles("src")) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/enqueue\([^,]+,\s*"([^"]+)"/g)) named.add(match[1]!);
      for (const match of text.matchAll(/:\s*TaskName\s*=\s*"([^"]+)"/g)) named.add(match[1]!);
      for (const match of text.matchAll(/add_jobs?\([^)]*'([a-z]+:[a-z-]+)'/g)) named.add(match[1]!);
    }
    // Migrations may queue jobs too (to redo work after a fix).
    for (const file of readdirSync("drizzle").filter((name) => name.endsWith(".sql"))) {
      for (const match of readFileSync(join("drizzle", file), "utf8").matchAll(/add_jobs?\('([a-z]+:[a-z-]+)'/g)) named.add(match[1]!);
    }
    expect(named.size).toBeGreaterThan(0);
    for (const task of named) expect(registered).toContain(task);
  });

  it("registers every task the crontab names", () => {
    for (const item of createCrontab({ refresh: "0 4 * * *" })) expect(registered).toContain(item.task);
  });

  it("makes the worker refuse a crontab naming an unregistered task", () => {
    const crontab = parseCronItems([{ task: "reports:weekly", match: "0 0 * * 1", identifier: "weekly" }]);
    expect(() => assertTasksRegistered(createTaskList(services), crontab)).toThrow(/does not run: reports:weekly/);
  });
});
