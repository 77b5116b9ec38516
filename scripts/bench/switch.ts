// `npm run bench:switch`: the cost of a console switch through Switchboard's HTTP API against
// the same two AWS calls made directly with the SDK, interleaved in one run against one sandbox.
//
//   direct: STS AssumeRole (AWS SDK v3) + getSigninToken (fetch) — what any script would do
//   api:    POST /api/v1/sessions { kind: "console" } — the same two calls plus the session
//           check, the grant check, the duration clamp and the audit write
//
// Budget (DESIGN.md): the server time of a console switch ≤ 1.15 × the time of the same two
// calls made directly, p50. Printed per row:
//   e2e ratio     p50(api as the client sees it) / p50(direct): includes the HTTP hop to the
//                 console, which the direct path does not make
//   server ratio  p50(the console's own time for the switch, from its Server-Timing header) /
//                 p50(direct): what the budget is about
// The bare sandbox answers in a millisecond or two, far faster than AWS (STS and the sign-in
// endpoint are tens of ms away), so the run is repeated with per-call latency injected into
// both paths alike. Against the bare sandbox, the console's fixed work per switch (session and
// grant checks, the audit write) is larger than the AWS calls themselves; that row is printed
// for what it shows, and the verdict is given for every row.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { api, BENCH_ADMIN, parseServerTiming, percentile, setAwsLatency, signIn, startBenchStack } from "./support";

const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const LATENCIES = (process.env.BENCH_LATENCIES ?? "0,25,50").split(",").map(Number);

type Timings = { direct: number[]; api: number[] };

async function main() {
  const stack = await startBenchStack();
  const { consoleUrl, sandboxUrl } = stack;
  try {
    const cookie = await signIn(consoleUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    await api(consoleUrl, cookie, "/api/v1/accounts", { accountId: "111111111111", name: "Production", environment: "production" });
    const { role } = await api<{ role: { id: string } }>(consoleUrl, cookie, "/api/v1/roles", { accountId: "111111111111", roleName: "ReadOnly" });

    // The direct path: the same calls, parameters and endpoint, with the broker's own keys.
    const sts = new STSClient({ endpoint: sandboxUrl, region: "us-east-1", credentials: stack.broker, maxAttempts: 1 });
    const direct = async () => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: "arn:aws:iam::111111111111:role/ReadOnly",
          RoleSessionName: "bench@example.com",
          SourceIdentity: "bench@example.com",
          DurationSeconds: 3600,
        }),
      );
      const c = out.Credentials!;
      const res = await fetch(`${sandboxUrl}/federation`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          Action: "getSigninToken",
          SessionDuration: "3600",
          Session: JSON.stringify({ sessionId: c.AccessKeyId, sessionKey: c.SecretAccessKey, sessionToken: c.SessionToken }),
        }),
      });
      if (!res.ok) throw new Error(`getSigninToken: ${res.status}`);
      await res.json();
    };
    // The server's own account of each API switch (Server-Timing), to show where time goes.
    let steps: Array<Record<string, number>> = [];
    const viaApi = async () => {
      const res = await fetch(`${consoleUrl}/api/v1/sessions`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ roleId: role.id, kind: "console" }),
      });
      if (!res.ok) throw new Error(`POST /api/v1/sessions: ${res.status} ${await res.text()}`);
      await res.json();
      steps.push(parseServerTiming(res.headers.get("server-timing")));
    };

    const rows: string[] = [];
    const breakdowns: string[] = [];
    for (const latency of LATENCIES) {
      await setAwsLatency(stack, latency);
      const timings: Timings = { direct: [], api: [] };
      steps = [];
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        // Interleaved, alternating which goes first, so drift affects both alike.
        const order = i % 2 === 0 ? (["direct", "api"] as const) : (["api", "direct"] as const);
        for (const which of order) {
          const started = performance.now();
          await (which === "direct" ? direct() : viaApi());
          if (i >= WARMUP) timings[which].push(performance.now() - started);
        }
      }
      const p = (k: keyof Timings, q: number) => percentile(timings[k], q);
      const measured = steps.slice(WARMUP);
      const names = ["auth", "grant", "sts", "signin", "audit", "usage", "total"];
      breakdowns.push(`${`${latency} ms`.padEnd(18)} ${names.map((n) => `${n} ${percentile(measured.map((m) => m[n] ?? 0), 50).toFixed(2)}`).join("  ")}`);
      const ratio = p("api", 50) / p("direct", 50);
      const server = percentile(measured.map((m) => m.total ?? Number.NaN), 50);
      const serverRatio = server / p("direct", 50);
      rows.push(
        [
          `${latency} ms`.padEnd(18),
          p("direct", 50).toFixed(2).padStart(8),
          p("direct", 99).toFixed(2).padStart(8),
          p("api", 50).toFixed(2).padStart(8),
          p("api", 99).toFixed(2).padStart(8),
          ratio.toFixed(3).padStart(9),
          server.toFixed(2).padStart(10),
          serverRatio.toFixed(3).padStart(12),
          serverRatio <= 1.15 ? "  ✓ within 1.15" : "  ✗ over 1.15",
        ].join(" "),
      );
    }
    console.log(`\nConsole switch: Switchboard API vs direct SDK calls, ${ROUNDS} interleaved rounds each (after ${WARMUP} warm-up), times in ms\n`);
    console.log(
      `${"AWS call latency".padEnd(18)} ${"dir p50".padStart(8)} ${"dir p99".padStart(8)} ${"api p50".padStart(8)} ${"api p99".padStart(8)} ${"e2e ratio".padStart(9)} ${"server p50".padStart(10)} ${"server ratio".padStart(12)}  budget (server ratio)`,
    );
    for (const row of rows) console.log(row);
    console.log("\n(latency = injected into each sandbox STS and sign-in call, for both paths; 0 = the bare sandbox)");
    console.log("\nWhere an API switch spends its time on the server (Server-Timing, p50 of each step, ms):\n");
    for (const row of breakdowns) console.log(row);
  } finally {
    await stack.stop();
  }
}

await main();
