import type { Platform } from "../db/schema.js";
import type { SyncedPlatform } from "../providers/provider.js";
import { parseArtistUrl } from "./artist-links.js";

/** An artist's account as a URL names it. */
export type PlatformLink = { platform: Platform; externalId: string; url: string };

/** The form MusicBrainz files an account's URL under. */
export const canonicalArtistUrl = (platform: SyncedPlatform, externalId: string) =>
  platform === "spotify" ? `https://open.spotify.com/artist/${externalId}` : `https://www.deezer.com/artist/${externalId}`;

/** Hosts of the platforms kept as links, and how a profile's path names the account. */
const PROFILE_PAGES: { platform: Platform; hosts: RegExp; id: RegExp }[] = [
  { platform: "apple_music", hosts: /^(music|itunes)\.apple\.com$/, id: /^\/(?:[a-z]{2}\/)?artist\/(?:[^/]+\/)?(?:id)?([0-9]+)\/?$/ },
  { platform: "youtube", hosts: /^(www\.|m\.|music\.)?youtube\.com$/, id: /^\/((?:channel\/|user\/|c\/)?@?[\w.-]+)\/?$/ },
  { platform: "instagram", hosts: /^(www\.)?instagram\.com$/, id: /^\/([\w.]+)\/?$/ },
  { platform: "tiktok", hosts: /^(www\.)?tiktok\.com$/, id: /^\/(@[\w.]+)\/?$/ },
  { platform: "twitter", hosts: /^(www\.|mobile\.)?(twitter|x)\.com$/, id: /^\/(\w{1,15})\/?$/ },
  { platform: "facebook", hosts: /^(www\.|m\.)?facebook\.com$/, id: /^\/([\w.-]+)\/?$/ },
];

/** The artist account a URL points at, on a platform FanPulse knows; null for anything else (an official site, a shop). */
export function platformLinkOf(url: string): PlatformLink | null {
  try {
    const ref = parseArtistUrl(url, "url");
    return { platform: ref.platform, externalId: ref.externalId, url: canonicalArtistUrl(ref.platform, ref.externalId) };
  } catch {
    // Not Spotify or Deezer: maybe a platform kept as a link.
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  const host = parsed.hostname.toLowerCase();
  for (const page of PROFILE_PAGES) {
    const id = page.hosts.test(host) ? page.id.exec(parsed.pathname)?.[1] : undefined;
    if (id) return { platform: page.platform, externalId: id, url };
  }
  return null;
}
