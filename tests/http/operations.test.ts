import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { deferred } from "../helpers/deferred.js";
import { waitFor } from "../helpers/wait.js";

describe("logs, metrics and the statement timeout", () => {
  let api: TestApi;
  const lines: string[] = [];
  beforeAll(async () => {
    api = await startTestApi({ logs: { write: (line: string) => void lines.push(line) }, env: { STATEMENT_TIMEOUT_MS: "2000" } });
  });
  afterAll(() => api.close());

  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it("logs each request as JSON with its id, operation, duration and outcome, and never its secrets", async () => {
    const password = "a-very-secret-password";
    const signUp = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-123" },
      body: JSON.stringify({
        query: "mutation CreateAccount($input: SignUpInput!) { signUp(input: $input) { token user { id } } }",
        variables: { input: { email: "logged@example.com", password } },
      }),
    });
    expect(signUp.headers.get("x-request-id")).toBe("req-123");
    const { data } = (await signUp.json()) as any;
    const token: string = data.signUp.token;
    const tracked = await api.graphql(`mutation Track { trackArtist(input: { spotifyId: "4Z8W4fKeB5YxbusRsdQVPb" }) { artist { id } } }`, {}, token);
    const notes = "private note about a secret deal";
    await api.graphql(
      `mutation Note($input: UpdateTrackedArtistInput!) { updateTrackedArtist(input: $input) { id } }`,
      { input: { artistId: tracked.data?.trackArtist.artist.id, customNotes: notes } },
      token,
    );
    await api.graphql("query Broken { myArtists(first: 1000) { totalCount } }", {}, token);

    const request = entries().find((e) => e.requestId === "req-123" && e.msg === "graphql request");
    expect(request).toMatchObject({ operation: "CreateAccount", outcome: "success", status: 200 });
    expect(typeof request?.durationMs).toBe("number");
    expect(entries().find((e) => e.operation === "Broken")).toMatchObject({ outcome: "error", errorCodes: ["BAD_USER_INPUT"] });
    const all = lines.join("\n");
    expect(all).not.toContain(password);
    expect(all).not.toContain(token);
    expect(all).not.toContain(notes);
  });

  it("answers an internal failure with a bare INTERNAL_SERVER_ERROR, and logs it without the request's private data", async () => {
    const { token } = await api.signUp();
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "0OdUWJ0sBjDrqHygGUXeCF" }) { artist { id } } }`, {}, token);
    // A database fault the API cannot foresee: every change of a link fails.
    await api.app.services.db.execute(sql`
      CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
      CREATE TRIGGER refuse BEFORE UPDATE ON user_artists FOR EACH ROW EXECUTE FUNCTION refuse();`);
    try {
      const notes = "my secret plan for this artist";
      const result = await api.graphql(
        `mutation($input: UpdateTrackedArtistInput!) { updateTrackedArtist(input: $input) { id } }`,
        { input: { artistId: tracked.data?.trackArtist.artist.id, customNotes: notes } },
        token,
      );
      expect(result.errors).toEqual([{ message: "Internal server error", path: ["updateTrackedArtist"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
      const logged = entries().find((e) => e.msg === "internal error in a GraphQL request");
      expect(JSON.stringify(logged)).toContain("disk on fire");
      expect(lines.join("\n")).not.toContain(notes);
    } finally {
      await api.app.services.db.execute(sql`DROP TRIGGER refuse ON user_artists; DROP FUNCTION refuse();`);
    }
  });

  const scrape = async (headers: Record<string, string> = {}) => fetch(api.url.replace(/\/graphql$/, "/metrics"), { headers });

  const sample = (text: string, series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it("serves Prometheus metrics: requests and latency by root field, errors by code, jobs", async () => {
    const before = await (await scrape()).text();
    const added = (text: string, series: string) => sample(text, series) - sample(before, series);
    await api.graphql("query Ping { __typename }");
    await api.graphql("query Pong { __typename }");
    await api.graphql("query Private { myArtists { totalCount } }");
    await api.graphql("query Two { serviceInfo { simulatedData } __typename }");
    const response = await scrape();
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(added(text, 'fanpulse_graphql_request_duration_seconds_count{operation="query.__typename",outcome="success"}')).toBe(2);
    expect(added(text, 'fanpulse_graphql_request_duration_seconds_count{operation="query.myArtists",outcome="error"}')).toBe(1);
    expect(added(text, 'fanpulse_graphql_request_duration_seconds_count{operation="query.multiple",outcome="success"}')).toBe(1);
    expect(added(text, 'fanpulse_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(text).toMatch(/^fanpulse_jobs_waiting \d+$/m);
    expect(text).toContain("# TYPE fanpulse_jobs_total counter");
  });

  it("keeps a bounded set of metric labels whatever operation names clients make up", async () => {
    const before = (await (await scrape()).text()).length;
    for (let n = 0; n < 200; n++) {
      await api.graphql(`query Made${n}Up${"x".repeat(100)} { __typename }`);
      await api.graphql(`query Broken${n} { nope${n} }`);
    }
    const text = await (await scrape()).text();
    expect(text).not.toMatch(/Made\d+Up|Broken\d+|nope/);
    expect(text).toMatch(/^fanpulse_graphql_request_duration_seconds_count\{operation="other",outcome="error"\} \d+$/m);
    // 400 requests added a few samples to series that existed, not 400 series.
    expect(text.length - before).toBeLessThan(5_000);
  });

  it("cuts a statement at the statement timeout with an error naming it, and keeps serving", async () => {
    const { token } = await api.signUp();
    // Another session holds a lock the query needs until the query is over, so the query waits past the timeout.
    const blocker = postgres(api.database.url, { max: 1, onnotice: () => {} });
    const release = deferred();
    const locked = blocker.begin(async (tx) => {
      await tx`LOCK TABLE user_artists IN ACCESS EXCLUSIVE MODE`;
      await release.promise;
    });
    try {
      await waitFor("the lock to be held", async () => {
        const held = await api.app.services.db.execute(
          sql`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'user_artists' AND l.mode = 'AccessExclusiveLock' AND l.granted`,
        );
        return held.length > 0;
      });
      const result = await api.graphql("{ myArtists { totalCount } }", {}, token);
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: "TIMEOUT" } });
      expect(result.errors?.[0]?.message).toMatch(/STATEMENT_TIMEOUT_MS/);
    } finally {
      release.resolve();
      await locked;
      await blocker.end();
    }
    expect((await api.graphql("{ myArtists { totalCount } }", {}, token)).data).toEqual({ myArtists: { totalCount: 0 } });
  });
});

describe("production mode", () => {
  let api: TestApi;
  afterAll(() => api?.close());

  it("turns introspection and GraphiQL off unless enabled", async () => {
    api = await startTestApi({ env: { NODE_ENV: "production" } });
    const introspection = await api.graphql("{ __schema { types { name } } }");
    expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect((await fetch(api.url.replace(/\/graphql$/, "/graphiql"))).status).toBe(404);
    expect((await api.graphql("{ __typename }")).data).toEqual({ __typename: "Query" });
    await api.close();
    api = await startTestApi({ env: { NODE_ENV: "production", GRAPHIQL: "on", INTROSPECTION: "on" } });
    expect((await api.graphql("{ __schema { queryType { name } } }")).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect((await fetch(api.url.replace(/\/graphql$/, "/graphiql"))).status).toBe(200);
  });
});

describe("who may read /metrics", () => {
  let api: TestApi;
  afterAll(() => api?.close());
  const metricsUrl = () => api.url.replace(/\/graphql$/, "/metrics");

  it("serves this host only when no token is set, even through a trusted proxy", async () => {
    api = await startTestApi({ env: { TRUST_PROXY: "loopback" } });
    expect((await fetch(metricsUrl())).status).toBe(200);
    const proxied = await fetch(metricsUrl(), { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(proxied.status).toBe(403);
    expect(await proxied.json()).toEqual({ errors: [{ message: expect.stringMatching(/METRICS_TOKEN/), extensions: { code: "FORBIDDEN" } }] });
    await api.close();
  });

  it("asks every scraper for the token when one is set", async () => {
    const token = "a-scrape-token-of-some-length";
    api = await startTestApi({ env: { METRICS_TOKEN: token } });
    const bare = await fetch(metricsUrl());
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(metricsUrl(), { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    const scraped = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("fanpulse_database_up");
  });
});
