import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { progress } from "../cli/progress.js";
import type { Config } from "../config.js";
import { createDatabase } from "../db/client.js";
import { openDatabaseServer } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import type { Logger } from "../logger.js";
import { importLegacy } from "./import.js";
import { formatReport } from "./report.js";
import { openLegacy } from "./source.js";

export type LegacyCommand = { from: string; dryRun: boolean; batchSize: number; reportFile: string | undefined };

export function parseLegacyOptions(argv: string[]): LegacyCommand {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: "string" }, "dry-run": { type: "boolean" }, "batch-size": { type: "string" }, report: { type: "string" } },
    strict: true,
  });
  if (!values.from || !/^postgres(ql)?:\/\//.test(values.from)) throw new Error("--from: give the legacy database as a postgres:// URL");
  const batchSize = Number(values["batch-size"] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("--batch-size: must be a whole number, at least 1");
  return { from: values.from, dryRun: values["dry-run"] ?? false, batchSize, reportFile: values.report };
}

export async function runLegacyImport(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const options = parseLegacyOptions(argv);
  const legacy = openLegacy(options.from);
  const server = await openDatabaseServer(config, logger);
  try {
    const [sizes] = await legacy<{ users: number; artists: number; connections: number }[]>`
      SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM artists) AS artists,
             (SELECT count(*)::int FROM platform_connections) AS connections`;
    await migrateDatabase(server.url, logger);
    const database = createDatabase(server.url);
    const totals: Record<string, number> = {
      users: sizes!.users,
      artists: sizes!.artists,
      "platform connections": sizes!.connections,
      history: sizes!.connections,
    };
    const bars = new Map<string, ReturnType<typeof progress>>();
    let current = "";
    try {
      const report = await importLegacy(database.db, legacy, {
        dryRun: options.dryRun,
        batchSize: options.batchSize,
        onBatch: (step, rows) => {
          if (step !== current) {
            bars.get(current)?.finish();
            current = step;
            bars.set(step, progress(step === "history" ? "history (by platform connection)" : step, totals[step] ?? 0));
          }
          bars.get(step)!.add(rows);
        },
      });
      bars.get(current)?.finish();
      console.log(formatReport(report));
      if (options.reportFile) await writeFile(options.reportFile, JSON.stringify(report, null, 2));
    } finally {
      await database.close();
    }
  } finally {
    await legacy.end();
    await server.stop();
  }
}
