import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDeezer, type FakeDeezer } from "../fakes/deezer.js";
import { startFakeSpotifyWeb, type FakeSpotifyWeb } from "../fakes/spotify-web.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { waitFor } from "../helpers/wait.js";

const TRACK = `mutation($input: TrackArtistInput!) { trackArtist(input: $input) { artist { id name } } }`;
const ARTIST = `query($id: ID!) { artist(id: $id) { name syncStatus syncError simulated platformAccounts { platform externalId linkedBy simulated } latestMetrics { platform metric value simulated } } }`;

type Artist = {
  name: string;
  syncStatus: string;
  syncError: string | null;
  simulated: boolean;
  platformAccounts: { platform: string; externalId: string; linkedBy: string; simulated: boolean }[];
  latestMetrics: { platform: string; metric: string; value: number; simulated: boolean }[];
};

const KEYLESS = (deezer: string, web: string) => ({
  PROVIDERS: "auto",
  DEEZER_API_URL: deezer,
  SPOTIFY_WEB_URL: web,
  PROVIDER_TIMEOUT_MS: "1000",
  PROVIDER_MAX_RETRIES: "0",
  DEEZER_RATE_LIMIT: "1000",
  SPOTIFY_RATE_LIMIT: "1000",
});

describe("real figures with no credentials: Deezer by default, Spotify's name from oEmbed", () => {
  let deezer: FakeDeezer;
  let web: FakeSpotifyWeb;
  let api: TestApi;
  let token: string;
  const artist = async (id: string) => (await api.graphql<{ artist: Artist }>(ARTIST, { id }, token)).data!.artist;
  const track = (input: Record<string, string>) => api.graphql<{ trackArtist: { artist: { id: string; name: string } } }>(TRACK, { input }, token);

  beforeAll(async () => {
    deezer = await startFakeDeezer();
    web = await startFakeSpotifyWeb();
    api = await startTestApi({ worker: true, env: KEYLESS(deezer.url, web.url) });
    ({ token } = await api.signUp());
  });
  afterAll(async () => {
    await api.close();
    await deezer.close();
    await web.close();
  });

  it("tracks a Spotify URL: its name from Spotify, its Deezer account found by name, and Deezer's fans as real FOLLOWERS", async () => {
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
    const synced = await waitFor("the sync", async () => ((await artist(id)).syncStatus === "SYNCED" ? artist(id) : null));
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
    await waitFor("the cross-linking job to finish", async () => {
      const [job] = await api.app.services.db.execute<{ n: number }>(
        // Jobs still queued or running for this artist.
        sql`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE payload->>'artistId' = ${id}`,
      );
      return job?.n === 0;
    });
    expect((await artist(id)).platformAccounts.map((a) => a.platform)).toEqual(["SPOTIFY"]);
    const candidates = await api.graphql(`{ searchCatalog(query: "Phoenix") { name audience accounts { platform externalId } artist { id } } }`, {}, token);
    expect(candidates.data?.searchCatalog).toEqual([
      { name: "Phoenix", audience: 900_000, accounts: [{ platform: "DEEZER", externalId: "1001" }], artist: null },
      { name: "PHOENIX", audience: 3_000, accounts: [{ platform: "DEEZER", externalId: "1002" }], artist: null },
    ]);
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
    api = await startTestApi({ worker: true, env: { ...KEYLESS(closed.url, closed.url), PROVIDER_JOB_DEADLINE_MS: "2000" } });
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
