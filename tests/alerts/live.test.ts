import { sql } from "drizzle-orm";
import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { addDays, utcDay } from "../../src/domain/days.js";
import { recordSnapshots } from "../../src/domain/metrics.js";
import { enqueue } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { startTestApi, TEST_JWT_SECRET, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { waitFor } from "../helpers/wait.js";

const TODAY = utcDay();
const SUBSCRIPTION = `subscription { notificationAdded { kind day message artist { id } } }`;

type Received = { kind: string; day: string; message: string; artist: { id: string } };

/** A graphql-ws client on the API's /graphql, and what its subscription has received. */
function subscriber(api: TestApi, authorization: string | undefined) {
  const received: Received[] = [];
  const errors: unknown[] = [];
  const closes: { code: number; reason: string }[] = [];
  const client: Client = createClient({
    url: api.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    on: { closed: (event) => void closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
  const stop = client.subscribe<{ notificationAdded: Received }>(
    { query: SUBSCRIPTION },
    { next: (message) => void (message.data ? received.push(message.data.notificationAdded) : errors.push(message.errors)), error: (error) => void errors.push(error), complete: () => undefined },
  );
  return { received, errors, closes, close: async () => (stop(), await client.dispose()) };
}

describe("live notifications over graphql-ws", () => {
  let api: TestApi;
  let worker: App;
  beforeAll(async () => {
    // The API serves subscriptions; a separate worker process (its own app and pools) makes the notifications.
    api = await startTestApi({ worker: false });
    worker = await startApp(
      loadConfig({ NODE_ENV: "test", DATABASE_URL: api.database.url, JWT_SECRET: TEST_JWT_SECRET, WORKER_CONCURRENCY: "2", PROVIDERS: "simulated" }),
      { api: false, worker: true },
      createLogger("silent"),
      { workerPollInterval: 200 },
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await api.close();
  });

  it("pushes a user their own new notifications, made by another process, and nobody else's", async () => {
    const db = api.app.services.db;
    const { artistId, accountId } = await insertTrackedArtist(db, { externalId: "liveAlerts000000000000", name: "Night Harbour" });
    await recordSnapshots(
      db,
      [
        [addDays(TODAY, -7), 50_000],
        [TODAY, 60_000],
      ].map(([day, value]) => ({ accountId, metric: "followers", day: day as string, value: value as number, capturedAt: new Date(), source: "platform" })),
    );
    const watcher = await api.signUp();
    const other = await api.signUp();
    for (const user of [watcher, other]) {
      await db.execute(sql`INSERT INTO user_artists (user_id, artist_id) VALUES (${user.userId}, ${artistId})`);
    }
    const rule = await api.graphql(`mutation { createAlertRule(input: { kind: CATEGORY_REACHED, category: EXPLOSIVE }) { id } }`, {}, watcher.token);
    expect(rule.errors).toBeUndefined();

    const mine = subscriber(api, `Bearer ${watcher.token}`);
    const theirs = subscriber(api, `Bearer ${other.token}`);
    try {
      await waitFor("both subscriptions to listen", async () => api.app.live!.subscribers(watcher.userId) === 1 && api.app.live!.subscribers(other.userId) === 1);
      await enqueue(db, "momentum:compute", { artistId, day: TODAY });
      await waitFor("the notification to arrive", async () => mine.received.length > 0);
      expect(mine.received).toEqual([{ kind: "CATEGORY_REACHED", day: TODAY, message: "Night Harbour reached EXPLOSIVE momentum (score 100.0, +20% in 7 days)", artist: { id: artistId } }]);
      expect(mine.errors).toEqual([]);

      // The other user's own notification reaches them, which shows nothing of the first was held back for them.
      await api.graphql(`mutation { createAlertRule(input: { kind: SCORE_ABOVE, threshold: 50 }) { id } }`, {}, other.token);
      await enqueue(db, "alerts:evaluate", { day: TODAY, artistIds: [artistId] });
      await waitFor("the other user's notification", async () => theirs.received.length > 0);
      expect(theirs.received.map((n) => n.kind)).toEqual(["SCORE_ABOVE"]);
      expect(mine.received).toHaveLength(1);
    } finally {
      await mine.close();
      await theirs.close();
    }
    await waitFor("the subscriptions to end", async () => api.app.live!.subscribers(watcher.userId) === 0);
  });

  it.each([
    ["no credentials", undefined, 4401],
    ["a forged token", "Bearer not-a-token", 4401],
  ])("refuses a connection with %s, and says why", async (_what, authorization, code) => {
    const client = subscriber(api, authorization);
    try {
      await waitFor("the connection to close", async () => client.closes.length > 0 || client.errors.length > 0);
      if (authorization) {
        expect(client.closes[0]?.code).toBe(code);
        expect(client.closes[0]?.reason).toMatch(/not valid/);
      } else {
        expect(JSON.stringify(client.errors)).toMatch(/UNAUTHENTICATED|Sign in/);
      }
    } finally {
      await client.close();
    }
  });

  it("serves only subscriptions over the socket", async () => {
    const { token } = await api.signUp();
    const client = createClient({ url: api.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const result = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: "{ me { id } }" }, { next: resolve, error: resolve, complete: () => undefined });
      });
      expect(JSON.stringify(result)).toMatch(/Only subscriptions are served over WebSocket/);
    } finally {
      await client.dispose();
    }
  });
});
