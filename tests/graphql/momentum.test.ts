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
  // The largest change, but a small one for its size.
  Giant: [1_000_000, 1_050_000],
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
        INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at, source)
        SELECT a.id, 'followers', d::date, v, d + interval '12 hours', 'simulated'
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

  const movers = async (args: string) => {
    const result = await api.graphql(`{ topMovers(window: DAYS_7, ${args}) { artist { id momentum { score } } startValue endValue change changePercent cursor } }`, {}, user.token);
    expect(result.errors).toBeUndefined();
    return result.data!.topMovers as { artist: { id: string; momentum: { score: number } | null }; change: number; changePercent: number; cursor: string }[];
  };
  const knownOf = (list: { artist: { id: string } }[]) => list.map((m) => nameOf(m.artist.id)!).filter((n) => n in KNOWN);

  it("ranks top movers by their audience change, leaving out small starting audiences", async () => {
    const list = await movers("scope: MINE, first: 100");
    expect(knownOf(list)).toEqual(["Giant", "Rocket", "Climber", "Steady", "Faller"]);
    expect(nameOf(list.at(-1)!.artist.id)).toBe("Faller");
    expect(list[1]).toMatchObject({ startValue: 10_000, endValue: 20_000, change: 10_000, changePercent: 100 });
    expect(knownOf(list)).not.toContain("Tiny");
    expect(list.map((m) => nameOf(m.artist.id))).not.toContain("NoData");

    const withTiny = await movers("scope: ALL, first: 3, minStartAudience: 0, orderBy: CHANGE_PERCENT");
    expect(knownOf(withTiny)).toEqual(["Tiny", "Rocket", "Climber"]);
  });

  it("ranks top movers by change in percent, or by momentum score, so the biggest artists do not always win", async () => {
    expect(knownOf(await movers("scope: MINE, first: 100, orderBy: CHANGE_PERCENT"))).toEqual(["Rocket", "Climber", "Giant", "Steady", "Faller"]);
    const byScore = await movers("scope: MINE, first: 100, orderBy: SCORE");
    const scores = byScore.map((m) => m.artist.momentum!.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(nameOf(byScore[0]!.artist.id)).toBe("Rocket");
  });

  it.each(["CHANGE", "CHANGE_PERCENT", "SCORE"])("pages through the movers ordered by %s without losing or repeating one", async (order) => {
    const all = await movers(`scope: MINE, first: 100, orderBy: ${order}`);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page = await movers(`scope: MINE, first: 4, orderBy: ${order}${after ? `, after: "${after}"` : ""}`);
      paged.push(...page.map((m) => m.artist.id));
      after = page.length === 4 ? page.at(-1)!.cursor : null;
    } while (after);
    expect(paged).toEqual(all.map((m) => m.artist.id));
  });

  it("refuses a cursor of another order, a forged one, and a page over 100", async () => {
    const [first] = await movers("scope: MINE, first: 1, orderBy: CHANGE");
    const other = await api.graphql(`{ topMovers(window: DAYS_7, orderBy: SCORE, after: "${first!.cursor}") { change } }`, {}, user.token);
    expect(other.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "after" } });
    const forged = Buffer.from(JSON.stringify(["movers:CHANGE:7", "1e999", first!.artist.id])).toString("base64url");
    const infinite = await api.graphql(`{ topMovers(window: DAYS_7, after: "${forged}") { change } }`, {}, user.token);
    expect(infinite.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "after" } });
    const big = await api.graphql(`{ topMovers(window: DAYS_7, first: 101) { change } }`, {}, user.token);
    expect(big.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "first" } });
  });

  it("explains each score by the peers it was compared with", async () => {
    const peersOf = async (name: string) =>
      (await api.graphql(`query($id: ID!) { artist(id: $id) { momentum { z audience peers { group tier count mean sd } } } }`, { id: artistIds.get(name) }, user.token)).data!
        .artist.momentum;
    // 28 scored artists between 10k and 100k: their own tier. Faller (8,000) is alone in its tier: every artist.
    const rocket = await peersOf("Rocket");
    expect(rocket.peers).toMatchObject({ group: "TIER", tier: 1, count: 28 });
    expect(rocket.z).toBeCloseTo((Math.log(2) * 1.5 - rocket.peers.mean) / rocket.peers.sd, 9);
    expect(rocket.audience).toBe(20_000);
    const faller = await peersOf("Faller");
    expect(faller.peers).toMatchObject({ group: "ALL", tier: 0, count: 31 });
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
    expect(seen).toHaveLength(32);
    expect(seen.map((s) => s.name).filter((n) => ["Rocket", "Climber", "Steady", "Faller"].includes(n))).toEqual(["Rocket", "Climber", "Steady", "Faller"]);
    expect(seen.at(-1)).toEqual({ name: "NoData", score: null });
    const scores = seen.slice(0, -1).map((s) => s.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("shows an artist's momentum and its history", async () => {
    const result = await api.graphql(
      `query($id: ID!) { artist(id: $id) { momentum { score category growth7d growth28d acceleration day } momentumHistory { day score } } }`,
      { id: artistIds.get("Rocket") },
      user.token,
    );
    const { momentum, momentumHistory } = result.data?.artist;
    expect(momentum.category).toBe("EXPLOSIVE");
    expect(momentum.growth7d).toBeCloseTo(1, 12);
    expect(momentum.growth28d).toBeCloseTo(1, 12);
    expect(momentum.acceleration).toBeCloseTo(Math.log(2), 12);
    expect(momentum.day).toBe(TODAY);
    expect(momentumHistory).toEqual([{ day: TODAY, score: momentum.score }]);
    const none = await api.graphql(`query($id: ID!) { artist(id: $id) { momentum { score } } }`, { id: artistIds.get("NoData") }, user.token);
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
    expect(d.trackedCount).toBe(32);
    expect(d.favoriteCount).toBe(1);
    expect(d.unscoredCount).toBe(1);
    expect(d.momentumCategories.map((c: any) => c.category)).toEqual(["DECLINING", "STEADY", "GROWING", "HIGH", "EXPLOSIVE"]);
    expect(d.momentumCategories.reduce((sum: number, c: any) => sum + c.count, 0)).toBe(31);
    expect(d.biggestMovers.map((m: any) => nameOf(m.artist.id))).toEqual(["Giant", "Rocket"]);
    const byPercent = await api.graphql(`{ dashboard { biggestMovers(first: 2, orderBy: CHANGE_PERCENT) { artist { id } } } }`, {}, user.token);
    expect(byPercent.data?.dashboard.biggestMovers.map((m: any) => nameOf(m.artist.id))).toEqual(["Rocket", "Climber"]);
    expect((await api.graphql(`{ dashboard { trackedCount } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.graphql(`{ topMovers(window: DAYS_7, scope: MINE) { change } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
