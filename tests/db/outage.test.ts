import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { serverProcesses } from "../../src/db/embedded/processes.js";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../src/db/embedded/server.js";
import { createLogger } from "../../src/logger.js";
import { TEST_JWT_SECRET } from "../helpers/api.js";
import { post } from "../helpers/process.js";
import { waitFor } from "../helpers/wait.js";

const signalServer = (postmaster: number, signal: NodeJS.Signals) => {
  for (const pid of serverProcesses(postmaster)) process.kill(pid, signal);
};

/**
 * A PostgreSQL of this file's own, frozen and restarted under a running app (API and worker):
 * never the server the other test files share.
 */
describe("the database going away", () => {
  const logger = createLogger("silent");
  let dataDir: string;
  let server: EmbeddedServer;
  let app: App;
  let token: string;
  const signedIn = (query: string) => post(app.url!, query, { authorization: `Bearer ${token}` });
  const health = (path: string) => fetch(app.url!.replace(/\/graphql$/, path));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fanpulse-outage-"));
    server = await startEmbeddedPostgres(dataDir, logger);
    const admin = postgres(server.url("postgres"), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE outage`;
    await admin.end();
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: server.url("outage"),
      PORT: "0",
      HOST: "127.0.0.1",
      JWT_SECRET: TEST_JWT_SECRET,
      PROVIDERS: "simulated",
      STATEMENT_TIMEOUT_MS: "1000",
    });
    app = await startApp(config, { api: true, worker: true }, logger, { workerPollInterval: 200 });
    const signUp = await post(app.url!, 'mutation { signUp(input: { email: "outage@example.com", password: "correct horse battery" }) { token } }');
    token = signUp.data.signUp.token;
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("frozen: requests fail with SERVICE_UNAVAILABLE instead of hanging, /readyz says 503, /metrics answers; all recover when it thaws", async () => {
    signalServer(server.pid, "SIGSTOP");
    try {
      const frozen = await signedIn("{ me { email } myArtists { totalCount } }");
      expect(frozen.errors?.length).toBeGreaterThan(0);
      expect(new Set(frozen.errors?.map((e) => e.extensions.code))).toEqual(new Set(["SERVICE_UNAVAILABLE"]));
      expect((await health("/readyz")).status).toBe(503);
      const metrics = await health("/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^fanpulse_database_up 0$/m);
    } finally {
      signalServer(server.pid, "SIGCONT");
    }
    await waitFor("the API to answer again", async () => (await signedIn("{ me { email } }")).data?.me?.email === "outage@example.com");
    expect((await health("/readyz")).status).toBe(200);
  });

  it("restarted: requests say SERVICE_UNAVAILABLE while it is down, then API and worker carry on without a restart", async () => {
    const port = server.port;
    await server.stop();
    const down = await signedIn("{ me { email } }");
    expect(down.errors?.[0]?.extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect((await health("/readyz")).status).toBe(503);
    expect(await (await health("/metrics")).text()).toMatch(/^fanpulse_database_up 0$/m);

    server = await startEmbeddedPostgres(dataDir, logger, { port });
    await waitFor("the API to answer again", async () => (await signedIn("{ me { email } }")).data?.me?.email === "outage@example.com");
    // The worker takes new jobs: tracking an artist queues its sync, which must run to the end.
    const tracked = await signedIn('mutation { trackArtist(input: { spotifyId: "4Z8W4fKeB5YxbusRsdQVPb" }) { artist { id } } }');
    const artistId = tracked.data.trackArtist.artist.id as string;
    await waitFor("the sync to run", async () => {
      const [row] = await app.services.db.execute<{ sync_status: string }>(sql`SELECT sync_status::text FROM global_artists WHERE id = ${artistId}`);
      return row?.sync_status === "synced";
    });
  });
});
