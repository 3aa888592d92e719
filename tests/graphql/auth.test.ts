import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_MAX_FAILURES } from "../../src/domain/users.js";
import { startTestApi, type TestApi } from "../helpers/api.js";

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email displayName createdAt } } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { token user { id email } } }`;

describe("users and sign-in", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("signs up, stores an argon2id hash, and `me` answers with the token", async () => {
    const result = await api.graphql(SIGN_UP, { input: { email: "Mixed.Case@Example.com", password: "a good password", displayName: "Mia" } });
    expect(result.errors).toBeUndefined();
    const { token, user } = result.data!.signUp;
    expect(user).toMatchObject({ email: "Mixed.Case@Example.com", displayName: "Mia" });
    const [row] = await api.app.services.db.execute<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE id = ${user.id}`);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect((await api.graphql("{ me { id email } }", {}, token)).data).toEqual({ me: { id: user.id, email: user.email } });
    expect((await api.graphql("{ me { id } }")).data).toEqual({ me: null });
    expect((await api.graphql("{ me { id } }", {}, "not-a-token")).data).toEqual({ me: null });
  });

  it("treats emails as unique whatever their case, and signs in with any case", async () => {
    await api.graphql(SIGN_UP, { input: { email: "dup@example.com", password: "password one" } });
    const duplicate = await api.graphql(SIGN_UP, { input: { email: "DUP@example.com", password: "password two" } });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(duplicate.errors?.[0]?.message).toMatch(/^input\.email: /);
    const signIn = await api.graphql(SIGN_IN, { input: { email: "Dup@Example.COM", password: "password one" } });
    expect(signIn.data?.signIn.user.email).toBe("dup@example.com");
  });

  it("gives a wrong password and an unknown email the same answer", async () => {
    await api.graphql(SIGN_UP, { input: { email: "known@example.com", password: "right password" } });
    const wrong = await api.graphql(SIGN_IN, { input: { email: "known@example.com", password: "wrong password" } });
    const unknown = await api.graphql(SIGN_IN, { input: { email: "nobody@example.com", password: "wrong password" } });
    expect(wrong.errors?.[0]).toMatchObject({ message: "Wrong email or password", extensions: { code: "UNAUTHENTICATED" } });
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
    expect(unknown.errors?.[0]?.extensions).toEqual(wrong.errors?.[0]?.extensions);
  });

  it("refuses sign-ins for an email after repeated failures, even with the right password", async () => {
    await api.graphql(SIGN_UP, { input: { email: "target@example.com", password: "the real one" } });
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      await api.graphql(SIGN_IN, { input: { email: "target@example.com", password: `guess ${i}` } });
    }
    const blocked = await api.graphql(SIGN_IN, { input: { email: "TARGET@example.com", password: "the real one" } });
    expect(blocked.errors?.[0]?.extensions?.code).toBe("TOO_MANY_REQUESTS");
    const other = await api.graphql(SIGN_UP, { input: { email: "bystander@example.com", password: "another one" } });
    expect(other.errors).toBeUndefined();
  });

  it.each([
    [{ email: "not-an-email", password: "long enough" }, "input.email"],
    [{ email: "short@example.com", password: "short" }, "input.password"],
    [{ email: "long@example.com", password: "x".repeat(201) }, "input.password"],
    [{ email: "name@example.com", password: "long enough", displayName: "n".repeat(101) }, "input.displayName"],
  ])("refuses sign-up input %o naming %s, and writes nothing", async (input, argument) => {
    const result = await api.graphql(SIGN_UP, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message.startsWith(`${argument}: `)).toBe(true);
    const [row] = await api.app.services.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM users WHERE lower(email) = lower(${input.email})`);
    expect(row?.n).toBe(0);
  });
});
