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

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

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
  SPOTIFY_WEB_URL: z.url().default("https://open.spotify.com"),
  MUSICBRAINZ_API_URL: z.url().default("https://musicbrainz.org/ws/2"),
  // MusicBrainz asks every client to name a contact in its User-Agent.
  MUSICBRAINZ_CONTACT: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
  MAX_QUERY_DEPTH: positiveInt.default(12),
  MAX_ALIASES: positiveInt.default(30),
  MAX_DIRECTIVES: positiveInt.default(30),
  MAX_TOKENS: positiveInt.default(5_000),
  MAX_QUERY_COMPLEXITY: positiveInt.default(25_000),
  MAX_BODY_BYTES: positiveInt.default(100_000),
  MAX_BATCH: positiveInt.default(10),
  MAX_RESPONSE_BYTES: positiveInt.default(5_000_000),
  STATEMENT_TIMEOUT_MS: positiveInt.default(10_000),
  SIGN_IN_ATTEMPTS_PER_ADDRESS: positiveInt.default(20),
  // Budgets forget uses older than a day (the hourly sweep), so no window may be longer.
  SIGN_IN_WINDOW_SECONDS: positiveInt.max(86_400, "must be at most 86400 (a day)").default(15 * 60),
  SIGN_IN_FREE_ATTEMPTS_PER_ACCOUNT: positiveInt.default(5),
  SIGN_IN_ACCOUNT_DELAY_SECONDS: positiveInt.default(30),
  PLATFORM_LOOKUPS_PER_USER: positiveInt.default(30),
  PLATFORM_LOOKUPS_WINDOW_SECONDS: positiveInt.max(86_400, "must be at most 86400 (a day)").default(60),
  REQUESTS_PER_USER: positiveInt.default(1_200),
  REQUESTS_PER_KEY: positiveInt.default(600),
  REQUESTS_WINDOW_SECONDS: positiveInt.max(86_400, "must be at most 86400 (a day)").default(60),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.max(25, "must be at most 25").default(10),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().optional()),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters long").optional()),
  CORS_ORIGINS: z.preprocess(
    (value) => (typeof value === "string" ? value.split(",").map((origin) => origin.trim()).filter(Boolean) : value),
    z.array(z.string().refine(isOrigin, "must be a comma-separated list of origins such as https://app.example.com")).default([]),
  ),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(20_000),
  GRAPHIQL: z.enum(["on", "off"]).optional(),
  INTROSPECTION: z.enum(["on", "off"]).optional(),
  PROVIDERS: z.enum(["auto", "live", "simulated"]).default("auto"),
  SPOTIFY_RATE_LIMIT: positiveInt.default(90),
  DEEZER_RATE_LIMIT: positiveInt.default(45),
  MUSICBRAINZ_RATE_LIMIT: positiveInt.default(1),
  CROSS_LINK_RECHECK_DAYS: positiveInt.default(7),
  CROSS_LINK_RECHECKS_PER_DAY: positiveInt.default(20_000),
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000),
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  PROVIDER_REQUEST_DEADLINE_MS: positiveInt.default(3_000),
  PROVIDER_JOB_DEADLINE_MS: positiveInt.default(15_000),
  BREAKER_FAILURES: positiveInt.default(5),
  BREAKER_COOLDOWN_MS: positiveInt.default(60_000),
  METRICS_REFRESH_CRON: z.string().min(1).default("0 4 * * *"),
  REFRESH_DEADLINE_HOURS: positiveInt.max(23, "must be at most 23, so a day is scored that day").default(18),
  REFRESH_QUOTA_SHARE: z.coerce.number().gt(0, "must be more than 0").max(1, "must be at most 1").default(0.8),
});

const schema = environment
  .superRefine((e, ctx) => {
    if (e.NODE_ENV === "production" && !e.JWT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required when NODE_ENV=production" });
    }
    try {
      parseCronItems([{ task: "check", match: e.METRICS_REFRESH_CRON, identifier: "METRICS_REFRESH_CRON" }]);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["METRICS_REFRESH_CRON"], message: `is not a crontab schedule (${(error as Error).message})` });
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
      maxResponseBytes: e.MAX_RESPONSE_BYTES,
    },
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    policies: {
      signIn: {
        perAddress: e.SIGN_IN_ATTEMPTS_PER_ADDRESS,
        windowMs: e.SIGN_IN_WINDOW_SECONDS * 1000,
        freePerAccount: e.SIGN_IN_FREE_ATTEMPTS_PER_ACCOUNT,
        accountDelayMs: e.SIGN_IN_ACCOUNT_DELAY_SECONDS * 1000,
      },
      platformLookups: { max: e.PLATFORM_LOOKUPS_PER_USER, windowMs: e.PLATFORM_LOOKUPS_WINDOW_SECONDS * 1000 },
      requests: {
        perUser: { max: e.REQUESTS_PER_USER, windowMs: e.REQUESTS_WINDOW_SECONDS * 1000 },
        perKey: { max: e.REQUESTS_PER_KEY, windowMs: e.REQUESTS_WINDOW_SECONDS * 1000 },
      },
    },
    /** Express's "trust proxy": which proxies' X-Forwarded-For to believe for the client's address (unset: none). */
    trustProxy: e.TRUST_PROXY,
    /** A bearer token that opens /metrics to scrapers on other hosts; without it, only this host may read it. */
    metricsToken: e.METRICS_TOKEN,
    /** Webhooks may reach this machine over http only outside production. */
    webhookDelivery: { allowLocalhost: e.NODE_ENV !== "production", timeoutMs: e.WEBHOOK_TIMEOUT_MS, maxAttempts: e.WEBHOOK_MAX_ATTEMPTS },
    /** Web origins whose pages may call the API from a browser; none unless listed. */
    corsOrigins: e.CORS_ORIGINS,
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
    /** Live platforms (Deezer keyless; Spotify's figures only with credentials), or simulated ones for the offline demo. */
    liveProviders: e.PROVIDERS !== "simulated",
    rateLimits: {
      spotify: { maxCalls: e.SPOTIFY_RATE_LIMIT, windowMs: 30_000 },
      deezer: { maxCalls: e.DEEZER_RATE_LIMIT, windowMs: 5_000 },
      musicbrainz: { maxCalls: e.MUSICBRAINZ_RATE_LIMIT, windowMs: 1_000 },
    },
    spotifyApiUrl: e.SPOTIFY_API_URL,
    spotifyAccountsUrl: e.SPOTIFY_ACCOUNTS_URL,
    deezerApiUrl: e.DEEZER_API_URL,
    spotifyWebUrl: e.SPOTIFY_WEB_URL,
    musicBrainz: { apiUrl: e.MUSICBRAINZ_API_URL, contact: e.MUSICBRAINZ_CONTACT ?? null },
    crossLinks: {
      recheckDays: e.CROSS_LINK_RECHECK_DAYS,
      rechecksPerDay: e.CROSS_LINK_RECHECKS_PER_DAY,
    },
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    providerMaxRetries: e.PROVIDER_MAX_RETRIES,
    providerRequestDeadlineMs: e.PROVIDER_REQUEST_DEADLINE_MS,
    providerJobDeadlineMs: e.PROVIDER_JOB_DEADLINE_MS,
    breaker: { failures: e.BREAKER_FAILURES, cooldownMs: e.BREAKER_COOLDOWN_MS },
    metricsRefreshCron: e.METRICS_REFRESH_CRON,
    refresh: {
      quotaShare: e.REFRESH_QUOTA_SHARE,
      deadlineHours: e.REFRESH_DEADLINE_HOURS,
    },
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
