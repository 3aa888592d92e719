import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import bcrypt from "bcryptjs";
import postgres from "postgres";
import { inject } from "vitest";
import { databaseUrl } from "../../src/db/scratch-server.js";
import { addDays } from "../../src/domain/days.js";

export const S1 = "4Z8W4fKeB5YxbusRsdQVPb";
export const S2 = "0OdUWJ0sBjDrqHygGUXeCF";
export const S3 = "1dfeR4HaWDbWqFHLkxsg1d";
export const ALICE_PASSWORD = "alice-old-password";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const U = { alice: uuid(1), aliceAgain: uuid(2), bob: uuid(3), weird: uuid(4), carol: uuid(5) };
export const A = { a1: uuid(101), a2: uuid(102), a3: uuid(103), a4: uuid(104), a5: uuid(105), a6: uuid(106), a7: uuid(107), a8: uuid(108) };
export const C = { c1: uuid(201), c2: uuid(202), c3: uuid(203), c4: uuid(204), c5: uuid(205), c6: uuid(206), c7: uuid(207) };

export type Capture = { id: string; connection: string; at: string; followers: number | null; monthly: number };

export type LegacyFixture = { url: string; captures: Capture[]; drop: () => Promise<void> };

/**
 * A legacy database with the shape of shared/legacy/legacy-schema.sql and awkward but legal
 * contents: emails equal but for case, the same Spotify artist under two spellings, artists
 * without or with a malformed Spotify id, an account claimed by two artists, blank ids, OAuth
 * tokens, several captures a day around midnight, NULL and negative followers, estimates.
 */
export async function createLegacyDatabase(): Promise<LegacyFixture> {
  const adminUrl = inject("adminUrl");
  const name = `legacy_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = databaseUrl(adminUrl, name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(readFileSync(new URL("./legacy-schema.sql", import.meta.url), "utf8"));

  const hash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2a\$/, "$2b$");
  const users: [string, string, string, string, string | null][] = [
    [U.bob, "bob@example.com", hash("bob-password"), "2023-01-01 09:00:00", "2023-02-01 10:00:00"],
    [U.alice, "Alice@Example.com", hash(ALICE_PASSWORD), "2023-01-02 09:00:00", null],
    [U.aliceAgain, "alice@example.com", hash("another"), "2023-03-01 09:00:00", null],
    [U.weird, "Weird+Tag@Example.com ", hash("weird-password"), "2023-01-03 00:00:00.123456", null],
    [U.carol, "carol@example.com", hash("carol-password"), "2023-01-04 00:00:00", null],
  ];
  for (const [id, email, pw, created, updated] of users) {
    await sql`INSERT INTO users (id, email, hashed_password, is_verified, created_at, updated_at) VALUES (${id}, ${email}, ${pw}, true, ${created}, ${updated})`;
  }
  const artists: [string, string, string | null, string, string | null, Record<string, string>][] = [
    [A.a1, U.alice, S1, "Radiohead", "alt rock", { instagram_id: "radiohead" }],
    [A.a2, U.bob, `spotify:artist:${S1}`, "Radiohead (Bob's row)", null, {}],
    [A.a3, U.alice, null, "Local Band", "", {}],
    [A.a4, U.bob, null, "Local Band", "folk", {}],
    [A.a5, U.aliceAgain, S2, "Björk ünïcödé 🎵", "art pop", {}],
    [A.a6, U.weird, "not-a-spotify-id", `O'Brien "Quotes" \\ back`, null, { youtube_id: "   " }],
    [A.a7, U.bob, `https://open.spotify.com/artist/${S3}?si=abc`, "x".repeat(500), null, { twitter_id: "xx", facebook_id: "xx.page" }],
    [A.a8, U.weird, null, "Copycat", null, { instagram_id: "radiohead" }],
  ];
  let minute = 0;
  for (const [id, user, spotify, artistName, genre, others] of artists) {
    await sql`INSERT INTO artists ${sql({
      id,
      user_id: user,
      spotify_id: spotify,
      name: artistName,
      genre,
      image_url: null,
      created_at: `2023-05-01 10:${String(minute++).padStart(2, "0")}:00`,
      updated_at: null,
      ...others,
    })}`;
  }
  const connections: [string, string, string, string, boolean][] = [
    [C.c1, A.a1, "spotify", S1, true],
    [C.c2, A.a1, "youtube", "UCradio", true],
    [C.c3, A.a3, "instagram", "localband", false],
    [C.c4, A.a4, "tiktok", "", false],
    [C.c5, A.a5, "spotify", S2, true],
    [C.c6, A.a8, "instagram", "radiohead", false],
    [C.c7, A.a2, "apple_music", "12345", false],
  ];
  for (const [id, artist, platform, external, tokens] of connections) {
    await sql`INSERT INTO platform_connections (id, artist_id, platform_type, platform_artist_id, access_token, refresh_token, is_active, connected_at)
              VALUES (${id}, ${artist}, ${platform}, ${external}, ${tokens ? "secret-access" : null}, ${tokens ? "secret-refresh" : null}, true, '2023-05-02 00:00:00')`;
  }

  const captures: Capture[] = [];
  let n = 1000;
  const capture = (connection: string, at: string, followers: number | null, monthly = 0) =>
    captures.push({ id: uuid(n++), connection, at, followers, monthly });
  for (let d = 0; d < 60; d++) {
    const day = addDays("2024-01-01", d);
    capture(C.c1, `${day} 01:00:00`, 1000 + d * 10, 50_000);
    capture(C.c1, `${day} 12:00:00`, 1000 + d * 10 + 3, 50_000);
    // A day's last capture can be unusable: the value kept is then its last usable one.
    capture(C.c1, `${day} 23:30:00`, d === 10 ? null : d === 20 ? -5 : 1000 + d * 10 + 7, 0);
  }
  for (let d = 0; d < 10; d++) capture(C.c2, `${addDays("2024-02-01", d)} 08:00:00`, 300 + d);
  capture(C.c3, "2024-03-01 23:59:59.999999", 42);
  capture(C.c3, "2024-03-02 00:00:00", 43);
  capture(C.c3, "2024-03-02 00:00:00.000001", 44);
  for (let d = 0; d < 5; d++) capture(C.c4, `${addDays("2024-01-01", d)} 08:00:00`, 7);
  for (let d = 0; d < 20; d++) capture(C.c5, `${addDays("2024-01-01", d)} 18:00:00`, 2_000_000 + d * 1000, 9_000_000);
  for (let d = 0; d < 3; d++) capture(C.c6, `${addDays("2024-01-01", d)} 08:00:00`, 9);
  for (const c of captures) {
    await sql`INSERT INTO stream_history (id, artist_id, platform_connection_id, "timestamp", followers, monthly_listeners, created_at)
              SELECT ${c.id}, artist_id, id, ${c.at}, ${c.followers}, ${c.monthly}, ${c.at} FROM platform_connections WHERE id = ${c.connection}`;
  }
  await sql.end();
  return {
    url,
    captures,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
