import type { DestinationStream } from "pino";
import { startApp, type App, type AppOverrides } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

export const TEST_JWT_SECRET = "test-secret-that-is-at-least-32-characters-long";

/** The default sign-in limits, for tests that sign in through the domain directly. */
export const SIGN_IN_POLICY = loadConfig({ NODE_ENV: "test", JWT_SECRET: TEST_JWT_SECRET }).policies.signIn;

export type GraphQLResponse<T = Record<string, any>> = {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; argument?: string; [key: string]: unknown } }[];
};

export type TestApi = {
  app: App;
  database: TestDatabase;
  url: string;
  /** Statements sent on the API's own connection since the counter was last reset. */
  statements: string[];
  graphql: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphQLResponse<T>>;
  signUp: (email?: string) => Promise<{ token: string; userId: string }>;
  close: () => Promise<void>;
};

let users = 0;

/** The real app (HTTP server, and the worker when asked) on a database of its own. */
export async function startTestApi(
  options: { worker?: boolean; env?: Record<string, string>; logs?: DestinationStream; databaseSettings?: Record<string, string> } & AppOverrides = {},
): Promise<TestApi> {
  const database = await createTestDatabase({ settings: options.databaseSettings });
  const statements: string[] = [];
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: TEST_JWT_SECRET,
    WORKER_CONCURRENCY: "2",
    // Offline unless a test points the live clients at its fakes.
    PROVIDERS: "simulated",
    ...options.env,
  });
  const app = await startApp(config, { api: true, worker: options.worker ?? false }, options.logs ? createLogger("info", options.logs) : createLogger(process.env.TEST_LOG_LEVEL ?? "silent"), {
    // A new pooled connection first asks for the array types once: connection set-up, not the request's work.
    onQuery: (query) => {
      if (!/from pg_catalog\.pg_type/.test(query)) statements.push(query);
    },
    workerPollInterval: 200,
    ...options,
  });
  const url = app.url!;
  const graphql: TestApi["graphql"] = async (query, variables, token) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  const signUp: TestApi["signUp"] = async (email) => {
    const result = await graphql<{ signUp: { token: string; user: { id: string } } }>(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`,
      { input: { email: email ?? `user${++users}-${Date.now()}@example.com`, password: "correct horse battery" } },
    );
    if (!result.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
    return { token: result.data.signUp.token, userId: result.data.signUp.user.id };
  };
  return {
    app,
    database,
    url,
    statements,
    graphql,
    signUp,
    close: async () => {
      await app.stop();
      await database.drop();
    },
  };
}
