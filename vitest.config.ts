import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // Outside React Server Components the marker package throws on import; tests run the
      // server-only modules directly.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "sandbox/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts", "cli/**/*.test.ts", "proxy.test.ts"],
    environment: "node",
    // Finds (or starts) the Postgres the store tests also run against.
    globalSetup: ["lib/db/postgres.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start their own sandbox on an ephemeral port; files run in parallel
    // on the two cores CI has, never more.
    maxWorkers: 2,
    env: {
      // The SDK warns that releases after January 2027 will need Node 22; CI runs Node 20.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
