// Shared plumbing for the benchmarks: a sandbox and the built console on free ports, signing in
// through next-auth's credentials endpoint, JSON calls with the session cookie, percentiles.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- plain ESM helper shared with npm run demo
import { buildIsFresh, freePort, sandboxEnv, startConsole, startSandbox } from "../lib/stack.mjs";

export const root = join(import.meta.dirname, "..", "..");
export const BENCH_ADMIN = { email: "bench@example.com", password: "bench-admin-password" };

export type BenchStack = {
  consoleUrl: string;
  sandboxUrl: string;
  sandboxToken: string;
  broker: { accessKeyId: string; secretAccessKey: string };
  stop: () => Promise<void>;
};

/** Benchmarks measure the production build; build it first when the sources have changed. */
export function ensureBuild(): void {
  if (buildIsFresh(root)) return;
  console.log("The production build is missing or stale: building it (node scripts/build.mjs) …");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`The build failed (exit ${build.status}); see the output above.`);
}

export async function startBenchStack(extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), "switchboard-bench-"));
  const sandboxToken = randomBytes(24).toString("hex");
  const sandbox = await startSandbox({ root, dir: join(dir, "sandbox"), port: await freePort(), adminToken: sandboxToken, reset: true });
  const port = await freePort();
  const app = await startConsole({
    root,
    port,
    env: {
      ...sandboxEnv(sandbox),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      SWITCHBOARD_DATA_DIR: join(dir, "data"),
      SWITCHBOARD_ADMIN_EMAIL: BENCH_ADMIN.email,
      SWITCHBOARD_ADMIN_PASSWORD: BENCH_ADMIN.password,
      // The benchmarks measure the console's own cost, not its rate limits: a few virtual users
      // switch far more often than any person would.
      SWITCHBOARD_RATE_SWITCH: "999999/1m",
      SWITCHBOARD_RATE_STS: "999999/1s",
      SWITCHBOARD_RATE_SIGNIN_IP: "100000/1m",
      ...extraEnv,
    },
  });
  return {
    consoleUrl: app.url,
    sandboxUrl: sandbox.url,
    sandboxToken,
    broker: sandbox.broker,
    stop: async () => {
      await app.stop();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header to send. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  keep(res);
  const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { cookie: cookie() } });
  if (!me.ok) throw new Error(`sign-in as ${email} failed (${me.status})`);
  return cookie();
}

export async function api<T>(baseUrl: string, cookie: string, path: string, body?: unknown, method?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: method ?? (body ? "POST" : "GET"),
    headers: { cookie, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error?.message}`);
  return json;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Injects the same latency into every sandbox STS AssumeRole and getSigninToken call. */
export async function setAwsLatency(stack: BenchStack, ms: number): Promise<void> {
  const call = (method: string, body?: unknown) =>
    fetch(`${stack.sandboxUrl}/_sandbox/faults`, {
      method,
      headers: { authorization: `Bearer ${stack.sandboxToken}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  await call("DELETE");
  if (ms <= 0) return;
  for (const [service, action] of [
    ["sts", "AssumeRole"],
    ["signin", "getSigninToken"],
  ]) {
    const res = await call("POST", { service, action, latencyMs: ms });
    if (!res.ok) throw new Error(`could not inject latency: ${await res.text()}`);
  }
}

/** A Server-Timing header as { name: ms }. */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().split(";");
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
    if (name && dur) out[name] = (out[name] ?? 0) + Number(dur);
  }
  return out;
}
