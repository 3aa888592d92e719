import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/** Secrets the server must read back (a webhook's signing secret), kept sealed at rest. */
export type SecretBox = { seal: (plain: string) => string; open: (sealed: string) => string };

/** AES-256-GCM with a key derived from the server's secret: a copy of the table alone reveals nothing. */
export function createSecretBox(serverSecret: string): SecretBox {
  const key = createHmac("sha256", serverSecret).update("fanpulse sealed secrets").digest();
  return {
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    open: (sealed) => {
      const raw = Buffer.from(sealed, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}
