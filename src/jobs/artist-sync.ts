import { eq, sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import { globalArtists, platformAccounts, type PlatformAccountRow, type SnapshotSource } from "../db/schema.js";
import { addDays, utcDay } from "../domain/days.js";
import { recordSnapshots, type SnapshotInput } from "../domain/metrics.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, type ArtistProfile, type DailyMetrics } from "../providers/provider.js";
import type { JobServices } from "./job-services.js";
import { queueArtistMomentum, queuePastDaysScoring, type TaskPayloads } from "./queue.js";

/** How far back a provider that can give history (the simulated one) fills a new account. */
export const BACKFILL_DAYS = 365;

const snapshots = (accountId: string, source: SnapshotSource, day: string, metrics: DailyMetrics["metrics"], capturedAt: Date): SnapshotInput[] =>
  Object.entries(metrics).map(([metric, value]) => ({ accountId, metric: metric as SnapshotInput["metric"], day, value, capturedAt, source }));

type Fetched = { account: PlatformAccountRow; source: SnapshotSource; profile: ArtistProfile | null; backfill: SnapshotInput[] };

/**
 * Fetches one artist's metadata and today's metrics from every linked platform, then writes
 * them in one transaction, so a failure midway leaves no partial day behind.
 */
export const artistSync =
  ({ db, providers, logger }: JobServices): Task =>
  async (raw) => {
    const { artistId } = raw as TaskPayloads["artist:sync"];
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
        profile = await provider.fetchArtist(account.externalId);
      } catch (error) {
        // Permanent: retrying will not make the artist exist. Other errors retry the job.
        if (!(error instanceof ArtistNotFoundError || error instanceof InvalidExternalIdError)) throw error;
        logger.warn({ artistId, platform: account.platform, externalId: account.externalId }, error.message);
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
      await queueArtistMomentum(tx, artistId);
      if (fetched.some((f) => f.backfill.length > 0)) await queuePastDaysScoring(tx, [artistId]);
    });
  };
