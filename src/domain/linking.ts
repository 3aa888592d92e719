import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { globalArtists, type Platform } from "../db/schema.js";
import { queueArtistMomentum, queueArtistSync } from "../jobs/queue.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, ProviderUnavailableError, type ArtistProfile, type Providers } from "../providers/provider.js";
import { artistAccountOn, attachAccount, removeAccount } from "./accounts.js";
import { sameArtistName } from "./artist-names.js";
import { DomainError, invalidArgument } from "./errors.js";
import { parseId } from "./ids.js";
import { spendPlatformLookup, type LookupRequester } from "./platform-lookups.js";
import { requireLink } from "./tracking.js";

export type LinkInput = { artistId: string; platform: Platform; externalId: string };

const platformName = (platform: Platform) => platform.toUpperCase();

/** What the platform says of the account; it must exist, and answer now. */
async function confirm(
  db: Database,
  providers: Providers,
  requester: LookupRequester,
  platform: "spotify" | "deezer",
  externalId: string,
): Promise<{ profile: ArtistProfile; simulated: boolean }> {
  const provider = providers.forNewAccount(platform);
  if (!provider.simulated) await spendPlatformLookup(db, requester, "input.externalId");
  try {
    return { profile: await provider.fetchArtist(externalId, providers.inRequest()), simulated: provider.simulated };
  } catch (error) {
    if (error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError) {
      throw invalidArgument("input.externalId", `${platformName(platform)} has no artist with id ${externalId}`);
    }
    if (error instanceof ProviderUnavailableError) {
      const later = error.retryAfterMs === undefined ? "" : ` (in about ${Math.ceil(error.retryAfterMs / 1000)} s)`;
      throw new DomainError("SERVICE_UNAVAILABLE", `${platformName(platform)} cannot confirm the account now; try again later${later}`);
    }
    throw error;
  }
}

/**
 * Links another platform's account to an artist the user tracks, once the platform confirms the
 * account exists under the artist's name. It may not take the place of a link a source confirmed,
 * nor of another user's; the artist's next sync (queued with the link) reads its numbers.
 */
export async function linkPlatformAccount(db: Database, providers: Providers, requester: LookupRequester, input: LinkInput): Promise<string> {
  const userId = requester.userId;
  const artistId = parseId(input.artistId, "input.artistId");
  const platform = input.platform;
  if (!isSynced(platform)) throw invalidArgument("input.platform", `FanPulse cannot confirm accounts on ${platformName(platform)}; link SPOTIFY or DEEZER`);
  const externalId = input.externalId.trim();
  if (!externalId || externalId.length > 64) throw invalidArgument("input.externalId", "must be 1 to 64 characters long");
  await requireLink(db, userId, artistId, "input.artistId");
  const current = await artistAccountOn(db, artistId, platform);
  if (current?.externalId === externalId) return artistId;
  if (current) {
    throw invalidArgument("input.platform", `the artist already has a ${platformName(platform)} account (${current.externalId}, linked by ${current.linkedBy.toUpperCase()}); a user-made link must be removed first`);
  }
  const [artist] = await db.select({ name: globalArtists.name }).from(globalArtists).where(eq(globalArtists.id, artistId));
  const { profile, simulated } = await confirm(db, providers, requester, platform, externalId);
  if (!sameArtistName(profile.name, artist!.name)) {
    throw invalidArgument("input.externalId", `the ${platformName(platform)} artist ${externalId} is named ${JSON.stringify(profile.name)}, not ${JSON.stringify(artist!.name)}`);
  }
  return db.transaction(async (tx) => {
    const attached = await attachAccount(tx, { artistId, platform, externalId, url: profile.url, linkedBy: "user", linkedByUserId: userId, simulated });
    if (attached.outcome === "taken") throw invalidArgument("input.externalId", `this ${platformName(platform)} account belongs to another artist`);
    if (attached.outcome === "conflict") throw invalidArgument("input.platform", `the artist already has a ${platformName(platform)} account`);
    if (attached.outcome === "added") await queueArtistSync(tx, artistId);
    return artistId;
  });
}

/**
 * Removes a link the user made; its figures stop counting in the artist's audience and momentum
 * (they leave with it, and the artist is scored again). Links a source confirmed, and other users'
 * links, stay.
 */
export async function unlinkPlatformAccount(db: Database, userId: string, input: { artistId: string; platform: Platform }): Promise<string> {
  const artistId = parseId(input.artistId, "artistId");
  await requireLink(db, userId, artistId, "artistId");
  return db.transaction(async (tx) => {
    const account = await artistAccountOn(tx, artistId, input.platform);
    if (!account) throw new DomainError("NOT_FOUND", `platform: the artist has no ${platformName(input.platform)} account`, "platform");
    if (account.linkedBy !== "user" || account.linkedByUserId !== userId) {
      const by = account.linkedBy === "user" ? "another user" : account.linkedBy.toUpperCase();
      throw new DomainError("FORBIDDEN", `platform: the ${platformName(input.platform)} account was linked by ${by}; only the user who linked an account can remove it`, "platform");
    }
    await removeAccount(tx, account.id);
    await queueArtistMomentum(tx, artistId);
    return artistId;
  });
}
