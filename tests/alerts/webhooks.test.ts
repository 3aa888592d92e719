import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { recordSnapshots } from "../../src/domain/metrics.js";
import { enqueue } from "../../src/jobs/queue.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { waitFor } from "../helpers/wait.js";

const TODAY = utcDay();
const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url description } } }`;
const DELIVERIES = `{ webhooks { id deliveries { status attempts succeeded lastError } } }`;

type Received = { headers: IncomingHttpHeaders; body: string };

/** A receiver on this machine that answers each POST with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/hooks/fanpulse`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("webhooks", () => {
  let api: TestApi;
  let db: TestApi["app"]["services"]["db"];
  let artist: number;
  beforeAll(async () => {
    api = await startTestApi({ worker: true });
    db = api.app.services.db;
    artist = 0;
  });
  afterAll(() => api.close());

  /** A user tracking a rising artist, with a rule that its next score fires. */
  async function watcherOfARisingArtist() {
    const user = await api.signUp();
    const { artistId, accountId } = await insertTrackedArtist(db, { externalId: `webhookArtist${String(++artist).padStart(9, "0")}`, name: "Velvet Bresol" });
    await recordSnapshots(
      db,
      [
        [addDays(TODAY, -7), 100_000],
        [TODAY, 118_000],
      ].map(([day, value]) => ({ accountId, metric: "followers", day: day as string, value: value as number, capturedAt: new Date(), source: "platform" })),
    );
    await db.execute(sql`INSERT INTO user_artists (user_id, artist_id) VALUES (${user.userId}, ${artistId})`);
    await api.graphql(`mutation { createAlertRule(input: { kind: CATEGORY_REACHED, category: EXPLOSIVE }) { id } }`, {}, user.token);
    return { ...user, artistId, fire: () => enqueue(db, "momentum:compute", { artistId, day: TODAY }) };
  }

  it("POSTs each notification as JSON signed with the webhook's secret, shown once and stored sealed", async () => {
    const hook = await receiver([200]);
    try {
      const user = await watcherOfARisingArtist();
      const created = await api.graphql(CREATE, { input: { url: hook.url, description: "our Slack relay" } }, user.token);
      expect(created.errors).toBeUndefined();
      const { secret, webhook } = created.data!.createWebhook;
      expect(secret).toMatch(/^whsec_/);
      const stored = await db.execute(sql`SELECT * FROM webhooks WHERE id = ${webhook.id}`);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(JSON.stringify((await api.graphql(`{ webhooks { id url description } }`, {}, user.token)).data)).not.toContain(secret);

      await user.fire();
      await waitFor("the delivery", async () => hook.received.length > 0);
      const [{ headers, body }] = hook.received as [Received];
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["x-fanpulse-event"]).toBe("notification.created");
      expect(headers["x-fanpulse-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
      const payload = JSON.parse(body);
      expect(payload).toMatchObject({
        event: "notification.created",
        deliveryId: headers["x-fanpulse-delivery"],
        notification: { kind: "CATEGORY_REACHED", day: TODAY, message: "Velvet Bresol reached EXPLOSIVE momentum (score 100.0, +18% in 7 days)", artist: { id: user.artistId, name: "Velvet Bresol" } },
      });
      const listed = await waitFor("the delivery to be recorded", async () => {
        const result = await api.graphql(DELIVERIES, {}, user.token);
        const deliveries = result.data?.webhooks[0].deliveries;
        return deliveries?.[0]?.succeeded ? deliveries : null;
      });
      expect(listed).toEqual([{ status: 200, attempts: 1, succeeded: true, lastError: null }]);
    } finally {
      await hook.close();
    }
  });

  it("retries a failing receiver with backoff and records every attempt", async () => {
    const hook = await receiver([500, 200]);
    try {
      const user = await watcherOfARisingArtist();
      await api.graphql(CREATE, { input: { url: hook.url } }, user.token);
      await user.fire();
      const failed = await waitFor("the first attempt to be recorded", async () => (await api.graphql(DELIVERIES, {}, user.token)).data?.webhooks[0].deliveries[0]);
      expect(failed).toEqual({ status: 500, attempts: 1, succeeded: false, lastError: "the receiver answered HTTP 500" });
      const delivered = await waitFor("the retry to succeed", async () => {
        const delivery = (await api.graphql(DELIVERIES, {}, user.token)).data?.webhooks[0].deliveries[0];
        return delivery?.succeeded ? delivery : null;
      });
      expect(delivered).toEqual({ status: 200, attempts: 2, succeeded: true, lastError: null });
      expect(hook.received).toHaveLength(2);
      expect(hook.received[0]!.headers["x-fanpulse-delivery"]).toBe(hook.received[1]!.headers["x-fanpulse-delivery"]);
    } finally {
      await hook.close();
    }
  });

  it.each([
    ["a private address", "https://10.0.0.7/hook", /not public/],
    ["a documentation-only address", "https://203.0.113.9/hook", /not public/],
    ["the cloud metadata address", "http://169.254.169.254/latest/meta-data", /must be https/],
    ["a link-local address over https", "https://169.254.169.254/latest/meta-data", /not public/],
    ["loopback in IPv4-mapped IPv6", "https://[::ffff:127.0.0.1]/hook", /not public/],
    ["the unspecified address", "https://0.0.0.0/hook", /not public/],
    ["a private IPv6 address", "https://[fd00::1]/hook", /not public/],
    ["http to another host", "http://93.184.215.14/hook", /must be https/],
    ["credentials in the URL", "https://user:pass@93.184.215.14/hook", /credentials/],
    ["another scheme", "ftp://93.184.215.14/hook", /must be an https URL/],
    ["no URL at all", "not a url", /absolute URL/],
  ])("refuses %s as a target, naming input.url", async (_what, url, problem) => {
    const { token } = await api.signUp();
    const result = await api.graphql(CREATE, { input: { url } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/^input\.url: /);
    expect(result.errors?.[0]?.message).toMatch(problem);
    expect((await api.graphql(`{ webhooks { id } }`, {}, token)).data?.webhooks).toEqual([]);
  });

  it("lets only its owner see or delete a webhook", async () => {
    const owner = await api.signUp();
    const created = await api.graphql(CREATE, { input: { url: "https://93.184.215.14/hook" } }, owner.token);
    const id = created.data?.createWebhook.webhook.id;
    const stranger = await api.signUp();
    expect((await api.graphql(`{ webhooks { id } }`, {}, stranger.token)).data?.webhooks).toEqual([]);
    expect((await api.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, stranger.token)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await api.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, owner.token)).data).toEqual({ deleteWebhook: true });
  });
});
