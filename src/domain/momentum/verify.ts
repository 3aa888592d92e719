import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { addDays } from "../days.js";
import { MODEL_VERSION, scorePopulation, type Observation } from "./v1.js";

export type MomentumCheck = {
  days: number;
  scores: number;
  /** Stored scores that differ from what the reference gives (at most the first 20), or scores missing on either side. */
  mismatches: string[];
  /** How many stored scores of the newest day fall in each category. */
  categories: Record<string, number>;
};

const Z_TOLERANCE = 1e-8;

/**
 * Recomputes every stored v1 score of the given days (the newest `days` days with scores) with
 * the reference functions of v1.ts, from the stored daily FOLLOWERS, and lists every difference.
 */
export async function checkStoredMomentum(db: Database, days: number): Promise<MomentumCheck> {
  const scoredDays = (
    await db.execute<{ day: string }>(sql`
      SELECT DISTINCT day::text FROM artist_momentum WHERE model_version = ${MODEL_VERSION} ORDER BY day DESC LIMIT ${days}`)
  ).map((r) => r.day);
  const check: MomentumCheck = { days: scoredDays.length, scores: 0, mismatches: [], categories: {} };
  if (scoredDays.length === 0) return check;
  const first = addDays(scoredDays.at(-1)!, -37);
  const snapshots = await db.execute<{ artist_id: string; account_id: string; day: string; value: number }>(sql`
    SELECT a.artist_id, s.account_id, s.day::text, s.value FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
    WHERE s.metric = 'followers' AND s.day BETWEEN ${first}::date AND ${scoredDays[0]}::date`);
  const histories = new Map<string, Observation[]>();
  for (const s of snapshots) {
    const list = histories.get(s.artist_id) ?? [];
    list.push({ account: s.account_id, day: s.day, value: Number(s.value) });
    histories.set(s.artist_id, list);
  }
  const mismatch = (text: string) => {
    if (check.mismatches.length < 20) check.mismatches.push(text);
  };
  for (const day of scoredDays) {
    const expected = scorePopulation(histories, day);
    const stored = await db.execute<{ artist_id: string; z: number; score: number; category: string; peer_group: string; peer_count: number }>(sql`
      SELECT artist_id, z, score, category::text, peer_group::text, peer_count FROM artist_momentum WHERE model_version = ${MODEL_VERSION} AND day = ${day}::date`);
    check.scores += stored.length;
    if (day === scoredDays[0]) for (const row of stored) check.categories[row.category] = (check.categories[row.category] ?? 0) + 1;
    for (const row of stored) {
      const e = expected.get(row.artist_id);
      if (!e) mismatch(`${day} ${row.artist_id}: stored, but the reference gives no momentum`);
      else if (Math.abs(row.z - e.z) > Z_TOLERANCE * Math.max(1, Math.abs(e.z)) || row.score !== e.score || row.category !== e.category) {
        mismatch(`${day} ${row.artist_id}: stored z ${row.z}, score ${row.score}, ${row.category}; the reference gives z ${e.z}, score ${e.score}, ${e.category}`);
      } else if (row.peer_group !== e.peers.group || row.peer_count !== e.peers.count) {
        mismatch(`${day} ${row.artist_id}: stored peers ${row.peer_group} (${row.peer_count}); the reference's are ${e.peers.group} (${e.peers.count})`);
      }
    }
    const storedIds = new Set(stored.map((r) => r.artist_id));
    for (const id of expected.keys()) if (!storedIds.has(id)) mismatch(`${day} ${id}: the reference gives a score, none is stored`);
  }
  return check;
}
