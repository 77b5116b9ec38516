// `npm run bench:load`: 50 people switching at once for a minute (DESIGN.md budget: no errors,
// p99 ≤ 4 × p50). Each simulated operator has their own account in the console, their own grant
// and session, and loops: open the console for one of their roles, then get credentials.
import { api, BENCH_ADMIN, percentile, setAwsLatency, signIn, startBenchStack } from "./support";

const USERS = Number(process.env.BENCH_USERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 25);

async function main() {
  const stack = await startBenchStack();
  try {
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
    const cookies: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `operator${i}@example.com`;
      await api(consoleUrl, admin, "/api/v1/users", { email, name: `Operator ${i}`, password: "bench-operator-password", role: "operator" });
      for (const roleId of roles) await api(consoleUrl, admin, "/api/v1/grants", { roleId, userEmail: email });
      cookies.push(await signIn(consoleUrl, email, "bench-operator-password"));
    }
    await setAwsLatency(stack, LATENCY);

    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const deadline = performance.now() + SECONDS * 1000;
    const worker = async (cookie: string, n: number) => {
      for (let i = n; performance.now() < deadline; i++) {
        const started = performance.now();
        const res = await fetch(`${consoleUrl}/api/v1/sessions`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify({ roleId: roles[i % roles.length], kind: i % 2 ? "credentials" : "console" }),
        });
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - started);
        else errors.set(String(res.status), (errors.get(String(res.status)) ?? 0) + 1);
      }
    };
    const startedAt = performance.now();
    await Promise.all(cookies.map((c, i) => worker(c, i)));
    const elapsed = (performance.now() - startedAt) / 1000;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${USERS} operators switching for ${SECONDS} s (console and credentials alternately, ${LATENCY} ms injected per AWS call)\n`);
    console.log(`  switches   ${latencies.length} ok, ${errorCount} failed${errorCount ? ` (${[...errors].map(([s, n]) => `${n}×HTTP ${s}`).join(", ")})` : ""}`);
    console.log(`  throughput ${(latencies.length / elapsed).toFixed(1)} switches/s`);
    console.log(`  latency    p50 ${p50.toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    console.log(`  budget     no errors: ${errorCount === 0 ? "✓" : "✗"}; p99 ≤ 4 × p50 (${(p99 / p50).toFixed(2)}×): ${p99 <= 4 * p50 ? "✓" : "✗"}`);
  } finally {
    await stack.stop();
  }
}

await main();
