import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { computePopulationMomentum } from "../../src/domain/momentum/compute.js";
import { startTestApi, type TestApi } from "../helpers/api.js";

const TODAY = utcDay();
const id = (name: string) => `ranking${name.padEnd(15, "x")}`.slice(0, 22);

/** Known artists: 7 days ago → today. The background grows 0.5% so the known ones stand out. */
const KNOWN: Record<string, [number, number]> = {
  Rocket: [10_000, 20_000],
  Climber: [10_000, 13_000],
  Steady: [10_000, 10_100],
  Faller: [10_000, 8_000],
  Tiny: [400, 4_000],
};

describe("momentum and movers through the API", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  const artistIds = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApi();
    user = await api.signUp();
    const db = api.app.services.db;
    const track = async (name: string) => {
      const result = await api.graphql(`mutation($id: String) { trackArtist(input: { spotifyId: $id }) { artist { id } } }`, { id: id(name) }, user.token);
      artistIds.set(name, result.data?.trackArtist.artist.id);
      return result.data?.trackArtist.artist.id as string;
    };
    const history = async (artistId: string, before: number, now: number) => {
      await db.execute(sql`
        INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at)
        SELECT a.id, 'followers', d::date, v, d + interval '12 hours'
        FROM platform_accounts a, (VALUES (${addDays(TODAY, -35)}::timestamptz, ${before}::float8), (${addDays(TODAY, -28)}::timestamptz, ${before}::float8),
                                          (${addDays(TODAY, -7)}::timestamptz, ${before}::float8), (${TODAY}::timestamptz, ${now}::float8)) AS h(d, v)
        WHERE a.artist_id = ${artistId}::uuid`);
    };
    for (let n = 0; n < 25; n++) await history(await track(`bg${n}`), 10_000, 10_050);
    for (const [name, [before, now]] of Object.entries(KNOWN)) await history(await track(name), before, now);
    await track("NoData");
    await computePopulationMomentum(db, TODAY);
  });
  afterAll(() => api.close());

  const nameOf = (artistId: string) => [...artistIds].find(([, v]) => v === artistId)?.[0];

  it("ranks top movers by their audience change, leaving out small starting audiences", async () => {
    const result = await api.graphql(`{ topMovers(window: DAYS_7, scope: MINE, first: 100) { artist { id } startValue endValue change changePercent } }`, {}, user.token);
    expect(result.errors).toBeUndefined();
    const names = result.data?.topMovers.map((m: any) => nameOf(m.artist.id));
    const known = names.filter((n: string) => n in KNOWN);
    expect(known).toEqual(["Rocket", "Climber", "Steady", "Faller"]);
    expect(names[0]).toBe("Rocket");
    expect(names.at(-1)).toBe("Faller");
    expect(result.data?.topMovers[0]).toMatchObject({ startValue: 10_000, endValue: 20_000, change: 10_000, changePercent: 100 });
    expect(names).not.toContain("Tiny");
    expect(names).not.toContain("NoData");

    const withTiny = await api.graphql(`{ topMovers(window: DAYS_7, scope: ALL, first: 3, minStartAudience: 0) { artist { id } } }`);
    expect(withTiny.data?.topMovers.map((m: any) => nameOf(m.artist.id))).toEqual(["Rocket", "Tiny", "Climber"]);
  });

  it("orders myArtists by momentum, unscored last, page after page", async () => {
    const seen: { name: string; score: number | null }[] = [];
    let after: string | null = null;
    do {
      const page: any = await api.graphql(
        `query($after: String) { myArtists(first: 7, after: $after, orderBy: MOMENTUM_DESC) { pageInfo { hasNextPage endCursor } edges { node { artist { id momentum { score category } } } } } }`,
        { after },
        user.token,
      );
      expect(page.errors).toBeUndefined();
      for (const e of page.data.myArtists.edges) seen.push({ name: nameOf(e.node.artist.id)!, score: e.node.artist.momentum?.score ?? null });
      after = page.data.myArtists.pageInfo.hasNextPage ? page.data.myArtists.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(31);
    expect(seen.map((s) => s.name).filter((n) => ["Rocket", "Climber", "Steady", "Faller"].includes(n))).toEqual(["Rocket", "Climber", "Steady", "Faller"]);
    expect(seen.at(-1)).toEqual({ name: "NoData", score: null });
    const scores = seen.slice(0, -1).map((s) => s.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("shows an artist's momentum and its history", async () => {
    const result = await api.graphql(
      `query($id: ID!) { artist(id: $id) { momentum { score category growth7d growth28d acceleration day } momentumHistory { day score } } }`,
      { id: artistIds.get("Rocket") },
    );
    const { momentum, momentumHistory } = result.data?.artist;
    expect(momentum.category).toBe("EXPLOSIVE");
    expect(momentum.growth7d).toBeCloseTo(1, 12);
    expect(momentum.growth28d).toBeCloseTo(1, 12);
    expect(momentum.acceleration).toBeCloseTo(Math.log(2), 12);
    expect(momentum.day).toBe(TODAY);
    expect(momentumHistory).toEqual([{ day: TODAY, score: momentum.score }]);
    const none = await api.graphql(`query($id: ID!) { artist(id: $id) { momentum { score } } }`, { id: artistIds.get("NoData") });
    expect(none.data?.artist.momentum).toBeNull();
  });

  it("gives the dashboard in one request", async () => {
    await api.graphql(`mutation($id: ID!) { updateTrackedArtist(input: { artistId: $id, isFavorite: true }) { id } }`, { id: artistIds.get("Rocket") }, user.token);
    const result = await api.graphql(
      `{ dashboard { trackedCount favoriteCount unscoredCount momentumCategories { category count } biggestMovers(first: 2) { artist { id } changePercent } } }`,
      {},
      user.token,
    );
    const d = result.data?.dashboard;
    expect(d.trackedCount).toBe(31);
    expect(d.favoriteCount).toBe(1);
    expect(d.unscoredCount).toBe(1);
    expect(d.momentumCategories.map((c: any) => c.category)).toEqual(["DECLINING", "STEADY", "GROWING", "HIGH", "EXPLOSIVE"]);
    expect(d.momentumCategories.reduce((sum: number, c: any) => sum + c.count, 0)).toBe(30);
    expect(d.biggestMovers.map((m: any) => nameOf(m.artist.id))).toEqual(["Rocket", "Climber"]);
    expect((await api.graphql(`{ dashboard { trackedCount } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.graphql(`{ topMovers(window: DAYS_7, scope: MINE) { change } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
