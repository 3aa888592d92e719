import { addDays } from "../../src/domain/days.js";
import type { Observation } from "../../src/domain/momentum/v1.js";
import type { Database } from "../../src/db/client.js";
import { globalArtists, metricSnapshots, platformAccounts } from "../../src/db/schema.js";

/** A small deterministic PRNG (mulberry32), so a generated population is the same every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedArtist = { id: string; name: string; observations: Observation[] };

/**
 * Artists with 40 days of FOLLOWERS up to `day` on one or two platforms, audiences across every
 * tier, some days missing, some platforms starting mid-window; written to the database and
 * returned as the observations the pure functions take.
 */
export async function writePopulation(db: Database, day: string, count: number, seed: number): Promise<GeneratedArtist[]> {
  const random = prng(seed);
  const artists: GeneratedArtist[] = [];
  for (let n = 0; n < count; n++) {
    const [artist] = await db.insert(globalArtists).values({ name: `Generated ${seed}-${n}` }).returning();
    const platforms = random() < 0.3 ? (["spotify", "deezer"] as const) : (["spotify"] as const);
    const observations: Observation[] = [];
    for (const platform of platforms) {
      const [acc] = await db
        .insert(platformAccounts)
        .values({ artistId: artist!.id, platform, externalId: `${seed}-${n}-${platform}`, linkedBy: "tracked", simulated: false })
        .returning();
      const start = Math.exp(Math.log(500) + random() * Math.log(50_000_000 / 500));
      const growth = (random() - 0.3) * 0.02;
      const firstDay = platform === "deezer" && random() < 0.5 ? Math.floor(random() * 20) : 40;
      const rows = [];
      for (let back = firstDay; back >= 0; back--) {
        if (random() < 0.1) continue;
        const value = Math.round(start * Math.exp(growth * (40 - back)));
        rows.push({ accountId: acc!.id, metric: "followers" as const, day: addDays(day, -back), value, capturedAt: new Date(`${addDays(day, -back)}T10:00:00Z`), source: "platform" as const });
        observations.push({ account: acc!.id, day: addDays(day, -back), value });
      }
      if (rows.length) await db.insert(metricSnapshots).values(rows);
    }
    artists.push({ id: artist!.id, name: artist!.name, observations });
  }
  return artists;
}
