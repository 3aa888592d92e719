import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/days.js";
import { normalCdf } from "../../src/domain/momentum/normal.js";
import {
  categoryOf,
  DEFAULT_STATS,
  momentumInputs,
  score,
  scorePopulation,
  SD_FLOOR,
  tierOf,
  tierStatistics,
  type Observation,
  type Peers,
} from "../../src/domain/momentum/v1.js";

const D = "2026-06-30";
/** Peers of some tier with the given statistics. */
const peers = (mean: number, sd: number): Peers => ({ group: "tier", count: 20, mean, sd });
/** Observations of one account from { daysBefore: value }. */
const account = (name: string, values: Record<number, number>): Observation[] =>
  Object.entries(values).map(([back, value]) => ({ account: name, day: addDays(D, -Number(back)), value }));

describe("momentum v1, by hand", () => {
  it("computes g7 and growth without a baseline", () => {
    const m = momentumInputs(account("s", { 0: 1100, 7: 1000 }), D)!;
    expect(m.g7).toBeCloseTo(Math.log(1.1), 12);
    expect(m.baseline).toBeNull();
    expect(m.acceleration).toBeNull();
    expect(m.raw).toBe(m.g7);
    expect(m.growth7d).toBeCloseTo(0.1, 12);
    expect(m.growth28d).toBeNull();
    expect(m.audience).toBe(1100);
  });

  it("computes the baseline, acceleration and raw from four weeks before", () => {
    const m = momentumInputs(account("s", { 0: 1100, 7: 1000, 28: 900, 35: 800 }), D)!;
    const g7 = Math.log(1100 / 1000);
    const b = Math.log(1000 / 800) / 4;
    expect(m.baseline).toBeCloseTo(b, 12);
    expect(m.acceleration).toBeCloseTo(g7 - b, 12);
    expect(m.raw).toBeCloseTo(g7 + 0.5 * (g7 - b), 12);
    expect(m.growth28d).toBeCloseTo(1100 / 900 - 1, 12);
  });

  it("has no momentum without both ends of the week", () => {
    expect(momentumInputs(account("s", { 0: 1100 }), D)).toBeNull();
    expect(momentumInputs(account("s", { 7: 1000 }), D)).toBeNull();
    expect(momentumInputs(account("s", { 0: 0, 7: 1000 }), D)).toBeNull();
  });

  it("takes a missing day from up to 2 days before, and no further", () => {
    expect(momentumInputs(account("s", { 2: 1100, 9: 1000 }), D)?.g7).toBeCloseTo(Math.log(1.1), 12);
    expect(momentumInputs(account("s", { 0: 1100, 8: 1000 }), D)?.g7).toBeCloseTo(Math.log(1.1), 12);
    expect(momentumInputs(account("s", { 3: 1100, 7: 1000 }), D)).toBeNull();
    expect(momentumInputs(account("s", { 0: 1100, 10: 1000 }), D)).toBeNull();
    // the newest value within the tolerance wins
    expect(momentumInputs(account("s", { 0: 1200, 1: 1100, 7: 1000 }), D)?.growth7d).toBeCloseTo(0.2, 12);
  });

  it("does not count a platform that appears mid-window as growth", () => {
    const m = momentumInputs([...account("spotify", { 0: 1000, 7: 1000 }), ...account("deezer", { 0: 5000 })], D)!;
    expect(m.g7).toBe(0);
    expect(m.growth7d).toBe(0);
    expect(m.audience).toBe(6000);
  });

  it("puts audiences in tiers at 10k, 100k, 1M and 10M", () => {
    expect([0, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000, 9_999_999, 10_000_000, 5e8].map(tierOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it("uses the defaults when fewer than 20 artists score that day", () => {
    const stats = tierStatistics(Array.from({ length: 19 }, (_, i) => ({ tier: 0, raw: i })));
    expect(stats(0)).toEqual({ group: "default", count: 19, ...DEFAULT_STATS });
    const atMean = score(momentumInputs(account("s", { 0: 1000, 7: 1000 }), D)!, peers(0, 0.02));
    expect(atMean.z).toBe(0);
    expect(atMean.score).toBe(50);
  });

  it("uses all artists' statistics for a tier of fewer than 20, and a tier's own from 20", () => {
    const population = [
      ...Array.from({ length: 20 }, (_, i) => ({ tier: 0, raw: i % 2 === 0 ? 0.01 : 0.03 })),
      { tier: 3, raw: 0.5 },
    ];
    const stats = tierStatistics(population);
    expect(stats(0)).toMatchObject({ group: "tier", count: 20 });
    expect(stats(3)).toMatchObject({ group: "all", count: 21 });
    expect(stats(0).mean).toBeCloseTo(0.02, 12);
    expect(stats(0).sd).toBeCloseTo(0.01, 12);
    const all = population.map((p) => p.raw);
    const mean = all.reduce((a, b) => a + b) / all.length;
    expect(stats(3).mean).toBeCloseTo(mean, 12);
    expect(stats(3).sd).toBeCloseTo(Math.sqrt(all.reduce((a, r) => a + (r - mean) ** 2, 0) / all.length), 12);
  });

  it("floors the standard deviation at 0.001", () => {
    const stats = tierStatistics(Array.from({ length: 25 }, () => ({ tier: 1, raw: 0.02 })))(1);
    expect(stats.mean).toBeCloseTo(0.02, 12);
    expect(stats.sd).toBe(SD_FLOOR);
  });

  it("scores 100·Φ(z) to one decimal", () => {
    const inputs = momentumInputs(account("s", { 0: 1000, 7: 1000 }), D)!;
    expect(score(inputs, peers(-0.02, 0.02))).toMatchObject({ z: 1, score: 84.1 });
    expect(score(inputs, peers(0.0392, 0.02))).toMatchObject({ score: 2.5 });
    expect(score(inputs, peers(-0.06, 0.02))).toMatchObject({ score: 99.9, category: "explosive" });
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });

  it.each([
    [3, "explosive"],
    [2.9999, "high"],
    [1.5, "high"],
    [1.4999, "growing"],
    [0.5, "growing"],
    [0.4999, "steady"],
    [-0.4999, "steady"],
    [-0.5, "declining"],
    [-4, "declining"],
  ])("puts z = %d in %s", (z, category) => {
    expect(categoryOf(z)).toBe(category);
  });
});

const history = fc.record({
  t: fc.integer({ min: 1, max: 50_000_000 }),
  w: fc.integer({ min: 1, max: 50_000_000 }),
  m: fc.option(fc.integer({ min: 1, max: 50_000_000 }), { nil: undefined }),
  b: fc.option(fc.integer({ min: 1, max: 50_000_000 }), { nil: undefined }),
});
const observationsOf = (h: { t: number; w: number; m?: number | undefined; b?: number | undefined }) => {
  const values: Record<number, number> = { 0: h.t, 7: h.w };
  if (h.m) values[28] = h.m;
  if (h.b) values[35] = h.b;
  return account("s", values);
};

describe("momentum v1, as properties", () => {
  it("never lowers the score for more recent growth, all else equal", () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 1_000_000 }), (h, extra) => {
        const stats = peers(0.004, 0.02);
        const base = score(momentumInputs(observationsOf(h), D)!, stats);
        const more = score(momentumInputs(observationsOf({ ...h, t: h.t + extra }), D)!, stats);
        return more.score >= base.score && more.z >= base.z;
      }),
    );
  });

  it("keeps the score within 0..100", () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 40 }), (histories) => {
        const scores = scorePopulation(new Map(histories.map((h, i) => [`a${i}`, observationsOf(h)])), D);
        return [...scores.values()].every((s) => s.score >= 0 && s.score <= 100 && Number.isFinite(s.z));
      }),
    );
  });

  it("does not depend on the order rows arrive in", () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 30 }), fc.integer(), (histories, seed) => {
        const rows = histories.flatMap((h, i) => observationsOf(h).map((o) => ({ artist: `a${i}`, o })));
        const shuffled = fc.sample(fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), { numRuns: 1, seed })[0]!;
        const group = (list: typeof rows) => {
          const map = new Map<string, Observation[]>();
          for (const { artist, o } of list) map.set(artist, [...(map.get(artist) ?? []), o]);
          return map;
        };
        const a = scorePopulation(group(rows), D);
        const b = scorePopulation(group(shuffled), D);
        return [...a].every(([id, s]) => Math.abs(b.get(id)!.z - s.z) < 1e-9 && b.get(id)!.score === s.score);
      }),
    );
  });
});
