import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeArtistMomentum, computePopulationMomentum } from "../../src/domain/momentum/compute.js";
import { momentumInputs, score, scorePopulation, tierStatistics } from "../../src/domain/momentum/v1.js";
import type { Database } from "../../src/db/client.js";
import { metricSnapshots } from "../../src/db/schema.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { writePopulation, type GeneratedArtist } from "../helpers/population.js";

const DAY = "2026-05-31";

describe("momentum v1 in SQL", () => {
  let database: TestDatabase;
  let db: Database;
  let close: () => Promise<void>;
  let artists: GeneratedArtist[];
  beforeAll(async () => {
    database = await createTestDatabase();
    ({ db, close } = connect(database.url));
    artists = await writePopulation(db, DAY, 120, 7);
  });
  afterAll(async () => {
    await close();
    await database.drop();
  });

  const stored = async () =>
    new Map(
      (
        await db.execute<{ artist_id: string; score: number; z: number; category: string; growth7d: number; growth28d: number | null; audience: number; tier: number }>(
          sql`SELECT artist_id, score, z, category::text, growth7d, growth28d, audience, tier FROM artist_momentum WHERE day = ${DAY}`,
        )
      ).map((r) => [r.artist_id, r]),
    );

  it("gives the population exactly the scores of the pure functions, and a re-run changes nothing", async () => {
    const expected = scorePopulation(new Map(artists.map((a) => [a.id, a.observations])), DAY);
    expect(expected.size).toBeGreaterThan(60);
    expect(await computePopulationMomentum(db, DAY)).toBe(expected.size);
    const rows = await stored();
    expect(rows.size).toBe(expected.size);
    for (const [id, e] of expected) {
      const row = rows.get(id)!;
      expect(row.z).toBeCloseTo(e.z, 9);
      expect(row.score).toBe(e.score);
      expect(row.category).toBe(e.category);
      expect(row.tier).toBe(e.tier);
      expect(row.audience).toBe(e.audience);
      expect(row.growth7d).toBeCloseTo(e.growth7d, 12);
      if (e.growth28d === null) expect(row.growth28d).toBeNull();
      else expect(row.growth28d).toBeCloseTo(e.growth28d, 12);
    }
    await computePopulationMomentum(db, DAY);
    const again = await stored();
    expect(again.size).toBe(rows.size);
    for (const [id, row] of rows) expect(again.get(id)?.score).toBe(row.score);
  });

  it("scores one artist later in the day against the day's tier statistics", async () => {
    const statsFor = tierStatistics(
      [...scorePopulation(new Map(artists.map((a) => [a.id, a.observations])), DAY).values()],
    );
    const artist = artists.find((a) => momentumInputs(a.observations, DAY) && a.observations.some((o) => o.day === DAY))!;
    const today = artist.observations.filter((o) => o.day === DAY);
    await db.update(metricSnapshots).set({ value: sql`${metricSnapshots.value} * 2` }).where(sql`${metricSnapshots.day} = ${DAY} AND ${metricSnapshots.accountId} IN ${today.map((o) => o.account)}`);
    const doubled = artist.observations.map((o) => (o.day === DAY ? { ...o, value: o.value * 2 } : o));
    await computeArtistMomentum(db, [artist.id], DAY);
    const inputs = momentumInputs(doubled, DAY)!;
    const expected = score(inputs, statsFor(inputs.tier));
    const row = (await stored()).get(artist.id)!;
    expect(row.z).toBeCloseTo(expected.z, 9);
    expect(row.score).toBe(expected.score);
  });
});
