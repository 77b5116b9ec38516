// Starts the pieces of a running Switchboard as child processes: the sandbox (a local AWS) and
// the console (`next start`). Shared by `npm run demo` and the end-to-end tests, so both run
// the same way. Node builtins only.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function portInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

async function waitFor(url, { child, name, timeoutMs = 120_000, output }) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited (code ${child.exitCode}) before it was ready.\n${output.join("").slice(-4000)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become ready at ${url} within ${timeoutMs / 1000}s.\n${output.join("").slice(-4000)}`);
}

function launch(name, command, args, { cwd, env, echo }) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
    if (echo) echo(chunk.toString());
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { child, output, stop, name };
}

/** Reads one profile's keys from a shared-credentials INI file. */
export function readCredentials(file, profile) {
  const text = readFileSync(file, "utf8");
  const section = text.split(/^\[/m).find((s) => s.startsWith(`${profile}]`));
  const value = (key) => section && new RegExp(`^${key}\\s*=\\s*(\\S+)`, "m").exec(section)?.[1];
  const accessKeyId = value("aws_access_key_id");
  const secretAccessKey = value("aws_secret_access_key");
  if (!accessKeyId || !secretAccessKey) throw new Error(`No keys for profile [${profile}] in ${file}`);
  return { accessKeyId, secretAccessKey };
}

/** The sandbox as a child process; resolves once it answers. */
export async function startSandbox({ root, dir, port, adminToken, reset = false, echo }) {
  const env = { ...process.env, SANDBOX_DIR: dir, SANDBOX_PORT: String(port), SANDBOX_HOST: "127.0.0.1" };
  if (adminToken) env.SANDBOX_ADMIN_TOKEN = adminToken;
  else delete env.SANDBOX_ADMIN_TOKEN;
  const proc = launch("sandbox", process.execPath, ["--import", "tsx", "sandbox/main.ts", "--quiet", ...(reset ? ["--reset"] : [])], { cwd: root, env, echo });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/_sandbox/health`, { child: proc.child, name: "The sandbox", output: proc.output, timeoutMs: 60_000 });
  return { ...proc, url, dir, broker: readCredentials(join(dir, "credentials"), "switchboard") };
}

/** The environment that points the console at a sandbox with the broker's keys. */
export function sandboxEnv(sandbox, region = "us-east-1") {
  return {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: sandbox.broker.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.broker.secretAccessKey,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
    SWITCHBOARD_SANDBOX_URL: sandbox.url,
    // A production build refuses the sandbox unless told it is meant (a demo, the tests).
    SWITCHBOARD_ALLOW_SANDBOX: "true",
  };
}

/** `next start` as a child process; resolves once /api/health answers. */
export async function startConsole({ root, port, host = "127.0.0.1", env, echo }) {
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("SWITCHBOARD_") && !k.startsWith("NEXTAUTH_") && k !== "DATABASE_URL"));
  const proc = launch("console", process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", host], {
    cwd: root,
    // The background re-test of role entries is off unless the caller asks (the demo does; a test
    // that needs it sets a short interval): its AssumeRoles would land in what the end-to-end
    // tests and the benchmarks count and measure.
    env: { ...cleanEnv, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", SWITCHBOARD_ROLE_HEALTH_INTERVAL: "off", ...env },
    echo,
  });
  const url = `http://${host}:${port}`;
  await waitFor(`${url}/api/health`, { child: proc.child, name: "The console", output: proc.output });
  return { ...proc, url };
}

// ---- Build freshness -------------------------------------------------------------------------

const SOURCE_ROOTS = ["app", "cli", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const HASH_FILE = join(".next", "switchboard-source-hash");

function listFiles(root, entry, out) {
  const path = join(root, entry);
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === "node_modules" || name.endsWith(".test.ts")) continue;
      listFiles(root, join(entry, name), out);
    }
  } else out.push(path);
}

/** A hash of everything the production build is made from. */
export function sourceHash(root) {
  const files = [];
  for (const entry of SOURCE_ROOTS) listFiles(root, entry, files);
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

export function buildIsFresh(root) {
  const file = join(root, HASH_FILE);
  return existsSync(join(root, ".next", "BUILD_ID")) && existsSync(file) && readFileSync(file, "utf8") === sourceHash(root);
}

export const BUILD_HASH_FILE = HASH_FILE;
