import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { startProcess } from "../helpers/process.js";

describe("npm run worker", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("serves /healthz, /readyz and /metrics on a port of its own, and no API", async () => {
    const worker = startProcess({ DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, PROVIDERS: "simulated" }, "worker");
    try {
      const healthz = await worker.ready;
      const base = healthz.replace(/\/healthz$/, "");
      expect(await (await fetch(healthz)).json()).toEqual({ status: "ok" });
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: "ready" });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^fanpulse_jobs_waiting \d+$/m);
      const graphql = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
      expect(graphql.status).toBe(404);
    } finally {
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }
  });
});
