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

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
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
      try {
        const { payload } = await jwtVerify(token, await keyImport, { algorithms: ["HS256"], issuer: ISSUER, requiredClaims: ["exp", "iat", "sub", "jti", "ver"] });
        const { sub, jti, ver } = payload;
        if (typeof sub !== "string" || !isId(sub) || typeof jti !== "string" || !isId(jti) || typeof ver !== "number" || !Number.isSafeInteger(ver)) {
          return { ok: false, reason: "invalid" };
        }
        return { ok: true, userId: sub.toLowerCase(), version: ver, sessionId: jti.toLowerCase() };
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
      }
    },
  };
}
