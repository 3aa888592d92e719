/**
 * The read the frontend makes most, myArtists(first: 50), served by FanPulse in production mode
 * and, in the same run, by a raw-SQL server (bench/raw-read-server.ts), both driven by autocannon
 * with a random user's token per request. Usage:
 *   npm run bench:read -- [--users 1000] [--artists 10000] [--links 50] [--connections 50] [--seconds 20] [--rounds 2]
 * Uses DATABASE_URL's server when set (creating and dropping a database of its own), otherwise
 * an embedded PostgreSQL in a temporary folder.
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createTokenService } from "../src/auth/tokens.js";
import { createDatabase } from "../src/db/client.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { startScratchServer } from "../src/db/scratch-server.js";
import { createLogger } from "../src/logger.js";

const { values } = parseArgs({
  options: { users: { type: "string" }, artists: { type: "string" }, links: { type: "string" }, connections: { type: "string" }, seconds: { type: "string" }, rounds: { type: "string" } },
});
const USERS = Number(values.users ?? 1_000);
const ARTISTS = Number(values.artists ?? 10_000);
const LINKS = Number(values.links ?? 50);
const CONNECTIONS = Number(values.connections ?? 50);
const SECONDS = Number(values.seconds ?? 20);
const ROUNDS = Number(values.rounds ?? 2);
const SECRET = "bench-secret-that-is-at-least-32-characters";

const QUERY = `query MyArtists { myArtists(first: 50) { edges { node { isFavorite customNotes createdAt artist { name genres imageUrl trackerCount platformAccounts { platform externalId } } } } } }`;

/** A child process, and the URL it prints when ready. */
function start(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const url = ready.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${out}`)));
  });
}

/** The most memory a process has held (VmHWM), in MB. */
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

type Result = { rps: number; p50: number; p99: number; errors: number };

async function drive(url: string, body: (token: string) => string | undefined, method: "GET" | "POST", tokens: string[]): Promise<Result> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method,
        setupRequest: (request) => {
          const token = tokens[Math.floor(Math.random() * tokens.length)]!;
          return { ...request, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: body(token) };
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main() {
  const logger = createLogger("warn");
  const server = await startScratchServer(logger, "bench-read");
  const name = `fanpulse_bench_read_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = server.urlOf(name);
  const children: ChildProcess[] = [];
  try {
    await migrateDatabase(url, logger);
    const database = createDatabase(url);
    const db = database.db;
    await db.execute(sql`INSERT INTO global_artists (name, genres, image_url) SELECT 'Artist ' || n, ARRAY['indie', 'pop'], 'https://img.example/' || n || '.jpg' FROM generate_series(1, ${ARTISTS}) n`);
    await db.execute(sql`
      INSERT INTO platform_accounts (artist_id, platform, external_id, linked_by, simulated)
      SELECT id, 'spotify'::platform, lpad(n::text, 22, '0'), 'tracked'::account_link_source, true FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM global_artists) a
      UNION ALL
      SELECT id, 'deezer'::platform, n::text, 'name_match'::account_link_source, true FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM global_artists) a WHERE n % 2 = 0`);
    await db.execute(sql`INSERT INTO users (email, password_hash) SELECT 'reader' || n || '@example.com', 'not a hash' FROM generate_series(1, ${USERS}) n`);
    await db.execute(sql`
      WITH u AS (SELECT id, row_number() OVER (ORDER BY id) n FROM users), a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM global_artists)
      INSERT INTO user_artists (user_id, artist_id, is_favorite, custom_notes, created_at)
      SELECT u.id, a.id, k % 7 = 0, CASE WHEN k % 3 = 0 THEN 'note ' || k END, now() - make_interval(mins => k)
      FROM u CROSS JOIN generate_series(0, ${LINKS - 1}) k JOIN a ON a.i = (u.n * 7919 + k * 211) % ${ARTISTS}
      ON CONFLICT DO NOTHING`);
    await db.execute(sql`ANALYZE`);
    const users = await db.execute<{ id: string }>(sql`SELECT id FROM users`);
    await database.close();
    const issuer = createTokenService(SECRET, 24 * 3600);
    const tokens = await Promise.all(users.map((u) => issuer.issue({ id: u.id, tokenVersion: 0 })));

    const env = { DATABASE_URL: url, JWT_SECRET: SECRET };
    const fanpulse = await start(
      "node",
      [...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []), "dist/main.js", "api"],
      { ...env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", PROVIDERS: "simulated", LOG_LEVEL: "warn", REQUESTS_PER_USER: "100000000" },
      /FanPulse is ready: (\S+)/,
    );
    children.push(fanpulse.child);
    const raw = await start("node", ["--import", "tsx", "bench/raw-read-server.ts"], env, /raw read server ready: (\S+)/);
    children.push(raw.child);

    // Both answer the same read: the same artists, in the same order, with the same figures.
    const sample = async (target: string, init: RequestInit) => {
      const body = (await (await fetch(target, init)).json()) as { data: { myArtists: { edges: { node: { isFavorite: boolean; artist: { name: string; trackerCount: number; platformAccounts: unknown[] } } }[] } } };
      return body.data.myArtists.edges.map(({ node }) => [node.isFavorite, node.artist.name, node.artist.trackerCount, node.artist.platformAccounts]);
    };
    const headers = { "content-type": "application/json", authorization: `Bearer ${tokens[0]}` };
    const expected = JSON.stringify(await sample(raw.url, { headers }));
    if (expected !== JSON.stringify(await sample(fanpulse.url, { method: "POST", headers, body: JSON.stringify({ query: QUERY }) })) || expected.length < 100) {
      throw new Error("FanPulse and the raw server do not answer the same read");
    }

    const ours: Result[] = [];
    const base: Result[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      base.push(await drive(raw.url, () => undefined, "GET", tokens));
      ours.push(await drive(fanpulse.url, () => JSON.stringify({ query: QUERY }), "POST", tokens));
      process.stderr.write(`round ${round}: raw ${base.at(-1)!.rps.toFixed(0)} req/s, FanPulse ${ours.at(-1)!.rps.toFixed(0)} req/s\n`);
    }
    const rss = peakRssMb(fanpulse.child.pid!);
    const row = (label: string, results: Result[]) =>
      `| ${label} | ${results.map((r) => r.rps.toFixed(0)).join(", ")} | ${results.map((r) => r.p50).join(", ")} ms | ${results.map((r) => r.p99).join(", ")} ms | ${results.reduce((n, r) => n + r.errors, 0)} |`;
    console.log(`\nmyArtists(first: 50): ${USERS.toLocaleString("en")} users, ${ARTISTS.toLocaleString("en")} artists, ${LINKS} links each; ${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} rounds interleaved`);
    console.log(`| server | requests/s per round | p50 | p99 | errors |`);
    console.log(`| --- | --- | --- | --- | --- |`);
    console.log(row("raw SQL over node:http", base));
    console.log(row("FanPulse (production mode)", ours));
    const ratios = ours.map((r, i) => r.rps / base[i]!.rps);
    console.log(`\nFanPulse served ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(" and ")} of the raw server's requests per second; its peak RSS was ${rss.toFixed(0)} MB.`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}

await main();
