import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";
import { waitFor } from "../helpers/wait.js";

describe("the momentum of the days before an artist was tracked", () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ worker: true, env: { PROVIDERS: "simulated" } });
    ({ token } = await api.signUp());
  });
  afterAll(() => api.close());

  it("is scored when a year of history arrives with the first sync, so the chart has a point beside every day", async () => {
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "pastDaysArtist00000000" }) { artist { id } } }`, {}, token);
    const artistId = tracked.data!.trackArtist.artist.id as string;
    await waitFor("the sync and the scoring of its past days", async () => (await queuedJobs(api.app.services.db)).length === 0);
    const from = addDays(utcDay(), -89);
    const result = await api.graphql(
      `query($id: ID!, $from: DateTime) { artist(id: $id) { momentumHistory(from: $from) { day score peers { group count } } metricSeries(platform: SPOTIFY, metric: FOLLOWERS, from: $from) { value } } }`,
      { id: artistId, from: `${from}T00:00:00Z` },
      token,
    );
    const { momentumHistory, metricSeries } = result.data!.artist;
    expect(metricSeries).toHaveLength(90);
    expect(momentumHistory.map((m: { day: string }) => m.day)).toEqual(Array.from({ length: 90 }, (_, i) => addDays(from, i)));
    // Alone in the population: the fixed statistics, and the artist itself as the only one scored that day.
    for (const m of momentumHistory) expect(m.peers).toEqual({ group: "DEFAULT", count: 1 });
    const [stats] = await api.app.services.db.execute<{ days: number }>(sql`SELECT count(DISTINCT day)::int AS days FROM momentum_tier_stats WHERE tier = -1`);
    expect(stats!.days).toBeGreaterThanOrEqual(90);
  });
});
