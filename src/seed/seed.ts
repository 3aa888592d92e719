import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { hashPassword } from "../auth/passwords.js";
import type { Database } from "../db/client.js";
import { arrayLiteral } from "../db/pg-array.js";
import { addDays, utcDay } from "../domain/days.js";
import { computePopulationMomentum } from "../domain/momentum/compute.js";
import { createSimulatedProvider } from "../providers/simulated.js";
import { progress } from "../cli/progress.js";

export type SeedOptions = {
  users: number;
  artists: number;
  linksPerUser: number;
  days: number;
  /** Days (up to today) whose population momentum is computed, for the charts. */
  momentumDays: number;
  today?: string;
};

export const DEMO_EMAIL = "demo@fanpulse.local";
export const DEMO_PASSWORD = "fanpulse-demo";
const BATCH = 5_000;

/** The n-th seeded artist's Spotify id: 22 characters, stable across runs. */
export const seedSpotifyId = (n: number) => `seed${n.toString(36).padStart(18, "0")}`;

async function inBatches(total: number, label: string, run: (from: number, to: number) => Promise<void>) {
  const bar = progress(label, total);
  for (let from = 0; from < total; from += BATCH) {
    const to = Math.min(total, from + BATCH);
    await run(from, to);
    bar.add(to - from);
  }
  bar.finish();
}

/**
 * Fills a database with simulated artists, their daily FOLLOWERS and POPULARITY history, users
 * tracking them and the momentum of recent days. Bulk statements and COPY, never row by row;
 * running it again adds nothing twice.
 */
export async function seed(db: Database, client: postgres.Sql, options: SeedOptions): Promise<void> {
  const today = options.today ?? utcDay();
  const spotify = createSimulatedProvider("spotify", () => today);
  const first = addDays(today, -(options.days - 1));

  await inBatches(options.artists, "artists", async (from, to) => {
    const ids: string[] = [];
    const names: string[] = [];
    const genres: string[] = [];
    for (let n = from; n < to; n++) {
      const profile = await spotify.fetchArtist(seedSpotifyId(n));
      ids.push(profile.externalId);
      names.push(profile.name);
      genres.push(JSON.stringify(profile.genres));
    }
    // Artists whose seeded account exists already (an earlier run) are left as they are.
    await db.execute(sql`
      WITH fresh AS MATERIALIZED (
        SELECT gen_random_uuid() AS id, t.* FROM unnest(${arrayLiteral(ids)}::text[], ${arrayLiteral(names)}::text[], ${arrayLiteral(genres)}::text[]) AS t(spotify_id, name, genres)
        WHERE NOT EXISTS (SELECT 1 FROM platform_accounts a WHERE a.platform = 'spotify' AND a.external_id = t.spotify_id)
      ),
      artists AS (
        INSERT INTO global_artists (id, name, genres, sync_status, last_synced_at)
        SELECT id, name, ARRAY(SELECT json_array_elements_text(genres::json)), 'synced', now() FROM fresh
      )
      INSERT INTO platform_accounts (artist_id, platform, external_id, url, linked_by, simulated)
      SELECT id, 'spotify', spotify_id, 'https://open.spotify.com/artist/' || spotify_id, 'tracked', true FROM fresh`);
  });

  await inBatches(options.artists, "daily history", async (from, to) => {
    // Accounts that already have history (an earlier run) are left as they are.
    const accounts = await db.execute<{ id: string; external_id: string }>(sql`
      SELECT a.id, a.external_id FROM platform_accounts a
      WHERE a.platform = 'spotify' AND a.external_id = ANY(${arrayLiteral(Array.from({ length: to - from }, (_, i) => seedSpotifyId(from + i)))}::text[])
        AND NOT EXISTS (SELECT 1 FROM metric_snapshots s WHERE s.account_id = a.id)`);
    // Written day by day, as daily syncs would write them, so a day's rows lie together on disk.
    const histories = accounts.map((account) => ({ id: account.id, days: spotify.history!(account.external_id, first, today) }));
    const lines = (function* () {
      for (let d = 0; d < options.days; d++) {
        for (const { id, days } of histories) {
          const { day, metrics } = days[d]!;
          for (const [metric, value] of Object.entries(metrics)) yield `${id}\t${metric}\t${day}\t${value}\t${day} 12:00:00+00\tsimulated\n`;
        }
      }
    })();
    const copy = await client`COPY metric_snapshots (account_id, metric, day, value, captured_at, source) FROM STDIN`.writable();
    await pipeline(Readable.from(lines), copy);
  });

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails = [DEMO_EMAIL, ...Array.from({ length: Math.max(0, options.users - 1) }, (_, i) => `user${i + 1}@seed.fanpulse.local`)];
  await inBatches(emails.length, "users and their artists", async (from, to) => {
    const batch = emails.slice(from, to);
    await db.execute(sql`
      INSERT INTO users (email, display_name, password_hash)
      SELECT email, split_part(email, '@', 1), ${passwordHash} FROM unnest(${arrayLiteral(batch)}::text[]) AS email
      ON CONFLICT DO NOTHING`);
    // User u tracks a window of artists starting at u × links, wrapping around the catalogue.
    const pairEmails: string[] = [];
    const pairArtists: string[] = [];
    const minutesAgo: number[] = [];
    batch.forEach((email, i) => {
      for (let k = 0; k < Math.min(options.linksPerUser, options.artists); k++) {
        pairEmails.push(email);
        pairArtists.push(seedSpotifyId(((from + i) * options.linksPerUser + k) % options.artists));
        minutesAgo.push(k);
      }
    });
    await db.execute(sql`
      INSERT INTO user_artists (user_id, artist_id, created_at)
      SELECT u.id, a.artist_id, now() - make_interval(mins => p.minutes_ago)
      FROM unnest(${arrayLiteral(pairEmails)}::text[], ${arrayLiteral(pairArtists)}::text[], ${arrayLiteral(minutesAgo)}::int[]) AS p(email, spotify_id, minutes_ago)
      JOIN users u ON lower(u.email) = lower(p.email)
      JOIN platform_accounts a ON a.platform = 'spotify' AND a.external_id = p.spotify_id
      ON CONFLICT DO NOTHING`);
  });

  const momentumDays = Math.min(options.momentumDays, Math.max(0, options.days - 7));
  const bar = progress("momentum", momentumDays);
  for (let back = momentumDays - 1; back >= 0; back--) {
    await computePopulationMomentum(db, addDays(today, -back));
    bar.add(1);
  }
  bar.finish();
}
