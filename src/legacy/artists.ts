import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { arrayLiteral } from "../db/pg-array.js";
import type { Platform } from "../db/schema.js";
import { attachAccount } from "../domain/accounts.js";
import { artistOwning } from "../domain/artists.js";
import { DomainError } from "../domain/errors.js";
import { parseSpotifyArtistId } from "../domain/spotify-id.js";
import type { ImportReport, TableReport } from "./report.js";
import type { Legacy, LegacyArtist } from "./source.js";

export const readArtists = (legacy: Legacy, after: string, limit: number) => legacy<LegacyArtist[]>`
  SELECT id::text, user_id::text, spotify_id, instagram_id, youtube_id, apple_music_id, tiktok_id, twitter_id, facebook_id,
         name, genre, image_url, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
         to_char(created_at, 'YYYYMMDDHH24MISSUS') || '|' || id::text AS key
  FROM artists WHERE to_char(created_at, 'YYYYMMDDHH24MISSUS') || '|' || id::text > ${after}
  ORDER BY key LIMIT ${limit}`;

/** A legacy Spotify id as FanPulse keeps it, or null when it is not one (reported, the artist kept). */
export function normalizeSpotifyId(raw: string | null): string | null {
  if (raw === null || raw.trim() === "") return null;
  try {
    return parseSpotifyArtistId(raw, "spotify_id");
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

const OTHER_IDS: [keyof LegacyArtist, Platform][] = [
  ["instagram_id", "instagram"],
  ["youtube_id", "youtube"],
  ["apple_music_id", "apple_music"],
  ["tiktok_id", "tiktok"],
  ["twitter_id", "twitter"],
  ["facebook_id", "facebook"],
];

/** The shared artist a legacy row belongs to: by Spotify id when it has one, else its own (the row's id). */
export async function sharedArtistOf(tx: Executor, legacyId: string, spotifyId: string | null): Promise<string | null> {
  if (spotifyId) return (await artistOwning(tx, "spotify", spotifyId))?.id ?? null;
  const [row] = await tx.execute<{ id: string }>(sql`SELECT id FROM global_artists WHERE id = ${legacyId}::uuid`);
  return row?.id ?? null;
}

/**
 * Links an account to the artist, by the rule every path that adds an account passes, and counts
 * what happened against `rowId`: a new account, one written by an earlier run, one the artist had
 * already, or one that belongs to another artist or clashes with the artist's own (skipped). A
 * Spotify id is the account the legacy user tracked the artist by; the account's id derives from
 * its source, so re-runs find it.
 */
export async function importAccount(
  tx: Executor,
  report: TableReport,
  rowId: string,
  account: { id: string; artistId: string; platform: Platform; externalId: string; createdAt: string },
): Promise<void> {
  const attached = await attachAccount(tx, {
    id: account.id,
    artistId: account.artistId,
    platform: account.platform,
    externalId: account.externalId,
    url: account.platform === "spotify" ? `https://open.spotify.com/artist/${account.externalId}` : null,
    linkedBy: account.platform === "spotify" ? "tracked" : "legacy_import",
    simulated: false,
    createdAt: new Date(account.createdAt),
  });
  if (attached.outcome === "added") report.imported++;
  else if (attached.outcome === "present") {
    if (attached.account.id === account.id) report.alreadyImported++;
    else report.merged++;
  } else if (attached.outcome === "taken") {
    report.skipped.push({
      id: rowId,
      reason: `${account.platform} account ${JSON.stringify(account.externalId)} belongs to another artist (${attached.account.artistId})`,
    });
  } else {
    report.skipped.push({ id: rowId, reason: `the artist already has another ${account.platform} account (${JSON.stringify(attached.account.externalId)})` });
  }
}

/** A stable id for an account that comes from a column of a legacy artist row, so re-runs find it. */
function columnAccountId(legacyArtistId: string, platform: Platform): string {
  const hex = createHash("md5").update(`${legacyArtistId}:${platform}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Each legacy artist row is one user's tracking link: rows with the same Spotify id become one
 * shared artist, rows without one stay artists of their own (keeping the legacy row's id).
 */
export async function importArtists(tx: Executor, rows: LegacyArtist[], report: ImportReport): Promise<void> {
  const t = report.tables.artists;
  for (const row of rows) {
    t.read++;
    const spotifyId = normalizeSpotifyId(row.spotify_id);
    if (row.spotify_id !== null && row.spotify_id.trim() !== "" && spotifyId === null) {
      report.notes.push(`artist ${row.id}: spotify_id ${JSON.stringify(row.spotify_id)} is not a Spotify artist id; imported as an artist without one`);
    }
    let artistId = await sharedArtistOf(tx, row.id, spotifyId);
    const sharedBefore = artistId !== null;
    if (!artistId) {
      const genres = row.genre?.trim() ? [row.genre.trim()] : [];
      const [created] = await tx.execute<{ id: string }>(sql`
        INSERT INTO global_artists (id, name, genres, image_url, sync_status, created_at, updated_at)
        VALUES (${row.id}::uuid, ${row.name}, ${arrayLiteral(genres)}::text[], ${row.image_url},
                'pending', ${row.created_at}::timestamptz, ${row.updated_at ?? row.created_at}::timestamptz)
        RETURNING id`);
      artistId = created!.id;
    }
    await importPlatformIds(tx, row, artistId, spotifyId, report);

    const [user] = await tx.execute<{ id: string }>(sql`SELECT id FROM users WHERE id = ${row.user_id}::uuid`);
    if (!user) {
      t.skipped.push({ id: row.id, reason: `its user ${row.user_id} was not imported (see users); the artist and its history were imported without this link` });
      continue;
    }
    const [link] = await tx.execute<{ id: string }>(sql`
      INSERT INTO user_artists (id, user_id, artist_id, created_at) VALUES (${row.id}::uuid, ${row.user_id}::uuid, ${artistId}::uuid, ${row.created_at}::timestamptz)
      ON CONFLICT DO NOTHING RETURNING id`);
    if (link) {
      if (sharedBefore) t.merged++;
      else t.imported++;
      continue;
    }
    const [same] = await tx.execute<{ id: string }>(sql`SELECT id FROM user_artists WHERE id = ${row.id}::uuid`);
    if (same) t.alreadyImported++;
    else {
      t.merged++;
      report.notes.push(`artist ${row.id}: its user already tracks the same shared artist through another legacy row; one link kept`);
    }
  }
}

async function importPlatformIds(tx: Executor, row: LegacyArtist, artistId: string, spotifyId: string | null, report: ImportReport) {
  const t = report.tables.artistPlatformIds;
  const ids: [Platform, string | null][] = [["spotify", spotifyId], ...OTHER_IDS.map(([column, platform]) => [platform, row[column] as string | null] as [Platform, string | null])];
  for (const [platform, raw] of ids) {
    if (raw === null) continue;
    t.read++;
    const externalId = raw.trim();
    if (!externalId) {
      t.skipped.push({ id: `${row.id}/${platform}`, reason: "empty id" });
      continue;
    }
    await importAccount(tx, t, `${row.id}/${platform}`, { id: columnAccountId(row.id, platform), artistId, platform, externalId, createdAt: row.created_at });
  }
}
