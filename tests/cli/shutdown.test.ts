import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { post, startProcess } from "../helpers/process.js";
import { deferred } from "../helpers/deferred.js";
import { waitFor } from "../helpers/wait.js";

describe("graceful shutdown", () => {
  let database: TestDatabase;
  let live: LivePlatforms;
  beforeAll(async () => {
    database = await createTestDatabase();
    live = await startLivePlatforms();
  });
  afterAll(async () => {
    await live.close();
    await database.drop();
  });

  it("lets a request in flight when SIGTERM arrives complete, then exits 0", async () => {
    const id = "shutdownArtist00000000";
    live.spotify.artists.set(id, { id, name: "Finishes Anyway", followers: 10 });
    // Spotify's first token is held back until the process is shutting down, so the request is in flight at SIGTERM.
    const release = deferred();
    live.spotify.script(/^\/api\/token$/, { heldUntil: release.promise });
    const server = startProcess({ ...live.env, DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: "info" });
    const url = await server.ready;
    const signUp = await post(url, 'mutation { signUp(input: { email: "late@example.com", password: "correct horse battery" }) { token } }');
    const token = signUp.data.signUp.token as string;

    const inFlight = post(url, `mutation { trackArtist(input: { spotifyId: "${id}" }) { artist { name } } }`, { authorization: `Bearer ${token}` });
    await waitFor("the request to reach Spotify", async () => live.spotify.tokenCalls() >= 1);
    server.child.kill("SIGTERM");
    await waitFor("the process to begin its shutdown", async () => server.output().includes("shutting down"));
    release.resolve();
    expect(await inFlight).toEqual({ data: { trackArtist: { artist: { name: "Finishes Anyway" } } } });
    expect(await server.exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it("lets a job in flight when SIGTERM arrives finish, then exits 0", async () => {
    const id = "shutdownJobArtist00000";
    live.spotify.artists.set(id, { id, name: "Synced Before Exit", followers: 77 });
    const server = startProcess({ ...live.env, DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: "info" });
    const url = await server.ready;
    const signUp = await post(url, 'mutation { signUp(input: { email: "job@example.com", password: "correct horse battery" }) { token } }');
    // The lookup while tracking answers at once; the sync job's call is held until the process is shutting down.
    const release = deferred();
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { lateBy: 0 }, { heldUntil: release.promise });
    const tracked = await post(url, `mutation { trackArtist(input: { spotifyId: "${id}" }) { artist { id } } }`, {
      authorization: `Bearer ${signUp.data.signUp.token}`,
    });
    const artistId = tracked.data.trackArtist.artist.id as string;
    await waitFor("the sync job to call Spotify", async () => live.spotify.artistCalls(id) >= 2);
    server.child.kill("SIGTERM");
    await waitFor("the process to begin its shutdown", async () => server.output().includes("shutting down"));
    release.resolve();
    expect(await server.exited).toBe(0);
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const [row] = await sql<{ sync_status: string; followers: number }[]>`
      SELECT a.sync_status::text, s.value AS followers FROM global_artists a
      JOIN platform_accounts p ON p.artist_id = a.id JOIN metric_snapshots s ON s.account_id = p.id AND s.metric = 'followers'
      WHERE a.id = ${artistId}`;
    await sql.end();
    expect(row).toEqual({ sync_status: "synced", followers: 77 });
  });
});
