import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/domain/days.js";
import { parseSeedOptions } from "../../src/seed/command.js";
import { DEMO_EMAIL, seed } from "../../src/seed/seed.js";
import { checkStoredMomentum } from "../../src/domain/momentum/verify.js";
import { signIn } from "../../src/domain/users.js";
import { DEMO_PASSWORD } from "../../src/seed/seed.js";
import { SIGN_IN_POLICY } from "../helpers/api.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";

describe("npm run seed", () => {
  let database: TestDatabase;
  let db: ReturnType<typeof connect>;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = connect(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const counts = async () =>
    (
      await db.db.execute<Record<string, number>>(sql`SELECT
        (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM global_artists) AS artists,
        (SELECT count(*)::int FROM user_artists) AS links, (SELECT count(*)::int FROM metric_snapshots) AS snapshots,
        (SELECT count(DISTINCT day)::int FROM artist_momentum) AS momentum_days`)
    )[0];

  it("fills users, artists, links, daily history and momentum, and adds nothing twice", async () => {
    const options = { users: 4, artists: 30, linksPerUser: 10, days: 50, momentumDays: 3 };
    await seed(db.db, db.client, options);
    const first = await counts();
    expect(first).toEqual({ users: 4, artists: 30, links: 40, snapshots: 30 * 50 * 2, momentum_days: 3 });
    const [range] = await db.db.execute<{ min: string; max: string }>(sql`SELECT min(day)::text, max(day)::text FROM metric_snapshots`);
    expect(range).toEqual({ min: addDays(utcDay(), -49), max: utcDay() });
    expect((await signIn(db.db, { email: DEMO_EMAIL, password: DEMO_PASSWORD }, "127.0.0.1", SIGN_IN_POLICY)).email).toBe(DEMO_EMAIL);
    // Made-up artists say so, to a person and in the data.
    const [labels] = await db.db.execute<{ named: number; simulated: number; figures: number }>(sql`SELECT
      (SELECT count(*)::int FROM global_artists WHERE name LIKE '% (simulated)') AS named,
      (SELECT count(*)::int FROM platform_accounts WHERE simulated AND linked_by = 'tracked' AND external_id LIKE 'seed%') AS simulated,
      (SELECT count(*)::int FROM metric_snapshots WHERE source = 'simulated') AS figures`);
    expect(labels).toEqual({ named: 30, simulated: 30, figures: 30 * 50 * 2 });

    await seed(db.db, db.client, options);
    expect(await counts()).toEqual(first);
  });

  it("reads its options and names a bad one", () => {
    expect(parseSeedOptions(["--users", "3", "--artists", "100000", "--links-per-user", "5", "--days", "60"])).toEqual({
      users: 3,
      artists: 100_000,
      linksPerUser: 5,
      days: 60,
      momentumDays: 30,
    });
    expect(parseSeedOptions([])).toMatchObject({ users: 1, artists: 25, linksPerUser: 25, days: 365 });
    expect(() => parseSeedOptions(["--artists", "lots"])).toThrow(/^--artists: /);
    expect(() => parseSeedOptions(["--days", "0"])).toThrow(/^--days: /);
    expect(() => parseSeedOptions(["--colour", "red"])).toThrow(/colour/);
  });

});

describe("the seed's momentum", () => {
  it.each([
    ["the default demo", {}],
    ["--artists 30", { artists: 30 }],
    ["--artists 200", { artists: 200 }],
  ])("is what the reference gives from the stored followers, every score of every day, for %s", async (_name, option) => {
    const database = await createTestDatabase();
    const db = connect(database.url);
    try {
      const options = { ...parseSeedOptions([]), ...option };
      await seed(db.db, db.client, options);
      const check = await checkStoredMomentum(db.db, options.momentumDays);
      expect(check.mismatches).toEqual([]);
      expect(check.days).toBe(options.momentumDays);
      expect(check.scores).toBeGreaterThanOrEqual(options.artists * (options.momentumDays - 1));
      // Growth rates differ from artist to artist, and so do the categories: not all at the extremes.
      expect(Object.keys(check.categories).length).toBeGreaterThanOrEqual(3);
      const [extremes] = await db.db.execute<{ share: number }>(sql`
        SELECT avg((score IN (0, 100))::int)::float8 AS share FROM artist_momentum WHERE day = (SELECT max(day) FROM artist_momentum)`);
      expect(extremes!.share).toBeLessThan(0.2);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
