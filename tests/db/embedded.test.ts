import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirInUseError, startEmbeddedPostgres } from "../../src/db/embedded/server.js";
import { createLogger } from "../../src/logger.js";

describe("the embedded PostgreSQL", () => {
  const logger = createLogger("silent");
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps its data across a stop and a start, and refuses a second server on the same folder", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fanpulse-embedded-"));
    const first = await startEmbeddedPostgres(dataDir, logger);
    const sql = postgres(first.url("postgres"), { max: 1, onnotice: () => {} });
    await sql`CREATE TABLE kept (value text)`;
    await sql`INSERT INTO kept VALUES ('still here')`;
    await sql.end();

    await expect(startEmbeddedPostgres(dataDir, logger)).rejects.toThrow(DataDirInUseError);
    await first.stop();

    const second = await startEmbeddedPostgres(dataDir, logger);
    const again = postgres(second.url("postgres"), { max: 1, onnotice: () => {} });
    expect(await again`SELECT value FROM kept`).toEqual([{ value: "still here" }]);
    await again.end();
    await second.stop();
  });
});
