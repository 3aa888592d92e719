import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { arrayLiteral, isAnyOf } from "../db/pg-array.js";
import { globalArtists, platformAccounts, type GlobalArtistRow, type PlatformAccountRow, type SnapshotSource } from "../db/schema.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, ProviderUnavailableError, type ArtistProfile, type CallOptions, type DailyMetrics, type Providers } from "../providers/provider.js";
import { addDays, utcDay } from "./days.js";
import { recordSnapshots, type SnapshotInput } from "./metrics.js";
import { markRefreshed } from "./refresh-plan.js";

/** How far back a provider that can give history (the simulated one) fills a new account. */
export const BACKFILL_DAYS = 365;

/** What a sync queues in the transaction that writes its figures. */
export type SyncFollowUps = {
  /** Today's score of the synced artists; a refresh leaves it to the day's population pass. */
  scoreToday: ((tx: Executor, artistId: string) => Promise<void>) | null;
  scorePastDays: (tx: Executor, artistIds: string[]) => Promise<void>;
};

const snapshots = (accountId: string, source: SnapshotSource, day: string, metrics: DailyMetrics["metrics"], capturedAt: Date): SnapshotInput[] =>
  Object.entries(metrics).map(([metric, value]) => ({ accountId, metric: metric as SnapshotInput["metric"], day, value, capturedAt, source }));

/** One artist's sync, fetched and ready to write. */
type Fetched = {
  artistId: string;
  rows: SnapshotInput[];
  backfilled: boolean;
  /** The profile that names the artist, when one answered. */
  main: ArtistProfile | null;
  /** Null when the artist has no account FanPulse reads: its status stays as it was. */
  status: "synced" | "not_found" | null;
};

/**
 * Fetches one artist's metadata and today's metrics from every platform FanPulse reads it on.
 * A platform that cannot answer now throws (ProviderUnavailableError) before anything is written.
 */
async function fetchArtist(providers: Providers, artistId: string, accounts: PlatformAccountRow[], withHistory: Set<string>, call: CallOptions, capturedAt: Date): Promise<Fetched> {
  const today = utcDay(capturedAt);
  const fetched: { account: PlatformAccountRow; profile: ArtistProfile | null }[] = [];
  const rows: SnapshotInput[] = [];
  let backfilled = false;
  for (const account of accounts) {
    // Accounts on platforms FanPulse does not read (kept from legacy databases), or whose live
    // platform is not configured now, are links only. A simulated account stays simulated.
    if (!isSynced(account.platform)) continue;
    const provider = providers.forAccount({ platform: account.platform, simulated: account.simulated });
    if (!provider) continue;
    const source: SnapshotSource = provider.simulated ? "simulated" : "platform";
    let profile: ArtistProfile | null;
    try {
      profile = await provider.fetchArtist(account.externalId, call);
    } catch (error) {
      // Permanent: retrying will not make the artist exist.
      if (!(error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError)) throw error;
      profile = null;
    }
    if (profile && provider.history && !withHistory.has(account.id)) {
      const history = provider.history(account.externalId, addDays(today, -BACKFILL_DAYS), addDays(today, -1));
      rows.push(...history.flatMap(({ day, metrics }) => snapshots(account.id, source, day, metrics, new Date(`${day}T12:00:00Z`))));
      backfilled ||= history.length > 0;
    }
    rows.push(...snapshots(account.id, source, today, profile?.metrics ?? {}, capturedAt));
    fetched.push({ account, profile });
  }
  // The account the artist was tracked by names it; without one, any that answered.
  const tracked = fetched.find((f) => f.account.linkedBy === "tracked");
  const main = (tracked ?? fetched.find((f) => f.profile))?.profile ?? null;
  const missing = tracked ? !tracked.profile : fetched.length > 0 && fetched.every((f) => !f.profile);
  return { artistId, rows, backfilled, main, status: fetched.length === 0 ? null : missing ? "not_found" : "synced" };
}

/** Accounts of these artists that have figures already: a new account's history is filled once. */
async function accountsWithHistory(db: Database, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db.execute<{ id: string }>(sql`
    SELECT a.id FROM unnest(${arrayLiteral(accountIds)}::uuid[]) AS a(id)
    WHERE EXISTS (SELECT 1 FROM metric_snapshots s WHERE s.account_id = a.id)`);
  return new Set(rows.map((row) => row.id));
}

/**
 * Writes the syncs of many artists in one transaction: their snapshots, then each artist's name,
 * picture and status in one statement, and their refresh counted done.
 */
async function writeSyncs(db: Database, done: Fetched[], capturedAt: Date, followUps: SyncFollowUps): Promise<void> {
  await db.transaction(async (tx) => {
    await recordSnapshots(tx, done.flatMap((f) => f.rows));
    const updates = done.map((f) => ({
      id: f.artistId,
      name: f.main?.name ?? null,
      image_url: f.main?.imageUrl ?? null,
      named: f.main !== null,
      // Deezer has no genres: an artist keeps the ones it has rather than losing them to an empty list.
      genres: f.main?.genres.length ? f.main.genres : null,
      status: f.status,
    }));
    await tx.execute(sql`
      UPDATE global_artists a SET
        name = CASE WHEN u.named THEN u.name ELSE a.name END,
        image_url = CASE WHEN u.named THEN u.image_url ELSE a.image_url END,
        genres = coalesce(u.genres, a.genres),
        -- An artist with accounts on unsynced platforms only (from a legacy database) stays as it was.
        sync_status = coalesce(u.status::sync_status, a.sync_status),
        sync_error = CASE WHEN u.status = 'not_found' THEN 'the platform has no artist with this id' ELSE NULL END,
        last_synced_at = ${capturedAt.toISOString()}::timestamptz,
        updated_at = ${capturedAt.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS u(id uuid, name text, image_url text, named boolean, genres text[], status text)
      WHERE a.id = u.id`);
    // Counted in the day's refresh plan with the write itself, so a crash between the two cannot leave the day waiting for it.
    await markRefreshed(tx, done.map((f) => f.artistId));
    if (followUps.scoreToday) for (const f of done) await followUps.scoreToday(tx, f.artistId);
    const backfilled = done.filter((f) => f.backfilled).map((f) => f.artistId);
    if (backfilled.length > 0) await followUps.scorePastDays(tx, backfilled);
  });
}

/**
 * Syncs one artist: fetched from every platform, then written in one transaction, so a failure
 * midway leaves no partial day behind. A platform that cannot answer now throws
 * (ProviderUnavailableError) before anything is written.
 */
export async function syncArtist(db: Database, providers: Providers, artistId: string, call: CallOptions, followUps: SyncFollowUps): Promise<void> {
  const [artist] = await db.select({ id: globalArtists.id }).from(globalArtists).where(eq(globalArtists.id, artistId));
  if (!artist) return;
  const accounts = await db.select().from(platformAccounts).where(eq(platformAccounts.artistId, artistId));
  const capturedAt = new Date();
  const fetched = await fetchArtist(providers, artistId, accounts, await accountsWithHistory(db, accounts.map((a) => a.id)), call, capturedAt);
  await writeSyncs(db, [fetched], capturedAt, followUps);
}

/**
 * Syncs many artists with a handful of statements in all, each artist's calls with a deadline of
 * their own (`call`). An artist a platform cannot answer for
 * now is left out of the write and returned, for a sync of its own that retries it; the others
 * are written together.
 */
export async function syncArtists(db: Database, providers: Providers, artistIds: string[], call: () => CallOptions, followUps: SyncFollowUps): Promise<{ synced: string[]; unavailable: string[] }> {
  const artists: Pick<GlobalArtistRow, "id">[] = artistIds.length ? await db.select({ id: globalArtists.id }).from(globalArtists).where(isAnyOf(globalArtists.id, artistIds)) : [];
  const accounts = artists.length ? await db.select().from(platformAccounts).where(isAnyOf(platformAccounts.artistId, artists.map((a) => a.id))) : [];
  const byArtist = new Map<string, PlatformAccountRow[]>();
  for (const account of accounts) byArtist.set(account.artistId, [...(byArtist.get(account.artistId) ?? []), account]);
  const withHistory = await accountsWithHistory(db, accounts.map((a) => a.id));
  const capturedAt = new Date();
  const done: Fetched[] = [];
  const unavailable: string[] = [];
  for (const { id } of artists) {
    try {
      done.push(await fetchArtist(providers, id, byArtist.get(id) ?? [], withHistory, call(), capturedAt));
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      unavailable.push(id);
    }
  }
  if (done.length > 0) await writeSyncs(db, done, capturedAt, followUps);
  return { synced: done.map((f) => f.artistId), unavailable };
}

/**
 * A sync that could not finish: RETRYING while it waits for a platform (with the reason), FAILED
 * once its retries are spent (with the error, for a person to read).
 */
export const recordSyncTrouble = (executor: Executor, artistId: string, status: "retrying" | "failed", reason: string) =>
  executor.update(globalArtists).set({ syncStatus: status, syncError: reason, updatedAt: new Date() }).where(eq(globalArtists.id, artistId));
