import { createHmac, randomBytes } from "node:crypto";

/** Secret scanners (GitHub's among them) can be taught this prefix to find leaked keys. */
export const KEY_PREFIX = "fp_";
/** How much of a secret is shown back to recognise it: the prefix and 8 characters of 43. */
const SHOWN = KEY_PREFIX.length + 8;

export type KeySecrets = {
  /** A new secret (256 random bits), the part of it shown later, and the hash kept. */
  create: () => { secret: string; prefix: string; hash: string };
  hash: (secret: string) => string;
  /** Whether a bearer credential is a key's secret rather than a sign-in token. */
  isKey: (credential: string) => boolean;
};

/**
 * Keys are long random secrets, so a keyed fast hash is as safe as a slow one and costs
 * microseconds per request; the key of the hash derives from the server's signing secret, so a
 * stolen table alone cannot be checked against guesses.
 */
export function createKeySecrets(serverSecret: string): KeySecrets {
  const pepper = createHmac("sha256", serverSecret).update("fanpulse api keys").digest();
  const hash = (secret: string) => createHmac("sha256", pepper).update(secret).digest("hex");
  return {
    create: () => {
      const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
      return { secret, prefix: secret.slice(0, SHOWN), hash: hash(secret) };
    },
    hash,
    isKey: (credential) => credential.startsWith(KEY_PREFIX),
  };
}
