import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderUnavailableError } from "../../src/providers/provider.js";
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
    const db = pools[0]!.db;
    // The window forgets old calls; a log kept beside it remembers every call granted.
    await db.execute(sql`CREATE TABLE granted_calls (key text, used_at timestamptz)`);
    await db.execute(sql`
      CREATE FUNCTION log_granted_call() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO granted_calls VALUES (NEW.key, NEW.used_at); RETURN NEW; END $$`);
    await db.execute(sql`CREATE TRIGGER log_granted_call AFTER INSERT ON budget_uses FOR EACH ROW EXECUTE FUNCTION log_granted_call()`);
    const limits = { spotify: { maxCalls: 5, windowMs: 2_000 }, deezer: { maxCalls: 1000, windowMs: 2_000 }, musicbrainz: { maxCalls: 1, windowMs: 1_000 } };
    const limiters = pools.map(({ db }) => createDatabaseRateLimiter(db, limits));

    await Promise.all(Array.from({ length: 12 }, (_, i) => limiters[i % 2]!.acquire("spotify")));
    await limiters[0]!.acquire("deezer");

    const calls = await db.execute<{ ms: number }>(sql`
      SELECT extract(epoch FROM used_at) * 1000 AS ms FROM granted_calls WHERE key = 'platform:spotify' ORDER BY used_at`);
    expect(calls).toHaveLength(12);
    // Any two calls five apart are a whole window apart: no 2-second span ever holds a sixth call.
    for (let i = 0; i + 5 < calls.length; i++) expect(Number(calls[i + 5]!.ms) - Number(calls[i]!.ms)).toBeGreaterThanOrEqual(2_000);
    await Promise.all(pools.map((p) => p.close()));
  });

  it("gives up a wait that would outlast the caller's deadline, saying when a slot frees", async () => {
    const { db, close } = connect(database.url);
    const limiter = createDatabaseRateLimiter(db, { spotify: { maxCalls: 1, windowMs: 60_000 }, deezer: { maxCalls: 1, windowMs: 60_000 }, musicbrainz: { maxCalls: 1, windowMs: 60_000 } });
    await db.execute(sql`DELETE FROM budget_uses`);
    await limiter.acquire("deezer");
    const error = await limiter.acquire("deezer", AbortSignal.timeout(200)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).retryAfterMs).toBeGreaterThan(50_000);
    await close();
  });
});
