import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globalArtists } from "../../src/db/schema.js";
import { artistsByIds } from "../../src/domain/artists.js";
import { connect, createTestDatabase, type TestDatabase } from "../helpers/database.js";

/** The statements on artists a pool of one connection holds prepared (postgres.js prepares one of its own at connect). */
const preparedOf = async (database: ReturnType<typeof connect>) =>
  (await database.db.execute<{ statement: string }>(sql`SELECT statement FROM pg_prepared_statements`)).map((row) => row.statement).filter((statement) => statement.includes('"global_artists"'));

describe("the API's prepared statements", () => {
  let testDb: TestDatabase;
  let ids: string[];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const database = connect(testDb.url);
    ids = (await database.db.insert(globalArtists).values([{ name: "One" }, { name: "Two" }, { name: "Three" }]).returning()).map((a) => a.id);
    await database.close();
  });
  afterAll(() => testDb.drop());

  it("prepares a batch's statement once, whatever the batch's length", async () => {
    const database = connect(testDb.url, { max: 1, prepare: true });
    try {
      expect(await artistsByIds(database.db, ids.slice(0, 1))).toHaveLength(1);
      expect(await artistsByIds(database.db, ids)).toHaveLength(3);
      expect(await preparedOf(database)).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it("leaves a pool that is not asked to prepare as drizzle sends it", async () => {
    const database = connect(testDb.url, { max: 1 });
    try {
      await artistsByIds(database.db, ids);
      expect(await preparedOf(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
