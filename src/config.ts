import { resolve } from "node:path";
import { parseCronItems } from "graphile-worker";
import { z } from "zod";

const port = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 65535")
  .max(65535, "must be between 0 and 65535");

const positiveInt = z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive");

const postgresUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL with a host")
  .optional();

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const environment = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl),
  FANPULSE_DATA_DIR: z.string().min(1).default(".fanpulse"),
  JWT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  JWT_TTL_SECONDS: positiveInt.default(7 * 24 * 3600),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_CONCURRENCY: positiveInt.default(4),
  WORKER_HTTP_PORT: port.default(0),
  WORKER_HTTP_HOST: z.string().min(1).default("127.0.0.1"),
  WORKER_DEAD_AFTER_SECONDS: positiveInt.min(2, "must be at least 2").default(60),
  SPOTIFY_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  SPOTIFY_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  SPOTIFY_API_URL: z.url().default("https://api.spotify.com"),
  SPOTIFY_ACCOUNTS_URL: z.url().default("https://accounts.spotify.com"),
  DEEZER_API_URL: z.url().default("https://api.deezer.com"),
  MAX_QUERY_DEPTH: positiveInt.default(12),
  MAX_ALIASES: positiveInt.default(30),
  MAX_DIRECTIVES: positiveInt.default(30),
  MAX_TOKENS: positiveInt.default(5_000),
  MAX_QUERY_COMPLEXITY: positiveInt.default(25_000),
  MAX_BODY_BYTES: positiveInt.default(100_000),
  MAX_BATCH: positiveInt.default(10),
  STATEMENT_TIMEOUT_MS: positiveInt.default(10_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(20_000),
  GRAPHIQL: z.enum(["on", "off"]).optional(),
  INTROSPECTION: z.enum(["on", "off"]).optional(),
  PROVIDERS: z.enum(["auto", "live", "simulated"]).default("auto"),
  SPOTIFY_RATE_LIMIT: positiveInt.default(90),
  DEEZER_RATE_LIMIT: positiveInt.default(45),
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000),
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  PROVIDER_REQUEST_DEADLINE_MS: positiveInt.default(3_000),
  PROVIDER_JOB_DEADLINE_MS: positiveInt.default(15_000),
  BREAKER_FAILURES: positiveInt.default(5),
  BREAKER_COOLDOWN_MS: positiveInt.default(60_000),
  METRICS_REFRESH_CRON: z.string().min(1).default("0 4 * * *"),
  MOMENTUM_CRON: z.string().min(1).default("0 6 * * *"),
});

const schema = environment
  .superRefine((e, ctx) => {
    if (e.NODE_ENV === "production" && !e.JWT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required when NODE_ENV=production" });
    }
    for (const setting of ["METRICS_REFRESH_CRON", "MOMENTUM_CRON"] as const) {
      try {
        parseCronItems([{ task: "check", match: e[setting], identifier: setting }]);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: [setting], message: `is not a crontab schedule (${(error as Error).message})` });
      }
    }
    if (e.PROVIDERS === "live" && !e.SPOTIFY_CLIENT_ID) {
      ctx.addIssue({ code: "custom", path: ["PROVIDERS"], message: "live needs SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET" });
    }
    if (e.PROVIDER_JOB_DEADLINE_MS >= e.SHUTDOWN_TIMEOUT_MS) {
      ctx.addIssue({ code: "custom", path: ["PROVIDER_JOB_DEADLINE_MS"], message: "must be shorter than SHUTDOWN_TIMEOUT_MS, so a shutdown never has to abandon a job" });
    }
    if (Boolean(e.SPOTIFY_CLIENT_ID) !== Boolean(e.SPOTIFY_CLIENT_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["SPOTIFY_CLIENT_ID"], message: "set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET together" });
    }
  })
  .transform((e) => ({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.FANPULSE_DATA_DIR),
    jwtSecret: e.JWT_SECRET,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxComplexity: e.MAX_QUERY_COMPLEXITY,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxBatch: e.MAX_BATCH,
    },
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // Production serves neither unless asked to; elsewhere both are on unless turned off.
    graphiql: (e.GRAPHIQL ?? (e.NODE_ENV === "production" ? "off" : "on")) === "on",
    introspection: (e.INTROSPECTION ?? (e.NODE_ENV === "production" ? "off" : "on")) === "on",
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerDeadAfterSeconds: e.WORKER_DEAD_AFTER_SECONDS,
    /** Where a worker-only process serves /healthz, /readyz and /metrics; port 0 picks a free one. */
    workerMonitor: { port: e.WORKER_HTTP_PORT, host: e.WORKER_HTTP_HOST },
    spotify:
      e.SPOTIFY_CLIENT_ID && e.SPOTIFY_CLIENT_SECRET
        ? { clientId: e.SPOTIFY_CLIENT_ID, clientSecret: e.SPOTIFY_CLIENT_SECRET }
        : undefined,
    /** Live platforms when Spotify credentials are set (or asked for), simulated ones otherwise. */
    liveProviders: e.PROVIDERS === "live" || (e.PROVIDERS === "auto" && Boolean(e.SPOTIFY_CLIENT_ID)),
    rateLimits: {
      spotify: { maxCalls: e.SPOTIFY_RATE_LIMIT, windowMs: 30_000 },
      deezer: { maxCalls: e.DEEZER_RATE_LIMIT, windowMs: 5_000 },
    },
    spotifyApiUrl: e.SPOTIFY_API_URL,
    spotifyAccountsUrl: e.SPOTIFY_ACCOUNTS_URL,
    deezerApiUrl: e.DEEZER_API_URL,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    providerMaxRetries: e.PROVIDER_MAX_RETRIES,
    providerRequestDeadlineMs: e.PROVIDER_REQUEST_DEADLINE_MS,
    providerJobDeadlineMs: e.PROVIDER_JOB_DEADLINE_MS,
    breaker: { failures: e.BREAKER_FAILURES, cooldownMs: e.BREAKER_COOLDOWN_MS },
    metricsRefreshCron: e.METRICS_REFRESH_CRON,
    momentumCron: e.MOMENTUM_CRON,
  }));

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates every setting once; a bad value names the setting it came from. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}
