import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type GraphQLResponse, type TestApi } from "../helpers/api.js";

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name scope prefix createdAt lastUsedAt expiresAt } } }`;
const TRACK = `mutation($id: String) { trackArtist(input: { spotifyId: $id }) { artist { id } } }`;

describe("API keys", () => {
  let api: TestApi;
  let owner: { token: string; userId: string };
  beforeAll(async () => {
    api = await startTestApi({ env: { REQUESTS_PER_KEY: "20", REQUESTS_PER_USER: "1000", REQUESTS_WINDOW_SECONDS: "3600" } });
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  const createKey = async (input: Record<string, unknown>, token = owner.token) => {
    const result = await api.graphql<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string; scope: string; lastUsedAt: string | null } } }>(CREATE, { input }, token);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.createApiKey;
  };
  const call = (query: string, variables: Record<string, unknown>, secret: string) => api.graphql(query, variables, secret);

  it("shows the secret once, keeps only a keyed hash, and lists the key by its prefix", async () => {
    const { secret, apiKey } = await createKey({ name: "nightly sheet", scope: "READ" });
    expect(secret).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThan(secret.length / 2);
    const stored = await api.app.services.db.execute<Record<string, unknown>>(sql`SELECT * FROM api_keys WHERE id = ${apiKey.id}`);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(3));
    const listed = await api.graphql(`{ apiKeys { id name scope prefix } }`, {}, owner.token);
    expect(listed.data?.apiKeys).toContainEqual({ id: apiKey.id, name: "nightly sheet", scope: "READ", prefix: apiKey.prefix });
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it("lets a READ key read and refuses its mutations, naming the scope", async () => {
    const { secret } = await createKey({ name: "reader", scope: "READ" });
    const me = await call(`{ me { id } myArtists { totalCount } }`, {}, secret);
    expect(me.data).toEqual({ me: { id: owner.userId }, myArtists: { totalCount: expect.any(Number) } });
    const write = await call(TRACK, { id: "4Z8W4fKeB5YxbusRsdQVPb" }, secret);
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(write.errors?.[0]?.message).toMatch(/scope is READ/);
    expect((await api.graphql(`{ myArtists { totalCount } }`, {}, owner.token)).data?.myArtists.totalCount).toBe(0);
  });

  it("lets a READ_WRITE key write, but no key manage keys, passwords or the account", async () => {
    const { secret } = await createKey({ name: "writer", scope: "READ_WRITE" });
    expect((await call(TRACK, { id: "4Z8W4fKeB5YxbusRsdQVPb" }, secret)).data?.trackArtist.artist.id).toBeTruthy();
    for (const [query, variables] of [
      [CREATE, { input: { name: "escalate", scope: "READ_WRITE" } }],
      [`{ apiKeys { id } }`, {}],
      [`mutation { signOutEverywhere }`, {}],
      [`mutation { changePassword(input: { currentPassword: "correct horse battery", newPassword: "another long passphrase" }) }`, {}],
      [`mutation { deleteAccount(password: "correct horse battery") }`, {}],
    ] as const) {
      const result = await call(query, variables, secret);
      expect(result.errors?.[0]?.extensions?.code, query).toBe("FORBIDDEN");
      expect(result.errors?.[0]?.message).toMatch(/API keys cannot manage/);
    }
  });

  it("refuses a revoked key on the next request, and an expired one, with the reason", async () => {
    const { secret, apiKey } = await createKey({ name: "short-lived", scope: "READ" });
    expect((await call(`{ me { id } }`, {}, secret)).data?.me.id).toBe(owner.userId);
    expect((await api.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: apiKey.id }, owner.token)).data).toEqual({ revokeApiKey: true });
    const revoked = await call(`{ me { id } }`, {}, secret);
    expect(revoked.status).toBe(401);
    expect(revoked.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "invalid" });

    const expiring = await createKey({ name: "expiring", scope: "READ", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await api.app.services.db.execute(sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ${expiring.apiKey.id}`);
    const expired = await call(`{ me { id } }`, {}, expiring.secret);
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "expired" });
  });

  it("refuses another user's key id, and bad input naming the field", async () => {
    const { apiKey } = await createKey({ name: "mine", scope: "READ" });
    const other = await api.signUp();
    const stolen = await api.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: apiKey.id }, other.token);
    expect(stolen.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    for (const [input, field] of [
      [{ name: "", scope: "READ" }, "input.name"],
      [{ name: "x".repeat(101), scope: "READ" }, "input.name"],
      [{ name: "past", scope: "READ", expiresAt: "2020-01-01T00:00:00Z" }, "input.expiresAt"],
    ] as const) {
      const result = await api.graphql(CREATE, { input }, owner.token);
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message.startsWith(`${field}: `)).toBe(true);
    }
  });

  it("records lastUsedAt without a write on every request", async () => {
    const { secret, apiKey } = await createKey({ name: "busy script", scope: "READ" });
    const before = api.statements.length;
    await call(`{ me { id } }`, {}, secret);
    await call(`{ me { id } }`, {}, secret);
    const writes = api.statements.slice(before).filter((s) => /^update "api_keys"/i.test(s.trim()));
    expect(writes).toHaveLength(1);
    const listed = await api.graphql<{ apiKeys: { id: string; lastUsedAt: string | null }[] }>(`{ apiKeys { id lastUsedAt } }`, {}, owner.token);
    expect(listed.data?.apiKeys.find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();
  });

  it("answers TOO_MANY_REQUESTS with when to retry once a key's budget is spent, and the user's other credentials go on", async () => {
    const { secret } = await createKey({ name: "greedy", scope: "READ" });
    const answers: GraphQLResponse[] = [];
    for (let n = 0; n < 21; n++) answers.push(await call(`{ me { id } }`, {}, secret));
    expect(answers.slice(0, 20).every((a) => a.data?.me)).toBe(true);
    const refused = answers[20]!;
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: expect.any(Number) });
    expect((await api.graphql(`{ me { id } }`, {}, owner.token)).data?.me.id).toBe(owner.userId);
  });
});

describe("a user's request budget", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { REQUESTS_PER_USER: "4", REQUESTS_WINDOW_SECONDS: "3600" } });
  });
  afterAll(() => api.close());

  it("counts every credential of the user against one budget", async () => {
    const { token } = await api.signUp();
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) statuses.push((await api.graphql(`{ me { id } }`, {}, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: '{"query":"{ me { id } }"}' });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("spends nothing on the requests of an ended session", async () => {
    const email = `ended-${Date.now()}@example.com`;
    const { token: ended } = await api.signUp(email);
    expect((await api.graphql(`mutation { signOutEverywhere }`, {}, ended)).status).toBe(200);
    for (let n = 0; n < 5; n++) expect((await api.graphql(`{ me { id } }`, {}, ended)).status).toBe(401);
    const signIn = await api.graphql<{ signIn: { token: string } }>(`mutation($input: SignInInput!) { signIn(input: $input) { token } }`, { input: { email, password: "correct horse battery" } });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await api.graphql(`{ me { id } }`, {}, signIn.data!.signIn.token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
