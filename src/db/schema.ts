import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** Spotify and Deezer are synced; the others come from legacy databases and are kept as links. */
export const platform = pgEnum("platform", ["spotify", "deezer", "apple_music", "youtube", "instagram", "tiktok", "twitter", "facebook"]);
export const metricKind = pgEnum("metric_kind", ["followers", "popularity"]);
/** How FanPulse knows an account is the artist's, strongest first: a confirmed source beats a guess. */
export const accountLinkSource = pgEnum("account_link_source", ["tracked", "legacy_import", "musicbrainz", "name_match", "user"]);
/** Where a figure came from. */
export const snapshotSource = pgEnum("snapshot_source", ["platform", "simulated", "legacy_import"]);
export const syncStatus = pgEnum("sync_status", ["pending", "synced", "failed", "not_found", "retrying"]);
export const momentumCategory = pgEnum("momentum_category", ["declining", "steady", "growing", "high", "explosive"]);
/** Who an artist was compared with: its audience tier, every artist that day, or the fixed defaults. */
export const momentumPeerGroup = pgEnum("momentum_peer_group", ["tier", "all", "default"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    displayName: text("display_name"),
    passwordHash: text("password_hash").notNull(),
    /** Carried by every sign-in token; raising it ends every token issued before. */
    tokenVersion: integer("token_version").notNull().default(0),
    /** The one earlier session a password change keeps: the one that made it. */
    keptSessionId: uuid("kept_session_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);

export const apiKeyScope = pgEnum("api_key_scope", ["read", "read_write"]);

/** Keys for scripts: only a keyed hash of the secret is kept. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: apiKeyScope("scope").notNull(),
    prefix: text("prefix").notNull(),
    /** HMAC-SHA256 of the secret with the server's key, in hex. */
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_key").on(t.secretHash), index("api_keys_user_idx").on(t.userId)],
);

/**
 * Requests per caller in fixed windows; a rolling window is estimated from the current and the
 * previous one, so a request costs one upsert rather than a row.
 */
export const requestCounts = pgTable(
  "request_counts",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const globalArtists = pgTable(
  "global_artists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    genres: text("genres").array().notNull().default(sql`'{}'::text[]`),
    imageUrl: text("image_url"),
    syncStatus: syncStatus("sync_status").notNull().default("pending"),
    syncError: text("sync_error"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    /** The artist's MusicBrainz id, once MusicBrainz's URL relationships named it. */
    musicbrainzId: uuid("musicbrainz_id"),
    /** When its other platform accounts were last looked for; artists still missing one are looked at again weekly. */
    crossLinkedAt: timestamp("cross_linked_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("global_artists_musicbrainz_id_key").on(t.musicbrainzId),
    index("global_artists_name_search_idx").using("gin", sql`fanpulse_search_key(${t.name}) gin_trgm_ops`),
    index("global_artists_name_id_idx").on(sql`fanpulse_search_key(${t.name})`, t.id),
  ],
);

export const userArtists = pgTable(
  "user_artists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "restrict" }),
    isFavorite: boolean("is_favorite").notNull().default(false),
    customNotes: text("custom_notes"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("user_artists_user_artist_key").on(t.userId, t.artistId),
    index("user_artists_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("user_artists_artist_idx").on(t.artistId),
    check("user_artists_notes_length", sql`char_length(${t.customNotes}) <= 5000`),
  ],
);

export const platformAccounts = pgTable(
  "platform_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "cascade" }),
    platform: platform("platform").notNull(),
    externalId: text("external_id").notNull(),
    url: text("url"),
    linkedBy: accountLinkSource("linked_by").notNull(),
    /** The user who made a USER link; null for the others, and once that user is gone. */
    linkedByUserId: uuid("linked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * Served by the simulated provider for good: its figures are synthetic. Null only for accounts
     * of an earlier release, until the next start settles it from the configuration.
     */
    simulated: boolean("simulated"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("platform_accounts_platform_external_key").on(t.platform, t.externalId),
    index("platform_accounts_artist_idx").on(t.artistId),
    // A shared artist holds one account per platform FanPulse reads figures from: nobody can add a second to its audience.
    uniqueIndex("platform_accounts_artist_synced_platform_key")
      .on(t.artistId, t.platform)
      .where(sql`${t.platform} IN ('spotify', 'deezer')`),
    index("platform_accounts_simulated_idx").on(t.id).where(sql`${t.simulated}`),
  ],
);

export const metricSnapshots = pgTable(
  "metric_snapshots",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => platformAccounts.id, { onDelete: "cascade" }),
    metric: metricKind("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: doublePrecision("value").notNull(),
    capturedAt: timestamp("captured_at", { withTimezone: true }).notNull(),
    /** Null only for figures of an earlier release, until the next start settles it with its account's provenance. */
    source: snapshotSource("source"),
  },
  (t) => [
    primaryKey({ name: "metric_snapshots_pkey", columns: [t.accountId, t.metric, t.day] }),
    index("metric_snapshots_day_idx").on(t.day, t.metric),
  ],
);

export const artistMomentum = pgTable(
  "artist_momentum",
  {
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    modelVersion: text("model_version").notNull(),
    score: doublePrecision("score").notNull(),
    z: doublePrecision("z").notNull(),
    category: momentumCategory("category").notNull(),
    growth7d: doublePrecision("growth7d"),
    growth28d: doublePrecision("growth28d"),
    acceleration: doublePrecision("acceleration"),
    audience: doublePrecision("audience").notNull(),
    tier: integer("tier").notNull(),
    peerGroup: momentumPeerGroup("peer_group").notNull(),
    peerCount: integer("peer_count").notNull(),
    peerMean: doublePrecision("peer_mean").notNull(),
    peerSd: doublePrecision("peer_sd").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "artist_momentum_pkey", columns: [t.artistId, t.day, t.modelVersion] }),
    index("artist_momentum_day_idx").on(t.modelVersion, t.day),
  ],
);

/** Each day's statistics of raw momentum per audience tier (tier -1: all artists), for scoring one artist later that day. */
export const momentumTierStats = pgTable(
  "momentum_tier_stats",
  {
    day: date("day", { mode: "string" }).notNull(),
    modelVersion: text("model_version").notNull(),
    tier: integer("tier").notNull(),
    artists: integer("artists").notNull(),
    mean: doublePrecision("mean").notNull(),
    sd: doublePrecision("sd").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "momentum_tier_stats_pkey", columns: [t.modelVersion, t.day, t.tier] })],
);

/**
 * Uses of every rolling-window budget (a platform's calls, a client address's sign-ins, a user's
 * platform lookups, an API key's requests), shared by every process. A key's uses older than its
 * window are dropped whenever it is spent, and any older than a day by a periodic sweep.
 */
export const budgetUses = pgTable(
  "budget_uses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("budget_uses_key_time_idx").on(t.key, t.usedAt)],
);

/**
 * Each platform's circuit breaker, shared by every process: after repeated failures its calls
 * stop until `open_until`; then one probe at a time (until `probing_until`) decides whether it closes.
 */
export const providerBreakers = pgTable("provider_breakers", {
  platform: platform("platform").primaryKey(),
  failures: integer("failures").notNull().default(0),
  openUntil: timestamp("open_until", { withTimezone: true }),
  probingUntil: timestamp("probing_until", { withTimezone: true }),
});

/** Each worker process's last sign of life: jobs locked by a worker silent too long are unlocked for others. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/** What an alert rule watches for. */
export const alertKind = pgEnum("alert_kind", ["category_reached", "score_above", "growth_above", "new_high"]);

/**
 * A user's alert rule, on one artist they track or (artist_id null) on every artist they track,
 * now and later. Each kind carries exactly the parameters it needs.
 */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    artistId: uuid("artist_id").references(() => globalArtists.id, { onDelete: "cascade" }),
    kind: alertKind("kind").notNull(),
    category: momentumCategory("category"),
    threshold: doublePrecision("threshold"),
    windowDays: integer("window_days"),
    createdAt: createdAt(),
  },
  (t) => [
    index("alert_rules_user_created_idx").on(t.userId, t.createdAt),
    index("alert_rules_artist_idx").on(t.artistId).where(sql`${t.artistId} IS NOT NULL`),
    index("alert_rules_every_artist_idx").on(t.userId).where(sql`${t.artistId} IS NULL`),
    check(
      "alert_rules_parameters",
      sql`CASE ${t.kind}
        WHEN 'category_reached' THEN ${t.category} IS NOT NULL AND ${t.category} <> 'declining' AND ${t.threshold} IS NULL AND ${t.windowDays} IS NULL
        WHEN 'score_above' THEN ${t.category} IS NULL AND ${t.threshold} BETWEEN 0 AND 100 AND ${t.windowDays} IS NULL
        WHEN 'growth_above' THEN ${t.category} IS NULL AND ${t.threshold} BETWEEN 0 AND 100 AND ${t.windowDays} IN (7, 28)
        ELSE ${t.category} IS NULL AND ${t.threshold} IS NULL AND ${t.windowDays} IS NULL
      END`,
    ),
  ],
);

/**
 * What fired: one row per rule, artist and UTC day of the data (the unique key makes a job that
 * runs twice write it once). `facts` holds the figures the message is written from.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id").references(() => alertRules.id, { onDelete: "set null" }),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "cascade" }),
    kind: alertKind("kind").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    facts: jsonb("facts").$type<NotificationFacts>().notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_rule_artist_day_key").on(t.ruleId, t.artistId, t.day),
    index("notifications_user_created_idx").on(t.userId, t.createdAt.desc(), t.id.desc()),
    index("notifications_user_unread_idx").on(t.userId).where(sql`${t.readAt} IS NULL`),
  ],
);

/**
 * When each artist's data of a day was last evaluated against the rules. A rule counts an earlier
 * day's condition as seen only when that day was evaluated after the rule was made (and after
 * its user tracked the artist): so the first data a rule sees can fire it.
 */
export const alertEvaluations = pgTable(
  "alert_evaluations",
  {
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    evaluatedAt: timestamp("evaluated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "alert_evaluations_pkey", columns: [t.artistId, t.day] })],
);

/** The figures behind a notification, by kind; rule parameters are copied so the message survives the rule. */
export type NotificationFacts = {
  score?: number;
  category?: MomentumCategoryValue;
  growth7d?: number | null;
  growth28d?: number | null;
  audience?: number;
  threshold?: number | null;
  windowDays?: number | null;
  ruleCategory?: MomentumCategoryValue | null;
  highs?: { platform: Platform; value: number }[];
};

/** Where a user's notifications are POSTed; the signing secret is kept sealed with the server's key. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    sealedSecret: text("sealed_secret").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhooks_user_idx").on(t.userId)],
);

/** One notification sent to one webhook: its attempts so far and how the last one went. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    status: integer("status"),
    attempts: integer("attempts").notNull().default(0),
    succeeded: boolean("succeeded").notNull().default(false),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("webhook_deliveries_webhook_notification_key").on(t.webhookId, t.notificationId), index("webhook_deliveries_webhook_created_idx").on(t.webhookId, t.createdAt)],
);

/** A day's refresh, planned from the platforms' quotas, and how far it has come. */
export const refreshPlans = pgTable("refresh_plans", {
  day: date("day", { mode: "string" }).primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  /** When the day's momentum runs even if the refresh is not done. */
  deadlineAt: timestamp("deadline_at", { withTimezone: true }).notNull(),
  /** Tracked artists that could have been refreshed. */
  candidates: integer("candidates").notNull(),
  planned: integer("planned").notNull(),
  /** Planned artists whose sync has not finished (synced, or given up on) yet. */
  remaining: integer("remaining").notNull(),
  /** Artists due for their weekly refresh that the day's quota could not hold. */
  dueLeftOut: integer("due_left_out").notNull(),
  /** When the day's momentum was queued: the refresh was done, or its deadline came. */
  scoredAt: timestamp("scored_at", { withTimezone: true }),
});

/** The artists of a day's plan, in priority order. */
export const refreshPlanArtists = pgTable(
  "refresh_plan_artists",
  {
    day: date("day", { mode: "string" })
      .notNull()
      .references(() => refreshPlans.day, { onDelete: "cascade" }),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => globalArtists.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
    done: boolean("done").notNull().default(false),
  },
  (t) => [primaryKey({ name: "refresh_plan_artists_pkey", columns: [t.day, t.artistId] }), index("refresh_plan_artists_pending_idx").on(t.artistId).where(sql`NOT ${t.done}`)],
);

export type UserRow = typeof users.$inferSelect;
export type RefreshPlanRow = typeof refreshPlans.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type GlobalArtistRow = typeof globalArtists.$inferSelect;
export type UserArtistRow = typeof userArtists.$inferSelect;
export type PlatformAccountRow = typeof platformAccounts.$inferSelect;
export type MetricSnapshotRow = typeof metricSnapshots.$inferSelect;
export type ArtistMomentumRow = typeof artistMomentum.$inferSelect;
export type Platform = (typeof platform.enumValues)[number];
export type AccountLinkSourceValue = (typeof accountLinkSource.enumValues)[number];
export type SnapshotSource = (typeof snapshotSource.enumValues)[number];
export type MetricKind = (typeof metricKind.enumValues)[number];
export type MomentumCategoryValue = (typeof momentumCategory.enumValues)[number];
export type AlertKindValue = (typeof alertKind.enumValues)[number];
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
