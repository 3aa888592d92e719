import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";
import { waitFor } from "../helpers/wait.js";

describe("metrics on a fresh install with the simulated provider", () => {
  let api: TestApi;
  let token: string;
  let artistId: string;
  beforeAll(async () => {
    api = await startTestApi({ worker: true });
    ({ token } = await api.signUp());
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "6eUKZXaKkcviH0Ku9w2n3V" }) { artist { id } } }`, {}, token);
    artistId = tracked.data?.trackArtist.artist.id;
  });
  afterAll(() => api.close());

  const SERIES = `query($id: ID!, $from: DateTime, $to: DateTime, $metric: MetricKind!) {
    artist(id: $id) { metricSeries(platform: SPOTIFY, metric: $metric, from: $from, to: $to) { capturedAt value } }
  }`;

  it("says its figures are simulated once it holds some", async () => {
    const info = await waitFor("the first simulated figures", async () => {
      const result = await api.graphql("{ serviceInfo { simulatedData providers { platform simulated } } }");
      return result.data?.serviceInfo.simulatedData ? result : null;
    });
    expect(info.data?.serviceInfo).toEqual({
      simulatedData: true,
      providers: [
        { platform: "SPOTIFY", simulated: true },
        { platform: "DEEZER", simulated: true },
      ],
    });
  });

  it("fills latestMetrics and a daily metricSeries after tracking, with no manual step", async () => {
    const latest = await waitFor("the first sync", async () => {
      const result = await api.graphql(`query($id: ID!) { artist(id: $id) { latestMetrics { platform metric value capturedAt } } }`, { id: artistId }, token);
      const metrics = result.data?.artist.latestMetrics;
      return metrics?.length ? metrics : null;
    });
    expect(latest.map((m: any) => `${m.platform}/${m.metric}`).sort()).toEqual(["SPOTIFY/FOLLOWERS", "SPOTIFY/POPULARITY"]);
    expect(utcDay(new Date(latest[0].capturedAt))).toBe(utcDay());

    const series = (await api.graphql(SERIES, { id: artistId, metric: "FOLLOWERS" }, token)).data?.artist.metricSeries;
    expect(series).toHaveLength(90);
    const days = series.map((p: any) => utcDay(new Date(p.capturedAt)));
    expect(days[0]).toBe(addDays(utcDay(), -89));
    expect(days.at(-1)).toBe(utcDay());
    expect([...days].sort()).toEqual(days);
    expect(series.every((p: any) => p.value > 0)).toBe(true);

    const year = (await api.graphql(SERIES, { id: artistId, metric: "POPULARITY", from: `${addDays(utcDay(), -365)}T00:00:00Z` }, token)).data?.artist.metricSeries;
    expect(year).toHaveLength(366);
  });

  it("scores the new artist's momentum after its sync, with no manual step", async () => {
    const momentum = await waitFor("the artist's momentum", async () => {
      const result = await api.graphql(`query($id: ID!) { artist(id: $id) { momentum { score category day growth7d } } }`, { id: artistId }, token);
      return result.data?.artist.momentum;
    });
    expect(momentum.day).toBe(utcDay());
    expect(momentum.score).toBeGreaterThanOrEqual(0);
    expect(momentum.score).toBeLessThanOrEqual(100);
    expect(typeof momentum.growth7d).toBe("number");
  });

  it.each([
    ["a reversed range", { from: "2026-03-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }, /^from: must not be after to/],
    ["an over-long range", { from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, /^from: the range/],
  ])("refuses %s with BAD_USER_INPUT", async (_what, range, message) => {
    const result = await api.graphql(SERIES, { id: artistId, metric: "FOLLOWERS", ...range }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it("batches the metrics of many artists into one statement per field", async () => {
    for (const id of ["1dfeR4HaWDbWqFHLkxsg1d", "66CXWjxzNUsdJxJ2JdwvnR", "1Xyo4u8uXC1ZmMpatF05PJ"]) {
      await api.graphql(`mutation($id: String) { trackArtist(input: { spotifyId: $id }) { id } }`, { id }, token);
    }
    // The worker shares the API's connection: let the new artists' syncs finish before counting.
    await waitFor("the syncs to finish", async () => (await queuedJobs(api.app.services.db)).length === 0);
    api.statements.length = 0;
    const result = await api.graphql(
      `{ myArtists(first: 10) { edges { node { artist { latestMetrics { value } metricSeries(platform: SPOTIFY, metric: FOLLOWERS) { value } } } } } }`,
      {},
      token,
    );
    expect(result.data?.myArtists.edges).toHaveLength(4);
    // the viewer (with their request budget), the page (with its artists; no count, as none is asked for), their latest metrics, their series
    expect(api.statements).toHaveLength(4);
  });
});
