import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.js";
import { arrayLiteral, isAnyOf } from "../db/pg-array.js";
import { platformAccounts, type AccountLinkSourceValue, type Platform, type PlatformAccountRow } from "../db/schema.js";
import { isSynced } from "../providers/provider.js";

/**
 * The platform accounts of shared artists, and the one rule every path that adds one passes
 * (tracking, a user's link, the legacy import, cross-links): a shared artist holds at most one
 * account per platform FanPulse reads figures from, and a confirmed link beats a guess. Nobody can
 * add figures to what every other user of the artist sees.
 */

/** Links a source confirms: the account the artist was tracked by, a legacy database's, MusicBrainz's. */
const CONFIRMED: readonly AccountLinkSourceValue[] = ["tracked", "legacy_import", "musicbrainz"];

export const isConfirmed = (linkedBy: AccountLinkSourceValue) => CONFIRMED.includes(linkedBy);

export type NewAccount = {
  artistId: string;
  platform: Platform;
  externalId: string;
  url: string | null;
  linkedBy: AccountLinkSourceValue;
  /** The user who made a USER link. */
  linkedByUserId?: string | null;
  /** Served by the simulated provider: its figures are synthetic. */
  simulated: boolean;
  /** A fixed id (the legacy import keys its accounts on their legacy ids). */
  id?: string;
  createdAt?: Date;
};

export type Attached =
  /** The account is the artist's now. `replaced` is a guessed one on the same platform that it took the place of. */
  | { outcome: "added"; account: PlatformAccountRow; replaced: PlatformAccountRow | null }
  /** It was the artist's already. */
  | { outcome: "present"; account: PlatformAccountRow }
  /** It belongs to another artist. */
  | { outcome: "taken"; account: PlatformAccountRow }
  /** The artist has another account on that platform, which this link may not replace. */
  | { outcome: "conflict"; account: PlatformAccountRow };

export const accountOn = async (executor: Executor, platform: Platform, externalId: string): Promise<PlatformAccountRow | undefined> =>
  (await executor.select().from(platformAccounts).where(and(eq(platformAccounts.platform, platform), eq(platformAccounts.externalId, externalId))))[0];

export const artistAccountOn = async (executor: Executor, artistId: string, platform: Platform): Promise<PlatformAccountRow | undefined> =>
  (await executor.select().from(platformAccounts).where(and(eq(platformAccounts.artistId, artistId), eq(platformAccounts.platform, platform))))[0];

/**
 * Gives an artist an account, by the rule above: the account of another artist stays its own; on
 * a synced platform, a confirmed link replaces a guessed one (its figures leave with it) and
 * nothing else replaces anything. Safe under concurrency: the unique keys settle races, and a
 * race lost is answered as if the winner had come first.
 */
export async function attachAccount(executor: Executor, account: NewAccount): Promise<Attached> {
  return executor.transaction(async (tx) => {
    const owner = await accountOn(tx, account.platform, account.externalId);
    if (owner) return owner.artistId === account.artistId ? { outcome: "present", account: owner } : { outcome: "taken", account: owner };
    let replaced: PlatformAccountRow | null = null;
    if (isSynced(account.platform)) {
      const current = await artistAccountOn(tx, account.artistId, account.platform);
      if (current) {
        if (isConfirmed(current.linkedBy) || !isConfirmed(account.linkedBy)) return { outcome: "conflict", account: current };
        await tx.delete(platformAccounts).where(eq(platformAccounts.id, current.id));
        replaced = current;
      }
    }
    const [inserted] = await tx
      .insert(platformAccounts)
      .values({
        ...(account.id ? { id: account.id } : {}),
        ...(account.createdAt ? { createdAt: account.createdAt } : {}),
        artistId: account.artistId,
        platform: account.platform,
        externalId: account.externalId,
        url: account.url,
        linkedBy: account.linkedBy,
        linkedByUserId: account.linkedBy === "user" ? (account.linkedByUserId ?? null) : null,
        simulated: account.simulated,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return { outcome: "added", account: inserted, replaced };
    // Someone else attached it (or another account on the platform) in the meantime: answer with theirs.
    const winner = (await accountOn(tx, account.platform, account.externalId)) ?? (await artistAccountOn(tx, account.artistId, account.platform));
    if (!winner) throw new Error(`account ${account.platform}:${account.externalId} vanished while being attached`);
    if (winner.platform === account.platform && winner.externalId === account.externalId) {
      return winner.artistId === account.artistId ? { outcome: "present", account: winner } : { outcome: "taken", account: winner };
    }
    return { outcome: "conflict", account: winner };
  });
}

export const removeAccount = (executor: Executor, accountId: string) => executor.delete(platformAccounts).where(eq(platformAccounts.id, accountId));

export const accountsOfArtists = (db: Database, artistIds: readonly string[]): Promise<PlatformAccountRow[]> =>
  db
    .select()
    .from(platformAccounts)
    .where(isAnyOf(platformAccounts.artistId, artistIds))
    .orderBy(platformAccounts.platform, platformAccounts.createdAt);

/**
 * Accounts of an earlier release, made before provenance was recorded, get the provenance the
 * configuration gives them now (the same configuration wrote them, as a rule); so do their figures.
 */
export async function settleUnknownProvenance(db: Database, simulatedFor: (platform: Platform) => boolean): Promise<number> {
  return db.transaction(async (tx) => {
    const unknown = await tx.execute<{ id: string; platform: Platform }>(sql`SELECT id, platform FROM platform_accounts WHERE simulated IS NULL`);
    if (unknown.length === 0) return 0;
    const simulatedIds = unknown.filter((a) => simulatedFor(a.platform)).map((a) => a.id);
    await tx.execute(sql`UPDATE platform_accounts SET simulated = (id = ANY(${arrayLiteral(simulatedIds)}::uuid[])) WHERE simulated IS NULL`);
    await tx.execute(sql`
      UPDATE metric_snapshots s SET source = CASE WHEN a.simulated THEN 'simulated' WHEN a.linked_by = 'legacy_import' THEN 'legacy_import' ELSE 'platform' END::snapshot_source
      FROM platform_accounts a WHERE a.id = s.account_id AND s.source IS NULL`);
    return unknown.length;
  });
}

/** Whether any stored figure is synthetic: a simulated account with a figure. */
export async function anySimulatedFigure(db: Database): Promise<boolean> {
  const [row] = await db.execute<{ any: boolean }>(sql`
    SELECT EXISTS (
      SELECT 1 FROM platform_accounts a WHERE a.simulated AND EXISTS (SELECT 1 FROM metric_snapshots s WHERE s.account_id = a.id)
    ) AS any`);
  return row?.any ?? false;
}
