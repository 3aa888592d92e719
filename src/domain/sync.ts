import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { globalArtists, platformAccounts, type PlatformAccountRow, type SnapshotSource } from "../db/schema.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, type ArtistProfile, type CallOptions, type DailyMetrics, type Providers } from "../providers/provider.js";
import { addDays, utcDay } from "./days.js";
import { recordSnapshots, type SnapshotInput } from "./metrics.js";

/** How far back a provider that can give history (the simulated one) fills a new account. */
export const BACKFILL_DAYS = 365;

/** What a sync queues in the transaction that writes its figures. */
export type SyncFollowUps = {
  scoreToday: (tx: Executor, artistId: string) => Promise<void>;
  scorePastDays: (tx: Executor, artistIds: string[]) => Promise<void>;
};

const snapshots = (accountId: string, source: SnapshotSource, day: string, metrics: DailyMetrics["metrics"], capturedAt: Date): SnapshotInput[] =>
  Object.entries(metrics).map(([metric, value]) => ({ accountId, metric: metric as SnapshotInput["metric"], day, value, capturedAt, source }));

type Fetched = { account: PlatformAccountRow; source: SnapshotSource; profile: ArtistProfile | null; backfill: SnapshotInput[] };

/**
 * Fetches one artist's metadata and today's metrics from every platform FanPulse reads it on,
 * then writes them in one transaction, so a failure midway leaves no partial day behind. A
 * platform that cannot answer now throws (ProviderUnavailableError) before anything is written.
 */
export async function syncArtist(db: Database, providers: Providers, artistId: string, call: CallOptions, followUps: SyncFollowUps): Promise<void> {
  const [artist] = await db.select().from(globalArtists).where(eq(globalArtists.id, artistId));
  if (!artist) return;
  const accounts = await db.select().from(platformAccounts).where(eq(platformAccounts.artistId, artistId));
  const capturedAt = new Date();
  const today = utcDay(capturedAt);

  const fetched: Fetched[] = [];
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
    const hasHistory = await db.execute(sql`SELECT 1 FROM metric_snapshots WHERE account_id = ${account.id} LIMIT 1`);
    const backfill =
      profile && provider.history && hasHistory.length === 0
        ? provider
            .history(account.externalId, addDays(today, -BACKFILL_DAYS), addDays(today, -1))
            .flatMap(({ day, metrics }) => snapshots(account.id, source, day, metrics, new Date(`${day}T12:00:00Z`)))
        : [];
    fetched.push({ account, source, profile, backfill });
  }

  // The account the artist was tracked by names it; without one, any that answered.
  const tracked = fetched.find((f) => f.account.linkedBy === "tracked");
  const main = tracked ?? fetched.find((f) => f.profile);
  const missing = tracked ? !tracked.profile : fetched.length > 0 && fetched.every((f) => !f.profile);

  await db.transaction(async (tx) => {
    const todays = fetched.flatMap(({ account, source, profile }) => snapshots(account.id, source, today, profile?.metrics ?? {}, capturedAt));
    await recordSnapshots(tx, [...fetched.flatMap((f) => f.backfill), ...todays]);
    await tx
      .update(globalArtists)
      .set({
        ...(main?.profile ? { name: main.profile.name, imageUrl: main.profile.imageUrl } : {}),
        // Deezer has no genres: an artist keeps the ones it has rather than losing them to an empty list.
        ...(main?.profile?.genres.length ? { genres: main.profile.genres } : {}),
        // An artist with accounts on unsynced platforms only (from a legacy database) stays as it was.
        syncStatus: fetched.length === 0 ? artist.syncStatus : missing ? "not_found" : "synced",
        syncError: missing ? "the platform has no artist with this id" : null,
        lastSyncedAt: capturedAt,
        updatedAt: capturedAt,
      })
      .where(eq(globalArtists.id, artistId));
    await followUps.scoreToday(tx, artistId);
    if (fetched.some((f) => f.backfill.length > 0)) await followUps.scorePastDays(tx, [artistId]);
  });
}

/**
 * A sync that could not finish: RETRYING while it waits for a platform (with the reason), FAILED
 * once its retries are spent (with the error, for a person to read).
 */
export const recordSyncTrouble = (executor: Executor, artistId: string, status: "retrying" | "failed", reason: string) =>
  executor.update(globalArtists).set({ syncStatus: status, syncError: reason, updatedAt: new Date() }).where(eq(globalArtists.id, artistId));
