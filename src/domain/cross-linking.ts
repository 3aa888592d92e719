import { and, eq, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { globalArtists, platformAccounts, type AccountLinkSourceValue, type Platform, type PlatformAccountRow } from "../db/schema.js";
import { isSynced, type CallOptions, type Providers, type SyncedPlatform } from "../providers/provider.js";
import type { MusicBrainzArtist } from "../providers/musicbrainz.js";
import { attachAccount, type NewAccount } from "./accounts.js";
import { sameArtistName } from "./artist-names.js";
import { canonicalArtistUrl, platformLinkOf } from "./platform-urls.js";

/** Candidates looked at: an artist's own name ranks first on either platform when it is there. */
const CANDIDATES = 10;

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How often artists still missing a platform are looked at again, within MusicBrainz's rate. */
export type CrossLinkPolicy = { recheckDays: number; rechecksPerDay: number; musicBrainzRate: { maxCalls: number; windowMs: number } };

/** What one look found, for the logs. */
export type CrossLinkOutcome = {
  musicbrainzId: string | null;
  linked: { platform: Platform; externalId: string; linkedBy: AccountLinkSourceValue }[];
  /** Accounts MusicBrainz names that another FanPulse artist holds already: the same person tracked twice. */
  heldElsewhere: { platform: string; externalId: string; artistId: string }[];
  /** A synced platform still without an account, and why. */
  missing: { platform: SyncedPlatform; reason: "no_match" | "ambiguous" | "no_source" }[];
};

type Candidate = Omit<NewAccount, "artistId" | "simulated">;

/**
 * Finds an artist's accounts on the other platforms, strongest source first:
 * 1. MusicBrainz's URL relationships, from any live account the artist has: the Spotify and
 *    Deezer accounts it names are linked (MUSICBRAINZ) and its other platforms are kept as links;
 *    the artist keeps its MusicBrainz id.
 * 2. The platform's search by name for an artist still without an account there (Deezer's, and
 *    Spotify's when there are credentials): linked (NAME_MATCH) only when exactly one candidate
 *    has the same normalised name; two or more leave it to the user, who sees them in searchCatalog.
 * Every link passes attachAccount's rule. New synced accounts queue a sync, through `afterLinked`,
 * in the same transaction, so their figures follow. A platform that cannot answer throws
 * (ProviderUnavailableError) before anything is written, so the look is retried whole.
 */
export async function crossLinkArtist(db: Database, providers: Providers, artistId: string, call: CallOptions, afterLinked: (tx: Executor) => Promise<void>): Promise<CrossLinkOutcome> {
  const outcome: CrossLinkOutcome = { musicbrainzId: null, linked: [], heldElsewhere: [], missing: [] };
  const [artist] = await db.select().from(globalArtists).where(eq(globalArtists.id, artistId));
  if (!artist) return outcome;
  const accounts = await db.select().from(platformAccounts).where(eq(platformAccounts.artistId, artistId));
  // Simulated accounts are demo artists that exist nowhere else; legacy links on unsynced platforms name nobody to look up.
  const live = accounts.filter((a): a is PlatformAccountRow & { platform: SyncedPlatform } => isSynced(a.platform) && !a.simulated);
  if (live.length === 0) return outcome;
  const found: Candidate[] = [];
  const has = (platform: string) => accounts.some((a) => a.platform === platform) || found.some((c) => c.platform === platform);

  const brainz = providers.musicBrainz ? await musicBrainzArtist(providers, live, call) : null;
  for (const link of brainz?.urls.map(platformLinkOf) ?? []) {
    // One account per synced platform: the first MusicBrainz names. A guessed one the artist has gives way to it in attachAccount.
    const dup = link && found.some((c) => c.platform === link.platform && (isSynced(link.platform) || c.externalId === link.externalId));
    if (link && !dup) found.push({ ...link, linkedBy: "musicbrainz" });
  }
  for (const [platform, search] of [["deezer", providers.searchDeezer], ["spotify", providers.searchSpotify]] as const) {
    if (has(platform)) continue;
    if (!search) {
      outcome.missing.push({ platform, reason: "no_source" });
      continue;
    }
    const same = (await search(artist.name, CANDIDATES, call)).filter((candidate) => sameArtistName(candidate.name, artist.name));
    if (same.length === 1) found.push({ platform, externalId: same[0]!.externalId, url: same[0]!.url, linkedBy: "name_match" });
    else outcome.missing.push({ platform, reason: same.length === 0 ? "no_match" : "ambiguous" });
  }

  return db.transaction(async (tx) => {
    const mbid = brainz && MBID.test(brainz.mbid) ? brainz.mbid : null;
    // An MBID another artist holds means the same person was tracked twice: the id stays with the first.
    const [twin] = mbid ? await tx.select({ id: globalArtists.id }).from(globalArtists).where(and(eq(globalArtists.musicbrainzId, mbid), ne(globalArtists.id, artistId))) : [];
    const [kept] = await tx
      .update(globalArtists)
      .set({ crossLinkedAt: sql`now()`, ...(mbid && !twin ? { musicbrainzId: mbid } : {}) })
      .where(eq(globalArtists.id, artistId))
      .returning({ musicbrainzId: globalArtists.musicbrainzId });
    outcome.musicbrainzId = kept?.musicbrainzId ?? null;
    if (twin) outcome.heldElsewhere.push({ platform: "musicbrainz", externalId: mbid!, artistId: twin.id });
    for (const candidate of found) {
      const attached = await attachAccount(tx, { ...candidate, artistId, simulated: false });
      if (attached.outcome === "added") outcome.linked.push({ platform: candidate.platform, externalId: candidate.externalId, linkedBy: candidate.linkedBy });
      if (attached.outcome === "taken") outcome.heldElsewhere.push({ platform: candidate.platform, externalId: candidate.externalId, artistId: attached.account.artistId });
    }
    if (outcome.linked.some((link) => isSynced(link.platform))) await afterLinked(tx);
    return outcome;
  });
}

/** MusicBrainz's artist for the first of the artist's live accounts it knows, the tracked one first. */
async function musicBrainzArtist(providers: Providers, live: (PlatformAccountRow & { platform: SyncedPlatform })[], call: CallOptions): Promise<MusicBrainzArtist | null> {
  const ordered = [...live].sort((a, b) => Number(b.linkedBy === "tracked") - Number(a.linkedBy === "tracked"));
  for (const account of ordered) {
    const artist = await providers.musicBrainz!.artistByUrl(canonicalArtistUrl(account.platform, account.externalId), call);
    if (artist) return artist;
  }
  return null;
}

/** Artists to look at again: tracked, with a live account, still missing a synced platform, not looked at for `days`. */
export const staleCrossLinks = (days: number) => sql`
  SELECT a.id FROM global_artists a
  WHERE EXISTS (SELECT 1 FROM user_artists l WHERE l.artist_id = a.id)
    AND EXISTS (SELECT 1 FROM platform_accounts p WHERE p.artist_id = a.id AND p.platform IN ('spotify', 'deezer') AND NOT p.simulated)
    AND (SELECT count(DISTINCT p.platform) FROM platform_accounts p WHERE p.artist_id = a.id AND p.platform IN ('spotify', 'deezer')) < 2
    AND (a.cross_linked_at IS NULL OR a.cross_linked_at < now() - make_interval(days => ${days}))
  ORDER BY a.cross_linked_at NULLS FIRST, a.id`;
