// Shared plumbing for the benchmarks: a sandbox and the built console on free ports, signing in
// through next-auth's credentials endpoint, JSON calls with the session cookie, percentiles.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  /** Starts one more console on the same sandbox, with its own store and these settings on top;
   * resolves to its URL (the benchmark administrator exists there too). Stopped with the stack. */
  addConsole: (extraEnv?: Record<string, string>) => Promise<string>;
  /** Process ids, for CPU time: the sandbox, and each console in the order started. */
  pids: { sandbox: number; consoles: number[] };
  stop: () => Promise<void>;
};

/** Benchmarks measure the production build; build it first when the sources have changed. */
export function ensureBuild(): void {
  if (buildIsFresh(root)) return;
  console.log("The production build is missing or stale: building it (node scripts/build.mjs) …");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`The build failed (exit ${build.status}); see the output above.`);
}

/** Where the sandbox keeps its state: in memory (tmpfs) where the machine has one. The sandbox
 * stands in for AWS, whose latency the benchmarks inject on purpose; its own persistence (the
 * whole state, fsync'd to disk every 100 ms while calls come in) is not part of that model, and
 * on a disk it stalls whichever call is in flight for milliseconds at a time. The console's own
 * store stays on disk: its writes are part of what is measured. */
function sandboxParent(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

export async function startBenchStack(extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), "switchboard-bench-"));
  const sandboxDir = mkdtempSync(join(sandboxParent(), "switchboard-bench-sandbox-"));
  const sandboxToken = randomBytes(24).toString("hex");
  const sandbox = await startSandbox({ root, dir: sandboxDir, port: await freePort(), adminToken: sandboxToken, reset: true });
  const consoles: Array<{ stop: () => Promise<void>; child: { pid: number } }> = [];
  const stop = async () => {
    for (const app of consoles) await app.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(sandboxDir, { recursive: true, force: true });
  };
  const addConsole = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    const app = await startConsole({
      root,
      port,
      env: {
        ...sandboxEnv(sandbox),
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        SWITCHBOARD_DATA_DIR: join(dir, `data-${consoles.length}`),
        SWITCHBOARD_ADMIN_EMAIL: BENCH_ADMIN.email,
        SWITCHBOARD_ADMIN_PASSWORD: BENCH_ADMIN.password,
        // The benchmarks measure the console's own cost, not its rate limits: a few virtual users
        // switch far more often than any person would.
        SWITCHBOARD_RATE_SWITCH: "999999/1m",
        SWITCHBOARD_RATE_STS: "999999/1s",
        SWITCHBOARD_RATE_SIGNIN_IP: "100000/1m",
        ...env,
      },
    });
    consoles.push(app);
    return app.url as string;
  };
  try {
    const consoleUrl = await addConsole(extraEnv);
    const pids = {
      sandbox: sandbox.child.pid as number,
      get consoles() {
        return consoles.map((c) => c.child.pid);
      },
    };
    return { consoleUrl, sandboxUrl: sandbox.url, sandboxToken, broker: sandbox.broker, addConsole, pids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
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

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined where the
 * system has no /proc (only Linux does). */
export function processCpuMs(pid: number): number | undefined {
  try {
    // proc(5): after the command name in parentheses (which may itself hold spaces and
    // parentheses), fields 3 onwards; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return ((Number(fields[14 - 3]) + Number(fields[15 - 3])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux reports CPU times in clock ticks, 100 per second on every architecture it runs on
 * (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

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

/** How many calls the sandbox has answered for one action after the call numbered `since`. */
export async function sandboxCallCount(stack: BenchStack, filter: { service: string; action: string; since: number }): Promise<number> {
  return (await readSandboxCalls(stack, new URLSearchParams({ service: filter.service, action: filter.action, since: String(filter.since) }))).calls.length;
}

/** The number of the sandbox's latest call, for a later sandboxCallCount. */
export async function lastSandboxCall(stack: BenchStack): Promise<number> {
  return (await readSandboxCalls(stack, new URLSearchParams({ since: String(Number.MAX_SAFE_INTEGER) }))).lastSeq;
}

async function readSandboxCalls(stack: BenchStack, query: URLSearchParams): Promise<{ lastSeq: number; calls: unknown[] }> {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/calls?${query}`, { headers: { authorization: `Bearer ${stack.sandboxToken}` } });
  if (!res.ok) throw new Error(`could not read the sandbox's calls: ${res.status}`);
  return (await res.json()) as { lastSeq: number; calls: unknown[] };
}
