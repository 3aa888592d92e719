import { errors, jwtVerify, SignJWT } from "jose";
import { isId } from "../domain/ids.js";

/** A token's verdict: whose it is and when it was issued, or why it is refused. */
export type TokenCheck = { ok: true; userId: string; issuedAt: Date } | { ok: false; reason: "expired" | "invalid" };

export type TokenService = {
  issue: (userId: string) => Promise<string>;
  verify: (token: string) => Promise<TokenCheck>;
};

const ISSUER = "fanpulse";

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    issue: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    // A token must expire and name a user id: one without exp would be good forever.
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER, requiredClaims: ["exp", "iat", "sub"] });
        if (typeof payload.sub !== "string" || !isId(payload.sub) || typeof payload.iat !== "number") return { ok: false, reason: "invalid" };
        return { ok: true, userId: payload.sub.toLowerCase(), issuedAt: new Date(payload.iat * 1000) };
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
      }
    },
  };
}
