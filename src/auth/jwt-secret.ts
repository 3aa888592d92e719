import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";

/** The configured secret; outside production one is made once and kept in the data folder. */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.env === "production") throw new Error("JWT_SECRET is required when NODE_ENV=production");
  const file = join(config.dataDir, "jwt-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
