// `npm run bench:load`: 50 people switching at once, with the credential cache on and off, in one
// run (DESIGN.md budget for each: no errors, p99 ≤ 3 × p50; issue 12: throughput with the cache
// on ≥ 1.5 × with it off).
//
// Two stacks side by side, each with its own sandbox and console: one started with
// SWITCHBOARD_CREDENTIAL_CACHE=off, one with it on (the default). Each has the same operators,
// each with their own account in the console, grants and session, who loop: open the console for
// one of their roles, then get credentials, across three roles. The load alternates between the
// stacks in four periods (off, on, on, off), so that other work on the machine affects both alike.
//
// With the cache off every console switch makes AssumeRole and getSigninToken, and every
// credentials request AssumeRole; with it on, after each person's first switch into a role, a
// console switch makes only getSigninToken and a credentials request no AWS call at all. CPU time
// per switch is printed for the console and for the sandbox: on this machine the sandbox (standing
// in for AWS) shares the CPU with the console, so part of the gain with the cache on is the
// sandbox's work saved, which AWS would have done on its own machines. The 50 people's browsers
// are this process: it sends with node:http over keep-alive connections rather than fetch, which
// costs several times the CPU per request, so that the load generator takes as little of the
// shared CPU as it can; its own CPU per switch is printed too.
import { Agent, request } from "node:http";
import { api, BENCH_ADMIN, percentile, processCpuMs, setAwsLatency, signIn, startBenchStack, type BenchStack } from "./support";

const USERS = Number(process.env.BENCH_USERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 25);

const THROUGHPUT_RATIO_BUDGET = 1.5;
const P99_BUDGET = 3;

type Mode = "off" | "on";
type Load = { stack: BenchStack; roles: string[]; cookies: string[] };
type Tally = { latencies: number[]; errors: Map<string, number>; seconds: number; consoleCpuMs: number; sandboxCpuMs: number; generatorCpuMs: number };

/** Runs `work` at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function prepare(mode: Mode): Promise<Load> {
  const stack = await startBenchStack({ SWITCHBOARD_CREDENTIAL_CACHE: mode });
  try {
    return await populate(stack);
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** The accounts, role entries and operators (each granted every role, and signed in). */
async function populate(stack: BenchStack): Promise<Load> {
  const { consoleUrl } = stack;
  const admin = await signIn(consoleUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
  for (const [accountId, name] of [
    ["111111111111", "Production"],
    ["222222222222", "Development"],
  ]) {
    await api(consoleUrl, admin, "/api/v1/accounts", { accountId, name });
  }
  const roles: string[] = [];
  for (const [accountId, roleName] of [
    ["111111111111", "ReadOnly"],
    ["222222222222", "ReadOnly"],
    ["222222222222", "PowerUser"],
  ]) {
    roles.push((await api<{ role: { id: string } }>(consoleUrl, admin, "/api/v1/roles", { accountId, roleName })).role.id);
  }
  const cookies: string[] = new Array<string>(USERS);
  // A few at a time: each creation and sign-in hashes a password (scrypt), on purpose slow.
  await inBatches(
    Array.from({ length: USERS }, (_, i) => i),
    4,
    async (i) => {
      const email = `operator${i}@example.com`;
      await api(consoleUrl, admin, "/api/v1/users", { email, name: `Operator ${i}`, password: "bench-operator-password", role: "operator" });
      for (const roleId of roles) await api(consoleUrl, admin, "/api/v1/grants", { roleId, userEmail: email });
      cookies[i] = await signIn(consoleUrl, email, "bench-operator-password");
    },
  );
  await setAwsLatency(stack, LATENCY);
  return { stack, roles, cookies };
}

/** One keep-alive connection per person, as each person's browser would hold. */
const agent = new Agent({ keepAlive: true, maxSockets: USERS });

/** POSTs a JSON body; resolves to the status once the whole answer has been read. */
function post(url: string, cookie: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { cookie, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every operator switching for `seconds`, as fast as the console answers. */
async function period(load: Load, seconds: number, tally: Tally): Promise<void> {
  const { stack, roles, cookies } = load;
  const cpu = () => ({ console: processCpuMs(stack.pids.consoles[0]!), sandbox: processCpuMs(stack.pids.sandbox), generator: processCpuMs(process.pid) });
  const cpuBefore = cpu();
  const deadline = performance.now() + seconds * 1000;
  const url = `${stack.consoleUrl}/api/v1/sessions`;
  const worker = async (cookie: string, n: number) => {
    for (let i = n; performance.now() < deadline; i++) {
      const started = performance.now();
      const status = await post(url, cookie, JSON.stringify({ roleId: roles[i % roles.length], kind: i % 2 ? "credentials" : "console" }));
      if (status === 200) tally.latencies.push(performance.now() - started);
      else tally.errors.set(String(status), (tally.errors.get(String(status)) ?? 0) + 1);
    }
  };
  const startedAt = performance.now();
  await Promise.all(cookies.map((c, i) => worker(c, i)));
  tally.seconds += (performance.now() - startedAt) / 1000;
  const cpuAfter = cpu();
  tally.consoleCpuMs += (cpuAfter.console ?? Number.NaN) - (cpuBefore.console ?? Number.NaN);
  tally.sandboxCpuMs += (cpuAfter.sandbox ?? Number.NaN) - (cpuBefore.sandbox ?? Number.NaN);
  tally.generatorCpuMs += (cpuAfter.generator ?? Number.NaN) - (cpuBefore.generator ?? Number.NaN);
}

function report(mode: Mode, tally: Tally): { throughput: number; errorCount: number } {
  const { latencies, errors } = tally;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const throughput = latencies.length / tally.seconds;
  const perSwitch = (ms: number) => (Number.isFinite(ms) ? `${(ms / latencies.length).toFixed(2)} ms` : "n/a");
  console.log(`\n  cache ${mode}`);
  console.log(`    switches   ${latencies.length} ok, ${errorCount} failed${errorCount ? ` (${[...errors].map(([s, n]) => `${n}×HTTP ${s}`).join(", ")})` : ""}`);
  console.log(`    throughput ${throughput.toFixed(1)} switches/s`);
  console.log(`    latency    p50 ${p50.toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
  console.log(`    CPU        console ${perSwitch(tally.consoleCpuMs)}, sandbox ${perSwitch(tally.sandboxCpuMs)}, load generator ${perSwitch(tally.generatorCpuMs)} per switch`);
  console.log(`    budget     no errors: ${errorCount === 0 ? "✓" : "✗"}; p99 ≤ ${P99_BUDGET} × p50 (${(p99 / p50).toFixed(2)}×): ${p99 <= P99_BUDGET * p50 ? "✓" : "✗"}`);
  return { throughput, errorCount };
}

async function main() {
  const loads: Partial<Record<Mode, Load>> = {};
  try {
    loads.off = await prepare("off");
    loads.on = await prepare("on");
    const tallies: Record<Mode, Tally> = {
      off: { latencies: [], errors: new Map(), seconds: 0, consoleCpuMs: 0, sandboxCpuMs: 0, generatorCpuMs: 0 },
      on: { latencies: [], errors: new Map(), seconds: 0, consoleCpuMs: 0, sandboxCpuMs: 0, generatorCpuMs: 0 },
    };
    for (const mode of ["off", "on", "on", "off"] as const) await period(loads[mode]!, SECONDS / 2, tallies[mode]);

    console.log(`\n${USERS} operators switching, ${SECONDS} s with the credential cache off and ${SECONDS} s with it on (console and credentials alternately, ${LATENCY} ms injected per AWS call)`);
    const off = report("off", tallies.off);
    const on = report("on", tallies.on);
    const ratio = on.throughput / off.throughput;
    const ok = ratio >= THROUGHPUT_RATIO_BUDGET && off.errorCount === 0 && on.errorCount === 0;
    console.log(`\n  throughput with the cache on / off: ${ratio.toFixed(2)}× (budget ≥ ${THROUGHPUT_RATIO_BUDGET} with no errors) ${ok ? "✓" : "✗"}`);
  } finally {
    for (const load of Object.values(loads)) await load.stack.stop();
    agent.destroy();
  }
}

await main();
