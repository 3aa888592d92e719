import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepBudgets } from "../../src/domain/budgets.js";
import { startTestApi, TEST_JWT_SECRET, type GraphQLResponse, type TestApi } from "../helpers/api.js";

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email displayName createdAt } } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { token user { id email } } }`;
const GOOD_PASSWORD = "correct horse battery";

describe("users and sign-in", () => {
  let api: TestApi;
  /** A request from a client address of our choice: the API trusts X-Forwarded-For from loopback here. */
  const from = (address: string, query: string, variables: Record<string, unknown>) =>
    fetch(api.url, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": address }, body: JSON.stringify({ query, variables }) }).then(
      async (r) => ({ status: r.status, ...((await r.json()) as object) }) as GraphQLResponse,
    );
  const signIn = (address: string, email: string, password: string) => from(address, SIGN_IN, { input: { email, password } });
  const codes = (results: GraphQLResponse[]) => results.map((r) => (r.errors ? r.errors[0]?.extensions?.code : "OK"));

  beforeAll(async () => {
    api = await startTestApi({ env: { TRUST_PROXY: "loopback", SIGN_IN_ATTEMPTS_PER_ADDRESS: "20", SIGN_IN_FREE_ATTEMPTS_PER_ACCOUNT: "5", SIGN_IN_ACCOUNT_DELAY_SECONDS: "2" } });
  });
  afterAll(() => api.close());

  it("signs up, stores an argon2id hash, and `me` answers with the token, null without one", async () => {
    const result = await api.graphql(SIGN_UP, { input: { email: "Mixed.Case@Example.com", password: "a good password", displayName: "Mia" } });
    expect(result.errors).toBeUndefined();
    const { token, user } = result.data!.signUp;
    expect(user).toMatchObject({ email: "Mixed.Case@Example.com", displayName: "Mia" });
    const [row] = await api.app.services.db.execute<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE id = ${user.id}`);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect((await api.graphql("{ me { id email } }", {}, token)).data).toEqual({ me: { id: user.id, email: user.email } });
    expect((await api.graphql("{ me { id } }")).data).toEqual({ me: null });
  });

  it("treats emails as unique whatever their case, and signs in with any case", async () => {
    await api.graphql(SIGN_UP, { input: { email: "dup@example.com", password: "password one two" } });
    const duplicate = await api.graphql(SIGN_UP, { input: { email: "DUP@example.com", password: "password two three" } });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(duplicate.errors?.[0]?.message).toMatch(/^input\.email: /);
    const signedIn = await api.graphql(SIGN_IN, { input: { email: "Dup@Example.COM", password: "password one two" } });
    expect(signedIn.data?.signIn.user.email).toBe("dup@example.com");
  });

  it("gives a wrong password and an unknown email the same answer", async () => {
    await api.graphql(SIGN_UP, { input: { email: "known@example.com", password: "right password here" } });
    const wrong = await signIn("10.1.0.1", "known@example.com", "wrong password");
    const unknown = await signIn("10.1.0.1", "nobody@example.com", "wrong password");
    expect(wrong.errors?.[0]).toMatchObject({ message: "Wrong email or password", extensions: { code: "UNAUTHENTICATED" } });
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
    expect(unknown.errors?.[0]?.extensions).toEqual(wrong.errors?.[0]?.extensions);
  });

  it("checks no more guesses than the limit when attempts arrive all at once, even with the right password among them", async () => {
    await api.graphql(SIGN_UP, { input: { email: "raced@example.com", password: GOOD_PASSWORD } });
    const attempts = Array.from({ length: 30 }, (_, i) => signIn("10.2.0.1", "raced@example.com", i === 20 ? GOOD_PASSWORD : `guess number ${i}`));
    const results = codes(await Promise.all(attempts));
    // Five free attempts and one in the slow lane were checked; every other was refused before its password was.
    expect(results.filter((c) => c !== "TOO_MANY_REQUESTS").length).toBe(6);
    expect(results.filter((c) => c === "TOO_MANY_REQUESTS").length).toBe(24);
  });

  it("cannot lock an owner out: another address signs in, and the attacker's own address goes one attempt at a time", async () => {
    await api.graphql(SIGN_UP, { input: { email: "target@example.com", password: GOOD_PASSWORD } });
    for (let i = 0; i < 5; i++) expect(codes([await signIn("10.3.0.1", "target@example.com", `guess ${i}`)])).toEqual(["UNAUTHENTICATED"]);
    const slow = await signIn("10.3.0.1", "target@example.com", "guess 5");
    expect(slow.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const refused = await signIn("10.3.0.1", "target@example.com", "guess 6");
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: expect.any(Number) });
    // The owner, elsewhere, is not held up at all.
    expect((await signIn("10.3.0.2", "target@example.com", GOOD_PASSWORD)).data?.signIn.user.email).toBe("target@example.com");
    // Nor from the attacker's address, once the delay has passed.
    const owner = await waitForAllowed(() => signIn("10.3.0.1", "target@example.com", GOOD_PASSWORD));
    expect(owner.data?.signIn.user.email).toBe("target@example.com");
  });

  it("tries no more passwords than an address may, however many sign-ins one request holds", async () => {
    const aliases = (batch: number) => `mutation { ${Array.from({ length: 30 }, (_, i) => `a${i}: signIn(input: { email: "alias${batch}-${i}@example.com", password: "guess" }) { token }`).join(" ")} }`;
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "10.4.0.1" },
      body: JSON.stringify(Array.from({ length: 10 }, (_, batch) => ({ query: aliases(batch) }))),
    });
    const checked = ((await response.json()) as GraphQLResponse[]).flatMap((b) => b.errors ?? []).filter((e) => e.extensions?.code === "UNAUTHENTICATED");
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(20);
    // One at a time, the address's budget stops the 21st attempt.
    const results = [];
    for (let i = 0; i < 23; i++) results.push(await signIn("10.4.0.2", `spray${i}@example.com`, "guess"));
    expect(codes(results)).toEqual([...Array(20).fill("UNAUTHENTICATED"), ...Array(3).fill("TOO_MANY_REQUESTS")]);
    expect(results[22]!.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
  });

  it("keeps the attempts it counts bounded, and forgets them", async () => {
    const db = api.app.services.db;
    const [counts] = await db.execute<{ most: number }>(sql`SELECT max(n)::int AS most FROM (SELECT count(*) AS n FROM budget_uses GROUP BY key) k`);
    expect(counts!.most).toBeLessThanOrEqual(20);
    await db.execute(sql`UPDATE budget_uses SET used_at = used_at - interval '2 days'`);
    await sweepBudgets(db);
    const [left] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM budget_uses`);
    expect(left!.n).toBe(0);
  });

  it.each([
    ["an invalid email", { email: "not-an-email", password: "long enough here" }, "input.email", /valid email/],
    ["a 90 KB email", { email: `${"x".repeat(90_000)}@example.com`, password: "long enough here" }, "input.email", /at most 254/],
    ["a short password", { email: "short@example.com", password: "short" }, "input.password", /8 to 200/],
    ["a long password", { email: "long@example.com", password: "x".repeat(201) }, "input.password", /8 to 200/],
    ['"password"', { email: "common@example.com", password: "password" }, "input.password", /too easy to guess: This is a heavily used password/],
    ['"12345678"', { email: "digits@example.com", password: "12345678" }, "input.password", /too easy to guess/],
    ["eight spaces", { email: "spaces@example.com", password: "        " }, "input.password", /too easy to guess/],
    ["the email as password", { email: "itself@example.com", password: "itself@example.com" }, "input.password", /must not contain your email/],
    ["a long display name", { email: "name@example.com", password: "long enough here", displayName: "n".repeat(101) }, "input.displayName", /at most 100/],
  ])("refuses sign-up with %s, naming the argument, saying why, and writes nothing", async (_what, input, argument, why) => {
    const result = await api.graphql(SIGN_UP, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message.startsWith(`${argument}: `)).toBe(true);
    expect(result.errors?.[0]?.message).toMatch(why);
    const [row] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM users WHERE lower(email) = lower(${input.email})`);
    expect(row?.n).toBe(0);
  });

  it("refuses an over-long email at sign-in as bad input, and counts nothing for it", async () => {
    const result = await signIn("10.5.0.1", `${"y".repeat(90_000)}@example.com`, "whatever");
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "input.email" } });
    const [row] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM budget_uses WHERE length(key) > 1000`);
    expect(row?.n).toBe(0);
  });

  describe("tokens", () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const forge = (claims: { sub?: string; exp?: number; iat?: boolean }) => {
      // Every claim a real token has, but for the ones the case leaves out.
      const jwt = new SignJWT({ ver: 0 }).setProtectedHeader({ alg: "HS256" }).setIssuer("fanpulse").setJti(randomUUID());
      if (claims.sub) jwt.setSubject(claims.sub);
      if (claims.iat !== false) jwt.setIssuedAt();
      if (claims.exp) jwt.setExpirationTime(claims.exp);
      return jwt.sign(key);
    };
    const me = async (token: string) => {
      const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: '{"query":"{ me { id } }"}' });
      return { status: response.status, body: (await response.json()) as GraphQLResponse };
    };

    it.each([
      ["without an expiry", async (id: string) => forge({ sub: id }), "invalid"],
      ["with a subject that is no user id", async () => forge({ sub: "admin", exp: Math.floor(Date.now() / 1000) + 60 }), "invalid"],
      ["signed with another secret", async (id: string) => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer("fanpulse").setSubject(id).setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode("x".repeat(40))), "invalid"],
      ["expired", async (id: string) => forge({ sub: id, exp: Math.floor(Date.now() / 1000) - 10 }), "expired"],
      ["not a token at all", async () => "not-a-token", "invalid"],
    ])("refuses a token %s with UNAUTHENTICATED and the reason, not as an anonymous caller", async (_what, make, reason) => {
      const { userId } = await api.signUp();
      const { status, body } = await me(await make(userId));
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason });
      expect(body.data).toBeUndefined();
    });

    it("refuses the token of a user who no longer exists", async () => {
      const { token, userId } = await api.signUp();
      await api.app.services.db.execute(sql`DELETE FROM users WHERE id = ${userId}::uuid`);
      const { status, body } = await me(token);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "account_deleted" });
    });
  });
});

/** Retries an attempt refused for being too soon until its delay has passed. */
async function waitForAllowed(attempt: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  for (;;) {
    const result = await attempt();
    const retryAfter = result.errors?.[0]?.extensions?.retryAfter;
    if (result.errors?.[0]?.extensions?.code !== "TOO_MANY_REQUESTS" || typeof retryAfter !== "number") return result;
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}
