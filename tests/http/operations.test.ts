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

  it("serves Prometheus metrics: requests and latency by operation, errors by code, jobs", async () => {
    await api.graphql("query Ping { __typename }");
    await api.graphql("query Ping { __typename }");
    await api.graphql("query Private { myArtists { totalCount } }");
    const response = await fetch(api.url.replace(/\/graphql$/, "/metrics"));
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^fanpulse_graphql_request_duration_seconds_count\{operation="Ping",outcome="success"\} 2$/m);
    expect(text).toMatch(/^fanpulse_graphql_errors_total\{code="UNAUTHENTICATED"\} 1$/m);
    expect(text).toMatch(/^fanpulse_jobs_waiting \d+$/m);
    expect(text).toContain("# TYPE fanpulse_jobs_total counter");
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
