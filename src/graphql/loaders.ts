import DataLoader from "dataloader";
import type { Database } from "../db/client.js";
import type { AlertRuleRow, GlobalArtistRow, PlatformAccountRow, UserArtistRow, UserRow, WebhookDeliveryRow } from "../db/schema.js";
import { accountsOfArtists } from "../domain/accounts.js";
import { alertRulesByIds } from "../domain/alerts/rules.js";
import { artistsByIds, linksOfUser, trackerCounts } from "../domain/artists.js";
import { latestMetricsOf, seriesOf, type LatestMetric, type SeriesKey, type SeriesPoint } from "../domain/metrics.js";
import { latestMomentumOf, momentumHistoryOf, type HistoryKey, type StoredMomentum } from "../domain/momentum/queries.js";
import { usersByIds } from "../domain/users.js";
import { deliveriesOf } from "../domain/webhooks/webhooks.js";

/** Answers keys in the order asked from rows in any order; a key with no row gets `fallback`. */
function byKey<K, R, V>(keys: readonly K[], rows: R[], keyOf: (row: R) => K, valueOf: (row: R) => V, fallback: V): V[] {
  const found = new Map(rows.map((row) => [keyOf(row), valueOf(row)]));
  return keys.map((key) => (found.has(key) ? (found.get(key) as V) : fallback));
}

function groupedBy<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** One set per request: every database lookup a field resolver makes goes through these. */
export function createLoaders(db: Database, viewerId: string | null) {
  return {
    user: new DataLoader<string, UserRow | null>(async (ids) =>
      byKey(ids, await usersByIds(db, ids), (u) => u.id, (u) => u, null),
    ),
    artist: new DataLoader<string, GlobalArtistRow | null>(async (ids) =>
      byKey(ids, await artistsByIds(db, ids), (a) => a.id, (a) => a, null),
    ),
    trackerCount: new DataLoader<string, number>(async (ids) =>
      byKey(ids, await trackerCounts(db, ids), (r) => r.artistId, (r) => r.count, 0),
    ),
    viewerLink: new DataLoader<string, UserArtistRow | null>(async (artistIds) =>
      viewerId ? byKey(artistIds, await linksOfUser(db, viewerId, artistIds), (l) => l.artistId, (l) => l, null) : artistIds.map(() => null),
    ),
    platformAccounts: new DataLoader<string, PlatformAccountRow[]>(async (artistIds) =>
      groupedBy(artistIds, await accountsOfArtists(db, artistIds), (a) => a.artistId),
    ),
    latestMetrics: new DataLoader<string, LatestMetric[]>(async (artistIds) =>
      groupedBy(artistIds, await latestMetricsOf(db, artistIds), (m) => m.artistId),
    ),
    momentum: new DataLoader<string, StoredMomentum | null>(async (artistIds) =>
      byKey(artistIds, await latestMomentumOf(db, artistIds), (m) => m.artistId, (m) => m, null),
    ),
    momentumHistory: new DataLoader<HistoryKey, StoredMomentum[], string>((keys) => momentumHistoryOf(db, keys), {
      cacheKeyFn: (key) => JSON.stringify([key.artistId, key.from, key.to]),
    }),
    alertRule: new DataLoader<string, AlertRuleRow | null>(async (ids) =>
      viewerId ? byKey(ids, await alertRulesByIds(db, viewerId, ids), (r) => r.id, (r) => r, null) : ids.map(() => null),
    ),
    webhookDeliveries: new DataLoader<{ webhookId: string; first: number }, WebhookDeliveryRow[], string>((keys) => deliveriesOf(db, keys), {
      cacheKeyFn: (key) => `${key.webhookId}:${key.first}`,
    }),
    metricSeries: new DataLoader<SeriesKey, SeriesPoint[], string>((keys) => seriesOf(db, keys), {
      cacheKeyFn: (key) => JSON.stringify([key.artistId, key.platform, key.metric, key.from, key.to]),
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
