/**
 * The limit of the work for the read benchmark: the same reads as FanPulse's, authenticated the
 * same way (an HS256 token), each answered by one SQL statement that builds the JSON, over
 * node:http. GET /my-artists is myArtists(first: 50); GET /dashboard the dashboard's counts and
 * five biggest movers; GET /chart?artist=<id> one artist's 90 days of FOLLOWERS on Spotify and
 * Deezer and its momentum history. Prints its URL when it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fillPlaceholders, sql as drizzleSql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { jwtVerify } from "jose";
import postgres from "postgres";
import { addDays, utcDay } from "../src/domain/days.js";
import { accountValuesAt } from "../src/domain/momentum/marks.js";
import { MODEL_VERSION } from "../src/domain/momentum/v1.js";

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const key = new TextEncoder().encode(process.env.JWT_SECRET!);

/** The movers' SQL is FanPulse's own (the values at the window's two ends), rendered once with the user as a parameter. */
function dashboardStatement() {
  const end = utcDay();
  const user = drizzleSql.placeholder("user");
  const query = new PgDialect().sqlToQuery(drizzleSql`
    WITH accounts AS (${accountValuesAt({ start: addDays(end, -7), end }, drizzleSql`AND a.artist_id IN (SELECT artist_id FROM user_artists WHERE user_id = ${user}::uuid)`)}),
    moved AS (
      SELECT artist_id, sum(start) AS start_value, sum("end") AS end_value FROM accounts
      WHERE start IS NOT NULL AND "end" IS NOT NULL GROUP BY artist_id HAVING sum(start) >= 1000
      ORDER BY sum("end") - sum(start) DESC, artist_id LIMIT 5
    ),
    links AS (
      SELECT l.is_favorite, (SELECT m.category FROM artist_momentum m WHERE m.artist_id = l.artist_id AND m.model_version = ${MODEL_VERSION} ORDER BY m.day DESC LIMIT 1) AS category
      FROM user_artists l WHERE l.user_id = ${user}::uuid
    )
    SELECT json_build_object('data', json_build_object('dashboard', json_build_object(
      'trackedCount', (SELECT count(*) FROM links),
      'favoriteCount', (SELECT count(*) FILTER (WHERE is_favorite) FROM links),
      'unscoredCount', (SELECT count(*) FILTER (WHERE category IS NULL) FROM links),
      'momentumCategories', (SELECT json_agg(json_build_object('category', upper(c::text), 'count', (SELECT count(*) FROM links WHERE category = c)) ORDER BY c)
        FROM unnest(enum_range(NULL::momentum_category)) c),
      'biggestMovers', (SELECT coalesce(json_agg(json_build_object('artist', json_build_object('name', a.name, 'imageUrl', a.image_url),
        'change', m.end_value - m.start_value, 'changePercent', CASE WHEN m.start_value > 0 THEN (m.end_value - m.start_value) / m.start_value * 100 END)
        ORDER BY m.end_value - m.start_value DESC, m.artist_id), '[]') FROM moved m JOIN global_artists a ON a.id = m.artist_id))))::text AS body`);
  return (userId: string) => sql.unsafe<{ body: string }[]>(query.sql, fillPlaceholders(query.params, { user: userId }) as never[]);
}
const dashboard = dashboardStatement();

const myArtists = (userId: string) => sql<{ body: string }[]>`
  SELECT json_build_object('data', json_build_object('myArtists', json_build_object('edges', coalesce(json_agg(
    json_build_object('node', json_build_object(
      'isFavorite', ua.is_favorite, 'customNotes', ua.custom_notes, 'createdAt', ua.created_at,
      'artist', json_build_object('name', a.name, 'genres', a.genres, 'imageUrl', a.image_url,
        'trackerCount', (SELECT count(*) FROM user_artists t WHERE t.artist_id = a.id),
        'platformAccounts', (SELECT coalesce(json_agg(json_build_object('platform', upper(p.platform::text), 'externalId', p.external_id)), '[]') FROM platform_accounts p WHERE p.artist_id = a.id))))
    ORDER BY ua.created_at DESC, ua.id DESC), '[]'))))::text AS body
  FROM (SELECT * FROM user_artists WHERE user_id = ${userId} ORDER BY created_at DESC, id DESC LIMIT 50) ua
  JOIN global_artists a ON a.id = ua.artist_id`;

/** FanPulse's chart range: the last 90 UTC days, today included. */
const chart = (artistId: string) => {
  const to = utcDay();
  const from = addDays(to, -89);
  const series = (platform: string) => sql`(
    SELECT coalesce(json_agg(json_build_object('capturedAt', captured_at, 'value', value) ORDER BY day), '[]') FROM (
      SELECT s.day, max(s.captured_at) AS captured_at, sum(s.value) AS value
      FROM platform_accounts p JOIN metric_snapshots s ON s.account_id = p.id
      WHERE p.artist_id = a.id AND p.platform = ${platform} AND s.metric = 'followers' AND s.day BETWEEN ${from}::date AND ${to}::date
      GROUP BY s.day) d)`;
  return sql<{ body: string }[]>`
    SELECT json_build_object('data', json_build_object('artist', json_build_object('name', a.name,
      'spotify', ${series("spotify")}, 'deezer', ${series("deezer")},
      'momentumHistory', (SELECT coalesce(json_agg(json_build_object('day', m.day, 'score', m.score, 'category', upper(m.category::text)) ORDER BY m.day), '[]')
        FROM artist_momentum m WHERE m.artist_id = a.id AND m.model_version = ${MODEL_VERSION} AND m.day BETWEEN ${from}::date AND ${to}::date))))::text AS body
    FROM global_artists a WHERE a.id = ${artistId}`;
};

const server = createServer((req, res) => {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  const url = new URL(req.url ?? "/", "http://raw");
  req.resume();
  req.on("end", async () => {
    try {
      const { payload } = await jwtVerify(token ?? "", key, { algorithms: ["HS256"] });
      const rows =
        url.pathname === "/dashboard" ? await dashboard(payload.sub!) : url.pathname === "/chart" ? await chart(url.searchParams.get("artist")!) : await myArtists(payload.sub!);
      res.writeHead(200, { "content-type": "application/json" }).end(rows[0]!.body);
    } catch (error) {
      if (process.env.BENCH_DEBUG) console.error(error);
      res.writeHead(401).end();
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`raw read server ready: http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
