import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { arrayLiteral } from "../db/pg-array.js";
import { queuePastDaysScoring } from "../jobs/queue.js";
import { normalizeSpotifyId, sharedArtistOf } from "./artists.js";
import type { ImportReport } from "./report.js";
import type { Legacy, LegacyConnection } from "./source.js";

/** The FanPulse account a connection's history belongs to: its own, or the one it merged into. */
async function accountOf(tx: Executor, c: LegacyConnection): Promise<string | null> {
  const [own] = await tx.execute<{ id: string }>(sql`SELECT id FROM platform_accounts WHERE id = ${c.id}::uuid`);
  if (own) return own.id;
  const artistId = await sharedArtistOf(tx, c.artist_id, normalizeSpotifyId(c.artist_spotify_id));
  if (!artistId) return null;
  const [merged] = await tx.execute<{ id: string }>(sql`
    SELECT id FROM platform_accounts
    WHERE platform::text = ${c.platform_type} AND external_id = ${c.platform_artist_id.trim()} AND artist_id = ${artistId}::uuid`);
  return merged?.id ?? null;
}

/**
 * The captures of a batch of connections become daily FOLLOWERS snapshots: the last capture of
 * each UTC day with a usable value. monthly_listeners were estimates and are not imported.
 */
export async function importHistory(tx: Executor, legacy: Legacy, connections: LegacyConnection[], report: ImportReport): Promise<void> {
  const t = report.tables.streamHistory;
  const ids = connections.map((c) => c.id);
  const accounts = new Map<string, string>();
  for (const c of connections) {
    const account = await accountOf(tx, c);
    if (account) accounts.set(c.id, account);
  }

  const counts = await legacy<{ connection_id: string; captures: number; monthly: number }[]>`
    SELECT platform_connection_id::text AS connection_id, count(*)::int AS captures,
           count(*) FILTER (WHERE monthly_listeners IS NOT NULL AND monthly_listeners <> 0)::int AS monthly
    FROM stream_history WHERE platform_connection_id = ANY(${arrayLiteral(ids)}::uuid[]) GROUP BY 1`;
  for (const c of counts) {
    t.read += c.captures;
    report.monthlyListenersNotImported += c.monthly;
  }

  const orphans = ids.filter((id) => !accounts.has(id));
  if (orphans.length > 0) {
    const rows = await legacy<{ id: string; connection_id: string }[]>`
      SELECT id::text, platform_connection_id::text AS connection_id FROM stream_history
      WHERE platform_connection_id = ANY(${arrayLiteral(orphans)}::uuid[]) ORDER BY id`;
    for (const row of rows) t.skipped.push({ id: row.id, reason: `its platform connection ${row.connection_id} was not imported` });
  }
  const imported = ids.filter((id) => accounts.has(id));
  if (imported.length === 0) return;

  const unusable = await legacy<{ id: string; followers: number | null }[]>`
    SELECT id::text, followers FROM stream_history
    WHERE platform_connection_id = ANY(${arrayLiteral(imported)}::uuid[]) AND (followers IS NULL OR followers < 0)
    ORDER BY id`;
  for (const row of unusable) {
    t.skipped.push({ id: row.id, reason: row.followers === null ? "no followers value" : `negative followers (${row.followers})` });
  }

  const days = await legacy<{ connection_id: string; day: string; followers: number; captured_at: string; captures: number }[]>`
    SELECT DISTINCT ON (platform_connection_id, "timestamp"::date)
           platform_connection_id::text AS connection_id, "timestamp"::date::text AS day, followers,
           to_char("timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS captured_at,
           count(*) OVER (PARTITION BY platform_connection_id, "timestamp"::date)::int AS captures
    FROM stream_history
    WHERE platform_connection_id = ANY(${arrayLiteral(imported)}::uuid[]) AND followers >= 0
    ORDER BY platform_connection_id, "timestamp"::date, "timestamp" DESC, id DESC`;
  // Earlier captures of a day are superseded by its last one.
  t.merged += days.reduce((sum, d) => sum + d.captures - 1, 0);
  if (days.length === 0) return;

  const [outcome] = await tx.execute<{ inserted: number; replaced: number; same: number; newer: number }>(sql`
    WITH incoming AS (
      SELECT * FROM unnest(${arrayLiteral(days.map((d) => accounts.get(d.connection_id)!))}::uuid[], ${arrayLiteral(days.map((d) => d.day))}::date[],
                           ${arrayLiteral(days.map((d) => d.followers))}::float8[], ${arrayLiteral(days.map((d) => d.captured_at))}::timestamptz[])
        AS i(account_id, day, value, captured_at)
    ),
    before AS (
      SELECT i.*, s.captured_at AS existing_at FROM incoming i
      LEFT JOIN metric_snapshots s ON s.account_id = i.account_id AND s.metric = 'followers' AND s.day = i.day
    ),
    written AS (
      INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at, source)
      SELECT account_id, 'followers', day, value, captured_at, 'legacy_import' FROM incoming
      ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value, captured_at = excluded.captured_at, source = excluded.source
        WHERE excluded.captured_at > metric_snapshots.captured_at
      RETURNING 1
    )
    SELECT count(*) FILTER (WHERE existing_at IS NULL)::int AS inserted,
           count(*) FILTER (WHERE existing_at < captured_at)::int AS replaced,
           count(*) FILTER (WHERE existing_at = captured_at)::int AS same,
           count(*) FILTER (WHERE existing_at > captured_at)::int AS newer,
           (SELECT count(*) FROM written)::int AS written
    FROM before`);
  if ((outcome?.inserted ?? 0) + (outcome?.replaced ?? 0) > 0) {
    const artists = await tx.execute<{ artist_id: string }>(sql`
      SELECT DISTINCT artist_id FROM platform_accounts WHERE id = ANY(${arrayLiteral([...accounts.values()])}::uuid[])`);
    await queuePastDaysScoring(tx, artists.map((a) => a.artist_id));
  }
  t.imported += outcome?.inserted ?? 0;
  t.merged += (outcome?.replaced ?? 0) + (outcome?.newer ?? 0);
  t.alreadyImported += outcome?.same ?? 0;
}
