import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

const PASSWORD = "correct horse battery";
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { token } }`;
const ME = `{ me { id } }`;

describe("the account: sessions, password, deletion", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const newUser = async () => {
    const email = `account-${Math.random().toString(36).slice(2)}@example.com`;
    const { token, userId } = await api.signUp(email);
    return { email, token, userId };
  };
  const signIn = async (email: string, password = PASSWORD) => (await api.graphql<{ signIn: { token: string } }>(SIGN_IN, { input: { email, password } })).data?.signIn.token;
  const reason = async (token: string) => {
    const result = await api.graphql(ME, {}, token);
    return result.status === 401 ? result.errors?.[0]?.extensions?.reason : result.data?.me ? "ok" : "anonymous";
  };

  it("signOutEverywhere ends every token issued before, and a new sign-in works", async () => {
    const user = await newUser();
    const laptop = (await signIn(user.email))!;
    expect(await api.graphql(`mutation { signOutEverywhere }`, {}, user.token)).toMatchObject({ data: { signOutEverywhere: true } });
    expect(await reason(user.token)).toBe("revoked");
    expect(await reason(laptop)).toBe("revoked");
    expect(await reason((await signIn(user.email))!)).toBe("ok");
  });

  it("changePassword checks the current one and the rules, ends the other sessions and keeps this one", async () => {
    const user = await newUser();
    const phone = (await signIn(user.email))!;
    const change = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
    const wrong = await api.graphql(change, { input: { currentPassword: "not my password", newPassword: "a brand new passphrase" } }, user.token);
    expect(wrong.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^input\.currentPassword: /), extensions: { code: "BAD_USER_INPUT" } });
    const weak = await api.graphql(change, { input: { currentPassword: PASSWORD, newPassword: "password" } }, user.token);
    expect(weak.errors?.[0]?.message).toMatch(/^input\.newPassword: /);
    expect(await reason(phone)).toBe("ok");

    expect((await api.graphql(change, { input: { currentPassword: PASSWORD, newPassword: "a brand new passphrase" } }, user.token)).data).toEqual({ changePassword: true });
    expect(await reason(user.token)).toBe("ok");
    expect(await reason(phone)).toBe("revoked");
    expect(await signIn(user.email)).toBeUndefined();
    expect(await signIn(user.email, "a brand new passphrase")).toBeTruthy();
    // Signing out everywhere later ends the session that changed the password too.
    await api.graphql(`mutation { signOutEverywhere }`, {}, user.token);
    expect(await reason(user.token)).toBe("revoked");
  });

  it("deleteAccount removes everything private to the user, and the shared artist keeps serving its other users", async () => {
    const leaving = await newUser();
    const staying = await newUser();
    const track = `mutation { trackArtist(input: { spotifyId: "6eUKZXaKkcviH0Ku9w2n3V" }) { artist { id } } }`;
    const artistId = (await api.graphql(track, {}, leaving.token)).data?.trackArtist.artist.id as string;
    await api.graphql(track, {}, staying.token);
    await api.graphql(`mutation($id: ID!) { updateTrackedArtist(input: { artistId: $id, isFavorite: true, customNotes: "my secret plan" }) { id } }`, { id: artistId }, leaving.token);
    const key = await api.graphql(`mutation { createApiKey(input: { name: "script", scope: READ }) { secret } }`, {}, leaving.token);
    const secret = key.data?.createApiKey.secret as string;
    await api.graphql(`{ me { id } }`, {}, secret);
    await signIn(leaving.email, "a wrong password");

    const refused = await api.graphql(`mutation { deleteAccount(password: "not it") }`, {}, leaving.token);
    expect(refused.errors?.[0]?.message).toMatch(/^password: /);
    expect(await reason(leaving.token)).toBe("ok");

    expect((await api.graphql(`mutation { deleteAccount(password: "${PASSWORD}") }`, {}, leaving.token)).data).toEqual({ deleteAccount: true });
    expect(await reason(leaving.token)).toBe("account_deleted");
    expect((await api.graphql(ME, {}, secret)).status).toBe(401);

    // No row of any table mentions the user's id or email any more.
    const tables = await api.app.services.db.execute<{ table_name: string }>(
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_\\_%'`,
    );
    for (const { table_name } of tables) {
      const [row] = await api.app.services.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.identifier(table_name)} t WHERE t::text ILIKE ${`%${leaving.userId}%`} OR t::text ILIKE ${`%${leaving.email}%`}`,
      );
      expect(row?.n, table_name).toBe(0);
    }
    const shared = await api.graphql(`query($id: ID!) { artist(id: $id) { trackerCount platformAccounts { externalId } } }`, { id: artistId }, staying.token);
    expect(shared.data?.artist).toEqual({ trackerCount: 1, platformAccounts: [{ externalId: "6eUKZXaKkcviH0Ku9w2n3V" }] });
  });
});
