import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

describe("the HTTP server", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers a GraphQL query over HTTP", async () => {
    const result = await api.graphql("{ __typename }");
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ __typename: "Query" });
  });

  it("reports the process up and the database ready with every migration", async () => {
    const base = api.url.replace(/\/graphql$/, "");
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; migrations: { applied: number; expected: number } };
    expect(body.status).toBe("ready");
    expect(body.migrations.applied).toBe(body.migrations.expected);
  });
});
