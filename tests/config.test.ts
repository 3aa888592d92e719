import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.fanpulse$/);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ NODE_ENV: "production" }, "JWT_SECRET"],
    [{ JWT_SECRET: "short" }, "JWT_SECRET"],
    [{ WORKER_CONCURRENCY: "0" }, "WORKER_CONCURRENCY"],
    [{ SPOTIFY_CLIENT_ID: "only-the-id" }, "SPOTIFY_CLIENT_ID"],
    [{ PROVIDERS: "everything" }, "PROVIDERS"],
    [{ SPOTIFY_WEB_URL: "open.spotify.com" }, "SPOTIFY_WEB_URL"],
    [{ METRICS_REFRESH_CRON: "every day" }, "METRICS_REFRESH_CRON"],
    [{ METRICS_REFRESH_CRON: "61 * * * *" }, "METRICS_REFRESH_CRON"],
    [{ REFRESH_QUOTA_SHARE: "1.5" }, "REFRESH_QUOTA_SHARE"],
    [{ REFRESH_DEADLINE_HOURS: "30" }, "REFRESH_DEADLINE_HOURS"],
    [{ MAX_BATCH: "-1" }, "MAX_BATCH"],
    [{ GRAPHIQL: "yes" }, "GRAPHIQL"],
  ])("refuses %o with a message naming %s", (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${setting}: `, "m"));
  });
});
