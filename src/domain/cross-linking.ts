import { eq } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { globalArtists, platformAccounts } from "../db/schema.js";
import type { CallOptions, Providers } from "../providers/provider.js";
import { attachAccount } from "./accounts.js";
import { sameArtistName } from "./artist-names.js";

/** Candidates looked at: an artist's own name ranks first on Deezer when it is there. */
const CANDIDATES = 10;

export type CrossLinkOutcome = "linked" | "ambiguous" | "no_match" | "nothing_to_do";

/**
 * Finds an artist's Deezer account from its name when it has only a Spotify one: linked
 * (NAME_MATCH) only when exactly one of Deezer's candidates has the same normalised name; two or
 * more leave it to the user, who sees them in searchCatalog. A link made queues a sync, through
 * `afterLinked`, in the same transaction, so the artist's Deezer figures follow.
 */
export async function crossLinkArtist(db: Database, providers: Providers, artistId: string, call: CallOptions, afterLinked: (tx: Executor) => Promise<void>): Promise<CrossLinkOutcome> {
  const [artist] = await db.select().from(globalArtists).where(eq(globalArtists.id, artistId));
  const accounts = await db.select().from(platformAccounts).where(eq(platformAccounts.artistId, artistId));
  const spotify = accounts.find((a) => a.platform === "spotify");
  if (!artist || !spotify || spotify.simulated || accounts.some((a) => a.platform === "deezer") || !providers.searchDeezer) return "nothing_to_do";
  const candidates = await providers.searchDeezer(artist.name, CANDIDATES, call);
  const same = candidates.filter((candidate) => sameArtistName(candidate.name, artist.name));
  if (same.length !== 1) return same.length === 0 ? "no_match" : "ambiguous";
  const [match] = same as [(typeof same)[number]];
  return db.transaction(async (tx) => {
    const attached = await attachAccount(tx, { artistId, platform: "deezer", externalId: match.externalId, url: match.url, linkedBy: "name_match", simulated: false });
    if (attached.outcome !== "added") return "nothing_to_do";
    await afterLinked(tx);
    return "linked";
  });
}
