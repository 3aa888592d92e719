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
    const limits = { spotify: { maxCalls: 5, windowMs: 2_000 }, deezer: { maxCalls: 1000, windowMs: 2_000 } };
    const limiters = pools.map(({ db }) => createDatabaseRateLimiter(db, limits));
    const started = Date.now();
    let granted = 0;
    const all = Promise.all(Array.from({ length: 8 }, (_, i) => limiters[i % 2]!.acquire("spotify").then(() => granted++)));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Within the first window, five calls between both processes and no more.
    expect(granted).toBe(5);
    await limiters[0]!.acquire("deezer");
    await all;
    // The sixth call could only start once the first left the window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_990);
    await Promise.all(pools.map((p) => p.close()));
  });
});
