import { createHash } from "node:crypto";
import { addDays, dayNumber } from "../domain/days.js";
import { ARTIST_ID, InvalidExternalIdError, type ArtistProfile, type ArtistProvider, type DailyMetrics, type SyncedPlatform } from "./provider.js";

/**
 * Deterministic synthetic artists: everything derives from a hash of the id, so the
 * same id always gives the same artist and the same audience on the same day.
 */

const SYLLABLES = ["ka", "lo", "mi", "ra", "vex", "nu", "sol", "ti", "bre", "zan", "el", "or", "qui", "dah", "fen", "lux"];
const WORDS = ["Echo", "Velvet", "Static", "Neon", "Paper", "Golden", "Midnight", "Hollow", "Wild", "Glass"];
const GENRES = ["indie pop", "alt rock", "hip hop", "afrobeats", "techno", "r&b", "latin", "k-pop", "folk", "drill", "hyperpop"];
const MIN_AUDIENCE = 200;
const MAX_AUDIENCE = 40_000_000;
/** The day an artist's audience is its drawn size; it grows or shrinks from there, both ways in time. */
const REFERENCE_DAY = dayNumber("2026-01-01");

/** Uniform numbers in [0, 1) drawn from the hash of a seed string. */
function uniforms(seed: string): number[] {
  const digest = createHash("sha256").update(seed).digest();
  const out: number[] = [];
  for (let i = 0; i + 4 <= digest.length; i += 4) out.push(digest.readUInt32BE(i) / 2 ** 32);
  return out;
}

const pick = <T>(items: readonly T[], u: number): T => items[Math.floor(u * items.length)] as T;

type Traits = {
  name: string;
  genres: string[];
  audience0: number;
  dailyGrowth: number;
  breakoutDay: number | null;
  breakoutSize: number;
  breakoutLength: number;
};

function traits(platform: SyncedPlatform, id: string): Traits {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = uniforms(`artist:${id}`);
  const syllables = 2 + Math.floor(b * 2);
  let word = "";
  for (let i = 0; i < syllables; i++) word += pick(SYLLABLES, uniforms(`${id}:${i}`)[0] ?? 0);
  const invented = c < 0.5 ? word[0]!.toUpperCase() + word.slice(1) : `${pick(WORDS, d)} ${word[0]!.toUpperCase()}${word.slice(1)}`;
  // A person must see that the artist is made up, not only the API's flag.
  const name = `${invented} (simulated)`;
  const hasBreakout = e < 0.15;
  return {
    name,
    genres: [pick(GENRES, d), pick(GENRES, (d * 7) % 1)].filter((x, i, all) => all.indexOf(x) === i),
    audience0: Math.exp(Math.log(MIN_AUDIENCE) + a * (Math.log(MAX_AUDIENCE) - Math.log(MIN_AUDIENCE))) * (platform === "deezer" ? 0.35 : 1),
    // A typical artist grows a fraction of a percent a day; some shrink.
    dailyGrowth: (f - 0.35) * 0.008,
    breakoutDay: hasBreakout ? REFERENCE_DAY + Math.floor(g * 500) : null,
    breakoutSize: 0.2 + h * 1.2,
    breakoutLength: 5 + Math.floor(h * 15),
  };
}

function audienceOn(t: Traits, id: string, day: number): number {
  let log = Math.log(t.audience0) + t.dailyGrowth * (day - REFERENCE_DAY);
  if (t.breakoutDay !== null) {
    log += t.breakoutSize / (1 + Math.exp(-(day - t.breakoutDay) / (t.breakoutLength / 4)));
  }
  const noise = ((uniforms(`${id}:day:${day}`)[0] ?? 0.5) - 0.5) * 0.002;
  return Math.max(0, Math.round(Math.exp(log + noise)));
}

const popularityOf = (audience: number) => Math.max(0, Math.min(100, Math.round(12 * Math.log10(Math.max(audience, 1)) - 12)));

export function createSimulatedProvider(platform: SyncedPlatform, today: () => string): ArtistProvider {
  const metricsOn = (t: Traits, id: string, day: string) => {
    const followers = audienceOn(t, id, dayNumber(day));
    return platform === "spotify" ? { followers, popularity: popularityOf(followers) } : { followers };
  };
  return {
    platform,
    simulated: true,
    async fetchArtist(externalId): Promise<ArtistProfile> {
      if (!ARTIST_ID[platform].test(externalId)) throw new InvalidExternalIdError(platform, externalId);
      const t = traits(platform, externalId);
      return {
        externalId,
        name: t.name,
        genres: t.genres,
        imageUrl: null,
        url: platform === "spotify" ? `https://open.spotify.com/artist/${externalId}` : `https://www.deezer.com/artist/${externalId}`,
        metrics: metricsOn(t, externalId, today()),
      };
    },
    history(externalId, fromDay, toDay): DailyMetrics[] {
      const t = traits(platform, externalId);
      const days: DailyMetrics[] = [];
      for (let day = fromDay; day <= toDay; day = addDays(day, 1)) days.push({ day, metrics: metricsOn(t, externalId, day) });
      return days;
    },
  };
}
