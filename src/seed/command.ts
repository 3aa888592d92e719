import { parseArgs } from "node:util";
import type { Config } from "../config.js";
import { createDatabase } from "../db/client.js";
import { openDatabaseServer } from "../db/database.js";
import { migrateDatabase } from "../db/migrate.js";
import type { Logger } from "../logger.js";
import { DEMO_EMAIL, DEMO_PASSWORD, seed, type SeedOptions } from "./seed.js";

const OPTIONS = {
  users: { default: 1, min: 1 },
  artists: { default: 25, min: 1 },
  "links-per-user": { default: 25, min: 0 },
  days: { default: 365, min: 1 },
  "momentum-days": { default: 30, min: 0 },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Reads `--users 10 --artists 1000 ...`; a bad value names its option. */
export function parseSeedOptions(argv: string[]): SeedOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: "string" as const }])),
    strict: true,
  });
  const read = (name: OptionName): number => {
    const raw = values[name];
    if (raw === undefined) return OPTIONS[name].default;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < OPTIONS[name].min) throw new Error(`--${name}: must be a whole number, at least ${OPTIONS[name].min}`);
    return value;
  };
  return { users: read("users"), artists: read("artists"), linksPerUser: read("links-per-user"), days: read("days"), momentumDays: read("momentum-days") };
}

export async function runSeed(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const options = parseSeedOptions(argv);
  const server = await openDatabaseServer(config, logger);
  try {
    await migrateDatabase(server.url, logger);
    const database = createDatabase(server.url);
    try {
      await seed(database.db, database.client, options);
    } finally {
      await database.close();
    }
  } finally {
    await server.stop();
  }
  console.log(
    `Seeded ${options.artists} simulated artists (their names end in "(simulated)", their Spotify ids start with "seed") ` +
      `with ${options.days} days of synthetic history, and ${options.users} users. Sign in as ${DEMO_EMAIL} with password ${DEMO_PASSWORD}.`,
  );
}
