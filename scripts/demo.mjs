#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds if the build is stale, starts the sandbox (a
// local AWS) and the console against it, and prints where to sign in. Ctrl-C stops both.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDependencies } from "./lib/ensure-deps.mjs";
import { buildIsFresh, portInUse, sandboxEnv, startConsole, startSandbox } from "./lib/stack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const consolePort = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4566);
const dataDir = join(root, "data");
const adminEmail = process.env.SWITCHBOARD_ADMIN_EMAIL ?? "admin@example.com";
const adminPassword = process.env.SWITCHBOARD_ADMIN_PASSWORD ?? "switchboard-demo";

function fail(message) {
  console.error(`\nnpm run demo: ${message}`);
  process.exit(1);
}

/** NEXTAUTH_SECRET generated once and kept under data/, so sessions survive restarts. */
function authSecret() {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

const started = Date.now();
try {
  ensureDependencies(root);
} catch (err) {
  fail(err.message);
}
for (const [port, what, variable] of [
  [consolePort, "the console", "PORT"],
  [sandboxPort, "the sandbox", "SANDBOX_PORT"],
]) {
  if (await portInUse(port)) fail(`port ${port} (for ${what}) is already in use. Stop whatever uses it, or pick another port with ${variable}=…`);
}
if (buildIsFresh(root)) {
  console.log("The production build is up to date.");
} else {
  console.log("Building the console (next build) …");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) fail("the build failed; see above.");
}

console.log("Starting the sandbox and the console …");
let sandbox;
let app;
const stopAll = async () => {
  await app?.stop();
  await sandbox?.stop();
};
try {
  sandbox = await startSandbox({ root, dir: join(root, ".sandbox"), port: sandboxPort });
  app = await startConsole({
    root,
    port: consolePort,
    env: {
      ...sandboxEnv(sandbox),
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${consolePort}`,
      NEXTAUTH_SECRET: authSecret(),
      SWITCHBOARD_DATA_DIR: dataDir,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      SWITCHBOARD_ADMIN_EMAIL: adminEmail,
      SWITCHBOARD_ADMIN_PASSWORD: adminPassword,
      // The console's log is read by a person here (it is shown if the console stops).
      SWITCHBOARD_LOG_FORMAT: process.env.SWITCHBOARD_LOG_FORMAT ?? "pretty",
      // Roles are tested again in the background, as in production (README, "Configuration").
      SWITCHBOARD_ROLE_HEALTH_INTERVAL: process.env.SWITCHBOARD_ROLE_HEALTH_INTERVAL ?? "6h",
    },
  });
} catch (err) {
  await stopAll();
  fail(err.message);
}

console.log(`
  Switchboard is running against the local AWS sandbox (not real AWS).

    Console    http://localhost:${consolePort}
    Sign in    ${adminEmail} / ${adminPassword}
    Sandbox    ${sandbox.url}   (AWS CLI: AWS_SHARED_CREDENTIALS_FILE=.sandbox/credentials AWS_CONFIG_FILE=.sandbox/config aws --profile switchboard sts get-caller-identity)

  Ready in ${Math.round((Date.now() - started) / 1000)} s. Press Ctrl-C to stop both.
`);

let stopping = false;
const shutdown = async (code) => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the console and the sandbox …");
  await stopAll();
  process.exit(code);
};
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
for (const proc of [sandbox, app]) {
  proc.child.once("exit", (code) => {
    if (stopping) return;
    console.error(`\n${proc.name} stopped unexpectedly (exit ${code}). Its last output:\n${proc.output.join("").slice(-3000)}`);
    shutdown(1);
  });
}
