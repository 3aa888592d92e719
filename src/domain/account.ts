import { eq, like, or, sql } from "drizzle-orm";
import { checkPassword, hashPassword } from "../auth/passwords.js";
import type { Database } from "../db/client.js";
import { apiKeys, budgetUses, requestCounts, users, type UserRow } from "../db/schema.js";
import { requireBudget } from "./budgets.js";
import { invalidArgument } from "./errors.js";
import { checkNewPassword, PASSWORD_MAX } from "./password-rules.js";
import type { SignInPolicy } from "./users.js";
import { emailKey } from "./users.js";

/** Every token issued so far stops working (API keys stay until revoked). */
export async function signOutEverywhere(db: Database, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1`, keptSessionId: null, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

/**
 * Checks a password the signed-in user types to confirm who they are. Its guesses spend the same
 * budget as sign-in's, so a stolen session cannot find the password through these mutations.
 */
async function confirmPassword(db: Database, user: UserRow, password: string, argument: string, policy: SignInPolicy): Promise<void> {
  await requireBudget(db, { key: `confirm-password:user:${user.id}`, max: policy.freePerAccount, windowMs: policy.windowMs }, `${argument}: too many wrong passwords`);
  if (password.length > PASSWORD_MAX || !(await checkPassword(user.passwordHash, password)).valid) {
    throw invalidArgument(argument, "is not the account's current password");
  }
}

export type ChangePasswordInput = { currentPassword: string; newPassword: string };

/** A new password under sign-up's rules; every other session ends, the one that asked stays. */
export async function changePassword(db: Database, user: UserRow, keptSessionId: string, input: ChangePasswordInput, policy: SignInPolicy): Promise<void> {
  await confirmPassword(db, user, input.currentPassword, "input.currentPassword", policy);
  checkNewPassword(input.newPassword, "input.newPassword", [user.email, user.displayName]);
  if (input.newPassword === input.currentPassword) throw invalidArgument("input.newPassword", "must differ from the current password");
  const passwordHash = await hashPassword(input.newPassword);
  await db
    .update(users)
    .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1`, keptSessionId, updatedAt: sql`now()` })
    .where(eq(users.id, user.id));
}

/**
 * Removes the user and everything private to them: links, notes and favourites, keys and
 * whatever else cascades from the user row, and the counters kept under their id or email.
 * Shared artists, their accounts and history stay; links they made stay, unattributed.
 */
export async function deleteAccount(db: Database, user: UserRow, password: string, policy: SignInPolicy): Promise<void> {
  await confirmPassword(db, user, password, "password", policy);
  await db.transaction(async (tx) => {
    const keys = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.userId, user.id));
    // Ids are uuids, safe in a LIKE pattern; an email may hold LIKE's wildcards, so it is compared as a prefix.
    const theirs = (key: typeof budgetUses.key | typeof requestCounts.key) =>
      or(
        like(key, `%:user:${user.id}`),
        ...keys.map((k) => like(key, `%:key:${k.id}`)),
        sql`starts_with(${key}, ${`sign-in:account:${emailKey(user.email)}:`})`,
      );
    await tx.delete(budgetUses).where(theirs(budgetUses.key));
    await tx.delete(requestCounts).where(theirs(requestCounts.key));
    await tx.delete(users).where(eq(users.id, user.id));
  });
}
