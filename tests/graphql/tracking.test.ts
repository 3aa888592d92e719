import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";

const TRACK = `mutation($id: String) { trackArtist(input: { spotifyId: $id }) { id isFavorite customNotes artist { id spotifyId name trackerCount } } }`;
const ID_A = "4Z8W4fKeB5YxbusRsdQVPb";
const ID_B = "0OdUWJ0sBjDrqHygGUXeCF";

describe("tracking artists", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const count = async (table: string, where = sql`true`) => {
    const [row] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`);
    return row?.n;
  };

  it("lets two users track the same artist, sharing one artist and keeping notes private", async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();
    const a = await api.graphql(TRACK, { id: ID_A }, alice.token);
    const b = await api.graphql(TRACK, { id: `spotify:artist:${ID_A}` }, bob.token);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data?.trackArtist.artist.id).toBe(a.data?.trackArtist.artist.id);
    expect(b.data?.trackArtist.artist.trackerCount).toBe(2);
    const artistId = a.data?.trackArtist.artist.id;
    expect(await count("platform_accounts", sql`platform = 'spotify' AND external_id = ${ID_A} AND artist_id = ${artistId}::uuid`)).toBe(1);
    expect(await count("global_artists", sql`true`)).toBe(1);

    const update = `mutation($input: UpdateTrackedArtistInput!) { updateTrackedArtist(input: $input) { isFavorite customNotes } }`;
    await api.graphql(update, { input: { artistId, customNotes: "Alice's secret", isFavorite: true } }, alice.token);
    await api.graphql(update, { input: { artistId, customNotes: "Bob's idea" } }, bob.token);

    const view = `query($id: ID!) { artist(id: $id) { trackerCount viewerTracking { isFavorite customNotes user { id } } } }`;
    const asAlice = await api.graphql(view, { id: artistId }, alice.token);
    const asBob = await api.graphql(view, { id: artistId }, bob.token);
    const carol = await api.signUp();
    const stranger = await api.graphql(view, { id: artistId }, carol.token);
    expect(asAlice.data?.artist).toEqual({ trackerCount: 2, viewerTracking: { isFavorite: true, customNotes: "Alice's secret", user: { id: alice.userId } } });
    expect(asBob.data?.artist).toEqual({ trackerCount: 2, viewerTracking: { isFavorite: false, customNotes: "Bob's idea", user: { id: bob.userId } } });
    expect(stranger.data?.artist).toEqual({ trackerCount: 2, viewerTracking: null });
    expect((await api.graphql(view, { id: artistId })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("is idempotent, and untracking keeps the shared artist", async () => {
    const user = await api.signUp();
    const first = await api.graphql(TRACK, { id: ID_B }, user.token);
    const again = await api.graphql(TRACK, { id: `https://open.spotify.com/artist/${ID_B}?si=abc123` }, user.token);
    expect(again.data?.trackArtist.id).toBe(first.data?.trackArtist.id);
    const artistId = first.data?.trackArtist.artist.id;
    const untrack = `mutation($id: ID!) { untrackArtist(artistId: $id) }`;
    expect((await api.graphql(untrack, { id: artistId }, user.token)).data).toEqual({ untrackArtist: true });
    expect((await api.graphql(untrack, { id: artistId }, user.token)).data).toEqual({ untrackArtist: false });
    const artist = await api.graphql(`query($id: ID!) { artist(id: $id) { name trackerCount } }`, { id: artistId }, user.token);
    expect(artist.data?.artist.trackerCount).toBe(0);
  });

  it("gives 50 users tracking the same new artist at once 50 links to one artist", async () => {
    const id = "7dGJo4pcD2V6oG8kP0tJRR";
    const users = await Promise.all(Array.from({ length: 50 }, () => api.signUp()));
    const results = await Promise.all(users.map((u) => api.graphql(TRACK, { id }, u.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data?.trackArtist.artist.id)).size).toBe(1);
    const artistId = results[0]?.data?.trackArtist.artist.id;
    // The artists the losers of the race created were dropped with their transactions' end.
    expect(await count("global_artists", sql`id NOT IN (SELECT artist_id FROM platform_accounts)`)).toBe(0);
    expect(await count("user_artists", sql`artist_id = ${artistId}::uuid`)).toBe(50);
    expect(await count("platform_accounts", sql`external_id = ${id}`)).toBe(1);
  });

  it("gives one user sending the same trackArtist 10 times at once one link", async () => {
    const id = "1uNFoZAHBGtllmzznpCI3s";
    const user = await api.signUp();
    const results = await Promise.all(Array.from({ length: 10 }, () => api.graphql(TRACK, { id }, user.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data?.trackArtist.id)).size).toBe(1);
    expect(await count("user_artists", sql`user_id = ${user.userId}::uuid`)).toBe(1);
  });

  it("queues one sync for a new artist, in the same transaction as the artist", async () => {
    const id = "3TVXtAsR1Inumwj472S9r4";
    const user = await api.signUp();
    const result = await api.graphql(TRACK, { id }, user.token);
    const artistId = result.data?.trackArtist.artist.id;
    const jobs = (await queuedJobs(api.app.services.db, "artist:sync")).filter((j) => j.payload.artistId === artistId);
    expect(jobs.map((j) => j.key)).toEqual([`artist:sync:${artistId}`]);
  });
});
