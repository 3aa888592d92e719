import { jwtVerify, SignJWT } from "jose";

export type TokenService = {
  issue: (userId: string) => Promise<string>;
  /** The user id in a valid token, or null for a missing, expired, forged or malformed one. */
  verify: (token: string) => Promise<string | null>;
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
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER });
        return typeof payload.sub === "string" ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
