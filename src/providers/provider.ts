import type { MetricKind, Platform } from "../db/schema.js";
import type { MusicBrainz } from "./musicbrainz.js";

/** What a platform says about one artist now. Metrics a platform withholds are absent, not zero. */
export type ArtistProfile = {
  externalId: string;
  name: string;
  genres: string[];
  imageUrl: string | null;
  url: string | null;
  metrics: Partial<Record<MetricKind, number>>;
};

export type DailyMetrics = { day: string; metrics: Partial<Record<MetricKind, number>> };

/** How long a call may take in all: aborting `signal` ends it (and its retries) with ProviderUnavailableError. */
export type CallOptions = { signal?: AbortSignal };

export interface ArtistProvider {
  readonly platform: SyncedPlatform;
  /** True when the numbers are synthetic; the API says so wherever it shows them. */
  readonly simulated: boolean;
  /** Throws ArtistNotFoundError, InvalidExternalIdError or ProviderUnavailableError. */
  fetchArtist(externalId: string, call?: CallOptions): Promise<ArtistProfile>;
  /** Back-history a provider can give at once (only the simulated one can); oldest first. */
  history?(externalId: string, fromDay: string, toDay: string): DailyMetrics[];
}

/** The platforms FanPulse reads numbers from; accounts on others are kept as links only. */
export const SYNCED_PLATFORMS = ["spotify", "deezer"] as const;
export type SyncedPlatform = (typeof SYNCED_PLATFORMS)[number];
/** What an artist id looks like on each platform FanPulse reads, wherever one is checked. */
export const ARTIST_ID: Record<SyncedPlatform, RegExp> = { spotify: /^[0-9A-Za-z]{22}$/, deezer: /^[1-9][0-9]{0,11}$/ };

/** Every outside service FanPulse calls: the synced platforms, and MusicBrainz for cross-links. */
export type Service = SyncedPlatform | "musicbrainz";

export const isSynced = (platform: Platform): platform is SyncedPlatform => (SYNCED_PLATFORMS as readonly Platform[]).includes(platform);

export type ArtistSearch = (query: string, limit: number, call?: CallOptions) => Promise<ArtistProfile[]>;

/**
 * The providers of each platform. A new account gets the one configured now; an existing account
 * keeps its provenance for good, so simulated and live figures never mix in one series.
 */
export type Providers = {
  /** The provider new accounts on the platform get: live, or simulated in the offline demo mode. */
  forNewAccount(platform: SyncedPlatform): ArtistProvider;
  /** The provider of an existing account: the simulated one for a simulated account, else its platform's (null when not configured now). */
  forAccount(account: { platform: SyncedPlatform; simulated: boolean | null }): ArtistProvider | null;
  /** What new accounts get, one per platform. */
  configured: readonly ArtistProvider[];
  /** Artists on Deezer by name, most relevant first; null in the offline demo, which has no catalog. */
  searchDeezer: ArtistSearch | null;
  /** Artists on Spotify by name; only with Web API credentials. */
  searchSpotify: ArtistSearch | null;
  /** MusicBrainz's URL relationships, for cross-links; null in the offline demo. */
  musicBrainz: MusicBrainz | null;
  /** A call made while an API request waits: a short deadline over all its tries. */
  inRequest(): CallOptions;
  /** A call made by a job: a deadline shorter than the shutdown's, and the job's own end (a shutdown). */
  inJob(jobAbort: AbortSignal): CallOptions;
};

export class ArtistNotFoundError extends Error {
  override name = "ArtistNotFoundError";
  constructor(
    readonly platform: Platform,
    readonly externalId: string,
  ) {
    super(`${platform} has no artist with id ${externalId}`);
  }
}

export class InvalidExternalIdError extends Error {
  override name = "InvalidExternalIdError";
  constructor(
    readonly platform: Platform,
    readonly externalId: string,
  ) {
    super(`${externalId} is not a valid ${platform} artist id`);
  }
}

/** A failure that may pass: network, timeout, 5xx, rate limit or exhausted quota. */
export class ProviderUnavailableError extends Error {
  override name = "ProviderUnavailableError";
  constructor(
    readonly platform: Platform | Service,
    message: string,
    /** When the provider said to come back, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(`${platform} is unavailable: ${message}`);
  }
}
