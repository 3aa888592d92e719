import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import { isAnyOf } from "../../db/pg-array.js";
import type { Database } from "../../db/client.js";
import { artistMomentum, type ArtistMomentumRow } from "../../db/schema.js";
import { MODEL_VERSION, type Peers } from "./v1.js";

/** A stored score with the peers it was compared with, as one value. */
export type StoredMomentum = ArtistMomentumRow & { peers: Peers & { tier: number } };

const withPeers = (row: ArtistMomentumRow): StoredMomentum => ({
  ...row,
  peers: { group: row.peerGroup, tier: row.tier, count: row.peerCount, mean: row.peerMean, sd: row.peerSd },
});

/** Each artist's newest v1 momentum, in one statement. */
export const latestMomentumOf = async (db: Database, artistIds: readonly string[]): Promise<StoredMomentum[]> =>
  (
    await db
      .selectDistinctOn([artistMomentum.artistId])
      .from(artistMomentum)
      .where(and(eq(artistMomentum.modelVersion, MODEL_VERSION), isAnyOf(artistMomentum.artistId, artistIds)))
      .orderBy(artistMomentum.artistId, desc(artistMomentum.day))
  ).map(withPeers);

export type HistoryKey = { artistId: string; from: string; to: string };

/** Daily momentum of many artists over their ranges, oldest first, in one statement. */
export async function momentumHistoryOf(db: Database, keys: readonly HistoryKey[]): Promise<StoredMomentum[][]> {
  if (keys.length === 0) return [];
  const from = keys.reduce((min, k) => (k.from < min ? k.from : min), keys[0]!.from);
  const to = keys.reduce((max, k) => (k.to > max ? k.to : max), keys[0]!.to);
  const rows = await db
    .select()
    .from(artistMomentum)
    .where(
      and(
        eq(artistMomentum.modelVersion, MODEL_VERSION),
        isAnyOf(artistMomentum.artistId, [...new Set(keys.map((k) => k.artistId))]),
        gte(artistMomentum.day, from),
        lte(artistMomentum.day, to),
      ),
    )
    .orderBy(asc(artistMomentum.day));
  const scored = rows.map(withPeers);
  return keys.map((k) => scored.filter((r) => r.artistId === k.artistId && r.day >= k.from && r.day <= k.to));
}
