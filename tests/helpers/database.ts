import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDatabase, type DatabaseOptions } from "../../src/db/client.js";
import { databaseUrl } from "../../src/db/scratch-server.js";

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A fresh database cloned from the run's migrated template (or an empty one): no test file sees
 * another's rows. `settings` become the database's defaults, as an operator's server might have.
 */
export async function createTestDatabase(options: { empty?: boolean; settings?: Record<string, string> } = {}): Promise<TestDatabase> {
  const adminUrl = inject("adminUrl");
  const name = `fanpulse_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // Cloning needs the template to itself; another file may be cloning it this instant.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE ${name}${options.empty ? "" : ` TEMPLATE ${inject("templateDatabase")}`}`);
      break;
    } catch (error) {
      if (attempt >= 50 || (error as { code?: string }).code !== "55006") throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  for (const [setting, value] of Object.entries(options.settings ?? {})) {
    await admin.unsafe(`ALTER DATABASE ${name} SET ${setting} = '${value}'`);
  }
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const connect = (url: string, options?: DatabaseOptions) => createDatabase(url, options);
