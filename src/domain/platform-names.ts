import type { Platform } from "../db/schema.js";

const PLATFORM_NAMES: Partial<Record<Platform, string>> = { spotify: "Spotify", deezer: "Deezer", apple_music: "Apple Music", youtube: "YouTube", tiktok: "TikTok" };

/** A platform as a person writes it, in sentences meant to be read. */
export const platformName = (platform: Platform) => PLATFORM_NAMES[platform] ?? platform.replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
