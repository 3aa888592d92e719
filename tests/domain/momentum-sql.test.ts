import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { addDays } from "../../src/domain/days.js";
import { computeArtistMomentum, computePopulationMomentum, scorePastDays } from "../../src/domain/momentum/compute.js";
import { momentumInputs, score, scorePopulation, tierStatistics, type MomentumScore, type Observation } from "../../src/domain/momentum/v1.js";
import { metricSnapshots } from "../../src/db/schema.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { writePopulation, type GeneratedArtist } from "../helpers/population.js";

const DAY = "2026-05-31";
const HISTORY_DAYS = 40;

/** One platform account's history: log of its audience 40 days before DAY, daily growth, days it has no value. */
type AccountSpec = { logStart: number; growth: number; firstBack: number; gaps: number[] };
type Population = AccountSpec[][];

type StoredScore = { artist_id: string; z: number; score: number; category: string; peer_group: string; peer_count: number; peer_mean: number; peer_sd: number };

const observations = (specs: AccountSpec[], accountIds: string[]): Observation[] =>
  specs.flatMap((spec, i) =>
    Array.from({ length: spec.firstBack + 1 }, (_, k) => spec.firstBack - k)
      .filter((back) => !spec.gaps.includes(back))
      .map((back) => ({ account: accountIds[i]!, day: addDays(DAY, -back), value: Math.round(Math.exp(spec.logStart + spec.growth * (HISTORY_DAYS - back))) })),
  );

/** Replaces whatever the database holds with the population, in three statements; returns each artist's observations. */
async function writeSpecs(db: Database, population: Population): Promise<Map<string, Observation[]>> {
  await db.execute(sql`TRUNCATE global_artists, momentum_tier_stats CASCADE`);
  const artists = await db.execute<{ id: string }>(sql`
    INSERT INTO global_artists (name) SELECT 'Generated ' || n FROM generate_series(1, ${population.length}) n RETURNING id`);
  const histories = new Map<string, Observation[]>();
  const rows: { account: string; day: string; value: number }[] = [];
  for (const [n, specs] of population.entries()) {
    const artistId = artists[n]!.id;
    const accounts = await db.execute<{ id: string }>(sql`
      INSERT INTO platform_accounts (artist_id, platform, external_id, linked_by, simulated)
      SELECT ${artistId}::uuid, (ARRAY['spotify', 'deezer'])[i]::platform, ${artistId} || '-' || i, 'tracked', false FROM generate_series(1, ${specs.length}) i
      RETURNING id`);
    const list = observations(
      specs,
      accounts.map((a) => a.id),
    );
    histories.set(artistId, list);
    rows.push(...list.map((o) => ({ account: o.account, day: o.day, value: o.value })));
  }
  if (rows.length > 0) {
    await db
      .insert(metricSnapshots)
      .values(rows.map((r) => ({ accountId: r.account, metric: "followers" as const, day: r.day, value: r.value, capturedAt: new Date(`${r.day}T12:00:00Z`), source: "platform" as const })));
  }
  return histories;
}

const storedOn = async (db: Database, day: string) =>
  new Map(
    (
      await db.execute<StoredScore>(sql`
        SELECT artist_id, z, score, category::text, peer_group::text, peer_count, peer_mean, peer_sd FROM artist_momentum WHERE day = ${day}::date`)
    ).map((r) => [r.artist_id, r]),
  );

/** The SQL's scores are the reference's: the same artists, z, score, category and peers. */
function expectSame(stored: Map<string, StoredScore>, expected: Map<string, MomentumScore>): void {
  expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, e] of expected) {
    const row = stored.get(id)!;
    expect(row.z).toBeCloseTo(e.z, 8);
    expect(row.score).toBe(e.score);
    expect(row.category).toBe(e.category);
    expect({ group: row.peer_group, count: row.peer_count }).toEqual({ group: e.peers.group, count: e.peers.count });
    expect(row.peer_mean).toBeCloseTo(e.peers.mean, 12);
    expect(row.peer_sd).toBeCloseTo(e.peers.sd, 12);
  }
}

const TIER_AUDIENCE = [3_000, 30_000, 300_000, 3_000_000, 30_000_000];

/** `counts[tier]` artists in each tier, with growth spread evenly between -1% and +2% a day. */
const inTiers = (counts: number[], extra: Partial<AccountSpec> = {}): Population =>
  counts.flatMap((count, tier) =>
    Array.from({ length: count }, (_, i) => [
      { logStart: Math.log(TIER_AUDIENCE[tier]!) - 0.2, growth: -0.01 + (0.03 * i) / Math.max(1, count), firstBack: HISTORY_DAYS, gaps: [], ...extra },
    ]),
  );

const account = fc.record({
  logStart: fc.double({ min: Math.log(500), max: Math.log(50_000_000), noNaN: true }),
  growth: fc.double({ min: -0.02, max: 0.03, noNaN: true }),
  firstBack: fc.constantFrom(HISTORY_DAYS, HISTORY_DAYS, HISTORY_DAYS, 30, 20, 7, 3),
  gaps: fc.uniqueArray(fc.integer({ min: 0, max: HISTORY_DAYS }), { maxLength: 8 }),
});
const population = fc.array(fc.array(account, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 70, size: "max" });

/** Populations that reach every branch of the peers and of the marks, by construction. */
const BRANCHES: [string, Population][] = [
  ["tiers of 0, 1, 19 and 20 artists", inTiers([19, 20, 1, 0, 0])],
  ["fewer than 20 artists in all", inTiers([5, 4, 3, 2, 1])],
  ["a single artist", inTiers([0, 0, 1, 0, 0])],
  ["every artist flat", inTiers([25, 0, 0, 0, 0], { growth: 0 })],
  ["one extreme outlier", [...inTiers([24, 0, 0, 0, 0]), [{ logStart: Math.log(3_000), growth: 0.3, firstBack: HISTORY_DAYS, gaps: [] }]]],
  ["no value five weeks before", inTiers([22, 0, 0, 0, 0], { firstBack: 30 })],
  [
    "an account missing on one of the two days",
    inTiers([21, 0, 0, 0, 0]).map((specs, i) => (i % 3 === 0 ? [...specs, { logStart: Math.log(9_000), growth: 0.01, firstBack: 3, gaps: [] }] : specs)),
  ],
  ["gaps filled within two days, and gaps too long to fill", inTiers([12, 12, 0, 0, 0]).map((specs, i) => specs.map((s) => ({ ...s, gaps: i % 2 ? [0, 1, 7, 8, 35] : [0, 1, 2, 28, 29] })))],
];

describe("momentum v1 in SQL against the reference", () => {
  let database: TestDatabase;
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    database = await createTestDatabase();
    ({ db, close } = connect(database.url));
  });
  afterAll(async () => {
    await close();
    await database.drop();
  });

  /** The population's day, and a past day scored after the fact, both equal to the reference's. */
  async function check(specs: Population): Promise<void> {
    const histories = await writeSpecs(db, specs);
    await computePopulationMomentum(db, DAY);
    expectSame(await storedOn(db, DAY), scorePopulation(histories, DAY));
    const past = addDays(DAY, -2);
    await scorePastDays(db, null, past, past);
    expectSame(await storedOn(db, past), scorePopulation(histories, past));
  }

  it.each(BRANCHES)("agrees on %s", async (_name, specs) => {
    await check(specs);
  });

  it("agrees on generated populations", async () => {
    await fc.assert(fc.asyncProperty(population, check), { numRuns: 25, seed: 20261124, endOnFailure: true });
  });
});

describe("momentum v1 in SQL, one artist later in the day", () => {
  let database: TestDatabase;
  let db: Database;
  let close: () => Promise<void>;
  let artists: GeneratedArtist[];
  beforeAll(async () => {
    database = await createTestDatabase();
    ({ db, close } = connect(database.url));
    artists = await writePopulation(db, DAY, 120, 7);
    await computePopulationMomentum(db, DAY);
  });
  afterAll(async () => {
    await close();
    await database.drop();
  });

  it("scores one artist against the day's stored peers", async () => {
    const statsFor = tierStatistics([...scorePopulation(new Map(artists.map((a) => [a.id, a.observations])), DAY).values()]);
    const artist = artists.find((a) => momentumInputs(a.observations, DAY) && a.observations.some((o) => o.day === DAY))!;
    const today = artist.observations.filter((o) => o.day === DAY);
    await db.update(metricSnapshots).set({ value: sql`${metricSnapshots.value} * 2` }).where(sql`${metricSnapshots.day} = ${DAY} AND ${metricSnapshots.accountId} IN ${today.map((o) => o.account)}`);
    const doubled = artist.observations.map((o) => (o.day === DAY ? { ...o, value: o.value * 2 } : o));
    await computeArtistMomentum(db, [artist.id], DAY);
    const inputs = momentumInputs(doubled, DAY)!;
    expectSame(new Map([[artist.id, (await storedOn(db, DAY)).get(artist.id)!]]), new Map([[artist.id, score(inputs, statsFor(inputs.tier))]]));
  });
});
