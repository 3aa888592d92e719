import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { globalArtists, platformAccounts, userArtists, type UserArtistRow } from "../db/schema.js";
import { queueArtistSync } from "../jobs/queue.js";
import { ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError, type ArtistProfile, type ArtistProvider } from "../providers/provider.js";
import { artistWithSpotifyId } from "./artists.js";
import { DomainError, invalidArgument } from "./errors.js";
import { parseId } from "./ids.js";
import { parseSpotifyArtistId } from "./spotify-id.js";

export const NOTES_MAX = 5000;

const linkOf = (userId: string, artistId: string) => and(eq(userArtists.userId, userId), eq(userArtists.artistId, artistId));

/** The user's link to the artist; NOT_FOUND, naming `argument`, when the user does not track it. */
export async function requireLink(executor: Executor, userId: string, artistId: string, argument: string): Promise<UserArtistRow> {
  const [link] = await executor.select().from(userArtists).where(linkOf(userId, artistId));
  if (!link) throw new DomainError("NOT_FOUND", `${argument}: you do not track artist ${artistId}`, argument);
  return link;
}

/** The provider's profile, null when it cannot answer now; an artist it does not know is bad input. */
async function lookUp(spotify: ArtistProvider, spotifyId: string): Promise<ArtistProfile | null> {
  try {
    return await spotify.fetchArtist(spotifyId);
  } catch (error) {
    if (error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError) {
      throw invalidArgument("input.spotifyId", `Spotify has no artist with id ${spotifyId}`);
    }
    if (error instanceof ProviderUnavailableError) return null;
    throw error;
  }
}

/**
 * Inserts the artist or finds the one a concurrent call inserted first. A new artist gets its
 * Spotify account and a queued sync in the same transaction.
 */
async function upsertArtist(tx: Executor, spotifyId: string, profile: ArtistProfile | null): Promise<string> {
  const [inserted] = await tx
    .insert(globalArtists)
    .values({
      spotifyId,
      name: profile?.name ?? `Spotify artist ${spotifyId}`,
      genres: profile?.genres ?? [],
      imageUrl: profile?.imageUrl ?? null,
    })
    .onConflictDoNothing({ target: globalArtists.spotifyId })
    .returning({ id: globalArtists.id });
  if (!inserted) {
    const existing = await artistWithSpotifyId(tx, spotifyId);
    if (!existing) throw new Error(`artist ${spotifyId} vanished between insert and select`);
    return existing.id;
  }
  await tx
    .insert(platformAccounts)
    .values({ artistId: inserted.id, platform: "spotify", externalId: spotifyId, url: profile?.url ?? `https://open.spotify.com/artist/${spotifyId}` })
    .onConflictDoNothing();
  await queueArtistSync(tx, inserted.id);
  return inserted.id;
}

async function upsertLink(tx: Executor, userId: string, artistId: string): Promise<UserArtistRow> {
  const [inserted] = await tx.insert(userArtists).values({ userId, artistId }).onConflictDoNothing().returning();
  return inserted ?? requireLink(tx, userId, artistId, "input.spotifyId");
}

/**
 * Tracks an artist for a user. Idempotent, and safe under any concurrency: the database's
 * unique keys settle races, so simultaneous calls all succeed with one artist and one link.
 */
export async function trackArtist(db: Database, spotify: ArtistProvider, userId: string, spotifyIdInput: string): Promise<UserArtistRow> {
  const spotifyId = parseSpotifyArtistId(spotifyIdInput, "input.spotifyId");
  const known = await artistWithSpotifyId(db, spotifyId);
  const profile = known ? null : await lookUp(spotify, spotifyId);
  return db.transaction(async (tx) => {
    const artistId = known?.id ?? (await upsertArtist(tx, spotifyId, profile));
    return upsertLink(tx, userId, artistId);
  });
}

export async function untrackArtist(db: Database, userId: string, artistIdInput: string): Promise<boolean> {
  const artistId = parseId(artistIdInput, "artistId");
  const removed = await db
    .delete(userArtists)
    .where(linkOf(userId, artistId))
    .returning({ id: userArtists.id });
  return removed.length > 0;
}

export type TrackedArtistChanges = { artistId: string; isFavorite?: boolean | null; customNotes?: string | null };

export async function updateTrackedArtist(db: Database, userId: string, changes: TrackedArtistChanges): Promise<UserArtistRow> {
  const artistId = parseId(changes.artistId, "input.artistId");
  if (changes.customNotes && changes.customNotes.length > NOTES_MAX) {
    throw invalidArgument("input.customNotes", `must be at most ${NOTES_MAX} characters long`);
  }
  const set: Partial<Pick<UserArtistRow, "isFavorite" | "customNotes">> = {};
  if (changes.isFavorite !== undefined && changes.isFavorite !== null) set.isFavorite = changes.isFavorite;
  // Notes given as null or blank are cleared; notes left out are kept.
  if (changes.customNotes !== undefined) set.customNotes = changes.customNotes?.trim() ? changes.customNotes : null;
  if (Object.keys(set).length === 0) return requireLink(db, userId, artistId, "input.artistId");
  const [row] = await db.update(userArtists).set(set).where(linkOf(userId, artistId)).returning();
  return row ?? requireLink(db, userId, artistId, "input.artistId");
}

/** Queues a sync of an artist the user tracks; a sync already queued absorbs the request. */
export async function refreshArtist(db: Database, userId: string, artistIdInput: string): Promise<boolean> {
  const artistId = parseId(artistIdInput, "artistId");
  return db.transaction(async (tx) => {
    await requireLink(tx, userId, artistId, "artistId");
    await queueArtistSync(tx, artistId);
    return true;
  });
}
