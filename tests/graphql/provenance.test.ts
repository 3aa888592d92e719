import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { post } from "../helpers/process.js";
import { waitFor } from "../helpers/wait.js";

const SIMULATED_ID = "provenanceSimulated000";
const LIVE_ID = "provenanceLive00000000";
const FIGURES = `query($id: ID!) { artist(id: $id) { name simulated platformAccounts { simulated } latestMetrics { metric simulated } } serviceInfo { simulatedData } }`;

/**
 * One database served in turn by an app in the offline demo mode and by one with live platforms:
 * each account keeps the provenance it was made with, and says it.
 */
describe("where every figure comes from", () => {
  let live: LivePlatforms;
  let database: TestDatabase;
  let app: App | undefined;
  let token: string;
  beforeAll(async () => {
    live = await startLivePlatforms();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop();
    await database.drop();
    await live.close();
  });

  async function serve(env: Record<string, string>): Promise<App> {
    await app?.stop();
    app = await startApp(
      loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", JWT_SECRET: TEST_JWT_SECRET, ...env }),
      { api: true, worker: true },
      createLogger("silent"),
      { workerPollInterval: 100 },
    );
    return app;
  }
  const ask = (query: string, variables: Record<string, unknown> = {}) =>
    fetch(app!.url!, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) }).then(
      (r) => r.json() as Promise<{ data?: any; errors?: any[] }>,
    );
  const settled = () => waitFor("the queue to empty", async () => (await queuedJobs(app!.services.db)).length === 0);
  const sourcesOf = async (externalId: string) =>
    (
      await app!.services.db.execute<{ source: string }>(sql`
        SELECT DISTINCT s.source::text FROM metric_snapshots s JOIN platform_accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId} ORDER BY 1`)
    ).map((r) => r.source);

  it("labels the demo mode's figures simulated, in the data and in the name a person reads", async () => {
    await serve({ PROVIDERS: "simulated" });
    token = (await post(app!.url!, 'mutation { signUp(input: { email: "provenance@example.com", password: "correct horse battery" }) { token } }')).data.signUp.token;
    expect((await ask("{ serviceInfo { simulatedData } }")).data.serviceInfo.simulatedData).toBe(false);
    const id = (await ask(`mutation { trackArtist(input: { spotifyId: "${SIMULATED_ID}" }) { artist { id } } }`)).data.trackArtist.artist.id;
    await settled();
    const { artist, serviceInfo } = (await ask(FIGURES, { id })).data;
    expect(artist.name).toMatch(/ \(simulated\)$/);
    expect(artist.simulated).toBe(true);
    expect(artist.platformAccounts).toEqual([{ simulated: true }]);
    expect(artist.latestMetrics).toEqual([
      { metric: "FOLLOWERS", simulated: true },
      { metric: "POPULARITY", simulated: true },
    ]);
    expect(serviceInfo.simulatedData).toBe(true);
    expect(await sourcesOf(SIMULATED_ID)).toEqual(["simulated"]);
  });

  it("keeps a simulated account simulated once live platforms are configured, and makes new accounts live", async () => {
    await serve(live.env);
    live.spotify.artists.set(LIVE_ID, { id: LIVE_ID, name: "Live One", followers: 321 });
    live.spotify.artists.set(SIMULATED_ID, { id: SIMULATED_ID, name: "Real Name On Spotify", followers: 1 });
    const liveId = (await ask(`mutation { trackArtist(input: { spotifyId: "${LIVE_ID}" }) { artist { id } } }`)).data.trackArtist.artist.id;
    const simulatedId = (await ask(`query { artistBySpotifyId(spotifyId: "${SIMULATED_ID}") { id } }`)).data.artistBySpotifyId.id;
    await ask(`mutation($id: ID!) { refreshArtist(artistId: $id) }`, { id: simulatedId });
    await settled();
    expect(live.spotify.artistCalls(SIMULATED_ID)).toBe(0);
    expect(await sourcesOf(SIMULATED_ID)).toEqual(["simulated"]);
    const { artist, serviceInfo } = (await ask(FIGURES, { id: liveId })).data;
    expect(artist).toMatchObject({ name: "Live One", simulated: false, platformAccounts: [{ simulated: false }], latestMetrics: [{ metric: "FOLLOWERS", simulated: false }] });
    expect(serviceInfo.simulatedData).toBe(true);
    expect(await sourcesOf(LIVE_ID)).toEqual(["platform"]);
  });

  it("never writes synthetic figures into a live account when the demo mode comes back", async () => {
    await serve({ PROVIDERS: "simulated" });
    const liveId = (await ask(`query { artistBySpotifyId(spotifyId: "${LIVE_ID}") { id } }`)).data.artistBySpotifyId.id;
    await ask(`mutation($id: ID!) { refreshArtist(artistId: $id) }`, { id: liveId });
    await settled();
    expect(await sourcesOf(LIVE_ID)).toEqual(["platform"]);
    expect((await ask(FIGURES, { id: liveId })).data.artist.simulated).toBe(false);
  });
});
