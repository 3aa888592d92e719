import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { platformAccounts, type Platform } from "../db/schema.js";
import { queueArtistSync } from "../jobs/queue.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, ProviderUnavailableError, type Providers } from "../providers/provider.js";
import { DomainError, invalidArgument } from "./errors.js";
import { parseId } from "./ids.js";
import { requireLink } from "./tracking.js";

export type LinkInput = { artistId: string; platform: Platform; externalId: string };

/**
 * Links another platform's account to an artist the user tracks, once the platform confirms
 * the account exists; the artist's next sync (queued with the link) reads its numbers.
 */
export async function linkPlatformAccount(db: Database, providers: Providers, userId: string, input: LinkInput): Promise<string> {
  const artistId = parseId(input.artistId, "input.artistId");
  const platform = input.platform;
  if (!isSynced(platform)) throw invalidArgument("input.platform", `FanPulse cannot confirm accounts on ${platform}; link SPOTIFY or DEEZER`);
  const externalId = input.externalId.trim();
  if (!externalId || externalId.length > 64) throw invalidArgument("input.externalId", "must be 1 to 64 characters long");
  await requireLink(db, userId, artistId, "input.artistId");

  let url: string | null;
  try {
    ({ url } = await providers[platform].fetchArtist(externalId));
  } catch (error) {
    if (error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError) {
      throw invalidArgument("input.externalId", `${input.platform} has no artist with id ${externalId}`);
    }
    if (error instanceof ProviderUnavailableError) {
      throw new DomainError("SERVICE_UNAVAILABLE", `${input.platform} cannot confirm the account now; try again later`);
    }
    throw error;
  }

  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(platformAccounts)
      .values({ artistId, platform: input.platform, externalId, url })
      .onConflictDoNothing()
      .returning({ artistId: platformAccounts.artistId });
    if (!inserted) {
      const [existing] = await tx
        .select({ artistId: platformAccounts.artistId })
        .from(platformAccounts)
        .where(and(eq(platformAccounts.platform, input.platform), eq(platformAccounts.externalId, externalId)));
      if (existing?.artistId !== artistId) {
        throw invalidArgument("input.externalId", `this ${input.platform} account is already linked to another artist`);
      }
      return artistId;
    }
    await queueArtistSync(tx, artistId);
    return artistId;
  });
}
