import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: without this, Vite loads its ESM build beside Node's CJS one.
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ["reflect-metadata"],
  },
});
