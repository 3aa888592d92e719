import { eq, sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import { globalArtists, platformAccounts, type PlatformAccountRow } from "../db/schema.js";
import { addDays, utcDay } from "../domain/days.js";
import { recordSnapshots, type SnapshotInput } from "../domain/metrics.js";
import { ArtistNotFoundError, InvalidExternalIdError, isSynced, type ArtistProfile, type DailyMetrics } from "../providers/provider.js";
import type { JobServices } from "./job-services.js";
import { queueArtistMomentum, queuePastDaysScoring, type TaskPayloads } from "./queue.js";

/** How far back a provider that can give history (the simulated one) fills a new account. */
export const BACKFILL_DAYS = 365;

const snapshots = (accountId: string, day: string, metrics: DailyMetrics["metrics"], capturedAt: Date): SnapshotInput[] =>
  Object.entries(metrics).map(([metric, value]) => ({ accountId, metric: metric as SnapshotInput["metric"], day, value, capturedAt }));

type Fetched = { account: PlatformAccountRow; profile: ArtistProfile | null; backfill: SnapshotInput[] };

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
      // Accounts on platforms FanPulse does not read (kept from legacy databases) are links only.
      if (!isSynced(account.platform)) continue;
      const provider = providers[account.platform];
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
              .flatMap(({ day, metrics }) => snapshots(account.id, day, metrics, new Date(`${day}T12:00:00Z`)))
          : [];
      fetched.push({ account, profile, backfill });
    }

    const spotify = fetched.find((f) => f.account.platform === "spotify" && f.account.externalId === artist.spotifyId);
    const main = spotify ?? fetched.find((f) => f.profile);
    const missing = spotify ? !spotify.profile : fetched.length > 0 && fetched.every((f) => !f.profile);

    await db.transaction(async (tx) => {
      const todays = fetched.flatMap(({ account, profile }) => snapshots(account.id, today, profile?.metrics ?? {}, capturedAt));
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
