import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseRateLimiter } from "../../src/providers/rate-limiter.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";

describe("the shared rate limiter", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("holds one rolling window for every process together", async () => {
    // Two pools stand for two worker processes: they share nothing but the database.
    const pools = [connect(database.url), connect(database.url)];
    const limits = { spotify: { maxCalls: 5, windowMs: 400 }, deezer: { maxCalls: 1000, windowMs: 400 } };
    const limiters = pools.map(({ db }) => createDatabaseRateLimiter(db, limits));
    const granted: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => limiters[i % 2]!.acquire("spotify").then(() => granted.push(Date.now() - started))),
    );
    granted.sort((a, b) => a - b);
    for (let i = 5; i < granted.length; i++) {
      // The sixth grant after any grant comes a window later (less the jitter of seeing it from here).
      expect(granted[i]! - granted[i - 5]!).toBeGreaterThanOrEqual(340);
    }
    expect(granted.at(-1)).toBeGreaterThanOrEqual(750);
    await Promise.all(pools.map((p) => p.close()));
  });
});
