import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { isId } from "../domain/ids.js";

/** A sign-in token's verdict: whose session it is and at which token version, or why it is refused. */
export type TokenCheck = { ok: true; userId: string; version: number; sessionId: string } | { ok: false; reason: "expired" | "invalid" };

export type TokenService = {
  /** A new session's token, at the user's current token version. */
  issue: (user: { id: string; tokenVersion: number }) => Promise<string>;
  verify: (token: string) => Promise<TokenCheck>;
};

const ISSUER = "fanpulse";

/** How many checked tokens a process remembers (a few MB). */
const VERIFIED_TOKENS = 10_000;

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  /**
   * Tokens whose signature and claims were checked, until they expire: a client sends the same
   * token with every request, and checking its HMAC again was 5% of a busy server's time. Only a
   * token identical to one that was checked is found, so this trusts nothing new; the oldest
   * entries go first. Whether the session is still current is the database's to say, every time.
   */
  const verified = new Map<string, { check: TokenCheck; expiresAtMs: number }>();
  // Imported once: given the raw secret, jose imports it again for every token it signs or checks.
  const keyImport = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return {
    issue: async (user) =>
      new SignJWT({ ver: user.tokenVersion })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await keyImport),
    // A token must expire, name a user id, a session and a version: one without exp would be good forever.
    verify: async (token) => {
      const known = verified.get(token);
      if (known) return known.expiresAtMs > Date.now() ? known.check : { ok: false, reason: "expired" };
      try {
        const { payload } = await jwtVerify(token, await keyImport, { algorithms: ["HS256"], issuer: ISSUER, requiredClaims: ["exp", "iat", "sub", "jti", "ver"] });
        const { sub, jti, ver, exp } = payload;
        if (typeof sub !== "string" || !isId(sub) || typeof jti !== "string" || !isId(jti) || typeof ver !== "number" || !Number.isSafeInteger(ver)) {
          return { ok: false, reason: "invalid" };
        }
        const check = { ok: true, userId: sub.toLowerCase(), version: ver, sessionId: jti.toLowerCase() } as const;
        if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
        verified.set(token, { check, expiresAtMs: exp! * 1000 });
        return check;
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
      }
    },
  };
}
