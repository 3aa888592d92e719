import { hash, verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane (argon2id is the library's default variant). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

const isBcrypt = (stored: string) => /^\$2[abxy]\$/.test(stored);

export type PasswordCheck = { valid: boolean; needsUpgrade: boolean };

/** Accepts argon2id hashes and the bcrypt hashes of the legacy release; the latter ask to be upgraded. */
export async function checkPassword(stored: string, password: string): Promise<PasswordCheck> {
  if (isBcrypt(stored)) return { valid: await bcrypt.compare(password, stored), needsUpgrade: true };
  try {
    return { valid: await verify(stored, password), needsUpgrade: false };
  } catch {
    return { valid: false, needsUpgrade: false };
  }
}

/** A fixed hash to verify against when the email is unknown, so both failures take the same time. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword("fanpulse-decoy-password"));
