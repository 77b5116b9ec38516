// `npm run bench:switch`: the cost of a console switch through Switchboard's HTTP API against the
// same AWS calls made directly with the SDK, interleaved in one run against one sandbox.
//
//   direct          STS AssumeRole (AWS SDK v3) + getSigninToken (node:http, kept alive): what a
//                   well-written script does, and exactly the calls the console makes
//   first switch    POST /api/v1/sessions { kind: "console" } on a console started with
//                   SWITCHBOARD_CREDENTIAL_CACHE=off: every switch is a first switch (the
//                   session check, the grant check, AssumeRole, getSigninToken, the audit write),
//                   the path a person takes the first time they open a role
//   repeat switch   the same request on a second console with the credential cache on (the
//                   default): after its first switch it holds the person's credentials, so a
//                   repeat switch makes only getSigninToken (AssumeRole calls are counted below)
// Two consoles rather than one with a new person or role per round: each path is measured with
// exactly the same request, person and role entry, and neither depends on how the cache keys.
// Each round runs the three in a rotating order, so drift (other work on the machine) affects
// all alike.
//
// Per row: p50/p99 as the client sees them; ratio = p50(console) / p50(direct), which includes
// the HTTP hop to the console that the direct path does not make; fixed = p50(console) −
// p50(direct), the console's own cost per switch; server = the console's own time from its
// Server-Timing header, and the server ratio against direct.
//
// Targets (issue 12 and DESIGN.md), each printed with its row:
//   first switch at 0 ms (the bare sandbox)  fixed cost ≤ 5 ms
//   first switch at 25 ms                    ratio ≤ 1.10
//   repeat switch (cached) at 25 ms          ratio ≤ 0.60 (one AWS call where direct makes two)
//   first switch, every latency              server ratio ≤ 1.15 (DESIGN.md)
// The bare sandbox answers in a millisecond or two, far faster than AWS (STS and the sign-in
// endpoint are tens of ms away), so the run is repeated with per-call latency injected into
// every path alike. Against the bare sandbox the console's own work is larger than the AWS calls
// themselves, so the server ratio is over its budget there by nature; that row is printed for the
// fixed cost it shows.
import { Agent, request } from "node:http";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { api, BENCH_ADMIN, lastSandboxCall, parseServerTiming, percentile, sandboxCallCount, setAwsLatency, signIn, startBenchStack } from "./support";

const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const LATENCIES = (process.env.BENCH_LATENCIES ?? "0,25,50").split(",").map(Number);

const FIXED_COST_BUDGET_MS = 5;
const FIRST_RATIO_BUDGET = 1.1;
const REPEAT_RATIO_BUDGET = 0.6;
const SERVER_RATIO_BUDGET = 1.15;

type Path = "direct" | "first" | "repeat";
const PATHS: Path[] = ["direct", "first", "repeat"];
const LABELS: Record<Path, string> = { direct: "direct (SDK)", first: "first switch", repeat: "repeat switch (cached)" };
const STEPS = ["auth", "grant", "sts", "signin", "audit", "total"];

/** A console ready to switch: signed in, with the one role entry registered. */
async function prepareConsole(consoleUrl: string): Promise<() => Promise<Record<string, number>>> {
  const cookie = await signIn(consoleUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
  await api(consoleUrl, cookie, "/api/v1/accounts", { accountId: "111111111111", name: "Production", environment: "production" });
  const { role } = await api<{ role: { id: string } }>(consoleUrl, cookie, "/api/v1/roles", { accountId: "111111111111", roleName: "ReadOnly" });
  // Sent the way the direct path sends its sign-in call: node:http over a kept-alive
  // connection, as a browser keeps one open to the console. fetch costs the client several times
  // the CPU per request, which on this shared machine would be counted against the console.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ roleId: role.id, kind: "console" });
  return () =>
    new Promise((resolve, reject) => {
      const req = request(
        `${consoleUrl}/api/v1/sessions`,
        { method: "POST", agent, headers: { cookie, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) return reject(new Error(`POST /api/v1/sessions: ${res.statusCode} ${text}`));
            JSON.parse(text);
            const timing = res.headers["server-timing"];
            resolve(parseServerTiming(Array.isArray(timing) ? timing.join(", ") : (timing ?? null)));
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}

const pad = (value: string, width: number) => value.padStart(width);
const ms = (value: number) => value.toFixed(2);

async function main() {
  const stack = await startBenchStack({ SWITCHBOARD_CREDENTIAL_CACHE: "off" });
  try {
    const cachedUrl = await stack.addConsole({ SWITCHBOARD_CREDENTIAL_CACHE: "on" });
    const viaFirst = await prepareConsole(stack.consoleUrl);
    const viaRepeat = await prepareConsole(cachedUrl);

    // The direct path: the same calls, parameters and endpoint, with the broker's own keys.
    const sts = new STSClient({ endpoint: stack.sandboxUrl, region: "us-east-1", credentials: stack.broker, maxAttempts: 1 });
    const agent = new Agent({ keepAlive: true });
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
      const form = new URLSearchParams({
        Action: "getSigninToken",
        SessionDuration: "3600",
        Session: JSON.stringify({ sessionId: c.AccessKeyId, sessionKey: c.SecretAccessKey, sessionToken: c.SessionToken }),
      }).toString();
      // Over a kept-alive node:http connection, as the console itself sends it (fetch costs more).
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${stack.sandboxUrl}/federation`, { method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(form) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(form);
      });
      if (answer.status !== 200) throw new Error(`getSigninToken: ${answer.status}`);
      JSON.parse(answer.body);
      return {};
    };
    const run: Record<Path, () => Promise<Record<string, number>>> = { direct, first: viaFirst, repeat: viaRepeat };

    const rows: string[] = [];
    const breakdowns: string[] = [];
    const verdicts: string[] = [];
    let uncachedRepeats = 0;
    for (const latency of LATENCIES) {
      await setAwsLatency(stack, latency);
      const times: Record<Path, number[]> = { direct: [], first: [], repeat: [] };
      const steps: Record<Path, Array<Record<string, number>>> = { direct: [], first: [], repeat: [] };
      let since = 0;
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        // Every AssumeRole of the measured rounds is counted: direct and first switch make one
        // each per round; the cached console should make none.
        if (i === WARMUP) since = await lastSandboxCall(stack);
        for (let k = 0; k < PATHS.length; k++) {
          const path = PATHS[(i + k) % PATHS.length]!;
          const started = performance.now();
          const timing = await run[path]();
          if (i >= WARMUP) {
            times[path].push(performance.now() - started);
            steps[path].push(timing);
          }
        }
      }
      uncachedRepeats += (await sandboxCallCount(stack, { service: "sts", action: "AssumeRole", since })) - 2 * ROUNDS;

      const p50 = (path: Path) => percentile(times[path], 50);
      const server = (path: Path) => percentile(steps[path].map((m) => m.total ?? Number.NaN), 50);
      const label = `${latency} ms`;
      rows.push(`${label.padEnd(12)} ${LABELS.direct.padEnd(24)} ${pad(ms(p50("direct")), 8)} ${pad(ms(percentile(times.direct, 99)), 8)}`);
      for (const path of ["first", "repeat"] as const) {
        const ratio = p50(path) / p50("direct");
        const fixed = p50(path) - p50("direct");
        const serverRatio = server(path) / p50("direct");
        const checks: string[] = [];
        if (path === "first") {
          if (latency === 0) checks.push(`${fixed <= FIXED_COST_BUDGET_MS ? "✓" : "✗"} fixed ≤ ${FIXED_COST_BUDGET_MS} ms`);
          if (latency === 25) checks.push(`${ratio <= FIRST_RATIO_BUDGET ? "✓" : "✗"} ratio ≤ ${FIRST_RATIO_BUDGET.toFixed(2)}`);
          checks.push(`${serverRatio <= SERVER_RATIO_BUDGET ? "✓" : "✗"} server ≤ ${SERVER_RATIO_BUDGET}`);
        } else if (latency === 25) {
          checks.push(`${ratio <= REPEAT_RATIO_BUDGET ? "✓" : "✗"} ratio ≤ ${REPEAT_RATIO_BUDGET.toFixed(2)}`);
        }
        rows.push(
          [
            "".padEnd(12),
            LABELS[path].padEnd(24),
            pad(ms(p50(path)), 8),
            pad(ms(percentile(times[path], 99)), 8),
            pad(ratio.toFixed(3), 7),
            // A repeat switch makes one AWS call where direct makes two: no fixed cost to read.
            pad(path === "first" ? ms(fixed) : "", 7),
            pad(ms(server(path)), 10),
            pad(serverRatio.toFixed(3), 7),
            `  ${checks.join("; ")}`,
          ].join(" "),
        );
        if (latency === 0 && path === "first") verdicts.push(`first switch, 0 ms: fixed cost ${ms(fixed)} ms (budget ${FIXED_COST_BUDGET_MS} ms) ${fixed <= FIXED_COST_BUDGET_MS ? "✓" : "✗"}`);
        if (latency === 25 && path === "first") verdicts.push(`first switch, 25 ms: ratio ${ratio.toFixed(3)} (budget ${FIRST_RATIO_BUDGET.toFixed(2)}) ${ratio <= FIRST_RATIO_BUDGET ? "✓" : "✗"}`);
        if (latency === 25 && path === "repeat") verdicts.push(`repeat switch (cached), 25 ms: ratio ${ratio.toFixed(3)} (budget ${REPEAT_RATIO_BUDGET.toFixed(2)}) ${ratio <= REPEAT_RATIO_BUDGET ? "✓" : "✗"}`);
        breakdowns.push(`${label.padEnd(12)} ${LABELS[path].padEnd(24)} ${STEPS.map((n) => `${n} ${ms(percentile(steps[path].map((m) => m[n] ?? 0), 50))}`).join("  ")}`);
      }
    }

    console.log(`\nConsole switch: Switchboard API vs the same AWS calls made directly, ${ROUNDS} interleaved rounds (after ${WARMUP} warm-up), times in ms\n`);
    console.log(
      `${"AWS latency".padEnd(12)} ${"path".padEnd(24)} ${pad("p50", 8)} ${pad("p99", 8)} ${pad("ratio", 7)} ${pad("fixed", 7)} ${pad("server p50", 10)} ${pad("server", 7)}  targets`,
    );
    for (const row of rows) console.log(row);
    console.log("\n(latency = injected into each sandbox STS and sign-in call, for every path; 0 = the bare sandbox)");
    console.log(
      `AssumeRole calls by the cached console in the measured rounds: ${uncachedRepeats}${uncachedRepeats === 0 ? " (every repeat switch came from the cache)" : " ✗ expected none: the repeat rows are not measuring the cache"}`,
    );
    console.log("\nWhere a switch spends its time on the server (Server-Timing, p50 of each step, ms):\n");
    for (const row of breakdowns) console.log(row);
    if (verdicts.length) {
      console.log("\nTargets:");
      for (const verdict of verdicts) console.log(`  ${verdict}`);
    }
    agent.destroy();
  } finally {
    await stack.stop();
  }
}

await main();
