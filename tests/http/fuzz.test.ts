import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

/** Operations that take variables of every kind the schema has: strings, ids, numbers, enums, dates, inputs. */
const OPERATIONS = [
  "mutation($i: SignInInput!) { signIn(input: $i) { token } }",
  "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
  "query($n: Int, $a: String, $s: String) { artists(first: $n, after: $a, search: $s) { totalCount } }",
  "query($id: ID!, $p: Platform!, $m: MetricKind!, $f: DateTime, $t: DateTime) { artist(id: $id) { metricSeries(platform: $p, metric: $m, from: $f, to: $t) { value } } }",
  "mutation($i: TrackArtistInput!) { trackArtist(input: $i) { id } }",
  "mutation($i: UpdateTrackedArtistInput!) { updateTrackedArtist(input: $i) { id } }",
  "query($n: Int, $a: String, $o: TrackedArtistOrder) { myArtists(first: $n, after: $a, orderBy: $o) { totalCount } }",
];

/** Marks every generated string so the logs can be searched for any of them. */
const MARK = "zq";
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary" }).map((s) => `${MARK}${s}`),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom("DEEZER", "SPOTIFY", "FOLLOWERS", "2024-02-30T00:00:00Z", "9999-99-99", "1e999", "00000000-0000-0000-0000-000000000000"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("email", "password", "spotifyId", "artistId", "customNotes", "isFavorite", "displayName", "x"), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("whatever variables a client sends", () => {
  let api: TestApi;
  let token: string;
  const lines: string[] = [];
  beforeAll(async () => {
    api = await startTestApi({ logs: { write: (line: string) => void lines.push(line) } });
    ({ token } = await api.signUp());
  });
  afterAll(() => api.close());

  it("answers JSON, never a 5xx, and logs none of their values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), fc.dictionary(fc.constantFrom("i", "n", "a", "s", "id", "p", "m", "f", "t", "o"), anyValue), fc.boolean(), async (query, variables, signedIn) => {
        const response = await fetch(api.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(signedIn ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        expect(response.status).toBeLessThan(500);
        const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        expect(body.data !== undefined || body.errors?.[0]?.extensions?.code).toBeTruthy();
      }),
      { numRuns: 300 },
    );
    expect(lines.filter((line) => line.includes(MARK))).toEqual([]);
  });

  /** A known operation cut, doubled or spliced with random text: most do not parse, some do. */
  const anyDocument = fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.tuple(fc.constantFrom(...OPERATIONS), fc.nat(), fc.nat(), fc.string({ maxLength: 20 })).map(([query, cut, at, text]) => {
      const end = cut % (query.length + 1);
      const splice = at % (end + 1);
      return `${query.slice(0, splice)}${text}${query.slice(splice, end)}`;
    }),
  );
  const anyHeaders = fc.record(
    {
      "content-type": fc.constantFrom("application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "application/graphql", "multipart/form-data"),
      accept: fc.constantFrom("application/json", "application/graphql-response+json", "text/html", "*/*", "image/png"),
      authorization: fc.oneof(fc.constant(`Bearer ${MARK}`), fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}`), fc.constant("Basic Zm9vOmJhcg==")),
      "content-encoding": fc.constantFrom("gzip", "deflate", "br", "identity"),
    },
    { requiredKeys: ["content-type"] },
  );

  it("answers any document with any headers in JSON, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(anyDocument, anyHeaders, fc.constantFrom("GET", "POST"), async (query, headers, method) => {
        const response =
          method === "GET"
            ? await fetch(`${api.url}?${new URLSearchParams({ query })}`, { headers: { ...headers, "apollo-require-preflight": "1" }, redirect: "manual" })
            : await fetch(api.url, { method, headers, body: JSON.stringify({ query }), redirect: "manual" });
        expect(response.status).toBeLessThan(500);
        const text = await response.text();
        if (response.status === 302) return;
        expect(() => JSON.parse(text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    expect(lines.filter((line) => line.includes(MARK))).toEqual([]);
  });
});
