import { and, eq, or } from "drizzle-orm";
import { isAnyOf } from "../db/pg-array.js";
import type { Database } from "../db/client.js";
import { platformAccounts, type PlatformAccountRow } from "../db/schema.js";
import { ProviderUnavailableError, type ArtistProfile, type Providers, type SyncedPlatform } from "../providers/provider.js";
import { sameArtistName } from "./artist-names.js";
import { DomainError, invalidArgument } from "./errors.js";
import { spendPlatformLookup, type LookupRequester } from "./platform-lookups.js";

export const CATALOG_QUERY_MAX = 100;
export const CATALOG_RESULTS_MAX = 25;
const CATALOG_RESULTS_DEFAULT = 10;

type CatalogAccount = Pick<PlatformAccountRow, "platform" | "externalId" | "url" | "linkedBy" | "simulated">;

/** An artist found on the platforms: its accounts there, its audience, and the shared artist when someone tracks it. */
export type CatalogEntry = {
  name: string;
  imageUrl: string | null;
  accounts: CatalogAccount[];
  audience: number | null;
  artistId: string | null;
};

type Found = { platform: SyncedPlatform; profile: ArtistProfile };

/**
 * Artists whose name matches, on Deezer and (with credentials) on Spotify, for a user to pick one
 * to track (trackArtist takes any of the accounts' ids). A Spotify and a Deezer artist are one
 * entry when each is the only one of its platform with that normalised name. Each search is one
 * of the user's platform look-ups. The offline demo has no catalog: it finds nothing.
 */
export async function searchCatalog(db: Database, providers: Providers, requester: LookupRequester, queryInput: string, first: number | null | undefined): Promise<CatalogEntry[]> {
  const query = queryInput.trim();
  if (query.length === 0 || query.length > CATALOG_QUERY_MAX) throw invalidArgument("query", `must be 1 to ${CATALOG_QUERY_MAX} characters long`);
  const limit = first ?? CATALOG_RESULTS_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > CATALOG_RESULTS_MAX) throw invalidArgument("first", `must be between 1 and ${CATALOG_RESULTS_MAX}`);
  const searches = ([["deezer", providers.searchDeezer], ["spotify", providers.searchSpotify]] as const).filter(([, search]) => search !== null);
  if (searches.length === 0) return [];
  await spendPlatformLookup(db, requester, "query");
  const call = providers.inRequest();
  const answers = await Promise.allSettled(searches.map(async ([platform, search]) => (await search!(query, limit, call)).map((profile): Found => ({ platform, profile }))));
  for (const answer of answers) if (answer.status === "rejected" && !(answer.reason instanceof ProviderUnavailableError)) throw answer.reason;
  // One platform answering is enough to show something; none answering is the service's trouble, not the user's.
  if (answers.every((answer) => answer.status === "rejected")) throw new DomainError("SERVICE_UNAVAILABLE", "the platforms cannot search now; try again in a moment");
  const found = answers.flatMap((answer) => (answer.status === "fulfilled" ? answer.value : []));
  const stored = await storedAccounts(db, found);
  const entries: (CatalogEntry & { platforms: SyncedPlatform[] })[] = [];
  for (const { platform, profile } of found) {
    const held = stored.find((a) => a.platform === platform && a.externalId === profile.externalId);
    // Not stored yet: the account it would be tracked by.
    const account: CatalogAccount = held ?? { platform, externalId: profile.externalId, url: profile.url, linkedBy: "tracked", simulated: false };
    const namesake = (f: Found) => f.platform === platform && sameArtistName(f.profile.name, profile.name);
    const twin = found.filter(namesake).length === 1 ? entries.filter((e) => !e.platforms.includes(platform) && sameArtistName(e.name, profile.name)) : [];
    if (twin.length === 1) {
      twin[0]!.accounts.push(account);
      twin[0]!.platforms.push(platform);
      twin[0]!.audience ??= profile.metrics.followers ?? null;
      twin[0]!.artistId ??= held?.artistId ?? null;
      continue;
    }
    entries.push({ name: profile.name, imageUrl: profile.imageUrl, accounts: [account], platforms: [platform], audience: profile.metrics.followers ?? null, artistId: held?.artistId ?? null });
  }
  return entries.slice(0, limit).map(({ platforms: _, ...entry }) => entry);
}

/** The accounts FanPulse holds already among those found. */
async function storedAccounts(db: Database, found: Found[]): Promise<PlatformAccountRow[]> {
  const ids = (platform: SyncedPlatform) => found.filter((f) => f.platform === platform).map((f) => f.profile.externalId);
  const on = (platform: SyncedPlatform) => (ids(platform).length > 0 ? [and(eq(platformAccounts.platform, platform), isAnyOf(platformAccounts.externalId, ids(platform), "text"))] : []);
  const conditions = [...on("deezer"), ...on("spotify")];
  return conditions.length > 0 ? db.select().from(platformAccounts).where(or(...conditions)) : [];
}
