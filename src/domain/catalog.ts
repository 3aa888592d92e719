import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { platformAccounts, type PlatformAccountRow } from "../db/schema.js";
import { ProviderUnavailableError, type Providers } from "../providers/provider.js";
import { DomainError, invalidArgument } from "./errors.js";
import { spendPlatformLookup, type LookupRequester } from "./platform-lookups.js";

export const CATALOG_QUERY_MAX = 100;
export const CATALOG_RESULTS_MAX = 25;
const CATALOG_RESULTS_DEFAULT = 10;

/** An artist found on a platform: its account there, its audience, and the shared artist when someone tracks it. */
export type CatalogEntry = {
  name: string;
  imageUrl: string | null;
  account: Pick<PlatformAccountRow, "platform" | "externalId" | "url" | "linkedBy" | "simulated">;
  audience: number | null;
  artistId: string | null;
};

/**
 * Artists on Deezer whose name matches, for a user to pick one to track (trackArtist takes the
 * account's id). Each search is one of the user's platform look-ups. The offline demo has no
 * catalog: it finds nothing.
 */
export async function searchCatalog(db: Database, providers: Providers, requester: LookupRequester, queryInput: string, first: number | null | undefined): Promise<CatalogEntry[]> {
  const query = queryInput.trim();
  if (query.length === 0 || query.length > CATALOG_QUERY_MAX) throw invalidArgument("query", `must be 1 to ${CATALOG_QUERY_MAX} characters long`);
  const limit = first ?? CATALOG_RESULTS_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > CATALOG_RESULTS_MAX) throw invalidArgument("first", `must be between 1 and ${CATALOG_RESULTS_MAX}`);
  if (!providers.searchDeezer) return [];
  await spendPlatformLookup(db, requester, "query");
  let found;
  try {
    found = await providers.searchDeezer(query, limit, providers.inRequest());
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw new DomainError("SERVICE_UNAVAILABLE", "Deezer cannot search now; try again in a moment");
    throw error;
  }
  const ids = found.map((profile) => profile.externalId);
  const stored = ids.length > 0 ? await db.select().from(platformAccounts).where(and(eq(platformAccounts.platform, "deezer"), inArray(platformAccounts.externalId, ids))) : [];
  return found.map((profile) => {
    const account = stored.find((a) => a.externalId === profile.externalId);
    return {
      name: profile.name,
      imageUrl: profile.imageUrl,
      // Not stored yet: the account it would be tracked by.
      account: account ?? { platform: "deezer", externalId: profile.externalId, url: profile.url, linkedBy: "tracked", simulated: false },
      audience: profile.metrics.followers ?? null,
      artistId: account?.artistId ?? null,
    };
  });
}
