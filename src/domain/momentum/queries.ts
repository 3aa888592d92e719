import { sql } from "drizzle-orm";
import { isAnyOf } from "../../db/pg-array.js";
import type { Database } from "../../db/client.js";
import { artistMomentum, type ArtistMomentumRow } from "../../db/schema.js";
import { MODEL_VERSION, type Peers } from "./v1.js";

/** A stored score with the peers it was compared with, as one value. */
export type StoredMomentum = ArtistMomentumRow & { peers: Peers & { tier: number } };

/**
 * A row of `artist_momentum` as postgres.js returns it (the timestamp as text: drizzle's client
 * leaves it unparsed). The chart's history is a hundred rows a request, so they are mapped by hand
 * rather than by drizzle's per-column mapping.
 */
type MomentumRow = {
  artist_id: string;
  day: string;
  model_version: string;
  score: number;
  z: number;
  category: ArtistMomentumRow["category"];
  growth7d: number | null;
  growth28d: number | null;
  acceleration: number | null;
  audience: number;
  tier: number;
  peer_group: ArtistMomentumRow["peerGroup"];
  peer_count: number;
  peer_mean: number;
  peer_sd: number;
  computed_at: string;
};

const storedMomentum = (r: MomentumRow): StoredMomentum => ({
  artistId: r.artist_id,
  day: r.day,
  modelVersion: r.model_version,
  score: r.score,
  z: r.z,
  category: r.category,
  growth7d: r.growth7d,
  growth28d: r.growth28d,
  acceleration: r.acceleration,
  audience: r.audience,
  tier: r.tier,
  peerGroup: r.peer_group,
  peerCount: r.peer_count,
  peerMean: r.peer_mean,
  peerSd: r.peer_sd,
  computedAt: new Date(r.computed_at),
  peers: { group: r.peer_group, tier: r.tier, count: r.peer_count, mean: r.peer_mean, sd: r.peer_sd },
});

/** Each artist's newest v1 momentum, in one statement. */
export const latestMomentumOf = async (db: Database, artistIds: readonly string[]): Promise<StoredMomentum[]> =>
  (
    await db.execute<MomentumRow>(sql`
      SELECT DISTINCT ON (m.artist_id) m.* FROM ${artistMomentum} m
      WHERE m.model_version = ${MODEL_VERSION} AND ${isAnyOf(sql`m.artist_id`, artistIds)}
      ORDER BY m.artist_id, m.day DESC`)
  ).map(storedMomentum);

export type HistoryKey = { artistId: string; from: string; to: string };

/** Daily momentum of many artists over their ranges, oldest first, in one statement. */
export async function momentumHistoryOf(db: Database, keys: readonly HistoryKey[]): Promise<StoredMomentum[][]> {
  if (keys.length === 0) return [];
  const from = keys.reduce((min, k) => (k.from < min ? k.from : min), keys[0]!.from);
  const to = keys.reduce((max, k) => (k.to > max ? k.to : max), keys[0]!.to);
  const rows = await db.execute<MomentumRow>(sql`
    SELECT m.* FROM ${artistMomentum} m
    WHERE m.model_version = ${MODEL_VERSION} AND ${isAnyOf(sql`m.artist_id`, [...new Set(keys.map((k) => k.artistId))])}
      AND m.day BETWEEN ${from}::date AND ${to}::date
    ORDER BY m.day`);
  const scored = rows.map(storedMomentum);
  return keys.map((k) => scored.filter((r) => r.artistId === k.artistId && r.day >= k.from && r.day <= k.to));
}
