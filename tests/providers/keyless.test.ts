import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDeezer, type FakeDeezer } from "../fakes/deezer.js";
import { startFakeMusicBrainz, type FakeMusicBrainz } from "../fakes/musicbrainz.js";
import { SPOTIFY_CLIENT, startFakeSpotify, type FakeSpotify } from "../fakes/spotify.js";
import { startFakeSpotifyWeb, type FakeSpotifyWeb } from "../fakes/spotify-web.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { waitFor } from "../helpers/wait.js";

const TRACK = `mutation($input: TrackArtistInput!) { trackArtist(input: $input) { artist { id name } } }`;
const ARTIST = `query($id: ID!) { artist(id: $id) { name spotifyId musicbrainzId syncStatus syncError simulated platformAccounts { platform externalId linkedBy simulated } latestMetrics { platform metric value simulated } } }`;

type Artist = {
  name: string;
  spotifyId: string | null;
  musicbrainzId: string | null;
  syncStatus: string;
  syncError: string | null;
  simulated: boolean;
  platformAccounts: { platform: string; externalId: string; linkedBy: string; simulated: boolean }[];
  latestMetrics: { platform: string; metric: string; value: number; simulated: boolean }[];
};

const CONTACT = "ops@fanpulse.example";

const KEYLESS = (deezer: string, web: string, musicBrainz: string) => ({
  PROVIDERS: "auto",
  DEEZER_API_URL: deezer,
  SPOTIFY_WEB_URL: web,
  MUSICBRAINZ_API_URL: musicBrainz,
  MUSICBRAINZ_CONTACT: CONTACT,
  PROVIDER_TIMEOUT_MS: "1000",
  PROVIDER_MAX_RETRIES: "0",
  DEEZER_RATE_LIMIT: "1000",
  SPOTIFY_RATE_LIMIT: "1000",
});

describe("real figures with no credentials: Deezer by default, Spotify's name from oEmbed, cross-links from MusicBrainz", () => {
  let deezer: FakeDeezer;
  let web: FakeSpotifyWeb;
  let musicBrainz: FakeMusicBrainz;
  let api: TestApi;
  let token: string;
  const artist = async (id: string) => (await api.graphql<{ artist: Artist }>(ARTIST, { id }, token)).data!.artist;
  const track = (input: Record<string, string>) => api.graphql<{ trackArtist: { artist: { id: string; name: string } } }>(TRACK, { input }, token);

  beforeAll(async () => {
    deezer = await startFakeDeezer();
    web = await startFakeSpotifyWeb();
    // MusicBrainz asks for one call a second; the fake refuses calls half a second apart or closer (room for delivery jitter).
    musicBrainz = await startFakeMusicBrainz({ minIntervalMs: 500 });
    api = await startTestApi({ worker: true, env: KEYLESS(deezer.url, web.url, musicBrainz.url) });
    ({ token } = await api.signUp());
  });
  afterAll(async () => {
    await api.close();
    await deezer.close();
    await web.close();
    await musicBrainz.close();
  });

  /** Waits until no job of the artist is queued or running: its syncs and cross-links are done. */
  const settled = (id: string) =>
    waitFor("the artist's jobs to finish", async () => {
      const [jobs] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE payload->>'artistId' = ${id}`);
      return jobs?.n === 0;
    });

  it("tracks a Spotify URL: its name from Spotify, its Deezer account and other platforms from MusicBrainz, Deezer's fans as real FOLLOWERS", async () => {
    const mbid = "a74b1b7f-71a5-4011-9441-d0b5e4122711";
    web.artists.set("4Z8W4fKeB5YxbusRsdQVPb", { name: "Radiohead" });
    // Two Deezer artists of that name: only MusicBrainz can tell which one it is.
    deezer.artists.set(399, { id: 399, name: "Radiohead", fans: 3_400_000 });
    deezer.artists.set(400, { id: 400, name: "Radiohead", fans: 90 });
    musicBrainz.artists.set(mbid, {
      name: "Radiohead",
      urls: [
        "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
        "https://www.deezer.com/artist/399",
        "https://www.instagram.com/radiohead/",
        "https://www.youtube.com/channel/UCq19-LqvG35A-30oyAiPiqA",
        { resource: "https://www.deezer.com/artist/400", ended: true },
        "https://www.radiohead.com/",
      ],
    });

    const tracked = await track({ url: "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb" });
    expect(tracked.errors).toBeUndefined();
    const { id, name } = tracked.data!.trackArtist.artist;
    expect(name).toBe("Radiohead");
    const synced = await waitFor("the Deezer figures", async () => {
      const now = await artist(id);
      return now.latestMetrics.some((m) => m.platform === "DEEZER") && now.syncStatus === "SYNCED" ? now : null;
    });
    expect(synced.musicbrainzId).toBe(mbid);
    // The page of myArtists brings its artists along in its own statement: the id must be there too.
    const page = await api.graphql<{ myArtists: { edges: { node: { artist: { id: string; musicbrainzId: string | null } } }[] } }>(`{ myArtists(first: 50) { edges { node { artist { id musicbrainzId } } } } }`, {}, token);
    expect(page.data!.myArtists.edges.map((e) => e.node.artist)).toContainEqual({ id, musicbrainzId: mbid });
    expect(synced.spotifyId).toBe("4Z8W4fKeB5YxbusRsdQVPb");
    expect(synced.platformAccounts).toEqual(
      expect.arrayContaining([
        { platform: "SPOTIFY", externalId: "4Z8W4fKeB5YxbusRsdQVPb", linkedBy: "TRACKED", simulated: false },
        { platform: "DEEZER", externalId: "399", linkedBy: "MUSICBRAINZ", simulated: false },
        { platform: "INSTAGRAM", externalId: "radiohead", linkedBy: "MUSICBRAINZ", simulated: false },
        { platform: "YOUTUBE", externalId: "channel/UCq19-LqvG35A-30oyAiPiqA", linkedBy: "MUSICBRAINZ", simulated: false },
      ]),
    );
    expect(synced.platformAccounts).toHaveLength(4);
    expect(synced.latestMetrics).toEqual([{ platform: "DEEZER", metric: "FOLLOWERS", value: 3_400_000, simulated: false }]);
    expect(synced.simulated).toBe(false);
    expect((await api.graphql(`{ serviceInfo { simulatedData } }`)).data).toEqual({ serviceInfo: { simulatedData: false } });
    const agents = new Set(musicBrainz.requests.map((r) => r.headers["user-agent"]));
    expect([...agents]).toEqual([`FanPulse/0.1 ( ${CONTACT} )`]);
  });

  it("tracks a Deezer URL and gets its Spotify account from MusicBrainz", async () => {
    const mbid = "056e4f3e-d505-4dad-8ec1-d04f521cbb56";
    deezer.artists.set(5_150, { id: 5_150, name: "Air", fans: 800_000 });
    web.artists.set("2b5ZqI5Cjt6WfVFCRUMx3z", { name: "Air" });
    musicBrainz.artists.set(mbid, { name: "Air", urls: ["https://www.deezer.com/artist/5150", "https://open.spotify.com/artist/2b5ZqI5Cjt6WfVFCRUMx3z"] });
    const { id } = (await track({ url: "https://www.deezer.com/en/artist/5150" })).data!.trackArtist.artist;
    await settled(id);
    const linked = await artist(id);
    expect(linked.spotifyId).toBe("2b5ZqI5Cjt6WfVFCRUMx3z");
    expect(linked.musicbrainzId).toBe(mbid);
    expect(linked.platformAccounts).toEqual(
      expect.arrayContaining([
        { platform: "DEEZER", externalId: "5150", linkedBy: "TRACKED", simulated: false },
        { platform: "SPOTIFY", externalId: "2b5ZqI5Cjt6WfVFCRUMx3z", linkedBy: "MUSICBRAINZ", simulated: false },
      ]),
    );
    // Spotify without credentials names the artist but gives no figures: it is a link, and the artist is SYNCED.
    expect(linked.syncStatus).toBe("SYNCED");
    expect(linked.latestMetrics).toEqual([{ platform: "DEEZER", metric: "FOLLOWERS", value: 800_000, simulated: false }]);
  });

  it("waits when MusicBrainz says it is called too fast, then links", async () => {
    const mbid = "b7ffd2af-418f-4be2-bdd1-22f8b48613da";
    web.artists.set("6olE6TJLqED3rqDCT0FyPh", { name: "Nirvana" });
    deezer.artists.set(415, { id: 415, name: "Nirvana", fans: 5_000_000 });
    deezer.artists.set(416, { id: 416, name: "Nirvana", fans: 50 });
    musicBrainz.artists.set(mbid, { name: "Nirvana", urls: ["https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh", "https://www.deezer.com/artist/415"] });
    const before = musicBrainz.requests.length;
    musicBrainz.script(/^\/ws\/2\/url\?resource=https%3A%2F%2Fopen\.spotify\.com%2Fartist%2F6olE6TJLqED3rqDCT0FyPh/, { status: 503, body: { error: "Your requests are exceeding the allowable rate limit." }, headers: { "retry-after": "1" } });
    const { id } = (await track({ spotifyId: "6olE6TJLqED3rqDCT0FyPh" })).data!.trackArtist.artist;
    const linked = await waitFor("the Deezer link", async () => {
      const now = await artist(id);
      return now.platformAccounts.some((a) => a.platform === "DEEZER") ? now : null;
    });
    expect(linked.platformAccounts).toContainEqual({ platform: "DEEZER", externalId: "415", linkedBy: "MUSICBRAINZ", simulated: false });
    const lookups = musicBrainz.requests.slice(before).filter((r) => r.path.includes("6olE6TJLqED3rqDCT0FyPh"));
    expect(lookups.length).toBe(2);
  });

  it("keeps to one MusicBrainz call a second across the worker's jobs", () => {
    // Calls in a burst would have been refused with a 503 (the scripted one aside).
    expect(musicBrainz.tooFast()).toBe(0);
  });

  it("tracks a Spotify URL MusicBrainz does not know: its Deezer account found by name, and Deezer's fans as real FOLLOWERS", async () => {
    web.artists.set("1hAloWiinXLPQUJxrJReb1", { name: "Nova Twins" });
    deezer.artists.set(4_050_205, { id: 4_050_205, name: "Nova Twins", fans: 54_321 });
    deezer.artists.set(4_050_206, { id: 4_050_206, name: "Nova Twins Tribute Band", fans: 12 });

    const tracked = await track({ url: "https://open.spotify.com/intl-fr/artist/1hAloWiinXLPQUJxrJReb1?si=4f1c2a" });
    expect(tracked.errors).toBeUndefined();
    const { id, name } = tracked.data!.trackArtist.artist;
    expect(name).toBe("Nova Twins");
    const synced = await waitFor("the Deezer figures", async () => {
      const now = await artist(id);
      return now.latestMetrics.some((m) => m.platform === "DEEZER") && now.syncStatus === "SYNCED" ? now : null;
    });
    expect(synced.platformAccounts).toEqual(
      expect.arrayContaining([
        { platform: "SPOTIFY", externalId: "1hAloWiinXLPQUJxrJReb1", linkedBy: "TRACKED", simulated: false },
        { platform: "DEEZER", externalId: "4050205", linkedBy: "NAME_MATCH", simulated: false },
      ]),
    );
    expect(synced.platformAccounts).toHaveLength(2);
    expect(synced.latestMetrics).toEqual([{ platform: "DEEZER", metric: "FOLLOWERS", value: 54_321, simulated: false }]);
    expect(synced.simulated).toBe(false);
    expect((await api.graphql(`{ serviceInfo { simulatedData } }`)).data).toEqual({ serviceInfo: { simulatedData: false } });
  });

  it("tracks a Deezer URL in any language as an artist of its own, with no Spotify id when nothing names one", async () => {
    deezer.artists.set(27, { id: 27, name: "Daft Punk", fans: 4_200_000 });
    const tracked = await track({ url: "https://www.deezer.com/fr/artist/27" });
    const { id, name } = tracked.data!.trackArtist.artist;
    expect(name).toBe("Daft Punk");
    await settled(id);
    const synced = await artist(id);
    expect(synced.syncStatus).toBe("SYNCED");
    expect(synced.spotifyId).toBeNull();
    expect(synced.musicbrainzId).toBeNull();
    expect(synced.platformAccounts).toEqual([{ platform: "DEEZER", externalId: "27", linkedBy: "TRACKED", simulated: false }]);
    expect(synced.latestMetrics).toEqual([{ platform: "DEEZER", metric: "FOLLOWERS", value: 4_200_000, simulated: false }]);
    // The same artist by its id is the same shared artist.
    expect((await track({ deezerId: "27" })).data!.trackArtist.artist.id).toBe(id);
  });

  it("leaves the link to the user when two Deezer artists share the name", async () => {
    web.artists.set("0TnOYISbd1XYRBk9myaseg", { name: "Phoenix" });
    deezer.artists.set(1_001, { id: 1_001, name: "Phoenix", fans: 900_000 });
    deezer.artists.set(1_002, { id: 1_002, name: "PHOENIX", fans: 3_000 });
    const { id } = (await track({ spotifyId: "0TnOYISbd1XYRBk9myaseg" })).data!.trackArtist.artist;
    await settled(id);
    expect((await artist(id)).platformAccounts.map((a) => a.platform)).toEqual(["SPOTIFY"]);
    const candidates = await api.graphql(`{ searchCatalog(query: "Phoenix") { name audience accounts { platform externalId } artist { id } } }`, {}, token);
    expect(candidates.data?.searchCatalog).toEqual([
      { name: "Phoenix", audience: 900_000, accounts: [{ platform: "DEEZER", externalId: "1001" }], artist: null },
      { name: "PHOENIX", audience: 3_000, accounts: [{ platform: "DEEZER", externalId: "1002" }], artist: null },
    ]);
  });

  it("looks again a week later at artists still missing a platform, and links what MusicBrainz has learnt since", async () => {
    const db = api.app.services.db;
    const phoenix = (await track({ spotifyId: "0TnOYISbd1XYRBk9myaseg" })).data!.trackArtist.artist.id;
    const radiohead = (await track({ spotifyId: "4Z8W4fKeB5YxbusRsdQVPb" })).data!.trackArtist.artist.id;
    musicBrainz.artists.set("9a3f4c54-9f2c-4f55-a0b0-4f4d0e58b2c1", { name: "Phoenix", urls: ["https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg", "https://www.deezer.com/artist/1001"] });
    // Phoenix was looked at 8 days ago, Radiohead has every platform.
    await db.execute(sql`UPDATE global_artists SET cross_linked_at = now() - interval '8 days' WHERE id IN (${phoenix}, ${radiohead})`);
    await db.execute(sql`SELECT graphile_worker.add_job('artists:recheck-links', '{}'::json)`);
    const linked = await waitFor("the Deezer link MusicBrainz now knows", async () => {
      const now = await artist(phoenix);
      return now.platformAccounts.some((a) => a.platform === "DEEZER") ? now : null;
    });
    expect(linked.platformAccounts).toContainEqual({ platform: "DEEZER", externalId: "1001", linkedBy: "MUSICBRAINZ", simulated: false });
    await settled(phoenix);
    const [untouched] = await db.execute<{ stale: boolean }>(sql`SELECT cross_linked_at < now() - interval '7 days' AS stale FROM global_artists WHERE id = ${radiohead}`);
    expect(untouched?.stale).toBe(true);
  });

  it("shows in searchCatalog the shared artist of a candidate someone tracks", async () => {
    const found = await api.graphql(`{ searchCatalog(query: "daft", first: 5) { name artist { name } } }`, {}, token);
    expect(found.data?.searchCatalog).toEqual([{ name: "Daft Punk", artist: { name: "Daft Punk" } }]);
  });

  it.each([
    ["two ways at once", { spotifyId: "1hAloWiinXLPQUJxrJReb1", deezerId: "27" }, /^input\.deezerId: give exactly one/],
    ["no way at all", {}, /^input: give exactly one/],
    ["a Deezer id that is no number", { deezerId: "daft-punk" }, /^input\.deezerId: /],
    ["a Deezer album URL", { url: "https://www.deezer.com/en/album/302127" }, /^input\.url: /],
    ["another site", { url: "https://music.example.com/artist/27" }, /^input\.url: /],
    ["a Deezer artist that does not exist", { deezerId: "999999999" }, /^input\.deezerId: Deezer has no artist/],
    ["a Spotify artist that does not exist", { spotifyId: "0000000000000000000000" }, /^input\.spotifyId: Spotify has no artist/],
  ])("refuses %s with BAD_USER_INPUT naming the field", async (_what, input, message) => {
    const result = await track(input);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it("refuses a search that is empty or too long, naming it", async () => {
    for (const query of ["  ", "x".repeat(101)]) {
      const result = await api.graphql(`query($q: String!) { searchCatalog(query: $q) { name } }`, { q: query }, token);
      expect(result.errors?.[0]?.message).toMatch(/^query: /);
    }
  });
});

describe("with no network", () => {
  let api: TestApi;
  beforeAll(async () => {
    // Addresses nothing listens on: every call fails to connect, as on a machine offline.
    const closed = await startFakeDeezer();
    await closed.close();
    api = await startTestApi({ worker: true, env: { ...KEYLESS(closed.url, closed.url, closed.url), PROVIDER_JOB_DEADLINE_MS: "2000" } });
  });
  afterAll(() => api.close());

  it("still tracks, and says the artist is RETRYING with the reason", async () => {
    const { token } = await api.signUp();
    const tracked = await api.graphql<{ trackArtist: { artist: { id: string; name: string } } }>(TRACK, { input: { deezerId: "27" } }, token);
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data!.trackArtist.artist.name).toBe("Deezer artist 27");
    const { id } = tracked.data!.trackArtist.artist;
    const retrying = await waitFor("the failed sync to be reported", async () => {
      const now = (await api.graphql<{ artist: Artist }>(ARTIST, { id }, token)).data!.artist;
      return now.syncStatus === "RETRYING" ? now : null;
    });
    expect(retrying.syncError).toMatch(/deezer is unavailable/);
  });
});

describe("with Spotify credentials: Spotify's search joins the cross-links and the catalog", () => {
  let deezer: FakeDeezer;
  let spotify: FakeSpotify;
  let musicBrainz: FakeMusicBrainz;
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    deezer = await startFakeDeezer();
    spotify = await startFakeSpotify();
    musicBrainz = await startFakeMusicBrainz();
    const env = {
      ...KEYLESS(deezer.url, "http://127.0.0.1:9", musicBrainz.url),
      MUSICBRAINZ_RATE_LIMIT: "1000",
      SPOTIFY_CLIENT_ID: SPOTIFY_CLIENT.id,
      SPOTIFY_CLIENT_SECRET: SPOTIFY_CLIENT.secret,
      SPOTIFY_API_URL: spotify.url,
      SPOTIFY_ACCOUNTS_URL: spotify.url,
    };
    api = await startTestApi({ worker: true, env });
    ({ token } = await api.signUp());
  });
  afterAll(async () => {
    await api.close();
    await deezer.close();
    await spotify.close();
    await musicBrainz.close();
  });

  it("finds a Deezer artist's Spotify account by its unique name when MusicBrainz does not know it, and reads its Spotify followers", async () => {
    deezer.artists.set(88_001, { id: 88_001, name: "Wet Leg", fans: 61_000 });
    spotify.artists.set("2TwOrUcYnAlIiKmVQkkoSZ", { id: "2TwOrUcYnAlIiKmVQkkoSZ", name: "Wet Leg", followers: 480_000, popularity: 61 });
    spotify.artists.set("7dGJo4pcD2V6oG8kP0tJRR", { id: "7dGJo4pcD2V6oG8kP0tJRR", name: "Wet Leg Karaoke", followers: 3 });
    const tracked = await api.graphql<{ trackArtist: { artist: { id: string } } }>(TRACK, { input: { deezerId: "88001" } }, token);
    const id = tracked.data!.trackArtist.artist.id;
    const linked = await waitFor("the Spotify followers", async () => {
      const now = (await api.graphql<{ artist: Artist }>(ARTIST, { id }, token)).data!.artist;
      return now.latestMetrics.some((m) => m.platform === "SPOTIFY") ? now : null;
    });
    expect(linked.spotifyId).toBe("2TwOrUcYnAlIiKmVQkkoSZ");
    expect(linked.platformAccounts).toContainEqual({ platform: "SPOTIFY", externalId: "2TwOrUcYnAlIiKmVQkkoSZ", linkedBy: "NAME_MATCH", simulated: false });
    expect(linked.latestMetrics).toEqual(
      expect.arrayContaining([
        { platform: "DEEZER", metric: "FOLLOWERS", value: 61_000, simulated: false },
        { platform: "SPOTIFY", metric: "FOLLOWERS", value: 480_000, simulated: false },
      ]),
    );
  });

  it("searches both platforms and shows an artist found on both as one candidate, namesakes apart", async () => {
    deezer.artists.set(88_100, { id: 88_100, name: "Fontaines D.C.", fans: 150_000 });
    spotify.artists.set("7wkKYXpUgqjH4sDVYg0Vp2", { id: "7wkKYXpUgqjH4sDVYg0Vp2", name: "Fontaines DC", followers: 900_000 });
    spotify.artists.set("1nOC1JLYRmmEaF1Zt0zW0z", { id: "1nOC1JLYRmmEaF1Zt0zW0z", name: "Fontaines Tribute", followers: 10 });
    const result = await api.graphql(`{ searchCatalog(query: "Fontaines") { name audience accounts { platform externalId linkedBy } artist { id } } }`, {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data?.searchCatalog).toEqual([
      {
        name: "Fontaines D.C.",
        audience: 150_000,
        accounts: [
          { platform: "DEEZER", externalId: "88100", linkedBy: "TRACKED" },
          { platform: "SPOTIFY", externalId: "7wkKYXpUgqjH4sDVYg0Vp2", linkedBy: "TRACKED" },
        ],
        artist: null,
      },
      { name: "Fontaines Tribute", audience: 10, accounts: [{ platform: "SPOTIFY", externalId: "1nOC1JLYRmmEaF1Zt0zW0z", linkedBy: "TRACKED" }], artist: null },
    ]);
  });

  it("still answers from Deezer when Spotify's search is down", async () => {
    spotify.script(/^\/v1\/search/, { status: 500, body: {} }, { status: 500, body: {} });
    const result = await api.graphql(`{ searchCatalog(query: "Fontaines") { name accounts { platform } } }`, {}, token);
    expect(result.data?.searchCatalog).toEqual([{ name: "Fontaines D.C.", accounts: [{ platform: "DEEZER" }] }]);
  });
});
