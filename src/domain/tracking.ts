import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { globalArtists, userArtists, type UserArtistRow } from "../db/schema.js";
import { queueArtistSync, queueCrossLinking } from "../jobs/queue.js";
import { ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError, type ArtistProfile, type ArtistProvider, type CallOptions, type Providers } from "../providers/provider.js";
import { attachAccount } from "./accounts.js";
import { artistOwning } from "./artists.js";
import { DomainError, invalidArgument } from "./errors.js";
import { parseId } from "./ids.js";
import { platformName } from "./platform-names.js";
import { spendPlatformLookup, type LookupRequester } from "./platform-lookups.js";
import { artistRefOf, type TrackArtistInput } from "./artist-links.js";

export const NOTES_MAX = 5000;

const linkOf = (userId: string, artistId: string) => and(eq(userArtists.userId, userId), eq(userArtists.artistId, artistId));

/** The user's link to the artist; NOT_FOUND, naming `argument`, when the user does not track it. */
export async function requireLink(executor: Executor, userId: string, artistId: string, argument: string): Promise<UserArtistRow> {
  const [link] = await executor.select().from(userArtists).where(linkOf(userId, artistId));
  if (!link) throw new DomainError("NOT_FOUND", `${argument}: you do not track artist ${artistId}`, argument);
  return link;
}

/** The provider's profile, null when it cannot answer now; an artist it does not know is bad input. */
async function lookUp(provider: ArtistProvider, externalId: string, argument: string, call: CallOptions): Promise<ArtistProfile | null> {
  try {
    return await provider.fetchArtist(externalId, call);
  } catch (error) {
    if (error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError) {
      throw invalidArgument(argument, `${platformName(provider.platform)} has no artist with id ${externalId}`);
    }
    if (error instanceof ProviderUnavailableError) return null;
    throw error;
  }
}

/**
 * A new artist with the account it is tracked by, and its first sync queued, in one transaction.
 * When a concurrent call attached that account to an artist first, the new one is dropped and
 * theirs is the answer: no artist ever lacks the account it was tracked by.
 */
async function createTrackedArtist(tx: Executor, provider: ArtistProvider, externalId: string, profile: ArtistProfile | null): Promise<string> {
  const [artist] = await tx
    .insert(globalArtists)
    .values({ name: profile?.name ?? `${platformName(provider.platform)} artist ${externalId}`, genres: profile?.genres ?? [], imageUrl: profile?.imageUrl ?? null })
    .returning({ id: globalArtists.id });
  const attached = await attachAccount(tx, {
    artistId: artist!.id,
    platform: provider.platform,
    externalId,
    url: profile?.url ?? null,
    linkedBy: "tracked",
    simulated: provider.simulated,
  });
  if (attached.outcome !== "added") {
    await tx.delete(globalArtists).where(eq(globalArtists.id, artist!.id));
    return attached.account.artistId;
  }
  await queueArtistSync(tx, artist!.id);
  await queueCrossLinking(tx, artist!.id);
  return artist!.id;
}

async function upsertLink(tx: Executor, userId: string, artistId: string, argument: string): Promise<UserArtistRow> {
  const [inserted] = await tx.insert(userArtists).values({ userId, artistId }).onConflictDoNothing().returning();
  return inserted ?? requireLink(tx, userId, artistId, argument);
}

/**
 * Tracks an artist for a user by its account on Spotify or Deezer (an id or a URL): the artist
 * that owns that account, or a new one. Idempotent, and safe under any concurrency: the database's
 * unique keys settle races, so simultaneous calls all succeed with one artist and one link.
 */
export async function trackArtist(db: Database, providers: Providers, requester: LookupRequester, input: TrackArtistInput): Promise<UserArtistRow> {
  const { platform, externalId, argument } = artistRefOf(input);
  const known = await artistOwning(db, platform, externalId);
  const provider = providers.forNewAccount(platform);
  if (!known && !provider.simulated) await spendPlatformLookup(db, requester, argument);
  // Within the request's short deadline: a platform that cannot answer by then leaves a placeholder name until the sync.
  const profile = known ? null : await lookUp(provider, externalId, argument, providers.inRequest());
  return db.transaction(async (tx) => {
    const artistId = known?.id ?? (await createTrackedArtist(tx, provider, externalId, profile));
    return upsertLink(tx, requester.userId, artistId, argument);
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
