import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { globalArtists } from "../../src/db/schema.js";
import { queueArtistSync } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { startTestApi, TEST_JWT_SECRET, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";
import { queuedJobs } from "../helpers/jobs.js";
import { startLivePlatforms, type LivePlatforms } from "../helpers/live-providers.js";
import { waitFor } from "../helpers/wait.js";

describe("several workers", () => {
  let live: LivePlatforms;
  let api: TestApi;
  beforeAll(async () => {
    live = await startLivePlatforms();
    api = await startTestApi({ worker: true, env: live.env });
  });
  afterAll(async () => {
    await api.close();
    await live.close();
  });

  it("process each job once when two run at once", async () => {
    const second = await startApp(
      loadConfig({ NODE_ENV: "test", DATABASE_URL: api.database.url, JWT_SECRET: TEST_JWT_SECRET, WORKER_CONCURRENCY: "3", ...live.env }),
      { api: false, worker: true },
      createLogger("silent"),
      { workerPollInterval: 100 },
    );
    try {
      const db = api.app.services.db;
      const ids = Array.from({ length: 40 }, (_, n) => `twoWorkers${String(n).padStart(12, "0")}`);
      for (const id of ids) live.spotify.artists.set(id, { id, name: id, followers: 10 });
      await db.transaction(async (tx) => {
        for (const id of ids) {
          const { artistId } = await insertTrackedArtist(tx, { externalId: id });
          await queueArtistSync(tx, artistId);
        }
      });
      await waitFor("every sync to run", async () => (await queuedJobs(db)).length === 0);
      for (const id of ids) expect(live.spotify.artistCalls(id)).toBe(1);
      const [synced] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM global_artists WHERE sync_status = 'synced'`);
      expect(synced?.n).toBe(40);
    } finally {
      await second.stop();
    }
  });

  it("queue nothing for a change that rolls back", async () => {
    const db = api.app.services.db;
    const [artist] = await db.insert(globalArtists).values({ name: "Rolled back" }).returning();
    await db
      .transaction(async (tx) => {
        await queueArtistSync(tx, artist!.id);
        throw new Error("the change fails after queuing its job");
      })
      .catch(() => {});
    expect((await queuedJobs(db, "artist:sync")).filter((j) => j.payload.artistId === artist!.id)).toEqual([]);
  });
});
