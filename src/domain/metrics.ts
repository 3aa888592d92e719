import { eq, sql } from "drizzle-orm";
import { arrayLiteral, isAnyOf } from "../db/pg-array.js";
import type { Database, Executor } from "../db/client.js";
import { metricSnapshots, platformAccounts, type MetricKind, type Platform, type SnapshotSource } from "../db/schema.js";

export type SnapshotInput = { accountId: string; metric: MetricKind; day: string; value: number; capturedAt: Date; source: SnapshotSource };

const INSERT_BATCH = 5_000;

/**
 * One value per account, metric and UTC day: a later capture the same day replaces the value,
 * an earlier one (a delayed retry) does not, so re-runs never duplicate or regress a day.
 */
export async function recordSnapshots(executor: Executor, rows: SnapshotInput[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await executor
      .insert(metricSnapshots)
      .values(rows.slice(i, i + INSERT_BATCH))
      .onConflictDoUpdate({
        target: [metricSnapshots.accountId, metricSnapshots.metric, metricSnapshots.day],
        set: { value: sql`excluded.value`, capturedAt: sql`excluded.captured_at`, source: sql`excluded.source` },
        setWhere: sql`excluded.captured_at >= ${metricSnapshots.capturedAt}`,
      });
  }
}

export type LatestMetric = { artistId: string; platform: Platform; metric: MetricKind; value: number; capturedAt: Date; simulated: boolean };

/** The newest value of each metric of each account of the given artists, in one statement. */
export async function latestMetricsOf(db: Database, artistIds: readonly string[]): Promise<LatestMetric[]> {
  return db
    .selectDistinctOn([platformAccounts.id, metricSnapshots.metric], {
      artistId: platformAccounts.artistId,
      platform: platformAccounts.platform,
      metric: metricSnapshots.metric,
      value: metricSnapshots.value,
      capturedAt: metricSnapshots.capturedAt,
      simulated: sql<boolean>`${metricSnapshots.source} = 'simulated'`,
    })
    .from(platformAccounts)
    .innerJoin(metricSnapshots, eq(metricSnapshots.accountId, platformAccounts.id))
    .where(isAnyOf(platformAccounts.artistId, artistIds))
    .orderBy(platformAccounts.id, metricSnapshots.metric, sql`${metricSnapshots.day} DESC`);
}

export type SeriesKey = { artistId: string; platform: Platform; metric: MetricKind; from: string; to: string };
export type SeriesPoint = { capturedAt: Date; value: number };

/** Daily points of many series at once (one statement), oldest first. */
export async function seriesOf(db: Database, keys: readonly SeriesKey[]): Promise<SeriesPoint[][]> {
  if (keys.length === 0) return [];
  const column = <K extends keyof SeriesKey>(key: K) => arrayLiteral(keys.map((k) => k[key]));
  // The keys as one array per column, so that the statement's text is the same however many there are.
  // An artist with two accounts on one platform shows their sum.
  const rows = await db.execute<{ i: number; captured_at: string; value: number }>(sql`
    SELECT w.i::int - 1 AS i, max(s.captured_at) AS captured_at, sum(s.value) AS value
    FROM unnest(${column("artistId")}::uuid[], ${column("platform")}::platform[], ${column("metric")}::metric_kind[], ${column("from")}::date[], ${column("to")}::date[])
      WITH ORDINALITY AS w(artist_id, platform, metric, from_day, to_day, i)
    JOIN ${platformAccounts} a ON a.artist_id = w.artist_id AND a.platform = w.platform
    JOIN ${metricSnapshots} s ON s.account_id = a.id AND s.metric = w.metric AND s.day BETWEEN w.from_day AND w.to_day
    GROUP BY w.i, s.day
    ORDER BY w.i, s.day`);
  const series: SeriesPoint[][] = keys.map(() => []);
  for (const row of rows) series[row.i]?.push({ capturedAt: new Date(row.captured_at), value: Number(row.value) });
  return series;
}
