import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RULES_PER_USER } from "../../src/domain/alerts/rules.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";

const CREATE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id kind category threshold window createdAt artist { id name } } }`;
const RULES = `{ alertRules { id kind category threshold window artist { id } } }`;

describe("alert rules through the API", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  let artistId: string;
  let untracked: string;

  beforeAll(async () => {
    api = await startTestApi();
    user = await api.signUp();
    const db = api.app.services.db;
    ({ artistId } = await insertTrackedArtist(db, { externalId: "rulesArtist00000000000", name: "Velvet Bresol" }));
    ({ artistId: untracked } = await insertTrackedArtist(db, { externalId: "rulesOther000000000000", name: "Someone Else" }));
    await db.execute(sql`INSERT INTO user_artists (user_id, artist_id) VALUES (${user.userId}, ${artistId})`);
  });
  afterAll(() => api.close());

  it("creates each kind, on one artist or on all, lists and deletes them", async () => {
    const inputs = [
      { artistId, kind: "CATEGORY_REACHED", category: "HIGH" },
      { artistId, kind: "SCORE_ABOVE", threshold: 80 },
      { kind: "GROWTH_ABOVE", threshold: 0.2, window: "DAYS_28" },
      { kind: "GROWTH_ABOVE", threshold: 0.1 },
      { artistId, kind: "NEW_HIGH" },
    ];
    const created = [];
    for (const input of inputs) {
      const result = await api.graphql(CREATE, { input }, user.token);
      expect(result.errors).toBeUndefined();
      created.push(result.data!.createAlertRule);
    }
    expect(created.map(({ kind, category, threshold, window, artist }) => ({ kind, category, threshold, window, artist: artist?.name ?? null }))).toEqual([
      { kind: "CATEGORY_REACHED", category: "HIGH", threshold: null, window: null, artist: "Velvet Bresol" },
      { kind: "SCORE_ABOVE", category: null, threshold: 80, window: null, artist: "Velvet Bresol" },
      { kind: "GROWTH_ABOVE", category: null, threshold: 0.2, window: "DAYS_28", artist: null },
      { kind: "GROWTH_ABOVE", category: null, threshold: 0.1, window: "DAYS_7", artist: null },
      { kind: "NEW_HIGH", category: null, threshold: null, window: null, artist: "Velvet Bresol" },
    ]);
    const again = await api.graphql(CREATE, { input: inputs[1] }, user.token);
    expect(again.data!.createAlertRule.id).toBe(created[1].id);

    const listed = await api.graphql(RULES, {}, user.token);
    expect(listed.data!.alertRules.map((r: { id: string }) => r.id)).toEqual(created.map((r) => r.id));

    const other = await api.signUp();
    expect((await api.graphql(RULES, {}, other.token)).data).toEqual({ alertRules: [] });
    const notTheirs = await api.graphql(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: created[0].id }, other.token);
    expect(notTheirs.data).toEqual({ deleteAlertRule: false });
    const deleted = await api.graphql(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: created[0].id }, user.token);
    expect(deleted.data).toEqual({ deleteAlertRule: true });
    expect((await api.graphql(RULES, {}, user.token)).data!.alertRules).toHaveLength(inputs.length - 1);
  });

  it("refuses every bad field with BAD_USER_INPUT naming it, and writes nothing", async () => {
    const before = (await api.graphql(RULES, {}, user.token)).data!.alertRules.length;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ kind: "CATEGORY_REACHED" }, "input.category", /is required for CATEGORY_REACHED/],
      [{ kind: "CATEGORY_REACHED", category: "DECLINING" }, "input.category", /must be above DECLINING/],
      [{ kind: "CATEGORY_REACHED", category: "HIGH", threshold: 3 }, "input.threshold", /applies to SCORE_ABOVE and GROWTH_ABOVE rules only/],
      [{ kind: "SCORE_ABOVE" }, "input.threshold", /is required for SCORE_ABOVE/],
      [{ kind: "SCORE_ABOVE", threshold: 101 }, "input.threshold", /must be a score from 0 to 100/],
      [{ kind: "SCORE_ABOVE", threshold: -1 }, "input.threshold", /must be a score from 0 to 100/],
      [{ kind: "SCORE_ABOVE", threshold: 50, window: "DAYS_7" }, "input.window", /applies to GROWTH_ABOVE rules only/],
      [{ kind: "SCORE_ABOVE", threshold: 50, category: "HIGH" }, "input.category", /applies to CATEGORY_REACHED rules only/],
      [{ kind: "GROWTH_ABOVE" }, "input.threshold", /is required for GROWTH_ABOVE/],
      [{ kind: "GROWTH_ABOVE", threshold: -0.5 }, "input.threshold", /must be a fraction from 0 to 100/],
      [{ kind: "NEW_HIGH", threshold: 1 }, "input.threshold", /applies to SCORE_ABOVE and GROWTH_ABOVE rules only/],
      [{ kind: "NEW_HIGH", artistId: "not-an-id" }, "input.artistId", /must be an id returned by this API/],
      [{ kind: "NEW_HIGH", artistId: untracked }, "input.artistId", /you do not track artist/],
    ];
    for (const [input, argument, problem] of cases) {
      const result = await api.graphql(CREATE, { input }, user.token);
      expect(result.errors?.[0]?.extensions, JSON.stringify(input)).toEqual({ code: "BAD_USER_INPUT", argument });
      expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${argument.replace(".", "\\.")}: ${problem.source}`));
    }
    expect((await api.graphql(RULES, {}, user.token)).data!.alertRules).toHaveLength(before);
  });

  it("holds each user to at most 100 rules, even when they are asked for at once", async () => {
    const crowded = await api.signUp();
    const results = await Promise.all(
      Array.from({ length: MAX_RULES_PER_USER + 5 }, (_, n) => api.graphql(CREATE, { input: { kind: "SCORE_ABOVE", threshold: n / 2 } }, crowded.token)),
    );
    expect(results.filter((r) => r.data?.createAlertRule)).toHaveLength(MAX_RULES_PER_USER);
    const refused = results.filter((r) => r.errors);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.errors![0]!.message).toMatch(/^input: you hold 100 alert rules, the most allowed/);
    expect((await api.graphql(RULES, {}, crowded.token)).data!.alertRules).toHaveLength(MAX_RULES_PER_USER);
  });

  it("answers UNAUTHENTICATED without a token", async () => {
    for (const query of [RULES, `{ notifications { totalCount } }`, `mutation { markNotificationsRead }`, `mutation { createAlertRule(input: { kind: NEW_HIGH }) { id } }`]) {
      const result = await api.graphql(query);
      expect(result.errors?.[0]?.extensions?.code, query).toBe("UNAUTHENTICATED");
    }
  });
});
