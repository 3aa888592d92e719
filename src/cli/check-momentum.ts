import { parseArgs } from "node:util";
import type { Config } from "../config.js";
import { createDatabase } from "../db/client.js";
import { openDatabaseServer } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import { checkStoredMomentum } from "../domain/momentum/verify.js";
import type { Logger } from "../logger.js";

/**
 * `check-momentum [--days N]`: recomputes the stored momentum of the newest N scored days (7 by
 * default) with the reference functions and reports every difference; exits 1 when there is one.
 */
export async function runMomentumCheck(config: Config, logger: Logger, argv: string[]): Promise<boolean> {
  const { values } = parseArgs({ args: argv, options: { days: { type: "string" } }, strict: true });
  const days = Number(values.days ?? 7);
  if (!Number.isInteger(days) || days < 1) throw new Error("--days: must be a whole number, at least 1");
  const server = await openDatabaseServer(config, logger);
  try {
    await migrateDatabase(server.url, logger);
    const database = createDatabase(server.url);
    try {
      const check = await checkStoredMomentum(database.db, days);
      console.log(`Checked ${check.scores} stored scores over ${check.days} days against the reference: ${check.mismatches.length === 0 ? "all equal" : "DIFFERENCES"}.`);
      console.log(`Categories on the newest day: ${Object.entries(check.categories).map(([c, n]) => `${c} ${n}`).join(", ") || "none"}`);
      for (const line of check.mismatches) console.log(`  ${line}`);
      return check.mismatches.length === 0;
    } finally {
      await database.close();
    }
  } finally {
    await server.stop();
  }
}
