import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenService } from "../../src/auth/tokens.js";

const SECRET = "a-test-secret-that-is-at-least-32-characters";
const USER = { id: "6f1c2a3e-1b2c-4d5e-8f90-123456789abc", tokenVersion: 3 };

describe("sign-in tokens", () => {
  afterEach(() => vi.useRealTimers());

  it("checks a token again from memory, and refuses it once it has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const tokens = createTokenService(SECRET, 60);
    const token = await tokens.issue(USER);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ ok: true, userId: USER.id, version: 3 });
    expect(await tokens.verify(token)).toEqual(first);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: "expired" });
  });

  it("does not take a token that differs from a checked one by its signature", async () => {
    const tokens = createTokenService(SECRET, 60);
    const token = await tokens.issue(USER);
    expect((await tokens.verify(token)).ok).toBe(true);
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(token.length - token.lastIndexOf(".") - 1)}`;
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: "invalid" });
    expect(await createTokenService("another-secret-that-is-at-least-32-chars", 60).verify(token)).toEqual({ ok: false, reason: "invalid" });
  });
});
