import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

describe("the front door: every bad request a clear 4xx in JSON", () => {
  let api: TestApi;
  let token: string;
  const lines: string[] = [];
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(api.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const origin = () => api.url.replace(/\/graphql$/, "");

  beforeAll(async () => {
    api = await startTestApi({
      logs: { write: (line: string) => void lines.push(line) },
      env: { CORS_ORIGINS: "https://app.fanpulse.example, http://localhost:5173", MAX_QUERY_COMPLEXITY: "1000", MAX_RESPONSE_BYTES: "3000" },
    });
    ({ token } = await api.signUp());
  });
  afterAll(() => api.close());

  describe("variables that do not fit their types", () => {
    const SIGN_IN = "mutation($i: SignInInput!) { signIn(input: $i) { token } }";
    const ARTISTS = "query($n: Int) { artists(first: $n) { totalCount } }";
    const SERIES = "query($from: DateTime) { artists(first: 1) { edges { node { metricSeries(platform: DEEZER, metric: FOLLOWERS, from: $from) { value } } } } }";

    it.each([
      ["an unknown input field", SIGN_IN, { i: { email: "a@b.com", password: "S3cret-value-1", x: 1 } }, /\$i.*"x"/],
      ["first as a string", ARTISTS, { n: "10" }, /\$n/],
      ["first as a fraction", ARTISTS, { n: 1.5 }, /\$n/],
      ["first as a boolean", ARTISTS, { n: true }, /\$n/],
      ["first as 2^31", ARTISTS, { n: 2 ** 31 }, /\$n/],
      ["a date that does not exist", SERIES, { from: "2024-02-30T00:00:00Z" }, /\$from/],
      ["a missing required variable", SIGN_IN, {}, /\$i.*required/],
    ])("%s is the spec's 400 naming the variable, and its value reaches no log", async (_what, query, variables, message) => {
      const before = lines.length;
      const response = await post({ query, variables });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe("BAD_USER_INPUT");
      expect(body.errors[0]?.message).toMatch(message);
      const logged = lines.slice(before).join("\n");
      expect(logged).not.toContain("S3cret-value-1");
      expect(logged).not.toContain("2024-02-30");
    });
  });

  it.each([
    ["a search", `query($v: String) { artists(search: $v) { totalCount } }`, "search"],
    ["a cursor", `query($v: String) { artists(after: $v) { totalCount } }`, "after"],
    ["an email", `mutation($v: String!) { signIn(input: { email: $v, password: "whatever it is" }) { token } }`, "input.email"],
    ["a display name", `mutation($v: String!) { signUp(input: { email: "nul@example.com", password: "correct horse battery", displayName: $v }) { token } }`, "input.displayName"],
  ])("a NUL character in %s is BAD_USER_INPUT naming the argument", async (_what, query, argument) => {
    const result = await api.graphql(query, { v: "abc\u0000def" }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${argument.replace(".", "\\.")}: .*NUL`));
  });

  it("refuses an email longer than can be stored, naming it", async () => {
    const result = await api.graphql(`mutation($e: String!) { signUp(input: { email: $e, password: "correct horse battery" }) { token } }`, {
      e: `${"a".repeat(400)}@example.com`,
    });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/^input\.email: /);
  });

  it.each([
    ["a latin1 body", { "content-type": "application/json; charset=latin1" }, "{}", 415, /charset/],
    ["a body in a compression it cannot read", { "content-type": "application/json", "content-encoding": "compress" }, new Uint8Array(gzipSync("{}")), 415, /content-encoding/],
    ["a body that says gzip and is not", { "content-type": "application/json", "content-encoding": "gzip" }, JSON.stringify({ query: "{ __typename }" }), 400, /gzip/],
    ["a body that is not JSON", { "content-type": "application/json" }, "{ nope", 400, /not valid JSON/],
  ])("answers %s in JSON with the status that says why, and no stack", async (_what, headers, body, status, message) => {
    const response = await fetch(api.url, { method: "POST", headers, body });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await response.text();
    expect(JSON.parse(text).errors[0].message).toMatch(message);
    expect(text).not.toMatch(/at \w+ \(|node_modules|\/src\//);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await fetch(`${origin()}/wp-admin/setup.php`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [{ message: "Nothing is served at GET /wp-admin/setup.php", extensions: { code: "NOT_FOUND" } }] });
  });

  it("sends a browser opening /graphql to GraphiQL, never to a page loading outside code", async () => {
    const response = await fetch(api.url, { headers: { accept: "text/html,application/xhtml+xml" }, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/graphiql");
  });

  describe("bounded work per request", () => {
    const series = (days: number) =>
      `{ artists(first: 1) { edges { node { metricSeries(platform: DEEZER, metric: FOLLOWERS, from: "${new Date(Date.now() - (days - 1) * 86_400_000).toISOString()}") { value } } } } }`;

    it("costs a series by the days it spans", async () => {
      expect((await api.graphql(series(30), {}, token)).errors).toBeUndefined();
      const year = await api.graphql(`{ a: ${series(366).slice(1, -1)} b: ${series(366).slice(1, -1)} c: ${series(366).slice(1, -1)} }`, {}, token);
      expect(year.status).toBe(400);
      expect(year.errors?.[0]?.message).toMatch(/MAX_QUERY_COMPLEXITY\) of 1000 exceeded/);
    });

    it("counts a batch's operations against one budget", async () => {
      const one = { query: series(366) };
      const alone = (await (await post([one], { authorization: `Bearer ${token}` })).json()) as { errors?: unknown }[];
      expect(alone[0]?.errors).toBeUndefined();
      const batch = (await (await post([one, one, one, one, one, one], { authorization: `Bearer ${token}` })).json()) as { errors?: { message: string }[] }[];
      const refused = batch.filter((result) => result.errors?.[0]?.message.includes("with the operations before it in this batch"));
      expect(refused.length).toBeGreaterThan(0);
      expect(batch.filter((result) => !result.errors)).toHaveLength(batch.length - refused.length);
    });

    it("refuses to send a response larger than the cap, naming it", async () => {
      const aliases = Array.from({ length: 25 }, (_, n) => `s${n}: serviceInfo { providers { platform simulated } simulatedData }`).join(" ");
      const response = await post({ query: `{ ${aliases} }` });
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).errors[0].message).toMatch(/MAX_RESPONSE_BYTES/);
    });
  });

  describe("CORS", () => {
    it("lets a listed origin's page call the API, preflight included", async () => {
      const preflight = await fetch(api.url, {
        method: "OPTIONS",
        headers: { origin: "https://app.fanpulse.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.fanpulse.example");
      expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);
      const response = await post({ query: "{ __typename }" }, { origin: "http://localhost:5173" });
      expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    });

    it("gives an origin that is not listed no permission", async () => {
      const preflight = await fetch(api.url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const response = await post({ query: "{ __typename }" }, { origin: "https://evil.example" });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });
  });
});

describe("in production", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { NODE_ENV: "production", METRICS_TOKEN: "a-scraper-token-long-enough" } });
  });
  afterAll(() => api.close());

  it("gives no hints about the schema", async () => {
    const result = await api.graphql("{ artist { nam } }");
    expect(result.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
