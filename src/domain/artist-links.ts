import { ARTIST_ID, type SyncedPlatform } from "../providers/provider.js";
import { invalidArgument } from "./errors.js";
import { parseSpotifyArtistId } from "./spotify-id.js";

/** An artist's account on a platform FanPulse reads, as a user may give it. */
export type PlatformArtistRef = { platform: SyncedPlatform; externalId: string; argument: string };

const DEEZER_PATH = /^\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?artist\/([1-9][0-9]{0,11})\/?$/i;

export function parseDeezerArtistId(input: string, argument: string): string {
  const value = input.trim();
  if (ARTIST_ID.deezer.test(value)) return value;
  throw invalidArgument(argument, "must be a Deezer artist id (the number in deezer.com/artist/<id>)");
}

/** An artist URL or URI of a supported platform: open.spotify.com/artist/..., spotify:artist:..., deezer.com/(xx/)artist/... */
export function parseArtistUrl(input: string, argument: string): PlatformArtistRef {
  const value = input.trim();
  if (/^spotify:/i.test(value) || /^https?:\/\/open\.spotify\.com\//i.test(value)) return { platform: "spotify", externalId: parseSpotifyArtistId(value, argument), argument };
  try {
    const url = new URL(value);
    const path = DEEZER_PATH.exec(url.pathname);
    if ((url.protocol === "https:" || url.protocol === "http:") && /^(www\.)?deezer\.com$/i.test(url.hostname) && path?.[1]) {
      return { platform: "deezer", externalId: path[1], argument };
    }
  } catch {
    // Reported below like any other value that is no artist URL.
  }
  throw invalidArgument(argument, "must be an artist URL of Spotify (open.spotify.com/artist/..., spotify:artist:...) or Deezer (deezer.com/artist/...)");
}

export type TrackArtistInput = { spotifyId?: string | null; deezerId?: string | null; url?: string | null };

/** Exactly one of the three ways to name an artist, checked and parsed. */
export function artistRefOf(input: TrackArtistInput): PlatformArtistRef {
  const given = (["spotifyId", "deezerId", "url"] as const).filter((field) => input[field] !== undefined && input[field] !== null);
  if (given.length !== 1) {
    throw invalidArgument(given.length === 0 ? "input" : `input.${given[1]}`, "give exactly one of spotifyId, deezerId or url");
  }
  const [field] = given as [keyof TrackArtistInput];
  const value = input[field]!;
  if (field === "spotifyId") return { platform: "spotify", externalId: parseSpotifyArtistId(value, "input.spotifyId"), argument: "input.spotifyId" };
  if (field === "deezerId") return { platform: "deezer", externalId: parseDeezerArtistId(value, "input.deezerId"), argument: "input.deezerId" };
  return parseArtistUrl(value, "input.url");
}
