import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { enqueue, queueArtistSync } from "../../src/jobs/queue.js";
import { behindBreaker, createCircuitBreaker } from "../../src/providers/circuit-breaker.js";
import { createDatabaseRateLimiter } from "../../src/providers/rate-limiter.js";
import { ProviderUnavailableError } from "../../src/providers/provider.js";
import { createSpotifyProvider } from "../../src/providers/spotify.js";
import { createLogger } from "../../src/logger.js";
import { SPOTIFY_CLIENT } from "../fakes/spotify.js";
import { startApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { startTestApi, TEST_JWT_SECRET, type TestApi } from "../helpers/api.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { deferred } from "../helpers/deferred.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { startProcess } from "../helpers/process.js";
import { waitFor } from "../helpers/wait.js";

const ARTIST = `query($id: ID!) { artist(id: $id) { name syncStatus syncError } }`;

describe("slow and failing platforms", () => {
  let live: LivePlatforms;
  let api: TestApi;
  let user: { token: string; userId: string };
  let db: Database;
  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi({ worker: true, env: { ...live.env, PROVIDER_REQUEST_DEADLINE_MS: "500" } });
    user = await api.signUp();
    db = api.app.services.db;
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  const artist = async (id: string) => (await api.graphql(ARTIST, { id }, user.token)).data!.artist;
  const syncJob = async (artistId: string) => (await queuedJobs(db, "artist:sync")).find((j) => j.payload.artistId === artistId);
  const runNow = (artistId: string) =>
    db.execute(sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE payload->>'artistId' = ${artistId} AND locked_at IS NULL`);

  it("answers a request without waiting for a platform that hangs: the artist is tracked, and named by its sync", async () => {
    const id = "hangingLookup000000000";
    live.spotify.artists.set(id, { id, name: "Named Later", followers: 12 });
    const release = deferred();
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { heldUntil: release.promise });
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "${id}" }) { artist { id name } } }`, {}, user.token);
    release.resolve();
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data!.trackArtist.artist.name).toBe(`Spotify artist ${id}`);
    const artistId = tracked.data!.trackArtist.artist.id as string;
    await waitFor("the sync to name the artist", async () => (await artist(artistId)).name === "Named Later");

    live.deezer.artists.set(7007, { id: 7007, name: "Named Later", fans: 3 });
    const releaseDeezer = deferred();
    live.deezer.script(/^\/artist\/7007$/, { heldUntil: releaseDeezer.promise });
    const link = await api.graphql(
      `mutation($input: LinkPlatformAccountInput!) { linkPlatformAccount(input: $input) { id } }`,
      { input: { artistId, platform: "DEEZER", externalId: "7007" } },
      user.token,
    );
    releaseDeezer.resolve();
    expect(link.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("reschedules a sync for when the platform says to come back, without spending an attempt", async () => {
    const id = "rateLimitedSync0000000";
    live.spotify.artists.set(id, { id, name: "Rate Limited", followers: 99 });
    const { artistId } = await insertTrackedArtist(db, { externalId: id });
    // First an outage (one attempt spent, retried with backoff), then a 429 asking for an hour.
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { status: 503, body: {} }, { status: 429, headers: { "retry-after": "3600" }, body: {} });
    await db.transaction((tx) => queueArtistSync(tx, artistId));
    await waitFor("the first failure", async () => (await syncJob(artistId))?.attempts === 1 && (await artist(artistId)).syncStatus === "RETRYING");
    await runNow(artistId);
    await waitFor("the 429 to reschedule the sync", async () => /rate limited/.test((await artist(artistId)).syncError ?? ""));
    const [job] = await db.execute<{ attempts: number; later: boolean; locked: boolean }>(sql`
      SELECT attempts, run_at > now() + interval '55 minutes' AS later, locked_at IS NOT NULL AS locked
      FROM graphile_worker._private_jobs WHERE payload->>'artistId' = ${artistId}`);
    expect(job).toEqual({ attempts: 1, later: true, locked: false });
    expect((await artist(artistId)).syncStatus).toBe("RETRYING");

    await runNow(artistId);
    // Done means the artist is SYNCED and no sync of it is left queued (one rescheduled again would stay).
    await waitFor("the sync to complete and leave the queue", async () => (await artist(artistId)).syncStatus === "SYNCED" && (await syncJob(artistId)) === undefined);
    expect((await artist(artistId)).syncError).toBeNull();
  });

  it("leaves an artist FAILED with its error, visible, once a sync's attempts are spent", async () => {
    const id = "alwaysFailing000000000";
    const { artistId } = await insertTrackedArtist(db, { externalId: id, name: "Always Failing" });
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { status: 500, body: {} });
    await db.transaction((tx) => enqueue(tx, "artist:sync", { artistId }, { jobKey: `artist:sync:${artistId}`, maxAttempts: 1 }));
    // Given up means FAILED and no sync of it left queued (a retry would stay).
    await waitFor("the sync to give up and leave the queue", async () => (await artist(artistId)).syncStatus === "FAILED" && (await syncJob(artistId)) === undefined);
    expect((await artist(artistId)).syncError).toMatch(/server error 500.*after 1 attempts/);
  });

  it("checks an artist the platform does not know again after a week, not every day", async () => {
    const fresh = await insertTrackedArtist(db, { externalId: "notFoundYesterday00000" });
    const stale = await insertTrackedArtist(db, { externalId: "notFoundLastWeek000000" });
    await db.execute(sql`
      UPDATE global_artists SET sync_status = 'not_found', last_synced_at = now() - CASE WHEN id = ${fresh.artistId}::uuid THEN interval '1 day' ELSE interval '8 days' END
      WHERE id IN (${fresh.artistId}::uuid, ${stale.artistId}::uuid)`);
    await db.execute(sql`INSERT INTO user_artists (user_id, artist_id) VALUES (${user.userId}::uuid, ${fresh.artistId}::uuid), (${user.userId}::uuid, ${stale.artistId}::uuid)`);
    const before = live.spotify.artistCalls("notFoundLastWeek000000");
    await enqueue(db, "metrics:refresh-all", {});
    await waitFor("the weekly re-check", async () => live.spotify.artistCalls("notFoundLastWeek000000") > before && (await queuedJobs(db)).length === 0);
    expect(live.spotify.artistCalls("notFoundYesterday00000")).toBe(0);
    expect((await artist(stale.artistId)).syncStatus).toBe("NOT_FOUND");
  });
});

describe("a platform's circuit breaker", () => {
  let live: LivePlatforms;
  let api: TestApi;
  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  it("opens after repeated failures, stops calls while open, lets one probe through after the cool-down, and closes on its success", async () => {
    const db = api.app.services.db;
    const id = "breakerArtist000000000";
    live.spotify.artists.set(id, { id, name: "Breaker", followers: 1 });
    const common = { timeoutMs: 2_000, maxRetries: 0, limiter: createDatabaseRateLimiter(db, { spotify: { maxCalls: 1000, windowMs: 1000 }, deezer: { maxCalls: 1000, windowMs: 1000 }, musicbrainz: { maxCalls: 1, windowMs: 1000 } }), logger: createLogger("silent") };
    const spotify = behindBreaker(
      createSpotifyProvider({ ...common, apiUrl: live.spotify.url, accountsUrl: live.spotify.url, clientId: SPOTIFY_CLIENT.id, clientSecret: SPOTIFY_CLIENT.secret }),
      createCircuitBreaker(db, { failures: 3, cooldownMs: 600_000, probeMs: 5_000 }),
    );
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { status: 502, body: {} }, { status: 502, body: {} }, { status: 502, body: {} }, { status: 502, body: {} });
    for (let n = 0; n < 3; n++) await expect(spotify.fetchArtist(id)).rejects.toThrow(/server error 502/);
    const callsWhenOpened = live.spotify.artistCalls(id);
    const stopped = await spotify.fetchArtist(id).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ProviderUnavailableError);
    expect((stopped as ProviderUnavailableError).message).toMatch(/circuit breaker open/);
    expect((stopped as ProviderUnavailableError).retryAfterMs).toBeGreaterThan(500_000);
    expect(live.spotify.artistCalls(id)).toBe(callsWhenOpened);

    // The cool-down is over: one probe goes through; it fails, and the breaker opens again.
    await db.execute(sql`UPDATE provider_breakers SET open_until = now() - interval '1 second' WHERE platform = 'spotify'`);
    await expect(spotify.fetchArtist(id)).rejects.toThrow(/server error 502/);
    expect(live.spotify.artistCalls(id)).toBe(callsWhenOpened + 1);
    await expect(spotify.fetchArtist(id)).rejects.toThrow(/circuit breaker open/);

    // Over again; the probe succeeds and the breaker closes: calls go through as usual.
    await db.execute(sql`UPDATE provider_breakers SET open_until = now() - interval '1 second' WHERE platform = 'spotify'`);
    await expect(spotify.fetchArtist(id)).resolves.toMatchObject({ name: "Breaker" });
    const [state] = await db.execute<{ failures: number; open_until: string | null }>(sql`SELECT failures, open_until FROM provider_breakers WHERE platform = 'spotify'`);
    expect(state).toEqual({ failures: 0, open_until: null });
    await expect(spotify.fetchArtist(id)).resolves.toMatchObject({ name: "Breaker" });
  });
});

describe("a shutdown during a slow platform call", () => {
  let live: LivePlatforms;
  let database: TestDatabase;
  beforeAll(async () => {
    live = await startLivePlatforms();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await live.close();
  });

  it("ends the call and exits 0 within the shutdown timeout; the job runs again later and completes", async () => {
    const { db, close } = connect(database.url);
    const id = "slowAtShutdown00000000";
    live.spotify.artists.set(id, { id, name: "Slow At Shutdown", followers: 5 });
    const never = deferred();
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { heldUntil: never.promise });
    // Only the shutdown can end this call: the platform never answers, and no timeout would come first.
    const env = { ...live.env, DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, PROVIDER_TIMEOUT_MS: "600000", PROVIDER_JOB_DEADLINE_MS: "7900", SHUTDOWN_TIMEOUT_MS: "8000" };
    const worker = startProcess(env, "worker");
    let again: App | undefined;
    try {
      await worker.ready;
      const { artistId } = await insertTrackedArtist(db, { externalId: id });
      await db.transaction((tx) => queueArtistSync(tx, artistId));
      await waitFor("the sync to be inside its platform call", async () => live.spotify.artistCalls(id) >= 1);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      const [job] = await db.execute<{ attempts: number; last_error: string | null }>(sql`
        SELECT attempts, last_error FROM graphile_worker._private_jobs WHERE payload->>'artistId' = ${artistId}`);
      expect(job?.attempts).toBe(1);
      expect(job?.last_error).toMatch(/deadline/);

      again = await startApp(loadConfig({ NODE_ENV: "test", ...env }), { api: false, worker: true }, createLogger("silent"), { workerPollInterval: 100 });
      await db.execute(sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE payload->>'artistId' = ${artistId}`);
      await waitFor("the sync to run again and complete", async () => {
        const [row] = await db.execute<{ sync_status: string }>(sql`SELECT sync_status::text FROM global_artists WHERE id = ${artistId}::uuid`);
        return row?.sync_status === "synced";
      });
    } finally {
      never.resolve();
      worker.child.kill("SIGKILL");
      await again?.stop();
      await close();
    }
  });
});
