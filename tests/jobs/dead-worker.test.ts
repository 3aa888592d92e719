import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { metricSnapshots } from "../../src/db/schema.js";
import { queueArtistSync } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { deferred } from "../helpers/deferred.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { startProcess } from "../helpers/process.js";
import { waitFor } from "../helpers/wait.js";

const DEAD_AFTER_SECONDS = 3;

describe("a worker that dies or stalls in the middle of a job", () => {
  let live: LivePlatforms;
  let database: TestDatabase;
  let db: Database;
  let close: () => Promise<void>;
  const never = deferred();
  let env: Record<string, string>;
  beforeAll(async () => {
    live = await startLivePlatforms();
    database = await createTestDatabase();
    ({ db, close } = connect(database.url));
    env = { ...live.env, DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, WORKER_DEAD_AFTER_SECONDS: String(DEAD_AFTER_SECONDS), LOG_LEVEL: "info" };
    // A held call must stay in flight as long as the test holds it, not end at a short provider timeout.
    env.PROVIDER_TIMEOUT_MS = "600000";
  });
  afterAll(async () => {
    never.resolve();
    await close();
    await database.drop();
    await live.close();
  });

  async function queueSyncOf(id: string): Promise<{ artistId: string; accountId: string }> {
    live.spotify.artists.set(id, { id, name: id, followers: 4242 });
    return db.transaction(async (tx) => {
      const tracked = await insertTrackedArtist(tx, { externalId: id });
      await queueArtistSync(tx, tracked.artistId);
      return tracked;
    });
  }

  const lockOf = async (artistId: string) =>
    (await db.execute<{ locked_by: string | null }>(sql`SELECT locked_by FROM graphile_worker._private_jobs WHERE payload->>'artistId' = ${artistId}`))[0]?.locked_by;

  async function startSecondWorker(lines: string[]): Promise<App> {
    return startApp(loadConfig({ NODE_ENV: "test", ...env }), { api: false, worker: true }, createLogger("info", { write: (line: string) => void lines.push(line) }), {
      workerPollInterval: 100,
    });
  }

  it("SIGKILL: another worker unlocks the job once the dead one has been silent past the limit, runs it, and the day is written once", async () => {
    const id = "killedWorkerArtist0000";
    // The dead worker's call never gets an answer; the next one is answered as usual.
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { heldUntil: never.promise });
    const { artistId, accountId } = await queueSyncOf(id);
    const doomed = startProcess(env, "worker");
    await doomed.ready;
    await waitFor("the first worker to be inside the job", async () => live.spotify.artistCalls(id) >= 1);
    const deadWorker = await lockOf(artistId);
    expect(deadWorker).toMatch(/^pool-/);
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const lines: string[] = [];
    const second = await startSecondWorker(lines);
    try {
      await waitFor("the job to be done by the second worker", async () => (await queuedJobs(db, "artist:sync")).length === 0);
      expect(live.spotify.artistCalls(id)).toBe(2);
      expect(lines.some((line) => line.includes("unlocked the jobs of workers that stopped answering") && line.includes(deadWorker!))).toBe(true);
      const days = await db.select().from(metricSnapshots).where(and(eq(metricSnapshots.accountId, accountId), eq(metricSnapshots.metric, "followers")));
      expect(days.map((d) => d.value)).toEqual([4242]);
    } finally {
      await second.stop();
    }
  });

  it("leaves alone the job of a worker that is alive, however long the job takes", async () => {
    const id = "slowButAliveArtist0000";
    const release = deferred();
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { heldUntil: release.promise });
    const { artistId } = await queueSyncOf(id);
    const slow = startProcess(env, "worker");
    await slow.ready;
    const lines: string[] = [];
    let second: App | undefined;
    try {
      await waitFor("the first worker to be inside the job", async () => live.spotify.artistCalls(id) >= 1);
      const owner = await lockOf(artistId);
      second = await startSecondWorker(lines);
      // Both workers beat past the job's lock age plus the limit: the second has swept since the job became "old".
      await waitFor("the lock to be older than the limit while both workers beat", async () => {
        const [row] = await db.execute<{ ok: boolean }>(sql`
          SELECT bool_and(h.last_seen_at > j.locked_at + make_interval(secs => ${DEAD_AFTER_SECONDS * 2})) AND count(*) = 2 AS ok
          FROM worker_heartbeats h, graphile_worker._private_jobs j WHERE j.payload->>'artistId' = ${artistId}`);
        return row?.ok;
      });
      expect(await lockOf(artistId)).toBe(owner);
      expect(live.spotify.artistCalls(id)).toBe(1);
      release.resolve();
      await waitFor("the first worker to finish its job", async () => (await queuedJobs(db, "artist:sync")).length === 0);
      expect(live.spotify.artistCalls(id)).toBe(1);
    } finally {
      release.resolve();
      await second?.stop();
      slow.child.kill("SIGTERM");
      expect(await slow.exited).toBe(0);
    }
  });

  it("a stalled worker (paused past the limit) loses its jobs to the others, then starts afresh under a new identity", async () => {
    const id = "stalledWorkerArtist000";
    const release = deferred();
    live.spotify.script(new RegExp(`^/v1/artists/${id}$`), { heldUntil: release.promise });
    const { artistId, accountId } = await queueSyncOf(id);
    const stalled = startProcess(env, "worker");
    await stalled.ready;
    const lines: string[] = [];
    let second: App | undefined;
    try {
      await waitFor("the first worker to be inside the job", async () => live.spotify.artistCalls(id) >= 1);
      const stalledId = await lockOf(artistId);
      stalled.child.kill("SIGSTOP");
      second = await startSecondWorker(lines);
      await waitFor("the second worker to run the job", async () => (await queuedJobs(db, "artist:sync")).length === 0);
      stalled.child.kill("SIGCONT");
      await waitFor("the stalled worker to notice and start afresh", async () => stalled.output().includes("restarting the job runner"));
      release.resolve();
      await waitFor("a new runner in the stalled process", async () => (stalled.output().match(/job runner started/g) ?? []).length === 2);
      expect(stalled.output()).toContain(stalledId!);
      const days = await db.select().from(metricSnapshots).where(and(eq(metricSnapshots.accountId, accountId), eq(metricSnapshots.metric, "followers")));
      expect(days.map((d) => d.value)).toEqual([4242]);
    } finally {
      stalled.child.kill("SIGCONT");
      release.resolve();
      await second?.stop();
      stalled.child.kill("SIGTERM");
      expect(await stalled.exited).toBe(0);
    }
  });
});
