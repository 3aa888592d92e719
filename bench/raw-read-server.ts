/**
 * The limit of the work for the read benchmark: the same read as FanPulse's myArtists(first: 50),
 * authenticated the same way (an HS256 token), answered by one SQL statement that builds the
 * JSON, over node:http. Prints its URL when it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const key = new TextEncoder().encode(process.env.JWT_SECRET!);

const server = createServer((req, res) => {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  req.resume();
  req.on("end", async () => {
    try {
      const { payload } = await jwtVerify(token ?? "", key, { algorithms: ["HS256"] });
      const [row] = await sql<{ body: string }[]>`
        SELECT json_build_object('data', json_build_object('myArtists', json_build_object('edges', coalesce(json_agg(
          json_build_object('node', json_build_object(
            'isFavorite', ua.is_favorite, 'customNotes', ua.custom_notes, 'createdAt', ua.created_at,
            'artist', json_build_object('name', a.name, 'genres', a.genres, 'imageUrl', a.image_url,
              'trackerCount', (SELECT count(*) FROM user_artists t WHERE t.artist_id = a.id),
              'platformAccounts', (SELECT coalesce(json_agg(json_build_object('platform', upper(p.platform::text), 'externalId', p.external_id)), '[]') FROM platform_accounts p WHERE p.artist_id = a.id))))
          ORDER BY ua.created_at DESC, ua.id DESC), '[]'))))::text AS body
        FROM (SELECT * FROM user_artists WHERE user_id = ${payload.sub!} ORDER BY created_at DESC, id DESC LIMIT 50) ua
        JOIN global_artists a ON a.id = ua.artist_id`;
      res.writeHead(200, { "content-type": "application/json" }).end(row!.body);
    } catch (error) {
      if (process.env.BENCH_DEBUG) console.error(error);
      res.writeHead(401).end();
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`raw read server ready: http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
