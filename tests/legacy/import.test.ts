import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { signIn } from "../../src/domain/users.js";
import { importLegacy } from "../../src/legacy/import.js";
import type { ImportReport } from "../../src/legacy/report.js";
import { openLegacy, type Legacy } from "../../src/legacy/source.js";
import { SIGN_IN_POLICY } from "../helpers/api.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { queuedJobs } from "../helpers/jobs.js";
import { A, ALICE_PASSWORD, C, createLegacyDatabase, S1, S2, S3, U, type LegacyFixture } from "./fixture.js";

type Target = { database: TestDatabase; db: Database; close: () => Promise<void> };

async function target(): Promise<Target> {
  const database = await createTestDatabase();
  const { db, close } = connect(database.url);
  return { database, db, close };
}

/** Every row the import writes, in a stable order: two databases with equal dumps hold the same import. */
async function dump(db: Database) {
  const tables = {
    users: sql`SELECT id, email, display_name, password_hash, created_at, updated_at FROM users ORDER BY id`,
    global_artists: sql`SELECT id, name, genres, image_url, sync_status, created_at, updated_at FROM global_artists ORDER BY id`,
    user_artists: sql`SELECT id, user_id, artist_id, is_favorite, custom_notes, created_at FROM user_artists ORDER BY id`,
    platform_accounts: sql`SELECT id, artist_id, platform, external_id, url, linked_by, simulated, created_at FROM platform_accounts ORDER BY id`,
    metric_snapshots: sql`SELECT account_id, metric, day::text, value, captured_at, source FROM metric_snapshots ORDER BY 1, 2, 3`,
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(tables)) out[name] = [...(await db.execute(query))];
  return out;
}

async function legacyDump(legacy: Legacy) {
  const out: Record<string, unknown> = {};
  for (const table of ["users", "artists", "platform_connections", "stream_history"]) {
    out[table] = await legacy.unsafe(`SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS digest, count(*) FROM ${table} t`);
  }
  return out;
}

const counts = (report: ImportReport) =>
  Object.fromEntries(
    Object.entries(report.tables).map(([name, t]) => [name, { read: t.read, imported: t.imported, merged: t.merged, already: t.alreadyImported, skipped: t.skipped.length }]),
  );

describe("importing a legacy database", () => {
  let fixture: LegacyFixture;
  let legacy: Legacy;
  let clean: Target;
  let report: ImportReport;
  let legacyBefore: Record<string, unknown>;

  beforeAll(async () => {
    fixture = await createLegacyDatabase();
    legacy = openLegacy(fixture.url);
    legacyBefore = await legacyDump(legacy);
    clean = await target();
    report = await importLegacy(clean.db, legacy, { batchSize: 3 });
  });
  afterAll(async () => {
    await legacy.end();
    await clean.close();
    await clean.database.drop();
    await fixture.drop();
  });

  it("reports every row read, imported, merged and skipped, and why", () => {
    expect(counts(report)).toEqual({
      users: { read: 5, imported: 4, merged: 0, already: 0, skipped: 1 },
      artists: { read: 8, imported: 6, merged: 1, already: 0, skipped: 1 },
      artistPlatformIds: { read: 9, imported: 6, merged: 1, already: 0, skipped: 2 },
      platformConnections: { read: 7, imported: 3, merged: 2, already: 0, skipped: 2 },
      streamHistory: { read: fixture.captures.length, imported: 92, merged: 119, already: 0, skipped: 10 },
    });
    const t = report.tables;
    expect(t.users.skipped).toEqual([{ id: U.aliceAgain, reason: expect.stringContaining('"Alice@Example.com"') }]);
    expect(t.artists.skipped).toEqual([{ id: A.a5, reason: expect.stringContaining(`its user ${U.aliceAgain} was not imported`) }]);
    expect(t.artistPlatformIds.skipped.map((s) => s.id).sort()).toEqual([`${A.a6}/youtube`, `${A.a8}/instagram`].sort());
    expect(t.platformConnections.skipped.map((s) => [s.id, s.reason])).toEqual([
      [C.c4, "empty platform_artist_id"],
      [C.c6, expect.stringContaining("belongs to another artist")],
    ]);
    const reasons = t.streamHistory.skipped.map((s) => s.reason);
    expect(reasons.filter((r) => r === "no followers value")).toHaveLength(1);
    expect(reasons.filter((r) => r === "negative followers (-5)")).toHaveLength(1);
    expect(reasons.filter((r) => r.startsWith(`its platform connection ${C.c4}`))).toHaveLength(5);
    expect(reasons.filter((r) => r.startsWith(`its platform connection ${C.c6}`))).toHaveLength(3);
    expect(report.droppedOAuthTokens).toBe(3);
    expect(report.monthlyListenersNotImported).toBe(140);
    expect(report.notes).toContainEqual(expect.stringContaining(`artist ${A.a6}: spotify_id "not-a-spotify-id"`));
  });

  it("keeps users, shares artists by Spotify id and keeps each row as its user's link", async () => {
    const users = await clean.db.execute<{ id: string; email: string }>(sql`SELECT id, email FROM users ORDER BY id`);
    expect(users.map((u) => u.id)).toEqual([U.alice, U.bob, U.weird, U.carol]);
    expect(users.find((u) => u.id === U.weird)?.email).toBe("Weird+Tag@Example.com");

    const artists = await clean.db.execute<{ id: string; spotify_id: string | null; name: string; genres: string[] }>(
      sql`SELECT g.id, a.external_id AS spotify_id, g.name, g.genres FROM global_artists g
          LEFT JOIN platform_accounts a ON a.artist_id = g.id AND a.platform = 'spotify' ORDER BY g.id`,
    );
    expect(artists.map((a) => [a.id, a.spotify_id])).toEqual([
      [A.a1, S1],
      [A.a3, null],
      [A.a4, null],
      [A.a5, S2],
      [A.a6, null],
      [A.a7, S3],
      [A.a8, null],
    ]);
    expect(artists.find((a) => a.id === A.a5)?.name).toBe("Björk ünïcödé 🎵");
    expect(artists.find((a) => a.id === A.a6)?.name).toBe(`O'Brien "Quotes" \\ back`);
    expect(artists.find((a) => a.id === A.a3)?.genres).toEqual([]);
    expect(artists.find((a) => a.id === A.a4)?.genres).toEqual(["folk"]);

    const links = await clean.db.execute<{ id: string; user_id: string; artist_id: string; created_at: string }>(
      sql`SELECT id, user_id, artist_id, created_at::text FROM user_artists ORDER BY id`,
    );
    expect(links.map((l) => [l.id, l.user_id, l.artist_id])).toEqual([
      [A.a1, U.alice, A.a1],
      [A.a2, U.bob, A.a1],
      [A.a3, U.alice, A.a3],
      [A.a4, U.bob, A.a4],
      [A.a6, U.weird, A.a6],
      [A.a7, U.bob, A.a7],
      [A.a8, U.weird, A.a8],
    ]);
    expect(links[1]?.created_at).toBe("2023-05-01 10:01:00+00");

    const accounts = await clean.db.execute<{ artist_id: string; platform: string; external_id: string; linked_by: string; simulated: boolean }>(
      sql`SELECT artist_id, platform::text, external_id, linked_by::text, simulated FROM platform_accounts ORDER BY artist_id, platform::text, external_id`,
    );
    // Real accounts: the Spotify id a legacy user tracked the artist by, and links kept from the legacy database.
    expect(accounts.every((a) => a.simulated === false)).toBe(true);
    expect(accounts.map((a) => `${a.artist_id.slice(-3)} ${a.platform} ${a.external_id} ${a.linked_by}`)).toEqual([
      "101 apple_music 12345 legacy_import",
      "101 instagram radiohead legacy_import",
      "101 spotify 4Z8W4fKeB5YxbusRsdQVPb tracked",
      "101 youtube UCradio legacy_import",
      "103 instagram localband legacy_import",
      "105 spotify 0OdUWJ0sBjDrqHygGUXeCF tracked",
      "107 facebook xx.page legacy_import",
      "107 spotify 1dfeR4HaWDbWqFHLkxsg1d tracked",
      "107 twitter xx legacy_import",
    ]);
  });

  it("turns each UTC day's last usable capture into that day's FOLLOWERS, and nothing else", async () => {
    const owner: Record<string, [string, string, string]> = {
      [C.c1]: [A.a1, "spotify", S1],
      [C.c2]: [A.a1, "youtube", "UCradio"],
      [C.c3]: [A.a3, "instagram", "localband"],
      [C.c5]: [A.a5, "spotify", S2],
    };
    const expected = new Map<string, { at: string; value: number }>();
    for (const c of fixture.captures) {
      if (!owner[c.connection] || c.followers === null || c.followers < 0) continue;
      const key = `${owner[c.connection]!.join(" ")} ${c.at.slice(0, 10)}`;
      const current = expected.get(key);
      if (!current || c.at > current.at) expected.set(key, { at: c.at, value: c.followers });
    }
    const rows = await clean.db.execute<{ key: string; value: number; metric: string }>(sql`
      SELECT a.artist_id || ' ' || a.platform || ' ' || a.external_id || ' ' || s.day AS key, s.value, s.metric::text
      FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id`);
    expect(rows.every((r) => r.metric === "followers")).toBe(true);
    expect(new Map(rows.map((r) => [r.key, r.value]))).toEqual(new Map([...expected].map(([k, v]) => [k, v.value])));
    expect(expected.get(`${A.a1} spotify ${S1} 2024-01-11`)?.value).toBe(1103);
    expect(expected.get(`${A.a3} instagram localband 2024-03-02`)?.value).toBe(44);
    // Their momentum is scored by a job queued with the history, once per artist.
    const scoring = await queuedJobs(clean.db, "momentum:score-past-days");
    expect(scoring.flatMap((j) => j.payload.artistIds as string[]).sort()).toEqual([A.a1, A.a3, A.a5].sort());
  });

  it("changes nothing when run again, and never writes to the legacy database", async () => {
    const before = await dump(clean.db);
    const jobsBefore = await queuedJobs(clean.db);
    const again = await importLegacy(clean.db, legacy, { batchSize: 4 });
    expect(await dump(clean.db)).toEqual(before);
    expect(await queuedJobs(clean.db)).toEqual(jobsBefore);
    for (const t of Object.values(again.tables)) expect(t.imported).toBe(0);
    expect(again.tables.users.alreadyImported).toBe(4);
    expect(again.tables.streamHistory.alreadyImported).toBe(92);
    expect(await legacyDump(legacy)).toEqual(legacyBefore);
    await expect(legacy`INSERT INTO users (id, email, hashed_password, is_verified, created_at) VALUES (gen_random_uuid(), 'x', 'x', true, now())`).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it("ends an interrupted import, run again, where one clean run ends", async () => {
    const interrupted = await target();
    try {
      let batches = 0;
      await expect(
        importLegacy(interrupted.db, legacy, {
          batchSize: 2,
          onBatch: (step) => {
            if (step === "artists" && ++batches === 2) throw new Error("power cut");
          },
        }),
      ).rejects.toThrow("power cut");
      const partial = await dump(interrupted.db);
      expect(partial.user_artists).toHaveLength(4);
      expect(partial.metric_snapshots).toHaveLength(0);
      await importLegacy(interrupted.db, legacy, { batchSize: 2 });
      expect(await dump(interrupted.db)).toEqual(await dump(clean.db));
    } finally {
      await interrupted.close();
      await interrupted.database.drop();
    }
  });

  it("writes nothing on a dry run and reports the same", async () => {
    const dry = await target();
    try {
      const dryReport = await importLegacy(dry.db, legacy, { batchSize: 3, dryRun: true });
      expect({ ...dryReport, dryRun: false }).toEqual(report);
      const empty = await dump(dry.db);
      for (const rows of Object.values(empty)) expect(rows).toEqual([]);
    } finally {
      await dry.close();
      await dry.database.drop();
    }
  });

  it("signs a legacy user in with the old password and upgrades the hash to argon2id", async () => {
    const user = await signIn(clean.db, { email: "alice@example.com", password: ALICE_PASSWORD }, "127.0.0.1", SIGN_IN_POLICY);
    expect(user.id).toBe(U.alice);
    const [row] = await clean.db.execute<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE id = ${U.alice}`);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect((await signIn(clean.db, { email: "Alice@Example.com", password: ALICE_PASSWORD }, "127.0.0.1", SIGN_IN_POLICY)).id).toBe(U.alice);
    await expect(signIn(clean.db, { email: "alice@example.com", password: "wrong" }, "127.0.0.1", SIGN_IN_POLICY)).rejects.toThrow("Wrong email or password");
  });

  it("signs in a legacy user whose email had spaces around it and capitals, typed either way", async () => {
    expect((await signIn(clean.db, { email: "weird+tag@example.com", password: "weird-password" }, "127.0.0.1", SIGN_IN_POLICY)).id).toBe(U.weird);
    expect((await signIn(clean.db, { email: " Weird+Tag@Example.com ", password: "weird-password" }, "127.0.0.1", SIGN_IN_POLICY)).id).toBe(U.weird);
  });
});
