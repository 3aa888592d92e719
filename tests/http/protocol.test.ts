import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

const JSON_TYPE = "application/json";
const GRAPHQL_RESPONSE = "application/graphql-response+json";

describe("/graphql over HTTP", () => {
  let api: TestApi;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(api.url, { method: "POST", headers: { "content-type": JSON_TYPE, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const get = (params: Record<string, string>, headers: Record<string, string> = { "apollo-require-preflight": "true" }) =>
    fetch(`${api.url}?${new URLSearchParams(params)}`, { headers });

  beforeAll(async () => {
    api = await startTestApi({ env: { MAX_BATCH: "3", MAX_BODY_BYTES: "2000", MAX_QUERY_DEPTH: "6", MAX_ALIASES: "5", MAX_TOKENS: "300", MAX_QUERY_COMPLEXITY: "1000" } });
  });
  afterAll(() => api.close());

  it("runs a query sent with GET", async () => {
    const response = await get({ query: "{ __typename }" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
    // An answer is its caller's: no cache on the way may keep it.
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("never runs a mutation sent with GET", async () => {
    const response = await get({ query: 'mutation { signIn(input: { email: "a@b.co", password: "x" }) { token } }' });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toMatch(/POST/);
  });

  it("refuses requests a cross-site page could forge (CSRF prevention)", async () => {
    expect((await get({ query: "{ __typename }" }, {})).status).toBe(400);
    const form = await fetch(api.url, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(400);
  });

  it("answers in the media type asked for, with the spec's status codes", async () => {
    const plain = await post({ query: "{ __typename }" }, { accept: JSON_TYPE });
    expect(plain.headers.get("content-type")).toMatch(/^application\/json/);
    const modern = await post({ query: "{ __typename }" }, { accept: GRAPHQL_RESPONSE });
    expect(modern.status).toBe(200);
    expect(modern.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    const invalid = await post({ query: "{ nope }" }, { accept: GRAPHQL_RESPONSE });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as any).errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const unparsable = await post({ query: "{" }, { accept: GRAPHQL_RESPONSE });
    expect(unparsable.status).toBe(400);
    expect((await post({ variables: {} }, { accept: GRAPHQL_RESPONSE })).status).toBe(400);
    expect((await post("{ not json", { accept: GRAPHQL_RESPONSE })).status).toBe(400);
  });

  it("limits the body size, naming the limit", async () => {
    const response = await post({ query: `{ __typename }${" ".repeat(3000)}` });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].message).toMatch(/MAX_BODY_BYTES/);
  });

  it("accepts batches up to the limit and refuses larger ones, naming the limit", async () => {
    const op = { query: "{ __typename }" };
    const batch = await post([op, op, op]);
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual([{ data: { __typename: "Query" } }, { data: { __typename: "Query" } }, { data: { __typename: "Query" } }]);
    const tooMany = await post([op, op, op, op]);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as any).errors[0].message).toMatch(/at most 3 operations \(MAX_BATCH\)/);
  });

  it.each([
    ["depth", "{ artists { edges { node { viewerTracking { artist { viewerTracking { artist { id } } } } } } } }", /MAX_QUERY_DEPTH/],
    ["aliases", `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(" ")} }`, /MAX_ALIASES/],
    ["tokens", `{ ${"x ".repeat(400)}}`, /more that 300 tokens/],
    [
      "complexity",
      "{ artists(first: 100) { edges { node { name genres imageUrl spotifyId platformAccounts { platform externalId url } latestMetrics { value platform metric capturedAt } } } } }",
      /MAX_QUERY_COMPLEXITY/,
    ],
  ])("refuses a query over the %s limit with a message naming it", async (_limit, query, message) => {
    const response = await post({ query });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.errors[0].message).toMatch(message);
    expect(body.data).toBeUndefined();
  });

  it("counts a remembered cost against the batch as the first time", async () => {
    const { token } = await api.signUp();
    const auth = { authorization: `Bearer ${token}` };
    const op = { query: "{ artists(first: 100) { edges { node { name genres } } } }" };
    expect((await post(op, auth)).status).toBe(200);
    const batch = (await (await post([op, op, op], auth)).json()) as any[];
    expect(batch.map((answer) => answer.errors?.[0]?.message ?? "ok")).toEqual(["ok", "ok", expect.stringMatching(/costs 401 \(1203 with the operations before it in this batch\)/)]);
  });

  it("costs a document again when a variable its cost depends on changes, and checks every request's variables", async () => {
    const { token } = await api.signUp();
    const auth = { authorization: `Bearer ${token}` };
    const query = "query Page($first: Int, $search: String) { artists(first: $first, search: $search) { edges { node { name genres } } } }";
    const answer = async (variables: Record<string, unknown>) => {
      const response = await post({ query, variables }, auth);
      return [response.status, ((await response.json()) as any).errors?.[0]?.message ?? "ok"];
    };
    expect(await answer({ first: 10, search: "a" })).toEqual([200, "ok"]);
    expect(await answer({ first: 10, search: "b" })).toEqual([200, "ok"]);
    expect(await answer({ first: 400, search: "b" })).toEqual([400, expect.stringMatching(/MAX_QUERY_COMPLEXITY\) of 1000 exceeded: this operation costs 1601/)]);
    expect(await answer({ first: 10, search: "a\u0000b" })).toEqual([400, "search: must not contain the NUL character"]);
  });

  it.each([
    ["a directive's variable", "query Q($big: Boolean!) { artists(first: 400) @include(if: $big) { edges { node { name genres } } } }", { big: false }, { big: true }],
    ["a variable's default, left out, after an explicit null", "query Q($first: Int = 400) { artists(first: $first) { edges { node { name genres } } } }", { first: null }, {}],
  ])("does not let a remembered cost through when %s changes it", async (_case, query, cheap, dear) => {
    const { token } = await api.signUp();
    const auth = { authorization: `Bearer ${token}` };
    expect((await post({ query, variables: cheap }, auth)).status).toBe(200);
    const refused = await post({ query, variables: dear }, auth);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).errors[0].message).toMatch(/MAX_QUERY_COMPLEXITY\) of 1000 exceeded: this operation costs 1601/);
  });

  it("checks a variable's default against the argument rules even when the document's cost is remembered", async () => {
    const { token } = await api.signUp();
    const auth = { authorization: `Bearer ${token}` };
    const query = 'query Q($first: Int, $search: String = "a\\u0000b") { artists(first: $first, search: $search) { edges { node { name } } } }';
    expect((await post({ query, variables: { first: 1, search: "x" } }, auth)).status).toBe(200);
    const refused = await post({ query, variables: { first: 1 } }, auth);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).errors[0].message).toBe("search: must not contain the NUL character");
  });

  it("lets the frontend's dashboard-sized queries through", async () => {
    const { token } = await api.signUp();
    const response = await post(
      {
        query: `{ me { id } dashboard { trackedCount momentumCategories { category count } biggestMovers(first: 5) { artist { name } changePercent } }
                  myArtists(first: 20) { totalCount edges { node { isFavorite artist { name momentum { score } latestMetrics { value } } } } } }`,
      },
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).errors).toBeUndefined();
  });
});
