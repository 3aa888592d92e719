import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { utcDay } from "../../src/domain/days.js";
import { enqueue } from "../../src/jobs/queue.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { waitFor } from "../helpers/wait.js";

const spotifyId = (n: number) => `pipelineArtist${String(n).padStart(8, "0")}`;
const TRACK = `mutation($id: String) { trackArtist(input: { spotifyId: $id }) { artist { id name } } }`;

describe("the metrics pipeline against live-like platforms", () => {
  let live: LivePlatforms;
  let api: TestApi;
  let db: TestApi["app"]["services"]["db"];

  const idle = () => waitFor("the queue to empty", async () => (await queuedJobs(db, "artist:sync")).length === 0);
  const snapshotsOf = (artistId: string) =>
    db.execute<{ platform: string; metric: string; day: string; value: number }>(sql`
      SELECT a.platform::text, s.metric::text, s.day::text, s.value FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id
      WHERE a.artist_id = ${artistId} ORDER BY 1, 2, 3`);

  beforeAll(async () => {
    live = await startLivePlatforms();
    for (let n = 0; n < 10; n++) live.spotify.artists.set(spotifyId(n), { id: spotifyId(n), name: `Artist ${n}`, followers: 1000 * (n + 1), popularity: 40 + n });
    api = await startTestApi({ worker: true, env: live.env });
    db = api.app.services.db;
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });
  beforeEach(() => {
    live.spotify.requests.length = 0;
    live.deezer.requests.length = 0;
  });

  it("says the data is live", async () => {
    expect((await api.graphql("{ serviceInfo { simulatedData } }")).data).toEqual({ serviceInfo: { simulatedData: false } });
  });

  it("looks each artist up once however many users track it: 30 users, 10 artists, 10 lookups a refresh", async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => api.signUp()));
    for (const user of users) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => api.graphql(TRACK, { id: spotifyId(n) }, user.token)));
      expect(results.filter((r) => r.errors)).toEqual([]);
    }
    await idle();
    live.spotify.requests.length = 0;

    await enqueue(db, "metrics:refresh-all", {});
    await waitFor("the refresh to fan out and finish", async () => (await queuedJobs(db)).length === 0 && live.spotify.artistCalls() >= 10);
    expect(live.spotify.artistCalls()).toBe(10);
    expect(new Set(live.spotify.requests.filter((r) => r.path.startsWith("/v1/artists/")).map((r) => r.path)).size).toBe(10);

    // Two syncs on one day leave one row per metric, holding the later value.
    const [artist] = await db.execute<{ id: string }>(sql`SELECT artist_id AS id FROM platform_accounts WHERE platform = 'spotify' AND external_id = ${spotifyId(0)}`);
    expect(await snapshotsOf(artist!.id)).toEqual([
      { platform: "spotify", metric: "followers", day: utcDay(), value: 1000 },
      { platform: "spotify", metric: "popularity", day: utcDay(), value: 40 },
    ]);
  });

  it("refuses an artist Spotify does not know, and keeps an artist pending when Spotify is down", async () => {
    const user = await api.signUp();
    const unknown = await api.graphql(TRACK, { id: "unknownArtist000000000" }, user.token);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(unknown.errors?.[0]?.message).toMatch(/^input\.spotifyId: Spotify has no artist/);

    const id = "comesBackLater00000000";
    live.spotify.artists.set(id, { id, name: "Comes Back Later", followers: 5 });
    live.spotify.script(/^\/v1\/artists\/comesBackLater/, { status: 503, body: {} });
    const tracked = await api.graphql(TRACK, { id }, user.token);
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data?.trackArtist.artist.name).toBe(`Spotify artist ${id}`);
    const artistId = tracked.data?.trackArtist.artist.id;
    const synced = await waitFor("the queued sync to fill in the artist", async () => {
      const result = await api.graphql(`query($id: ID!) { artist(id: $id) { name latestMetrics { platform metric value } } }`, { id: artistId }, user.token);
      return result.data?.artist.name === "Comes Back Later" ? result.data.artist : null;
    });
    expect(synced.latestMetrics).toEqual([{ platform: "SPOTIFY", metric: "FOLLOWERS", value: 5 }]);
  });

  it("links a Deezer account after Deezer confirms it, and syncs both platforms", async () => {
    const user = await api.signUp();
    const tracked = await api.graphql(TRACK, { id: spotifyId(3) }, user.token);
    const artistId = tracked.data?.trackArtist.artist.id;
    live.deezer.artists.set(3003, { id: 3003, name: "Artist 3", fans: 777 });
    const LINK = `mutation($input: LinkPlatformAccountInput!) { linkPlatformAccount(input: $input) { platformAccounts { platform externalId url } } }`;
    const missing = await api.graphql(LINK, { input: { artistId, platform: "DEEZER", externalId: "999999" } }, user.token);
    expect(missing.errors?.[0]?.message).toMatch(/^input\.externalId: DEEZER has no artist/);
    const linked = await api.graphql(LINK, { input: { artistId, platform: "DEEZER", externalId: "3003" } }, user.token);
    expect(linked.data?.linkPlatformAccount.platformAccounts).toContainEqual({ platform: "DEEZER", externalId: "3003", url: "https://www.deezer.com/artist/3003" });
    await waitFor("the Deezer fans to arrive", async () => (await snapshotsOf(artistId)).some((s) => s.platform === "deezer" && s.value === 777));
    const stranger = await api.signUp();
    const notTracking = await api.graphql(LINK, { input: { artistId, platform: "DEEZER", externalId: "3003" } }, stranger.token);
    expect(notTracking.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("leaves no partial day behind when a sync fails midway, and completes the day on retry", async () => {
    const user = await api.signUp();
    const id = spotifyId(5);
    const tracked = await api.graphql(TRACK, { id }, user.token);
    const artistId = tracked.data?.trackArtist.artist.id;
    live.deezer.artists.set(5005, { id: 5005, name: "Artist 5", fans: 100 });
    await api.graphql(`mutation($input: LinkPlatformAccountInput!) { linkPlatformAccount(input: $input) { id } }`, { input: { artistId, platform: "DEEZER", externalId: "5005" } }, user.token);
    await idle();
    const before = await snapshotsOf(artistId);

    live.spotify.artists.get(id)!.followers = 999_999;
    live.deezer.artists.get(5005)!.fans = 555;
    live.deezer.script(/^\/artist\/5005/, { status: 500, body: {} });
    expect((await api.graphql(`mutation($id: ID!) { refreshArtist(artistId: $id) }`, { id: artistId }, user.token)).data).toEqual({ refreshArtist: true });
    const failed = await waitFor("the sync to fail once", async () => (await queuedJobs(db, "artist:sync")).find((j) => j.payload.artistId === artistId && j.lastError));
    expect(failed.lastError).toMatch(/deezer is unavailable/);
    expect(await snapshotsOf(artistId)).toEqual(before);

    await waitFor("the retry to succeed", async () => (await snapshotsOf(artistId)).some((s) => s.platform === "deezer" && s.value === 555), 30_000);
    const after = await snapshotsOf(artistId);
    expect(after.find((s) => s.platform === "spotify" && s.metric === "followers")?.value).toBe(999_999);
    expect(after).toHaveLength(before.length);
  });

  it("marks an artist Spotify no longer has and does not retry it", async () => {
    const user = await api.signUp();
    const id = spotifyId(7);
    const tracked = await api.graphql(TRACK, { id }, user.token);
    const artistId = tracked.data?.trackArtist.artist.id;
    await idle();
    live.spotify.artists.delete(id);
    live.spotify.requests.length = 0;
    await api.graphql(`mutation($id: ID!) { refreshArtist(artistId: $id) }`, { id: artistId }, user.token);
    await waitFor("the sync to finish", async () => live.spotify.artistCalls(id) > 0 && (await queuedJobs(db, "artist:sync")).length === 0);
    const [row] = await db.execute<{ sync_status: string }>(sql`SELECT sync_status::text FROM global_artists WHERE id = ${artistId}`);
    expect(row?.sync_status).toBe("not_found");
    expect(live.spotify.artistCalls(id)).toBe(1);
  });

  it("queues no more than one sync while one waits", async () => {
    const user = await api.signUp();
    const tracked = await api.graphql(TRACK, { id: spotifyId(8) }, user.token);
    const artistId = tracked.data?.trackArtist.artist.id;
    await idle();
    await db.transaction(async (tx) => {
      // Hold the artist's future jobs: run_at in the future keeps them queued while we look.
      await enqueue(tx, "artist:sync", { artistId }, { jobKey: `artist:sync:${artistId}`, runAt: new Date(Date.now() + 60_000) });
    });
    const refresh = `mutation($id: ID!) { refreshArtist(artistId: $id) }`;
    await Promise.all(Array.from({ length: 5 }, () => api.graphql(refresh, { id: artistId }, user.token)));
    expect((await queuedJobs(db, "artist:sync")).filter((j) => j.payload.artistId === artistId)).toHaveLength(1);
    await db.execute(sql`SELECT graphile_worker.remove_job(${`artist:sync:${artistId}`})`);
  });
});
