import type { Database, Executor } from "../db/client.js";
import { importArtists, readArtists } from "./artists.js";
import { importConnections, readConnections } from "./connections.js";
import { importHistory } from "./history.js";
import { emptyReport, type ImportReport } from "./report.js";
import type { Legacy } from "./source.js";
import { importUsers, readUsers } from "./users.js";

export type ImportOptions = {
  dryRun?: boolean;
  batchSize?: number;
  /** Called after each batch is committed, with the step's name and the batch's number of rows. */
  onBatch?: (step: string, rows: number) => void;
};

class DryRunRollback extends Error {}

/** One kind of legacy row: how to read a batch after a key, and how to write it in a transaction. */
type Step = { name: string; batch: (unit: Executor, after: string, limit: number) => Promise<{ key: string; rows: number } | null> };

function step<T extends { key: string }>(
  name: string,
  read: (after: string, limit: number) => Promise<T[]>,
  write: (tx: Executor, rows: T[]) => Promise<void>,
): Step {
  return {
    name,
    batch: async (unit, after, limit) => {
      const rows = await read(after, limit);
      if (rows.length === 0) return null;
      await unit.transaction((tx) => write(tx, rows));
      return { key: rows.at(-1)!.key, rows: rows.length };
    },
  };
}

/**
 * Reads a legacy database and writes FanPulse's: users, then artists (links), then platform
 * connections, then their history. Each batch is one transaction, so an interrupted run leaves
 * whole batches only, and every write is keyed on the legacy ids, so a second run imports
 * nothing twice and finishes what the first did not. A dry run does it all in one transaction
 * and rolls it back, so its report is the real one.
 */
export async function importLegacy(db: Database, legacy: Legacy, options: ImportOptions = {}): Promise<ImportReport> {
  const report = emptyReport(options.dryRun ?? false);
  const limit = options.batchSize ?? 500;
  const steps = [
    step("users", (after, n) => readUsers(legacy, after, n), (tx, rows) => importUsers(tx, rows, report.tables.users)),
    step("artists", (after, n) => readArtists(legacy, after, n), (tx, rows) => importArtists(tx, rows, report)),
    step("platform connections", (after, n) => readConnections(legacy, after, n), (tx, rows) => importConnections(tx, rows, report)),
    step("history", (after, n) => readConnections(legacy, after, n), (tx, rows) => importHistory(tx, legacy, rows, report)),
  ];

  const run = async (unit: Executor) => {
    for (const { name, batch } of steps) {
      let done: { key: string; rows: number } | null = { key: "", rows: 0 };
      while ((done = await batch(unit, done.key, limit)) !== null) options.onBatch?.(name, done.rows);
    }
  };

  if (!options.dryRun) {
    await run(db);
    return report;
  }
  await db
    .transaction(async (tx) => {
      await run(tx);
      throw new DryRunRollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof DryRunRollback)) throw error;
    });
  return report;
}
