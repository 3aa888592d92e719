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
