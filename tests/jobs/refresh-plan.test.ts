import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcDay } from "../../src/domain/days.js";
import { planRefresh, type RefreshPolicy } from "../../src/domain/refresh-plan.js";
import { enqueue } from "../../src/jobs/queue.js";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { waitFor } from "../helpers/wait.js";

/** A policy whose day holds `calls` Deezer calls and as many Spotify ones. */
const policyFor = (calls: number): RefreshPolicy => ({
  rates: { spotify: { maxCalls: calls, windowMs: 86_400_000 }, deezer: { maxCalls: calls, windowMs: 86_400_000 } },
  quotaShare: 1,
  deadlineHours: 18,
});

describe("the daily refresh, planned from the platforms' quotas", () => {
  let api: TestApi;
  const db = () => api.app.services.db;
  let userIds: string[];

  beforeAll(async () => {
    api = await startTestApi();
    userIds = await Promise.all([api.signUp(), api.signUp(), api.signUp()]).then((users) => users.map((u) => u.userId));
  });
  afterAll(() => api.close());

  const deezerArtist = async (name: string, options: { trackers?: number; favourite?: boolean; lastSyncedDaysAgo?: number; z?: number; simulated?: boolean } = {}) => {
    const { artistId } = await insertTrackedArtist(db(), { platform: "deezer", externalId: String(1_000 + Math.floor(Math.random() * 1e9)), name, simulated: options.simulated });
    for (const [i, userId] of userIds.slice(0, options.trackers ?? 1).entries()) {
      await db().execute(sql`INSERT INTO user_artists (user_id, artist_id, is_favorite) VALUES (${userId}, ${artistId}, ${i === 0 && (options.favourite ?? false)})`);
    }
    await db().execute(sql`UPDATE global_artists SET last_synced_at = now() - make_interval(days => ${options.lastSyncedDaysAgo ?? 1}) WHERE id = ${artistId}`);
    if (options.z !== undefined) {
      await db().execute(sql`
        INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, audience, tier, peer_group, peer_count, peer_mean, peer_sd)
        VALUES (${artistId}, ${utcDay()}::date - 1, 'v1', 50, ${options.z}, 'steady', 1000, 1, 'tier', 30, 0, 1)`);
    }
    return { artistId, name };
  };
  const plannedNames = async (day: string) =>
    (await db().execute<{ name: string }>(sql`SELECT a.name FROM refresh_plan_artists r JOIN global_artists a ON a.id = r.artist_id WHERE r.day = ${day}::date ORDER BY r.rank`)).map((r) => r.name);

  it("takes the artists due for their weekly refresh first, then favourites, fast movers and widely tracked ones, while the day's calls last", async () => {
    await db().execute(sql`DELETE FROM user_artists`);
    await db().execute(sql`DELETE FROM global_artists`);
    await deezerArtist("due for the week", { lastSyncedDaysAgo: 7 });
    await deezerArtist("favourite", { favourite: true });
    await deezerArtist("fast mover", { z: -3.2 });
    await deezerArtist("still", { z: 0 });
    await deezerArtist("tracked by three", { trackers: 3 });
    await deezerArtist("demo artist", { simulated: true });
    const day = "2031-01-10";

    const plan = await db().transaction((tx) => planRefresh(tx, policyFor(4), day));
    expect(plan).toMatchObject({ day, candidates: 6, planned: 5, dueLeftOut: 0 });
    // A simulated account costs no call, so the demo artist fits whatever its rank.
    expect(await plannedNames(day)).toEqual(["due for the week", "favourite", "fast mover", "tracked by three", "demo artist"]);
  });

  it("says how many artists due for their weekly refresh the quota could not hold", async () => {
    await db().execute(sql`DELETE FROM user_artists`);
    await db().execute(sql`DELETE FROM global_artists`);
    await deezerArtist("never synced", { lastSyncedDaysAgo: 30 });
    await deezerArtist("a week ago", { lastSyncedDaysAgo: 7 });
    await deezerArtist("yesterday", { lastSyncedDaysAgo: 1, favourite: true });
    const plan = await db().transaction((tx) => planRefresh(tx, policyFor(1), "2031-01-11"));
    expect(plan).toMatchObject({ candidates: 3, planned: 1, dueLeftOut: 1 });
  });

  it("plans a day again from scratch when asked twice", async () => {
    const day = "2031-01-12";
    await db().transaction((tx) => planRefresh(tx, policyFor(1), day));
    const again = await db().transaction((tx) => planRefresh(tx, policyFor(3), day));
    expect(again.planned).toBe(3);
    expect(await plannedNames(day)).toHaveLength(3);
  });
});

describe("the daily refresh, end to end", () => {
  let live: LivePlatforms;
  let api: TestApi;
  const lines: string[] = [];
  const logged = (message: string) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === message);

  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi({ worker: true, env: live.env, logs: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  it("syncs the plan in batches, then scores the day once, and says how far it came in the logs and /metrics", async () => {
    const user = await api.signUp();
    const ids = Array.from({ length: 12 }, (_, n) => 7_000 + n);
    for (const id of ids) live.deezer.artists.set(id, { id, name: `Batch ${id}`, fans: 100 * id });
    for (const id of ids) {
      const tracked = await api.graphql(`mutation($id: String!) { trackArtist(input: { deezerId: $id }) { artist { id } } }`, { id: String(id) }, user.token);
      expect(tracked.errors).toBeUndefined();
    }
    await waitFor("the first syncs", async () => (await queuedJobs(api.app.services.db)).length === 0);
    const before = live.deezer.artistCalls();

    await enqueue(api.app.services.db, "metrics:refresh-all", {});
    const [done] = await waitFor("the day's momentum", async () => {
      const entries = logged("computed the momentum of the population");
      return entries.length > 0 && (await queuedJobs(api.app.services.db)).length === 0 ? entries : null;
    });
    expect(done).toMatchObject({ day: utcDay() });
    expect(live.deezer.artistCalls() - before).toBe(12);
    expect(logged("the day's refresh is done: its momentum runs now")).toEqual([expect.objectContaining({ day: utcDay(), planned: 12, remaining: 0 })]);
    const [plan] = logged("planned the day's refresh within the platforms' quotas");
    expect(plan).toMatchObject({ day: utcDay(), candidates: 12, planned: 12, dueLeftOut: 0 });

    const metrics = await (await fetch(api.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toContain(`fanpulse_refresh_artists{day="${utcDay()}",state="planned"} 12`);
    expect(metrics).toContain(`fanpulse_refresh_artists{day="${utcDay()}",state="done"} 12`);
    expect(metrics).toContain(`fanpulse_refresh_artists{day="${utcDay()}",state="remaining"} 0`);
  });

  it("scores the day at its deadline when a platform keeps an artist from finishing", async () => {
    const db = api.app.services.db;
    lines.length = 0;
    live.deezer.script(/^\/artist\/7000$/, ...Array.from({ length: 20 }, () => ({ status: 500, body: {} })));
    await enqueue(db, "metrics:refresh-all", {});
    await waitFor("the artist left to a sync of its own", async () => logged("some artists of a refresh batch were left to syncs of their own").length > 0);
    const [unfinished] = await db.execute<{ remaining: number; scored: boolean }>(sql`SELECT remaining, scored_at IS NOT NULL AS scored FROM refresh_plans WHERE day = ${utcDay()}::date`);
    expect(unfinished).toEqual({ remaining: 1, scored: false });

    await db.execute(sql`UPDATE refresh_plans SET deadline_at = now() WHERE day = ${utcDay()}::date`);
    await enqueue(db, "metrics:refresh-deadline", {});
    await waitFor("the deadline's momentum", async () => logged("computed the momentum of the population").length > 0);
    expect(logged("the day's refresh reached its deadline unfinished: its momentum runs on what was refreshed")).toEqual([
      expect.objectContaining({ day: utcDay(), planned: 12, remaining: 1, done: 11 }),
    ]);
  });
});
