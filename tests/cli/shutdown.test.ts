import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { post, startProcess } from "../helpers/process.js";
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
    // The first Spotify token is slow to come, so the request is still running at SIGTERM.
    live.spotify.tokens.add("slow-token");
    live.spotify.script(/^\/api\/token$/, { status: 200, body: { access_token: "slow-token", token_type: "Bearer", expires_in: 3600 }, delayMs: 800 });
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const server = startProcess({ ...live.env, DATABASE_URL: database.url, PORT: String(port), JWT_SECRET: TEST_JWT_SECRET });
    const url = await server.ready;
    const signUp = await post(url, 'mutation { signUp(input: { email: "late@example.com", password: "password123" }) { token } }');
    const token = signUp.data.signUp.token as string;

    const inFlight = post(url, `mutation { trackArtist(input: { spotifyId: "${id}" }) { artist { name } } }`, { authorization: `Bearer ${token}` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill("SIGTERM");
    expect(await inFlight).toEqual({ data: { trackArtist: { artist: { name: "Finishes Anyway" } } } });
    expect(await server.exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it("lets a job in flight when SIGTERM arrives finish, then exits 0", async () => {
    const id = "shutdownJobArtist00000";
    live.spotify.artists.set(id, { id, name: "Synced Before Exit", followers: 77 });
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const server = startProcess({ ...live.env, DATABASE_URL: database.url, PORT: String(port), JWT_SECRET: TEST_JWT_SECRET });
    const url = await server.ready;
    const signUp = await post(url, 'mutation { signUp(input: { email: "job@example.com", password: "password123" }) { token } }');
    // The lookup while tracking answers at once; the sync job's call answers late.
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { lateBy: 0 }, { lateBy: 800 });
    const tracked = await post(url, `mutation { trackArtist(input: { spotifyId: "${id}" }) { artist { id } } }`, {
      authorization: `Bearer ${signUp.data.signUp.token}`,
    });
    const artistId = tracked.data.trackArtist.artist.id as string;
    await waitFor("the sync job to call Spotify", async () => live.spotify.artistCalls(id) >= 2);
    server.child.kill("SIGTERM");
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
