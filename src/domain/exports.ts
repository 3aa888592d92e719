import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { alertRules, apiKeys, artistMomentum, globalArtists, metricSnapshots, notifications, platformAccounts, userArtists, users, webhooks } from "../db/schema.js";
import { DomainError, invalidArgument } from "./errors.js";
import { isId } from "./ids.js";
import { MODEL_VERSION } from "./momentum/v1.js";

/** Rows are read a page at a time, so an export of any size holds one page in memory. */
const PAGE = 500;

/** One tracked artist as the spreadsheet shows it. */
export type MyArtistRow = {
  artist_id: string;
  name: string;
  spotify_id: string | null;
  deezer_id: string | null;
  favourite: boolean;
  notes: string | null;
  spotify_followers: number | null;
  deezer_followers: number | null;
  momentum_score: number | null;
  momentum_category: string | null;
  growth_7d: number | null;
  growth_28d: number | null;
  added_at: string;
};

export const MY_ARTISTS_COLUMNS: readonly (keyof MyArtistRow)[] = [
  "artist_id",
  "name",
  "spotify_id",
  "deezer_id",
  "favourite",
  "notes",
  "spotify_followers",
  "deezer_followers",
  "momentum_score",
  "momentum_category",
  "growth_7d",
  "growth_28d",
  "added_at",
];

/** The user's tracked artists, oldest link first, each with its latest figures and momentum. */
export async function* myArtistsForExport(db: Database, userId: string): AsyncGenerator<MyArtistRow> {
  let after: { createdAt: string; artistId: string } | null = null;
  for (;;) {
    const rows: (MyArtistRow & { cursor_at: string })[] = await db.execute<MyArtistRow & { cursor_at: string }>(sql`
      SELECT ua.artist_id, a.name,
        (SELECT p.external_id FROM ${platformAccounts} p WHERE p.artist_id = ua.artist_id AND p.platform = 'spotify' LIMIT 1) AS spotify_id,
        (SELECT p.external_id FROM ${platformAccounts} p WHERE p.artist_id = ua.artist_id AND p.platform = 'deezer' LIMIT 1) AS deezer_id,
        ua.is_favorite AS favourite, ua.custom_notes AS notes,
        ${latestFollowers("spotify")} AS spotify_followers,
        ${latestFollowers("deezer")} AS deezer_followers,
        m.score AS momentum_score, upper(m.category::text) AS momentum_category, m.growth7d AS growth_7d, m.growth28d AS growth_28d,
        to_char(ua.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS added_at,
        ua.created_at::text AS cursor_at
      FROM ${userArtists} ua
      JOIN ${globalArtists} a ON a.id = ua.artist_id
      LEFT JOIN LATERAL (
        SELECT * FROM ${artistMomentum} am WHERE am.artist_id = ua.artist_id AND am.model_version = ${MODEL_VERSION} ORDER BY am.day DESC LIMIT 1
      ) m ON true
      WHERE ua.user_id = ${userId}
        ${after ? sql`AND (ua.created_at, ua.artist_id) > (${after.createdAt}::timestamptz, ${after.artistId}::uuid)` : sql``}
      ORDER BY ua.created_at, ua.artist_id
      LIMIT ${PAGE}`);
    for (const { cursor_at, ...row } of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { createdAt: last.cursor_at, artistId: last.artist_id };
  }
}

const latestFollowers = (platform: "spotify" | "deezer") => sql`(
  SELECT s.value FROM ${platformAccounts} p JOIN ${metricSnapshots} s ON s.account_id = p.id AND s.metric = 'followers'
  WHERE p.artist_id = ua.artist_id AND p.platform = ${platform} ORDER BY s.day DESC LIMIT 1)`;

export type SeriesExportQuery = { artistId: string; platform: string; metric: string; from: string | null; to: string | null };
export type SeriesRow = { day: string; value: number; simulated: boolean };
export const SERIES_COLUMNS: readonly (keyof SeriesRow)[] = ["day", "value", "simulated"];

const PLATFORMS = ["SPOTIFY", "DEEZER"] as const;
const METRICS = ["FOLLOWERS", "POPULARITY"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string | null, argument: string): string | null {
  if (value === null) return null;
  const day = value.slice(0, 10);
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw invalidArgument(argument, "must be a day as YYYY-MM-DD");
  }
  return day;
}

/**
 * Checks a series export's parameters (each refusal names its parameter) and that the user
 * tracks the artist: a series is exported for the artists one tracks, like the GraphQL API shows.
 */
export async function checkSeriesExport(db: Database, userId: string, query: SeriesExportQuery) {
  if (!isId(query.artistId)) throw invalidArgument("artistId", "must be an artist id");
  const platform = PLATFORMS.find((p) => p === query.platform);
  if (!platform) throw invalidArgument("platform", `must be one of ${PLATFORMS.join(", ")}`);
  const metric = METRICS.find((m) => m === query.metric);
  if (!metric) throw invalidArgument("metric", `must be one of ${METRICS.join(", ")}`);
  const from = validDay(query.from, "from");
  const to = validDay(query.to, "to");
  if (from && to && from > to) throw invalidArgument("from", "must not be after to");
  const [tracked] = await db
    .select({ name: globalArtists.name })
    .from(userArtists)
    .innerJoin(globalArtists, eq(globalArtists.id, userArtists.artistId))
    .where(and(eq(userArtists.userId, userId), eq(userArtists.artistId, query.artistId)));
  if (!tracked) throw new DomainError("NOT_FOUND", "artistId: you do not track this artist", "artistId");
  return { artistId: query.artistId, artistName: tracked.name, platform: platform.toLowerCase(), metric: metric.toLowerCase(), from, to };
}

/** A checked series, oldest day first, a page at a time. */
export async function* seriesForExport(db: Database, series: Awaited<ReturnType<typeof checkSeriesExport>>): AsyncGenerator<SeriesRow> {
  let after = series.from ? null : "0001-01-01";
  let first = series.from;
  for (;;) {
    const rows = await db.execute<{ day: string; value: number; simulated: boolean }>(sql`
      SELECT s.day::text AS day, sum(s.value)::float8 AS value, bool_or(s.source = 'simulated') AS simulated
      FROM ${platformAccounts} p JOIN ${metricSnapshots} s ON s.account_id = p.id
      WHERE p.artist_id = ${series.artistId} AND p.platform = ${series.platform}::platform AND s.metric = ${series.metric}::metric_kind
        ${first ? sql`AND s.day >= ${first}::date` : sql``}
        ${after ? sql`AND s.day > ${after}::date` : sql``}
        ${series.to ? sql`AND s.day <= ${series.to}::date` : sql``}
      GROUP BY s.day ORDER BY s.day LIMIT ${PAGE}`);
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.day;
    first = null;
  }
}

/** Everything FanPulse holds about a user, for a data-protection request (no secrets: hashes stay). */
export async function personalData(db: Database, userId: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, createdAt: users.createdAt, updatedAt: users.updatedAt })
    .from(users)
    .where(eq(users.id, userId));
  const tracked = await db
    .select({ artistId: userArtists.artistId, artistName: globalArtists.name, isFavorite: userArtists.isFavorite, customNotes: userArtists.customNotes, addedAt: userArtists.createdAt })
    .from(userArtists)
    .innerJoin(globalArtists, eq(globalArtists.id, userArtists.artistId))
    .where(eq(userArtists.userId, userId))
    .orderBy(userArtists.createdAt);
  const linksMade = await db
    .select({ artistId: platformAccounts.artistId, platform: platformAccounts.platform, externalId: platformAccounts.externalId, linkedAt: platformAccounts.createdAt })
    .from(platformAccounts)
    .where(eq(platformAccounts.linkedByUserId, userId));
  const keys = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scope: apiKeys.scope, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId));
  const rules = await db.select().from(alertRules).where(eq(alertRules.userId, userId)).orderBy(alertRules.createdAt);
  const inbox = await db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(notifications.createdAt);
  const hooks = await db
    .select({ id: webhooks.id, url: webhooks.url, description: webhooks.description, createdAt: webhooks.createdAt })
    .from(webhooks)
    .where(eq(webhooks.userId, userId));
  return { exportedAt: new Date().toISOString(), user, trackedArtists: tracked, accountLinksMade: linksMade, apiKeys: keys, alertRules: rules, notifications: inbox, webhooks: hooks };
}
