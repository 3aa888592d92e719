import type { MomentumCategoryValue } from "../../db/schema.js";
import { addDays } from "../days.js";
import { normalCdf } from "./normal.js";

/**
 * Momentum v1 (DESIGN.md): how fast an artist's audience grows now, against its own recent
 * pace and against artists of a similar size on the same day. Pure functions: the population
 * computation in SQL (momentum-sql.ts) implements the same rules set-based, and a test holds
 * the two to the same results.
 */

export const MODEL_VERSION = "v1";
/** A day with no snapshot takes the newest value from up to this many days before. */
export const TOLERANCE_DAYS = 2;
/** Upper bounds of the audience tiers; the last tier is everything from 10M up. */
export const TIER_BOUNDS = [10_000, 100_000, 1_000_000, 10_000_000] as const;
/** Fewer artists than this in a tier (or in all) and its statistics are not trusted. */
export const MIN_POPULATION = 20;
export const DEFAULT_STATS = { mean: 0.004, sd: 0.02 } as const;
export const SD_FLOOR = 0.001;

export type Category = MomentumCategoryValue;

/** One FOLLOWERS value of one platform account on one UTC day. */
export type Observation = { account: string; day: string; value: number };

export type MomentumInputs = {
  /** A(t): the audience summed over the platforms with a value at t. */
  audience: number;
  tier: number;
  g7: number;
  baseline: number | null;
  acceleration: number | null;
  raw: number;
  growth7d: number;
  growth28d: number | null;
};

export type PeerGroup = "tier" | "all" | "default";

/**
 * The statistics an artist is scored against, and where they come from: its tier's artists that
 * day, every artist that day (the tier had fewer than 20), or the defaults (fewer than 20 in all).
 * `count` is the size of the group (for the defaults: every artist that day); `sd` is floored.
 */
export type Peers = { group: PeerGroup; count: number; mean: number; sd: number };

export type MomentumScore = MomentumInputs & { z: number; score: number; category: Category; peers: Peers };

/** Each platform's value on `day`, or its newest within the tolerance before it. */
function valuesOn(byPlatform: Map<string, Map<string, number>>, day: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const [platform, days] of byPlatform) {
    for (let back = 0; back <= TOLERANCE_DAYS; back++) {
      const value = days.get(addDays(day, -back));
      if (value !== undefined) {
        found.set(platform, value);
        break;
      }
    }
  }
  return found;
}

/** Audience on two days, counting only platforms with a value on both, so a new platform is not growth. */
function paired(byPlatform: Map<string, Map<string, number>>, later: string, earlier: string): { later: number; earlier: number } | null {
  const a = valuesOn(byPlatform, later);
  const b = valuesOn(byPlatform, earlier);
  let sumLater = 0;
  let sumEarlier = 0;
  let platforms = 0;
  for (const [platform, value] of a) {
    const before = b.get(platform);
    if (before === undefined) continue;
    sumLater += value;
    sumEarlier += before;
    platforms++;
  }
  return platforms > 0 ? { later: sumLater, earlier: sumEarlier } : null;
}

const logRatio = (pair: { later: number; earlier: number } | null) =>
  pair && pair.later > 0 && pair.earlier > 0 ? Math.log(pair.later / pair.earlier) : null;

export function tierOf(audience: number): number {
  const index = TIER_BOUNDS.findIndex((bound) => audience < bound);
  return index === -1 ? TIER_BOUNDS.length : index;
}

/** Everything of an artist's momentum that does not depend on other artists; null without g7. */
export function momentumInputs(observations: readonly Observation[], day: string): MomentumInputs | null {
  const byPlatform = new Map<string, Map<string, number>>();
  for (const o of observations) {
    if (!byPlatform.has(o.account)) byPlatform.set(o.account, new Map());
    byPlatform.get(o.account)!.set(o.day, o.value);
  }
  const week = paired(byPlatform, day, addDays(day, -7));
  const g7 = logRatio(week);
  if (g7 === null || !week) return null;
  const baseLog = logRatio(paired(byPlatform, addDays(day, -7), addDays(day, -35)));
  const baseline = baseLog === null ? null : baseLog / 4;
  const acceleration = baseline === null ? null : g7 - baseline;
  const month = paired(byPlatform, day, addDays(day, -28));
  let audience = 0;
  for (const value of valuesOn(byPlatform, day).values()) audience += value;
  return {
    audience,
    tier: tierOf(audience),
    g7,
    baseline,
    acceleration,
    raw: acceleration === null ? g7 : g7 + 0.5 * acceleration,
    growth7d: week.later / week.earlier - 1,
    growth28d: month && month.earlier > 0 ? month.later / month.earlier - 1 : null,
  };
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * The peers each tier is scored against: its own artists with 20 or more, else all artists that
 * day with 20 or more, else the defaults; the standard deviation (population) floored.
 */
export function tierStatistics(population: readonly Pick<MomentumInputs, "tier" | "raw">[]): (tier: number) => Peers {
  const group = (name: "tier" | "all", raws: number[]): Peers => {
    const { mean, sd } = meanAndSd(raws);
    return { group: name, count: raws.length, mean, sd: Math.max(sd, SD_FLOOR) };
  };
  const all: Peers =
    population.length >= MIN_POPULATION ? group("all", population.map((p) => p.raw)) : { group: "default", count: population.length, ...DEFAULT_STATS };
  const tiers = new Map<number, Peers>();
  for (let tier = 0; tier <= TIER_BOUNDS.length; tier++) {
    const raws = population.filter((p) => p.tier === tier).map((p) => p.raw);
    if (raws.length >= MIN_POPULATION) tiers.set(tier, group("tier", raws));
  }
  return (tier) => tiers.get(tier) ?? all;
}

export function categoryOf(z: number): Category {
  if (z >= 3) return "explosive";
  if (z >= 1.5) return "high";
  if (z >= 0.5) return "growing";
  if (z > -0.5) return "steady";
  return "declining";
}

export function score(inputs: MomentumInputs, peers: Peers): MomentumScore {
  const z = (inputs.raw - peers.mean) / peers.sd;
  return { ...inputs, z, score: Math.round(1000 * normalCdf(z)) / 10, category: categoryOf(z), peers };
}

/** Scores a whole population on one day: tier statistics first, then every artist. */
export function scorePopulation(histories: ReadonlyMap<string, readonly Observation[]>, day: string): Map<string, MomentumScore> {
  const inputs = new Map<string, MomentumInputs>();
  for (const [artistId, observations] of histories) {
    const result = momentumInputs(observations, day);
    if (result) inputs.set(artistId, result);
  }
  const statsFor = tierStatistics([...inputs.values()]);
  return new Map([...inputs].map(([artistId, i]) => [artistId, score(i, statsFor(i.tier))]));
}
