import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../src/db/schema.js";
import { addDays, utcDay } from "../../src/domain/days.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";

const INBOX = `query($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount unreadCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind day message readAt rule { id } } }
  }
}`;
const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;

type Page = { totalCount: number; unreadCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string; day: string; message: string; readAt: string | null } }[] };

describe("the notification inbox", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  let other: { token: string; userId: string };
  /** The user's notification ids, newest first. */
  let newestFirst: string[];

  const page = async (variables: Record<string, unknown>, token = user.token) => {
    const result = await api.graphql<{ notifications: Page }>(INBOX, variables, token);
    expect(result.errors).toBeUndefined();
    return result.data!.notifications;
  };

  beforeAll(async () => {
    api = await startTestApi();
    user = await api.signUp();
    other = await api.signUp();
    const db = api.app.services.db;
    const { artistId } = await insertTrackedArtist(db, { externalId: "inboxArtist00000000000", name: "Velvet Bresol" });
    // As the evaluation leaves them: one a day for 25 days, the newest created last.
    const rows = Array.from({ length: 25 }, (_, n) => ({
      userId: user.userId,
      artistId,
      kind: "score_above" as const,
      day: addDays(utcDay(), n - 24),
      facts: { score: 90 + n / 10, threshold: 90, growth7d: 0.18 },
      createdAt: new Date(Date.now() - (25 - n) * 60_000),
    }));
    const inserted = await db.insert(notifications).values(rows).returning({ id: notifications.id });
    newestFirst = inserted.map((r) => r.id).reverse();
    await db.insert(notifications).values({ userId: other.userId, artistId, kind: "new_high", day: utcDay(), facts: { highs: [{ platform: "deezer", value: 1234567 }] } });
  });
  afterAll(() => api.close());

  it("lists the user's own notifications newest first, in pages, with a sentence each", async () => {
    const first = await page({ first: 10 });
    expect(first.totalCount).toBe(25);
    expect(first.unreadCount).toBe(25);
    expect(first.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(0, 10));
    expect(first.edges[0]!.node.message).toBe("Velvet Bresol's momentum score rose above 90 to 92.4 (+18% in 7 days)");
    expect(first.edges[0]!.node.day).toBe(utcDay());
    const ids: string[] = [];
    for (let after: string | null = null, hasNext = true; hasNext; ) {
      const next: Page = await page({ first: 10, after });
      ids.push(...next.edges.map((e) => e.node.id));
      ({ hasNextPage: hasNext, endCursor: after } = next.pageInfo);
    }
    expect(ids).toEqual(newestFirst);

    const theirs = await page({}, other.token);
    expect(theirs.edges.map((e) => e.node.message)).toEqual(["Velvet Bresol reached an all-time high of 1,234,567 followers on Deezer"]);
  });

  it("marks some or all read, only the user's own, and filters the unread", async () => {
    const theirs = (await page({}, other.token)).edges[0]!.node.id;
    expect((await api.graphql(MARK, { ids: [newestFirst[0], newestFirst[1], theirs] }, user.token)).data).toEqual({ markNotificationsRead: 2 });
    expect((await api.graphql(MARK, { ids: [newestFirst[0]] }, user.token)).data).toEqual({ markNotificationsRead: 0 });
    expect((await page({}, other.token)).unreadCount).toBe(1);

    const unread = await page({ unreadOnly: true, first: 100 });
    expect(unread.totalCount).toBe(23);
    expect(unread.unreadCount).toBe(23);
    expect(unread.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(2));
    const all = await page({ first: 2 });
    expect(all.edges.every((e) => e.node.readAt !== null)).toBe(true);

    expect((await api.graphql(MARK, {}, user.token)).data).toEqual({ markNotificationsRead: 23 });
    expect((await page({})).unreadCount).toBe(0);
  });

  it("refuses bad arguments, naming them", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [INBOX, { first: 101 }, "first"],
      [INBOX, { after: "bm90IGEgY3Vyc29y" }, "after"],
      [MARK, { ids: [newestFirst[0], "nope"] }, "ids[1]"],
      [MARK, { ids: Array.from({ length: 1001 }, () => newestFirst[0]) }, "ids"],
    ];
    for (const [query, variables, argument] of cases) {
      const result = await api.graphql(query, variables, user.token);
      expect(result.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", argument });
    }
  });
});
