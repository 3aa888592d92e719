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
    // the page, its count, and one batch per field: artist, trackerCount, viewerTracking, platformAccounts
    expect(five).toBe(6);
  });

  it("searches every tracked artist by name, ignoring case and accents", async () => {
    const db = api.app.services.db;
    const [artist] = await db.execute<{ id: string }>(sql`SELECT id FROM global_artists ORDER BY id LIMIT 1`);
    await db.execute(sql`UPDATE global_artists SET name = 'Beyoncé Knowles' WHERE id = ${artist!.id}`);
    const search = async (term: string) =>
      (await api.graphql(`query($s: String) { artists(search: $s) { totalCount edges { node { name } } } }`, { s: term })).data?.artists;
    for (const term of ["beyonce", "BEYONCÉ", "yoncé kn"]) {
      expect(await search(term)).toEqual({ totalCount: 1, edges: [{ node: { name: "Beyoncé Knowles" } }] });
    }
    expect((await search("100%"))?.totalCount).toBe(0);
    expect((await search(""))?.totalCount).toBe(60);
  });
});
