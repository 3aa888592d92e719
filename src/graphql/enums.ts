import { registerEnumType } from "type-graphql";

// GraphQL names on the left, the database's values on the right.

export enum Platform {
  SPOTIFY = "spotify",
  DEEZER = "deezer",
  APPLE_MUSIC = "apple_music",
  YOUTUBE = "youtube",
  INSTAGRAM = "instagram",
  TIKTOK = "tiktok",
  TWITTER = "twitter",
  FACEBOOK = "facebook",
}
registerEnumType(Platform, { name: "Platform" });

export enum AccountLinkSource {
  TRACKED = "tracked",
  MUSICBRAINZ = "musicbrainz",
  NAME_MATCH = "name_match",
  USER = "user",
  LEGACY_IMPORT = "legacy_import",
}
registerEnumType(AccountLinkSource, {
  name: "AccountLinkSource",
  valuesConfig: {
    TRACKED: { description: "The account the artist was tracked by." },
    MUSICBRAINZ: { description: "Confirmed by MusicBrainz's URL relationships." },
    NAME_MATCH: { description: "The platform's artist has the same name and no rival candidate." },
    USER: { description: "Added by a user, after the platform confirmed it exists and its name matches." },
    LEGACY_IMPORT: { description: "Brought across from a legacy database." },
  },
});

export enum SyncStatus {
  PENDING = "pending",
  SYNCED = "synced",
  RETRYING = "retrying",
  NOT_FOUND = "not_found",
  FAILED = "failed",
}
registerEnumType(SyncStatus, {
  name: "SyncStatus",
  valuesConfig: {
    PENDING: { description: "Never synced yet." },
    RETRYING: { description: "A platform is unreachable or over quota; the sync will be retried." },
    NOT_FOUND: { description: "The platform has no artist with this id." },
    FAILED: { description: "Retries are exhausted; see the logs." },
  },
});

export enum MetricKind {
  FOLLOWERS = "followers",
  POPULARITY = "popularity",
}
registerEnumType(MetricKind, {
  name: "MetricKind",
  valuesConfig: {
    FOLLOWERS: { description: "Followers, fans or subscribers: the platform's audience count." },
    POPULARITY: { description: "Spotify's 0-100 popularity." },
  },
});

export enum TrackedArtistOrder {
  ADDED_AT_DESC = "ADDED_AT_DESC",
  NAME_ASC = "NAME_ASC",
  MOMENTUM_DESC = "MOMENTUM_DESC",
}
registerEnumType(TrackedArtistOrder, { name: "TrackedArtistOrder" });

export enum MomentumCategory {
  DECLINING = "declining",
  STEADY = "steady",
  GROWING = "growing",
  HIGH = "high",
  EXPLOSIVE = "explosive",
}
registerEnumType(MomentumCategory, { name: "MomentumCategory" });

export enum MomentumPeerGroup {
  TIER = "tier",
  ALL = "all",
  DEFAULT = "default",
}
registerEnumType(MomentumPeerGroup, {
  name: "MomentumPeerGroup",
  valuesConfig: {
    TIER: { description: "Artists of the same audience tier that day (20 or more)." },
    ALL: { description: "Every artist that day: the tier had fewer than 20." },
    DEFAULT: { description: "Fixed statistics (mean 0.004, sd 0.02): fewer than 20 artists in all that day." },
  },
});

export enum MoverOrder {
  CHANGE = "CHANGE",
  CHANGE_PERCENT = "CHANGE_PERCENT",
  SCORE = "SCORE",
}
registerEnumType(MoverOrder, {
  name: "MoverOrder",
  valuesConfig: {
    CHANGE: { description: "Largest absolute change first." },
    CHANGE_PERCENT: { description: "Largest change in percent of the start first." },
    SCORE: { description: "Highest momentum score first." },
  },
});

export enum GrowthWindow {
  DAYS_7 = 7,
  DAYS_28 = 28,
}
registerEnumType(GrowthWindow, { name: "GrowthWindow" });

export enum MoverScope {
  MINE = "MINE",
  ALL = "ALL",
}
registerEnumType(MoverScope, {
  name: "MoverScope",
  valuesConfig: {
    MINE: { description: "Only artists the signed-in user tracks." },
    ALL: { description: "Every tracked artist." },
  },
});

export enum ApiKeyScope {
  READ = "read",
  READ_WRITE = "read_write",
}
registerEnumType(ApiKeyScope, {
  name: "ApiKeyScope",
  valuesConfig: {
    READ: { description: "Queries only." },
    READ_WRITE: { description: "Queries and mutations, except account management." },
  },
});

export enum AlertKind {
  CATEGORY_REACHED = "category_reached",
  SCORE_ABOVE = "score_above",
  GROWTH_ABOVE = "growth_above",
  NEW_HIGH = "new_high",
}
registerEnumType(AlertKind, {
  name: "AlertKind",
  valuesConfig: {
    CATEGORY_REACHED: { description: "The momentum category reached or passed the rule's category." },
    SCORE_ABOVE: { description: "The momentum score rose above the threshold." },
    GROWTH_ABOVE: { description: "The audience grew by more than the threshold over the window." },
    NEW_HIGH: { description: "The audience reached a new all-time high on a platform." },
  },
});
