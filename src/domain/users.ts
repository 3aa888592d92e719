import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { checkPassword, decoyHash, hashPassword } from "../auth/passwords.js";
import type { Database } from "../db/client.js";
import { signInAttempts, users, type UserRow } from "../db/schema.js";
import { DomainError, invalidArgument } from "./errors.js";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
export const DISPLAY_NAME_MAX = 100;
/** Failed sign-ins allowed per email within the window before further attempts are refused. */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

const emailSchema = z.email().max(254);

const emailKey = (email: string) => email.trim().toLowerCase();

function validEmail(email: string, argument: string): string {
  const trimmed = email.trim();
  if (!emailSchema.safeParse(trimmed).success) throw invalidArgument(argument, "must be a valid email address");
  return trimmed;
}

export type SignUpInput = { email: string; password: string; displayName?: string | null };

export async function signUp(db: Database, input: SignUpInput): Promise<UserRow> {
  const email = validEmail(input.email, "input.email");
  if (input.password.length < PASSWORD_MIN || input.password.length > PASSWORD_MAX) {
    throw invalidArgument("input.password", `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  const displayName = input.displayName?.trim() || null;
  if (displayName && displayName.length > DISPLAY_NAME_MAX) {
    throw invalidArgument("input.displayName", `must be at most ${DISPLAY_NAME_MAX} characters long`);
  }
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .insert(users)
    .values({ email, displayName, passwordHash })
    .onConflictDoNothing()
    .returning();
  if (!user) throw invalidArgument("input.email", "an account with this email already exists");
  return user;
}

export type SignInInput = { email: string; password: string };

const failedSignIn = () => new DomainError("UNAUTHENTICATED", "Wrong email or password");

export async function signIn(db: Database, input: SignInInput): Promise<UserRow> {
  const key = emailKey(input.email);
  const since = sql`now() - make_interval(secs => ${SIGN_IN_WINDOW_SECONDS})`;
  const [recent] = await db
    .select({ failures: sql<number>`count(*)::int` })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.emailKey, key), gt(signInAttempts.attemptedAt, since)));
  if ((recent?.failures ?? 0) >= SIGN_IN_MAX_FAILURES) {
    throw new DomainError(
      "TOO_MANY_REQUESTS",
      `Too many failed sign-ins for this email; try again in ${SIGN_IN_WINDOW_SECONDS / 60} minutes`,
    );
  }
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${key}`).limit(1);
  const check = await checkPassword(user?.passwordHash ?? (await decoyHash()), input.password);
  if (!user || !check.valid) {
    await db.insert(signInAttempts).values({ emailKey: key });
    throw failedSignIn();
  }
  await db.delete(signInAttempts).where(eq(signInAttempts.emailKey, key));
  if (check.needsUpgrade) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
  }
  return user;
}

export const usersByIds = (db: Database, ids: readonly string[]) => db.select().from(users).where(inArray(users.id, [...ids]));
