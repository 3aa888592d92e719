import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appliedMigrationCount, journalEntries, migrateDatabase } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";

describe("migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("apply every migration, and running them again changes nothing", async () => {
    const { db, close } = connect(database.url);
    const schemaOf = () =>
      db.execute(sql`SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                     WHERE table_schema IN ('public', 'graphile_worker', 'drizzle') ORDER BY 1, 2, 3`);
    const before = await schemaOf();
    await migrateDatabase(database.url, createLogger("silent"));
    await migrateDatabase(database.url, createLogger("silent"));
    expect(await appliedMigrationCount(db)).toBe(journalEntries().length);
    expect(await schemaOf()).toEqual(before);
    const [worker] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM graphile_worker.migrations`);
    expect(worker?.n).toBeGreaterThan(0);
    await close();
  });
});
