import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import type { TableReport } from "./report.js";
import type { Legacy, LegacyUser } from "./source.js";

export const readUsers = (legacy: Legacy, after: string, limit: number) => legacy<LegacyUser[]>`
  SELECT id::text, email, hashed_password, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
         to_char(created_at, 'YYYYMMDDHH24MISSUS') || '|' || id::text AS key
  FROM users WHERE to_char(created_at, 'YYYYMMDDHH24MISSUS') || '|' || id::text > ${after}
  ORDER BY key LIMIT ${limit}`;

/**
 * Users keep their id, email and password hash (bcrypt, upgraded to argon2id at their next
 * sign-in). Emails come without the spaces around them, as sign-in reads them, and are unique
 * case-insensitively here: of two legacy users whose emails differ only in case, the older keeps
 * it and the other is reported, never merged into someone else's account.
 */
export async function importUsers(tx: Executor, rows: LegacyUser[], report: TableReport): Promise<void> {
  for (const legacyUser of rows) {
    const user = { ...legacyUser, email: legacyUser.email.trim() };
    report.read++;
    const [inserted] = await tx.execute<{ id: string }>(sql`
      INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at)
      VALUES (${user.id}::uuid, ${user.email}, NULL, ${user.hashed_password}, ${user.created_at}::timestamptz, ${user.updated_at ?? user.created_at}::timestamptz)
      ON CONFLICT DO NOTHING RETURNING id`);
    if (inserted) {
      report.imported++;
      continue;
    }
    const [same] = await tx.execute<{ id: string }>(sql`SELECT id FROM users WHERE id = ${user.id}::uuid`);
    if (same) {
      report.alreadyImported++;
      continue;
    }
    const [owner] = await tx.execute<{ id: string; email: string }>(sql`SELECT id, email FROM users WHERE lower(email) = lower(${user.email})`);
    report.skipped.push({
      id: user.id,
      reason: `email ${JSON.stringify(user.email)} belongs to user ${owner?.id} (${JSON.stringify(owner?.email)}) already, case-insensitively; resolve it by hand`,
    });
  }
}
