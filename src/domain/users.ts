import { eq, sql } from "drizzle-orm";
import { isAnyOf } from "../db/pg-array.js";
import { z } from "zod";
import { checkPassword, decoyHash, hashPassword } from "../auth/passwords.js";
import type { Database, Executor } from "../db/client.js";
import { users, type UserRow } from "../db/schema.js";
import { refund, spend, tooManyRequests } from "./budgets.js";
import { DomainError, invalidArgument } from "./errors.js";
import { checkNewPassword, PASSWORD_MAX } from "./password-rules.js";

export const DISPLAY_NAME_MAX = 100;

/** How sign-in attempts are limited (settings; see README). */
export type SignInPolicy = {
  /** Attempts from one client address within the window. */
  perAddress: number;
  windowMs: number;
  /** Attempts on one account from one address within the window, before the slow lane... */
  freePerAccount: number;
  /** ...where one attempt at a time is allowed, this long apart. */
  accountDelayMs: number;
};

const emailSchema = z.email().max(254);

/** Emails are compared as they are stored: trimmed, and whatever their case. */
export const emailKey = (email: string) => email.trim().toLowerCase();

function validEmail(email: string, argument: string): string {
  const trimmed = email.trim();
  if (!emailSchema.safeParse(trimmed).success) throw invalidArgument(argument, "must be a valid email address (at most 254 characters)");
  return trimmed;
}

export type SignUpInput = { email: string; password: string; displayName?: string | null };

export async function signUp(db: Database, input: SignUpInput): Promise<UserRow> {
  const email = validEmail(input.email, "input.email");
  const displayName = input.displayName?.trim() || null;
  if (displayName && displayName.length > DISPLAY_NAME_MAX) {
    throw invalidArgument("input.displayName", `must be at most ${DISPLAY_NAME_MAX} characters long`);
  }
  checkNewPassword(input.password, "input.password", [email, displayName]);
  const passwordHash = await hashPassword(input.password);
  const [user] = await db.insert(users).values({ email, displayName, passwordHash }).onConflictDoNothing().returning();
  if (!user) throw invalidArgument("input.email", "an account with this email already exists");
  return user;
}

export type SignInInput = { email: string; password: string };

const failedSignIn = () => new DomainError("UNAUTHENTICATED", "Wrong email or password");

/**
 * Each attempt spends a use of its client address's budget and of its account's from that
 * address, before the password is checked: so simultaneous attempts cannot get more guesses than
 * the budgets allow, and many aliased sign-ins in one request stop at the first refusal. Once an
 * account's free attempts from an address are spent, attempts from it go one at a time, a delay
 * apart: an attacker who knows an email cannot lock its owner out, who signs in from elsewhere, or
 * after the delay. A successful attempt gives its uses back.
 */
export async function signIn(db: Database, input: SignInInput, clientAddress: string, policy: SignInPolicy): Promise<UserRow> {
  const email = validEmail(input.email, "input.email");
  if (input.password.length > PASSWORD_MAX) throw failedSignIn();
  const key = emailKey(email);
  const addressKey = `sign-in:address:${clientAddress}`;
  const addressWait = await spend(db, { key: addressKey, max: policy.perAddress, windowMs: policy.windowMs });
  if (addressWait !== null) throw tooManyRequests("Too many sign-in attempts from this address", addressWait);
  const accountKey = `sign-in:account:${key}:${clientAddress}`;
  const slowKey = `${accountKey}:slow`;
  let spentOn = accountKey;
  if ((await spend(db, { key: accountKey, max: policy.freePerAccount, windowMs: policy.windowMs })) !== null) {
    const slowWait = await spend(db, { key: slowKey, max: 1, windowMs: policy.accountDelayMs });
    if (slowWait !== null) throw tooManyRequests("Too many failed sign-ins for this account; one attempt at a time now", slowWait);
    spentOn = slowKey;
  }

  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${key}`).limit(1);
  const check = await checkPassword(user?.passwordHash ?? (await decoyHash()), input.password);
  if (!user || !check.valid) throw failedSignIn();
  await refund(db, addressKey);
  await refund(db, spentOn);
  if (check.needsUpgrade) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
  }
  return user;
}

export const usersByIds = (db: Database, ids: readonly string[]) => db.select().from(users).where(isAnyOf(users.id, ids));

/** Serialises one user's creations within a transaction, so a per-user limit holds under concurrent calls. */
export const lockUser = (tx: Executor, userId: string) => tx.execute(sql`SELECT 1 FROM ${users} WHERE ${users.id} = ${userId} FOR UPDATE`);
