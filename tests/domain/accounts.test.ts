import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { globalArtists, metricSnapshots, platformAccounts } from "../../src/db/schema.js";
import { attachAccount, settleUnknownProvenance } from "../../src/domain/accounts.js";
import { sameArtistName } from "../../src/domain/artist-names.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";

describe("the rule of a shared artist's accounts", () => {
  let database: TestDatabase;
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    database = await createTestDatabase();
    ({ db, close } = connect(database.url));
  });
  afterAll(async () => {
    await close();
    await database.drop();
  });

  const deezer = (artistId: string, externalId: string, linkedBy: "user" | "musicbrainz" | "name_match") =>
    attachAccount(db, { artistId, platform: "deezer", externalId, url: null, linkedBy, simulated: false });

  it("lets a confirmed source replace a user's guess, but nothing replace a confirmed link", async () => {
    const { artistId } = await insertTrackedArtist(db, { externalId: "ruleArtist000000000001" });
    expect((await deezer(artistId, "111", "user")).outcome).toBe("added");
    // A guess does not replace a guess; the user's link stays.
    expect(await deezer(artistId, "222", "name_match")).toMatchObject({ outcome: "conflict", account: { externalId: "111" } });
    const confirmed = await deezer(artistId, "333", "musicbrainz");
    expect(confirmed).toMatchObject({ outcome: "added", account: { externalId: "333", linkedBy: "musicbrainz" }, replaced: { externalId: "111", linkedBy: "user" } });
    expect(await deezer(artistId, "444", "user")).toMatchObject({ outcome: "conflict", account: { externalId: "333" } });
    expect(await deezer(artistId, "333", "user")).toMatchObject({ outcome: "present" });
    const other = await insertTrackedArtist(db, { externalId: "ruleArtist000000000002" });
    expect(await deezer(other.artistId, "333", "musicbrainz")).toMatchObject({ outcome: "taken", account: { artistId } });
  });

  it("keeps one account per synced platform in the database itself", async () => {
    const { artistId } = await insertTrackedArtist(db, { externalId: "ruleArtist000000000003" });
    await expect(
      db.insert(platformAccounts).values({ artistId, platform: "spotify", externalId: "anotherSpotifyAccount0", linkedBy: "user", simulated: false }),
    ).rejects.toSatisfy((error: Error) => (error.cause as { constraint_name?: string }).constraint_name === "platform_accounts_artist_synced_platform_key");
    // Platforms FanPulse only keeps links to may hold several.
    await db.insert(platformAccounts).values([
      { artistId, platform: "youtube", externalId: "channel-a", linkedBy: "legacy_import", simulated: false },
      { artistId, platform: "youtube", externalId: "channel-b", linkedBy: "legacy_import", simulated: false },
    ]);
  });

  it("gives accounts of an earlier release the configured provenance, and their figures with them", async () => {
    const [artist] = await db.insert(globalArtists).values({ name: "From an earlier release" }).returning();
    const accounts = await db
      .insert(platformAccounts)
      .values([
        { artistId: artist!.id, platform: "spotify", externalId: "earlierRelease00000000", linkedBy: "tracked", simulated: null },
        { artistId: artist!.id, platform: "deezer", externalId: "987", linkedBy: "user", simulated: null },
      ])
      .returning();
    await db.insert(metricSnapshots).values(accounts.map((a) => ({ accountId: a.id, metric: "followers" as const, day: "2026-01-01", value: 1, capturedAt: new Date() })));
    expect(await settleUnknownProvenance(db, (platform) => platform === "spotify")).toBe(2);
    const rows = await db.execute<{ platform: string; simulated: boolean; source: string }>(sql`
      SELECT a.platform::text, a.simulated, s.source::text FROM platform_accounts a JOIN metric_snapshots s ON s.account_id = a.id
      WHERE a.artist_id = ${artist!.id}::uuid ORDER BY 1`);
    expect(rows).toEqual([
      { platform: "deezer", simulated: false, source: "platform" },
      { platform: "spotify", simulated: true, source: "simulated" },
    ]);
    expect(await settleUnknownProvenance(db, () => true)).toBe(0);
    const [still] = await db.select().from(platformAccounts).where(eq(platformAccounts.id, accounts[1]!.id));
    expect(still?.simulated).toBe(false);
  });

  it.each([
    ["The Weeknd", "weeknd", true],
    ["Beyoncé", "BEYONCE", true],
    ["Simon & Garfunkel", "Simon and Garfunkel", true],
    ["AC/DC", "ACDC", true],
    ["Sigur Rós", "Sigur Ros", true],
    ["Muse", "Muse (simulated)", false],
    ["The The", "The", true],
    ["Radiohead", "Radiohead Tribute Band", false],
    ["!!!", "???", false],
  ])("compares names: %s and %s are one artist's: %s", (a, b, same) => {
    expect(sameArtistName(a, b)).toBe(same);
  });
});
