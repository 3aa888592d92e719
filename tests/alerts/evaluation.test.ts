import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { recordSnapshots } from "../../src/domain/metrics.js";
import { enqueue } from "../../src/jobs/queue.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { queuedJobs } from "../helpers/jobs.js";
import { waitFor } from "../helpers/wait.js";

const TODAY = utcDay();
/** The days scored one after the other; 100,000 followers on every day before them. */
const DAYS = [-5, -4, -3, -2, -1, 0].map((back) => addDays(TODAY, back));
/**
 * FOLLOWERS on each of DAYS: steady, a 10% week (EXPLOSIVE against the fixed statistics of a
 * population under 20 artists, and a new high), still up (a higher high), back to steady, up
 * again (a new high above the earlier one), higher still.
 */
const FOLLOWERS = [100_000, 110_000, 111_000, 100_000, 112_000, 113_000];
const CROSSINGS = [DAYS[1], DAYS[4]];

const RULE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id kind } }`;
const INBOX = `{ notifications(first: 100) { totalCount unreadCount edges { node { kind day message rule { id } artist { id } } } } }`;

type Inbox = { totalCount: number; unreadCount: number; edges: { node: { kind: string; day: string; message: string; rule: { id: string } | null; artist: { id: string } } }[] };

describe("alert rules evaluated by the worker", () => {
  let api: TestApi;
  let db: TestApi["app"]["services"]["db"];
  let user: { token: string; userId: string };
  let artistId: string;
  let accountId: string;

  const idle = () => waitFor("the queue to empty", async () => (await queuedJobs(db)).length === 0);
  const inbox = async (token = user.token) => {
    const result = await api.graphql<{ notifications: Inbox }>(INBOX, {}, token);
    expect(result.errors).toBeUndefined();
    return result.data!.notifications;
  };
  /** A day's score by the worker, as a sync would queue it; the rules are evaluated after it. */
  const score = async (artist: string, day: string) => {
    await enqueue(db, "momentum:compute", { artistId: artist, day });
    await idle();
  };
  const track = async (userId: string, artist: string) => db.execute(sql`INSERT INTO user_artists (user_id, artist_id) VALUES (${userId}, ${artist})`);
  const history = async (account: string, values: Record<string, number>) =>
    recordSnapshots(
      db,
      Object.entries(values).map(([day, value]) => ({ accountId: account, metric: "followers", day, value, capturedAt: new Date(`${day}T12:00:00Z`), source: "platform" })),
    );

  beforeAll(async () => {
    api = await startTestApi({ worker: true });
    db = api.app.services.db;
    user = await api.signUp();
    ({ artistId, accountId } = await insertTrackedArtist(db, { externalId: "alertsArtist0000000000", name: "Velvet Bresol" }));
    await track(user.userId, artistId);
    const before = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [addDays(DAYS[0]!, -1 - i), 100_000]));
    await history(accountId, { ...before, ...Object.fromEntries(DAYS.map((day, i) => [day, FOLLOWERS[i]!])) });
  });
  afterAll(() => api.close());

  it("fires each kind on the crossing only, once per crossing, whatever the number of runs", async () => {
    const rules = {
      CATEGORY_REACHED: { artistId, kind: "CATEGORY_REACHED", category: "HIGH" },
      SCORE_ABOVE: { artistId, kind: "SCORE_ABOVE", threshold: 90 },
      GROWTH_ABOVE: { artistId, kind: "GROWTH_ABOVE", threshold: 0.05, window: "DAYS_7" },
      GROWTH_ABOVE_28: { kind: "GROWTH_ABOVE", threshold: 0.05, window: "DAYS_28" },
      NEW_HIGH: { kind: "NEW_HIGH" },
    };
    const ids = new Map<string, string>();
    for (const [name, input] of Object.entries(rules)) {
      const created = await api.graphql(RULE, { input }, user.token);
      expect(created.errors).toBeUndefined();
      ids.set(name, created.data!.createAlertRule.id);
    }
    for (const day of DAYS) await score(artistId, day);

    const { edges, totalCount, unreadCount } = await inbox();
    const fired = edges.map(({ node }) => `${[...ids].find(([, id]) => id === node.rule?.id)?.[0]} ${node.day}`).sort();
    const expected = Object.keys(rules).flatMap((name) => CROSSINGS.map((day) => `${name} ${day}`)).sort();
    expect(fired).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    expect(unreadCount).toBe(expected.length);
    const onFirstCrossing = edges.filter(({ node }) => node.day === DAYS[1]).map(({ node }) => node.message).sort();
    expect(onFirstCrossing).toEqual(
      [
        "Velvet Bresol reached EXPLOSIVE momentum (score 100.0, +10% in 7 days)",
        "Velvet Bresol's momentum score rose above 90 to 100.0 (+10% in 7 days)",
        "Velvet Bresol's audience grew +10% in 7 days to 110,000 followers, above +5%",
        "Velvet Bresol's audience grew +10% in 28 days to 110,000 followers, above +5%",
        "Velvet Bresol reached an all-time high of 110,000 followers on Spotify",
      ].sort(),
    );

    // Jobs run at least once: the same evaluations again, and the same scores again, write nothing.
    for (const day of DAYS) await enqueue(db, "alerts:evaluate", { day, artistIds: [artistId] });
    await score(artistId, DAYS[4]!);
    await idle();
    expect((await inbox()).totalCount).toBe(expected.length);
  });

  it("fires on an artist's first score when the condition holds, and only for the users who track it", async () => {
    const { artistId: rising, accountId: account } = await insertTrackedArtist(db, { externalId: "alertsRising0000000000", name: "First Light" });
    await history(account, { [addDays(TODAY, -7)]: 50_000, [TODAY]: 60_000 });
    const watcher = await api.signUp();
    const bystander = await api.signUp();
    await track(watcher.userId, rising);
    await api.graphql(RULE, { input: { kind: "CATEGORY_REACHED", category: "EXPLOSIVE" } }, watcher.token);
    await api.graphql(RULE, { input: { kind: "CATEGORY_REACHED", category: "EXPLOSIVE" } }, bystander.token);

    await score(rising, TODAY);
    const { edges } = await inbox(watcher.token);
    expect(edges.map(({ node }) => [node.artist.id, node.day, node.message])).toEqual([[rising, TODAY, "First Light reached EXPLOSIVE momentum (score 100.0, +20% in 7 days)"]]);
    expect((await inbox(bystander.token)).totalCount).toBe(0);
  });

  it("counts the first data a new rule sees as a crossing, even when the condition held before", async () => {
    const latecomer = await api.signUp();
    await track(latecomer.userId, artistId);
    await api.graphql(RULE, { input: { artistId, kind: "SCORE_ABOVE", threshold: 90 } }, latecomer.token);
    // The artist was above 90 yesterday and today already; today's score is the first this rule sees.
    await score(artistId, TODAY);
    expect((await inbox(latecomer.token)).edges.map(({ node }) => node.day)).toEqual([TODAY]);
    await score(artistId, TODAY);
    expect((await inbox(latecomer.token)).totalCount).toBe(1);
  });

  it("stops firing when the user stops tracking the artist", async () => {
    const leaver = await api.signUp();
    await track(leaver.userId, artistId);
    await api.graphql(RULE, { input: { kind: "NEW_HIGH" } }, leaver.token);
    const untracked = await api.graphql(`mutation($id: ID!) { untrackArtist(artistId: $id) }`, { id: artistId }, leaver.token);
    expect(untracked.data).toEqual({ untrackArtist: true });
    await score(artistId, TODAY);
    expect((await inbox(leaver.token)).totalCount).toBe(0);
  });
});
