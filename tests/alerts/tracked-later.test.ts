import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcDay } from "../../src/domain/days.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { queuedJobs } from "../helpers/jobs.js";
import { waitFor } from "../helpers/wait.js";

describe("a rule on every artist the user tracks", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ worker: true, env: { PROVIDERS: "simulated" } });
  });
  afterAll(() => api.close());

  it("fires for an artist tracked after it was made, through the sync and its scores, for today only", async () => {
    const user = await api.signUp();
    const rule = await api.graphql(`mutation { createAlertRule(input: { kind: SCORE_ABOVE, threshold: 0 }) { id artist { id } } }`, {}, user.token);
    expect(rule.errors).toBeUndefined();
    expect(rule.data!.createAlertRule.artist).toBeNull();

    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "trackedLater0000000000" }) { artist { id name } } }`, {}, user.token);
    const artist = tracked.data!.trackArtist.artist as { id: string; name: string };
    // The sync brings a year of history: its past days are scored too, and must not fire.
    const inbox = await waitFor("the notification of the artist's first score", async () => {
      const result = await api.graphql(`{ notifications { totalCount edges { node { day message artist { id name } rule { id } } } } }`, {}, user.token);
      return result.data?.notifications.totalCount > 0 && (await queuedJobs(api.app.services.db)).length === 0 ? result.data!.notifications : null;
    });
    expect(inbox.totalCount).toBe(1);
    const [{ node }] = inbox.edges;
    expect(node.day).toBe(utcDay());
    expect(node.rule).toEqual({ id: rule.data!.createAlertRule.id });
    expect(node.artist.id).toBe(artist.id);
    expect(node.message).toMatch(new RegExp(`^${node.artist.name.replace(/[()]/g, "\\$&")}'s momentum score rose above 0 to \\d+\\.\\d`));
  });
});
