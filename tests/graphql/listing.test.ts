import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

/** A well-formed Spotify id for artist number n (the simulated provider knows every one). */
const spotifyId = (n: number) => `fanpulseTest${String(n).padStart(10, "0")}`;

describe("listing artists", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  beforeAll(async () => {
    api = await startTestApi();
    user = await api.signUp();
    for (let n = 0; n < 60; n++) {
      const result = await api.graphql(`mutation($id: String) { trackArtist(input: { spotifyId: $id }) { id } }`, { id: spotifyId(n) }, user.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    }
  });
  afterAll(() => api.close());

  const MY_ARTISTS = `query($first: Int, $after: String, $orderBy: TrackedArtistOrder, $favoritesOnly: Boolean) {
    myArtists(first: $first, after: $after, orderBy: $orderBy, favoritesOnly: $favoritesOnly) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id createdAt artist { id name trackerCount viewerTracking { isFavorite } platformAccounts { platform } } } }
    }
  }`;

  async function walk(variables: Record<string, unknown>) {
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await api.graphql(MY_ARTISTS, { ...variables, after }, user.token);
      if (page.errors) throw new Error(JSON.stringify(page.errors));
      seen.push(...page.data.myArtists.edges.map((e: any) => e.node));
      if (!page.data.myArtists.pageInfo.hasNextPage) return { seen, totalCount: page.data.myArtists.totalCount };
      after = page.data.myArtists.pageInfo.endCursor;
    }
  }

  it("pages through every link newest first, each once, with keyset cursors", async () => {
    const { seen, totalCount } = await walk({ first: 7 });
    expect(totalCount).toBe(60);
    expect(seen).toHaveLength(60);
    expect(new Set(seen.map((n) => n.id)).size).toBe(60);
    const times = seen.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const first = await api.graphql(MY_ARTISTS, {}, user.token);
    expect(first.data?.myArtists.edges).toHaveLength(20);
  });

  it("counts every link on a page past the end, which has no row to carry the count", async () => {
    const last = await api.graphql(MY_ARTISTS, { first: 100 }, user.token);
    const beyond = await api.graphql(MY_ARTISTS, { first: 5, after: last.data?.myArtists.pageInfo.endCursor }, user.token);
    expect(beyond.errors).toBeUndefined();
    expect(beyond.data?.myArtists).toMatchObject({ totalCount: 60, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("orders by name, case- and accent-insensitively, across pages", async () => {
    const { seen } = await walk({ first: 9, orderBy: "NAME_ASC" });
    const names = seen.map((n) => n.artist.name);
    const key = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    expect(names.map(key)).toEqual([...names.map(key)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(seen).toHaveLength(60);
  });

  it("filters favourites", async () => {
    const { seen } = await walk({ first: 50 });
    for (const node of seen.slice(0, 3)) {
      await api.graphql(`mutation($id: ID!) { updateTrackedArtist(input: { artistId: $id, isFavorite: true }) { id } }`, { id: node.artist.id }, user.token);
    }
    const favourites = await walk({ favoritesOnly: true });
    expect(favourites.totalCount).toBe(3);
    expect(favourites.seen.every((n) => n.artist.viewerTracking.isFavorite)).toBe(true);
  });

  it("refuses a cursor of another order", async () => {
    const page = await api.graphql(MY_ARTISTS, { first: 2 }, user.token);
    const wrong = await api.graphql(MY_ARTISTS, { first: 2, orderBy: "NAME_ASC", after: page.data?.myArtists.pageInfo.endCursor }, user.token);
    expect(wrong.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(wrong.errors?.[0]?.message).toMatch(/^after: /);
  });

  it("sends as many SQL statements for 50 links as for 5", async () => {
    const statementsFor = async (first: number) => {
      api.statements.length = 0;
      const result = await api.graphql(MY_ARTISTS, { first }, user.token);
      expect(result.errors).toBeUndefined();
      expect(result.data?.myArtists.edges).toHaveLength(first);
      return api.statements.length;
    };
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(five);
    // the viewer (with their request budget), the page (with its count, its artists, their tracker counts and accounts)
    expect(five).toBe(2);
  });

  it("searches every tracked artist by name, ignoring case and accents", async () => {
    const db = api.app.services.db;
    const [artist] = await db.execute<{ id: string }>(sql`SELECT id FROM global_artists ORDER BY id LIMIT 1`);
    await db.execute(sql`UPDATE global_artists SET name = 'Beyoncé Knowles' WHERE id = ${artist!.id}`);
    const search = async (term: string) =>
      (await api.graphql(`query($s: String) { artists(search: $s) { totalCount edges { node { name } } } }`, { s: term }, user.token)).data?.artists;
    for (const term of ["beyonce", "BEYONCÉ", "yoncé kn"]) {
      expect(await search(term)).toEqual({ totalCount: 1, edges: [{ node: { name: "Beyoncé Knowles" } }] });
    }
    expect((await search("100%"))?.totalCount).toBe(0);
    expect((await search(""))?.totalCount).toBe(60);
  });
});

describe("cursors", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  const PAGE = `query($first: Int, $after: String, $orderBy: TrackedArtistOrder) {
    myArtists(first: $first, after: $after, orderBy: $orderBy) { pageInfo { hasNextPage endCursor } edges { node { artist { id } } } }
  }`;
  beforeAll(async () => {
    // A server whose defaults print dates day-first, in a far time zone, with floats cut short.
    api = await startTestApi({ databaseSettings: { datestyle: "SQL, DMY", timezone: "Pacific/Chatham", extra_float_digits: "-3" } });
    user = await api.signUp();
    for (let n = 0; n < 5; n++) {
      await api.graphql(`mutation($id: String) { trackArtist(input: { spotifyId: $id }) { id } }`, { id: spotifyId(100 + n) }, user.token);
    }
    // Scores that differ only past the 12th digit, and links added within the same second.
    await api.app.services.db.execute(sql`
      INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, audience, tier, peer_group, peer_count, peer_mean, peer_sd)
      SELECT artist_id, '2026-11-01', 'v1', 50.123456789012 + row_number() OVER (ORDER BY artist_id) * 1e-13, 0, 'steady', 1000, 0, 'all', 5, 0, 0.01 FROM user_artists`);
    await api.app.services.db.execute(sql`UPDATE user_artists SET created_at = '2026-11-01T10:00:00.123456Z'::timestamptz + (random() * interval '1 second')`);
  });
  afterAll(() => api.close());

  it.each(["ADDED_AT_DESC", "NAME_ASC", "MOMENTUM_DESC"])("pages %s one artist at a time, each once, whatever the server's DateStyle, TimeZone and float digits", async (orderBy) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: any = await api.graphql(PAGE, { first: 1, after, orderBy }, user.token);
      expect(result.errors).toBeUndefined();
      seen.push(...result.data.myArtists.edges.map((e: any) => e.node.artist.id));
      if (!result.data.myArtists.pageInfo.hasNextPage) break;
      after = result.data.myArtists.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  const forge = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
  const someId = "00000000-0000-4000-8000-000000000000";
  it.each([
    ["a date that does not exist", forge(["ADDED_AT_DESC", "9999-99-99 99:99:99+00", someId]), "ADDED_AT_DESC"],
    ["a time past any calendar", forge(["ADDED_AT_DESC", "99999999999999999999", someId]), "ADDED_AT_DESC"],
    ["a momentum key past any float", forge(["MOMENTUM_DESC", "1e999", someId]), "MOMENTUM_DESC"],
    ["a key that is not a number", forge(["MOMENTUM_DESC", "NaN", someId]), "MOMENTUM_DESC"],
    ["a NUL character", forge(["NAME_ASC", "a\u0000b", someId]), "NAME_ASC"],
    ["not base64 JSON", "%%%", "ADDED_AT_DESC"],
  ])("refuses a forged cursor (%s) as bad input naming `after`", async (_what, after, orderBy) => {
    const result = await api.graphql(PAGE, { first: 1, after, orderBy }, user.token);
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/^after: /);
  });
});
