import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { waitFor } from "../helpers/wait.js";

const TRACK = `mutation($id: String) { trackArtist(input: { spotifyId: $id }) { artist { id } } }`;
const LINK = `mutation($input: LinkPlatformAccountInput!) { linkPlatformAccount(input: $input) { platformAccounts { platform externalId linkedBy } } }`;
const UNLINK = `mutation($artistId: ID!, $platform: Platform!) { unlinkPlatformAccount(artistId: $artistId, platform: $platform) { platformAccounts { platform externalId } } }`;
const ARTIST = `query($id: ID!) { artist(id: $id) { spotifyId syncStatus lastSyncedAt platformAccounts { platform externalId linkedBy } latestMetrics { platform value } } }`;

describe("the accounts of a shared artist", () => {
  let live: LivePlatforms;
  let api: TestApi;
  let owner: { token: string; userId: string };
  let other: { token: string; userId: string };
  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi({ worker: true, env: live.env });
    owner = await api.signUp();
    other = await api.signUp();
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  const db = () => api.app.services.db;
  const settled = () => waitFor("the queue to empty", async () => (await queuedJobs(db())).length === 0);
  const track = async (id: string, token: string) => (await api.graphql(TRACK, { id }, token)).data!.trackArtist.artist.id as string;
  const artist = async (id: string, token: string) => (await api.graphql(ARTIST, { id }, token)).data!.artist;
  const audience = async (artistId: string) => {
    const [row] = await db().execute<{ audience: number | null }>(sql`
      SELECT sum(s.value) AS audience FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
      WHERE a.artist_id = ${artistId}::uuid AND s.metric = 'followers' AND s.day = current_date`);
    return Number(row?.audience ?? 0);
  };

  it("shows where a sync stands: PENDING, then SYNCED with its time, or NOT_FOUND", async () => {
    live.spotify.artists.set("statusArtist0000000000", { id: "statusArtist0000000000", name: "Status", followers: 10 });
    const id = await track("statusArtist0000000000", owner.token);
    expect((await artist(id, owner.token)).syncStatus).toMatch(/^(PENDING|SYNCED)$/);
    await settled();
    const synced = await artist(id, owner.token);
    expect(synced).toMatchObject({ syncStatus: "SYNCED", spotifyId: "statusArtist0000000000" });
    expect(Date.parse(synced.lastSyncedAt)).toBeGreaterThan(Date.now() - 3_600_000);

    live.spotify.artists.delete("statusArtist0000000000");
    await api.graphql(`mutation($id: ID!) { refreshArtist(artistId: $id) }`, { id }, owner.token);
    await settled();
    expect((await artist(id, owner.token)).syncStatus).toBe("NOT_FOUND");
  });

  it("refuses a link whose platform name is another artist's, and the audience every user sees does not change", async () => {
    live.spotify.artists.set("sharedArtist0000000000", { id: "sharedArtist0000000000", name: "Beyoncé", followers: 1_000 });
    live.deezer.artists.set(5001, { id: 5001, name: "Somebody Else Entirely", fans: 9_000_000 });
    live.deezer.artists.set(5002, { id: 5002, name: "BEYONCE", fans: 2_000 });
    const id = await track("sharedArtist0000000000", owner.token);
    await track("sharedArtist0000000000", other.token);
    await settled();
    expect(await audience(id)).toBe(1_000);

    const refused = await api.graphql(LINK, { input: { artistId: id, platform: "DEEZER", externalId: "5001" } }, other.token);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "input.externalId" } });
    expect(refused.errors?.[0]?.message).toMatch(/named "Somebody Else Entirely", not "Beyoncé"/);
    await settled();
    expect(await audience(id)).toBe(1_000);

    // Case and accents aside, the same name: accepted, recorded as the user's, and counted.
    const linked = await api.graphql(LINK, { input: { artistId: id, platform: "DEEZER", externalId: "5002" } }, other.token);
    expect(linked.data?.linkPlatformAccount.platformAccounts).toContainEqual({ platform: "DEEZER", externalId: "5002", linkedBy: "USER" });
    await settled();
    expect(await audience(id)).toBe(3_000);

    // One account per platform: a second Deezer account cannot be added on top.
    live.deezer.artists.set(5003, { id: 5003, name: "Beyonce", fans: 5_000_000 });
    const second = await api.graphql(LINK, { input: { artistId: id, platform: "DEEZER", externalId: "5003" } }, owner.token);
    expect(second.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "input.platform" } });

    // Only the user who made a link removes it; then its figures no longer count.
    const byOwner = await api.graphql(UNLINK, { artistId: id, platform: "DEEZER" }, owner.token);
    expect(byOwner.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN", argument: "platform" } });
    const tracked = await api.graphql(UNLINK, { artistId: id, platform: "SPOTIFY" }, other.token);
    expect(tracked.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(tracked.errors?.[0]?.message).toMatch(/linked by TRACKED/);
    const removed = await api.graphql(UNLINK, { artistId: id, platform: "DEEZER" }, other.token);
    expect(removed.data?.unlinkPlatformAccount.platformAccounts).toEqual([{ platform: "SPOTIFY", externalId: "sharedArtist0000000000" }]);
    expect(await audience(id)).toBe(1_000);
    const none = await api.graphql(UNLINK, { artistId: id, platform: "DEEZER" }, other.token);
    expect(none.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", argument: "platform" } });
  });

  it("cannot hijack an artist nobody tracks yet: tracking its Spotify id later gives that artist its own account and data", async () => {
    live.spotify.artists.set("attackerArtist00000000", { id: "attackerArtist00000000", name: "Attacker", followers: 5 });
    live.spotify.artists.set("victimArtist0000000000", { id: "victimArtist0000000000", name: "Victim", followers: 70_000 });
    const attackers = await track("attackerArtist00000000", other.token);
    const hijack = await api.graphql(LINK, { input: { artistId: attackers, platform: "SPOTIFY", externalId: "victimArtist0000000000" } }, other.token);
    expect(hijack.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const victim = await track("victimArtist0000000000", owner.token);
    expect(victim).not.toBe(attackers);
    await settled();
    const shown = await artist(victim, owner.token);
    expect(shown.platformAccounts).toEqual([{ platform: "SPOTIFY", externalId: "victimArtist0000000000", linkedBy: "TRACKED" }]);
    expect(shown.latestMetrics).toContainEqual({ platform: "SPOTIFY", value: 70_000 });
    expect(await audience(attackers)).toBe(5);
  });
});

describe("a user's platform look-ups", () => {
  let live: LivePlatforms;
  let api: TestApi;
  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi({ env: { ...live.env, PLATFORM_LOOKUPS_PER_USER: "3", PLATFORM_LOOKUPS_WINDOW_SECONDS: "3600" } });
    for (let n = 0; n < 6; n++) live.spotify.artists.set(`lookupArtist${n}000000000`, { id: `lookupArtist${n}000000000`, name: `Lookup ${n}`, followers: 10 });
    live.deezer.artists.set(7001, { id: 7001, name: "Lookup 0", fans: 10 });
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  it("are limited per user, so one script cannot spend every user's share of the platforms, and a refused call writes nothing", async () => {
    const scripted = await api.signUp();
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const result = await api.graphql(TRACK, { id: `lookupArtist${n}000000000` }, scripted.token);
      expect(result.errors).toBeUndefined();
      ids.push(result.data!.trackArtist.artist.id);
    }
    const calls = live.spotify.artistCalls();

    const refused = await api.graphql(TRACK, { id: "lookupArtist3000000000" }, scripted.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: expect.any(Number) });
    expect(refused.errors?.[0]?.message).toMatch(/^input\.spotifyId: too many platform look-ups/);
    const linked = await api.graphql(LINK, { input: { artistId: ids[0], platform: "DEEZER", externalId: "7001" } }, scripted.token);
    expect(linked.errors?.[0]?.extensions?.code).toBe("TOO_MANY_REQUESTS");
    expect(live.spotify.artistCalls()).toBe(calls);
    const [count] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform_accounts WHERE external_id IN ('lookupArtist3000000000', '7001')`);
    expect(count?.n).toBe(0);

    // Tracking an artist FanPulse already knows asks no platform, and another user has their own share.
    expect((await api.graphql(TRACK, { id: "lookupArtist1000000000" }, scripted.token)).errors).toBeUndefined();
    const other = await api.signUp();
    expect((await api.graphql(TRACK, { id: "lookupArtist3000000000" }, other.token)).errors).toBeUndefined();
  });
});
