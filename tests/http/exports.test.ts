import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";
import { insertTrackedArtist } from "../helpers/artists.js";

const HOSTILE_NOTES = ['=HYPERLINK("http://evil.example","click")', "+1-555-0100, call \"Sam\"\nafter the show", "-2+3", "@SUM(A1:A9)", "plain, with a comma"];

describe("exports", () => {
  let api: TestApi;
  let user: { token: string; userId: string };
  let artistIds: string[];
  const origin = () => api.url.replace(/\/graphql$/, "");
  const get = (path: string, credential: string | null = user.token) => fetch(`${origin()}${path}`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });

  beforeAll(async () => {
    api = await startTestApi();
    user = await api.signUp();
    const db = api.app.services.db;
    artistIds = [];
    for (const [n, notes] of HOSTILE_NOTES.entries()) {
      const { artistId, accountId } = await insertTrackedArtist(db, { platform: "deezer", externalId: String(1000 + n), name: n === 0 ? "=cmd|' /C calc'!A0" : `Artist ${n}` });
      artistIds.push(artistId);
      await db.execute(sql`INSERT INTO user_artists (user_id, artist_id, custom_notes, is_favorite, created_at) VALUES (${user.userId}, ${artistId}, ${notes}, ${n % 2 === 0}, now() - make_interval(mins => ${10 - n}))`);
      await db.execute(sql`
        INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at, source)
        SELECT ${accountId}, 'followers', d::date, 1000 * ${n + 1} + extract(day FROM d), d, 'platform'
        FROM generate_series(current_date - 39, current_date, interval '1 day') d`);
    }
  });
  afterAll(() => api.close());

  it("exports my artists as CSV that a CSV library reads back as written, formulas neutralised", async () => {
    const response = await get("/export/my-artists.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="fanpulse-my-artists\.csv"/);
    const rows: Record<string, string>[] = parse(await response.text(), { columns: true });
    expect(rows.map((r) => r.artist_id)).toEqual(artistIds);
    expect(rows[0]!.name).toBe("'=cmd|' /C calc'!A0");
    expect(rows.map((r) => r.notes)).toEqual(HOSTILE_NOTES.map((note) => (/^[=+\-@]/.test(note) ? `'${note}` : note)));
    expect(rows[1]).toMatchObject({ deezer_id: "1001", spotify_id: "", favourite: "false", deezer_followers: String(2000 + new Date().getUTCDate()) });
    expect(rows[0]!.favourite).toBe("true");
    expect(rows[0]!.added_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("exports a tracked artist's daily series for a range", async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10);
    const response = await get(`/export/artists/${artistIds[2]}/series.csv?platform=DEEZER&metric=FOLLOWERS&from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/filename="fanpulse-Artist-2-deezer-followers\.csv"/);
    const rows: { day: string; value: string; simulated: string }[] = parse(await response.text(), { columns: true });
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ day: from, value: String(3000 + Number(from.slice(8, 10))), simulated: "false" });
    expect(rows.at(-1)!.day).toBe(to);
  });

  it.each([
    ["no credentials", `/export/my-artists.csv`, null, 401, "UNAUTHENTICATED"],
    ["a platform it cannot export", `/export/artists/ARTIST/series.csv?platform=MYSPACE&metric=FOLLOWERS`, "token", 400, "BAD_USER_INPUT"],
    ["a day that does not exist", `/export/artists/ARTIST/series.csv?platform=DEEZER&metric=FOLLOWERS&from=2024-02-30`, "token", 400, "BAD_USER_INPUT"],
    ["a repeated parameter", `/export/artists/ARTIST/series.csv?platform=DEEZER&platform=SPOTIFY&metric=FOLLOWERS`, "token", 400, "BAD_USER_INPUT"],
    ["an artist id that is no id", `/export/artists/42/series.csv?platform=DEEZER&metric=FOLLOWERS`, "token", 400, "BAD_USER_INPUT"],
    ["an artist the user does not track", `/export/artists/OTHER/series.csv?platform=DEEZER&metric=FOLLOWERS`, "other", 404, "NOT_FOUND"],
  ])("refuses %s in JSON, with its status", async (_what, path, who, status, code) => {
    const other = who === "other" ? (await api.signUp()).token : null;
    const response = await get(path.replace("ARTIST", artistIds[0]!).replace("OTHER", artistIds[0]!), who === null ? null : (other ?? user.token));
    expect(response.status).toBe(status);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe(code);
  });

  it("streams 10,000 rows without holding them", async () => {
    const big = await api.signUp();
    await api.app.services.db.execute(sql`
      WITH artists AS (INSERT INTO global_artists (name) SELECT 'Bulk ' || n FROM generate_series(1, 10000) n RETURNING id)
      INSERT INTO user_artists (user_id, artist_id, custom_notes) SELECT ${big.userId}, id, repeat('note ', 40) FROM artists`);
    const response = await get("/export/my-artists.csv", big.token);
    // A body built in memory is sent with its length; a stream goes out in chunks as it is read.
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    const rows: unknown[] = parse(await response.text(), { columns: true });
    expect(rows).toHaveLength(10_000);
  });

  it("gives back everything held about the user as JSON", async () => {
    const response = await get("/export/me.json");
    expect(response.status).toBe(200);
    const data = (await response.json()) as { user: { id: string }; trackedArtists: { customNotes: string }[]; apiKeys: unknown[] };
    expect(data.user.id).toBe(user.userId);
    expect(data.trackedArtists.map((t) => t.customNotes)).toEqual(HOSTILE_NOTES);
    expect(JSON.stringify(data)).not.toMatch(/password|secret_hash|argon2/i);
  });
});
