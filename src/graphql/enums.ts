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
