/**
 * The frontend's reads, served by FanPulse in production mode and, in the same run, by a raw-SQL
 * server (bench/raw-read-server.ts), both driven by autocannon with a random user's token per
 * request: myArtists(first: 50) (the read it makes most), the dashboard, and a chart page (one
 * artist's 90 days of FOLLOWERS on Spotify and Deezer and its momentum history). Usage:
 *   npm run bench:read -- [--users 1000] [--artists 10000] [--links 50] [--connections 50] [--seconds 20] [--rounds 2] [--reads myArtists,dashboard,chart]
 * Uses DATABASE_URL's server when set (creating and dropping a database of its own), otherwise
 * an embedded PostgreSQL in a temporary folder. BENCH_BEFORE=<folder of another build's main.js>
 * drives that build too, in the same rounds, for a before and after measured side by side.
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { createTokenService } from "../src/auth/tokens.js";
import { createDatabase } from "../src/db/client.js";
import { withScratchDatabase } from "./scratch-database.js";
import { processStat, serverProcesses } from "../src/db/embedded/processes.js";
import { createLogger } from "../src/logger.js";

const { values } = parseArgs({
  options: { users: { type: "string" }, artists: { type: "string" }, links: { type: "string" }, connections: { type: "string" }, seconds: { type: "string" }, rounds: { type: "string" }, reads: { type: "string" } },
});
const USERS = Number(values.users ?? 1_000);
const ARTISTS = Number(values.artists ?? 10_000);
const LINKS = Number(values.links ?? 50);
const CONNECTIONS = Number(values.connections ?? 50);
const SECONDS = Number(values.seconds ?? 20);
const WARM_UP_SECONDS = 5;
const ROUNDS = Number(values.rounds ?? 2);
const SECRET = "bench-secret-that-is-at-least-32-characters";

/**
 * The Node options `npm run api` gives a build (the heap ceiling of its package.json's
 * config.heapMb, or FANPULSE_HEAP_MB; none before there was one), so the bench runs it as
 * production does.
 */
function nodeOptionsOf(buildDir: string): string[] {
  const packageFile = join(buildDir, "..", "package.json");
  const heapMb = existsSync(packageFile) ? (JSON.parse(readFileSync(packageFile, "utf8")) as { config?: { heapMb?: string } }).config?.heapMb : undefined;
  return heapMb ? [`--max-old-space-size=${process.env.FANPULSE_HEAP_MB || heapMb}`] : [];
}

/** Days of figures and momentum seeded for every artist with a Deezer account (the chart's artists), today included. */
const DAYS = 100;

type Read = {
  name: string;
  /** FanPulse's GraphQL request for a random caller (a chart asks for a random chart artist). */
  query: (artist: string) => { query: string; variables?: Record<string, unknown> };
  /** The raw server's path for the same read. */
  path: (artist: string) => string;
  /** What both must answer alike: the numbers and names, not how each prints a timestamp. */
  essence: (data: any) => unknown;
};

const points = (series: { capturedAt: string; value: number }[]) => series.map((p) => [Date.parse(p.capturedAt), p.value]);

const ALL_READS: Read[] = [
  {
    name: "myArtists(first: 50)",
    query: () => ({ query: `query MyArtists { myArtists(first: 50) { edges { node { isFavorite customNotes createdAt artist { name genres imageUrl trackerCount platformAccounts { platform externalId } } } } } }` }),
    path: () => "/my-artists",
    essence: (data) => data.myArtists.edges.map(({ node }: any) => [node.isFavorite, node.artist.name, node.artist.trackerCount, node.artist.platformAccounts]),
  },
  {
    name: "dashboard",
    query: () => ({
      query: `query Dashboard { dashboard { trackedCount favoriteCount unscoredCount momentumCategories { category count } biggestMovers { artist { name imageUrl } change changePercent } } }`,
    }),
    path: () => "/dashboard",
    essence: ({ dashboard: d }) => [d.trackedCount, d.favoriteCount, d.unscoredCount, d.momentumCategories, d.biggestMovers],
  },
  {
    name: "chart (90 days, two platforms, momentum)",
    query: (artist) => ({
      query: `query Chart($id: ID!) { artist(id: $id) { name spotify: metricSeries(platform: SPOTIFY, metric: FOLLOWERS) { capturedAt value } deezer: metricSeries(platform: DEEZER, metric: FOLLOWERS) { capturedAt value } momentumHistory { day score category } } }`,
      variables: { id: artist },
    }),
    path: (artist) => `/chart?artist=${artist}`,
    essence: ({ artist: a }) => [a.name, points(a.spotify), points(a.deezer), a.momentumHistory],
  },
];

/** The reads to drive: all of them, or those whose names start with one of `--reads`. */
const READS = values.reads ? ALL_READS.filter((read) => values.reads!.split(",").some((name) => read.name.startsWith(name))) : ALL_READS;
if (READS.length === 0) throw new Error(`--reads names none of: ${ALL_READS.map((read) => read.name).join(", ")}`);

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

/** CPU time (user and system) a process has used, in ms (/proc counts it in ticks of 10 ms); 0 once it has ended. */
function cpuMs(pid: number): number {
  const fields = processStat(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : 0;
}

/** CPU time used by a postmaster and its backends still running (they live as long as their pool's connections). */
const databaseCpuMs = (postmaster: number) => serverProcesses(postmaster).reduce((total, pid) => total + cpuMs(pid), 0);

/**
 * A round's figures. CPU times are per request, steadier than requests/s on a shared machine: the
 * server process's (`cpuMs`), and the embedded database's (`dbCpuMs`; null with DATABASE_URL).
 */
type Result = { rps: number; p50: number; p99: number; errors: number; cpuMs: number; dbCpuMs: number | null };

/** The embedded database's postmaster, when there is one. */
let databasePid: number | null = null;

/** A random caller's token and a random chart artist, for each request. */
type Pick = { token: string; artist: string };

async function drive(
  url: string,
  pid: number,
  request: (pick: Pick) => { path?: string; body?: string },
  method: "GET" | "POST",
  tokens: string[],
  artists: string[],
  seconds = SECONDS,
): Promise<Result> {
  const cpuBefore = cpuMs(pid);
  const dbCpuBefore = databasePid === null ? 0 : databaseCpuMs(databasePid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method,
        setupRequest: (req) => {
          const token = tokens[Math.floor(Math.random() * tokens.length)]!;
          const artist = artists[Math.floor(Math.random() * artists.length)]!;
          return { ...req, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, ...request({ token, artist }) };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMs: (cpuMs(pid) - cpuBefore) / Math.max(1, result.requests.total),
    dbCpuMs: databasePid === null ? null : (databaseCpuMs(databasePid) - dbCpuBefore) / Math.max(1, result.requests.total),
  };
}

async function main() {
  const logger = createLogger("warn");
  const children: ChildProcess[] = [];
  await withScratchDatabase("bench-read", logger, async ({ url, serverPid }) => {
    databasePid = serverPid;
    try {
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
      // The chart's artists (those with a Deezer account) have DAYS days of followers on each account and of momentum; the others are unscored.
      await db.execute(sql`
        INSERT INTO metric_snapshots (account_id, metric, day, value, captured_at, source)
        SELECT p.id, 'followers', current_date - k, 10000 + (n % 97) * 1000 + (n % 13) * (${DAYS} - k) * 10 + (CASE WHEN p.platform = 'deezer' THEN 500 ELSE 0 END),
          (current_date - k) + interval '6 hours', 'simulated'
        FROM (SELECT p.*, row_number() OVER (ORDER BY p.artist_id, p.platform) n FROM platform_accounts p) p CROSS JOIN generate_series(0, ${DAYS - 1}) k`);
      await db.execute(sql`
        INSERT INTO artist_momentum (artist_id, day, model_version, score, z, category, growth7d, growth28d, acceleration, audience, tier, peer_group, peer_count, peer_mean, peer_sd)
        SELECT a.id, current_date - k, 'v1', s, (s - 50) / 15, (CASE WHEN s < 30 THEN 'declining' WHEN s < 55 THEN 'steady' WHEN s < 70 THEN 'growing' WHEN s < 85 THEN 'high' ELSE 'explosive' END)::momentum_category,
          0.01, 0.04, 0.001, 20000, 1, 'tier', 500, 0.02, 0.01
        FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) n FROM global_artists a WHERE EXISTS (SELECT 1 FROM platform_accounts p WHERE p.artist_id = a.id AND p.platform = 'deezer')) a
        CROSS JOIN generate_series(0, ${DAYS - 1}) k CROSS JOIN LATERAL (SELECT ((a.n * 37 + k * 7) % 100)::float8 AS s) score`);
      await db.execute(sql`ANALYZE`);
      const users = await db.execute<{ id: string }>(sql`SELECT id FROM users`);
      const artists = (await db.execute<{ id: string }>(sql`SELECT DISTINCT artist_id AS id FROM artist_momentum`)).map((a) => a.id);
      await database.close();
      const issuer = createTokenService(SECRET, 24 * 3600);
      const tokens = await Promise.all(users.map((u) => issuer.issue({ id: u.id, tokenVersion: 0 })));

      const env = { DATABASE_URL: url, JWT_SECRET: SECRET };
      // This tree's build, and another one's (another commit's `dist`) when BENCH_BEFORE names its folder, to compare in the same run.
      const builds = [...(process.env.BENCH_BEFORE ? [{ label: "FanPulse before (BENCH_BEFORE)", main: `${process.env.BENCH_BEFORE}/main.js` }] : []), { label: "FanPulse (production mode)", main: "dist/main.js" }];
      const servers: { label: string; url: string; pid: number; drive: (read: Read, seconds?: number) => Promise<Result> }[] = [];
      const raw = await start("node", ["--import", "tsx", "bench/raw-read-server.ts"], env, /raw read server ready: (\S+)/);
      children.push(raw.child);
      servers.push({ label: "raw SQL over node:http", url: raw.url, pid: raw.child.pid!, drive: (read, seconds) => drive(raw.url, raw.child.pid!, ({ artist }) => ({ path: read.path(artist) }), "GET", tokens, artists, seconds) });
      for (const build of builds) {
        const fanpulse = await start(
          "node",
          [...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []), ...nodeOptionsOf(dirname(build.main)), build.main, "api"],
          { ...env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", PROVIDERS: "simulated", LOG_LEVEL: "warn", REQUESTS_PER_USER: "100000000" },
          /FanPulse is ready: (\S+)/,
        );
        children.push(fanpulse.child);
        servers.push({
          label: build.label,
          url: fanpulse.url,
          pid: fanpulse.child.pid!,
          drive: (read, seconds) => drive(fanpulse.url, fanpulse.child.pid!, ({ artist }) => ({ body: JSON.stringify(read.query(artist)) }), "POST", tokens, artists, seconds),
        });
      }

      // Every server answers each read alike: the same artists, in the same order, with the same figures.
      const headers = { "content-type": "application/json", authorization: `Bearer ${tokens[0]}` };
      for (const read of READS) {
        const answer = async (response: Promise<Response>) => JSON.stringify(read.essence(((await (await response).json()) as { data: unknown }).data));
        const expected = await answer(fetch(new URL(read.path(artists[0]!), raw.url), { headers }));
        for (const server of servers.slice(1)) {
          const ours = await answer(fetch(server.url, { method: "POST", headers, body: JSON.stringify(read.query(artists[0]!)) }));
          if (expected !== ours || expected.length < 100) throw new Error(`${server.label} and the raw server do not answer ${read.name} alike:\n${expected}\n${ours}`);
        }
      }

      // Unmeasured, so that the first round does not time a server's JIT compiler warming up.
      for (const read of READS) for (const server of servers) await server.drive(read, WARM_UP_SECONDS);
      const results = READS.map(() => servers.map(() => [] as Result[]));
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [i, read] of READS.entries()) {
          for (const [j, server] of servers.entries()) results[i]![j]!.push(await server.drive(read));
          process.stderr.write(`round ${round}, ${read.name}: ${servers.map((server, j) => `${server.label} ${results[i]![j]!.at(-1)!.rps.toFixed(0)} req/s`).join(", ")}\n`);
        }
      }
      const row = (label: string, results: Result[]) =>
        `| ${label} | ${results.map((r) => r.rps.toFixed(0)).join(", ")} | ${results.map((r) => r.p50).join(", ")} ms | ${results.map((r) => r.p99).join(", ")} ms | ${results.map((r) => r.cpuMs.toFixed(2)).join(", ")} ms | ${results.map((r) => r.dbCpuMs?.toFixed(2) ?? "-").join(", ")} ms | ${results.reduce((n, r) => n + r.errors, 0)} |`;
      console.log(`\n${USERS.toLocaleString("en")} users, ${ARTISTS.toLocaleString("en")} artists, ${LINKS} links each; ${CONNECTIONS} connections, ${SECONDS} s per round (after ${WARM_UP_SECONDS} s of warm-up each), ${ROUNDS} rounds interleaved`);
      for (const [i, read] of READS.entries()) {
        const base = results[i]![0]!;
        console.log(`\n${read.name}\n| server | requests/s per round | p50 | p99 | server CPU per request | database CPU per request | errors |\n| --- | --- | --- | --- | --- | --- | --- |`);
        for (const [j, server] of servers.entries()) console.log(row(server.label, results[i]![j]!));
        for (const [j, server] of servers.entries()) {
          if (j > 0) console.log(`${server.label} served ${results[i]![j]!.map((r, k) => `${((r.rps / base[k]!.rps) * 100).toFixed(0)}%`).join(" and ")} of the raw server's requests per second.`);
        }
      }
      console.log("");
      for (const server of servers.slice(1)) console.log(`${server.label}: peak RSS over the run ${peakRssMb(server.pid).toFixed(0)} MB.`);
    } finally {
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    }
  });
}

await main();
