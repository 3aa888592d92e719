import type { Executor } from "../db/client.js";
import type { Platform } from "../db/schema.js";
import { importAccount, normalizeSpotifyId, sharedArtistOf } from "./artists.js";
import type { ImportReport } from "./report.js";
import type { Legacy, LegacyConnection } from "./source.js";

export const readConnections = (legacy: Legacy, after: string, limit: number) => legacy<LegacyConnection[]>`
  SELECT c.id::text, c.artist_id::text, a.spotify_id AS artist_spotify_id, c.platform_type::text, c.platform_artist_id,
         c.platform_username, (c.access_token IS NOT NULL OR c.refresh_token IS NOT NULL) AS has_tokens,
         to_char(c.connected_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS connected_at, c.id::text AS key
  FROM platform_connections c JOIN artists a ON a.id = c.artist_id
  WHERE c.id::text > ${after}
  ORDER BY key LIMIT ${limit}`;

/** Legacy platform types are FanPulse platforms of the same name. */
const PLATFORMS = new Set<string>(["spotify", "apple_music", "youtube", "instagram", "tiktok", "twitter"]);

/**
 * Platform connections become platform accounts of the connection's shared artist (keeping the
 * connection's id, which its history refers to). OAuth tokens stay behind: they are counted, not copied.
 */
export async function importConnections(tx: Executor, rows: LegacyConnection[], report: ImportReport): Promise<void> {
  const t = report.tables.platformConnections;
  for (const row of rows) {
    t.read++;
    if (row.has_tokens) report.droppedOAuthTokens++;
    const externalId = row.platform_artist_id.trim();
    if (!PLATFORMS.has(row.platform_type)) {
      t.skipped.push({ id: row.id, reason: `platform ${row.platform_type} is unknown to FanPulse` });
      continue;
    }
    if (!externalId) {
      t.skipped.push({ id: row.id, reason: "empty platform_artist_id" });
      continue;
    }
    const artistId = await sharedArtistOf(tx, row.artist_id, normalizeSpotifyId(row.artist_spotify_id));
    if (!artistId) {
      t.skipped.push({ id: row.id, reason: `its artist ${row.artist_id} was not imported` });
      continue;
    }
    await importAccount(tx, t, row.id, { id: row.id, artistId, platform: row.platform_type as Platform, externalId, createdAt: row.connected_at });
  }
}
