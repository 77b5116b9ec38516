// switchboard login's device sign-in (RFC 8628 as the device): what it prints, how it polls
// (the interval, slow_down's 5 seconds more, pending, a network blip), how it ends (approved:
// stored 0600 as --token stores it; denied: exit 9; expired: exit 10; Ctrl+C: exit 130), and that
// the token is never printed. The polling runs against a small HTTP server of the test's own,
// answering as the console does (its error body, the RFC's code in details.error); the waits are
// recorded instead of slept. e2e/device-login.spec.ts runs the bundle against the real console.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tokenFromBytes } from "@/lib/tokens/format";
import { deviceDescription, deviceSignIn } from "./commands/login";
import { CliError, EXIT } from "./errors";
import { run } from "./main";
import { fakeIo } from "./test-support";

const TOKEN = tokenFromBytes(new Uint8Array(64).map((_, i) => (i * 53) % 240))!;
const ME = { id: "u1", email: "ada@example.com", name: "Ada", role: "operator", session: { endsAt: "2030-01-01T00:00:00Z" }, token: { id: "t1", name: "switchboard CLI on host box (linux)", scope: "switch" } };
const START = {
  device_code: "d3ViZGV2aWNlY29kZS10aGF0LWlzLWxvbmctZW5vdWdo",
  user_code: "BCDF-GHJK",
  verification_uri: "",
  verification_uri_complete: "",
  expires_in: 600,
  interval: 5,
};
const rfcError = (error: string, extra: object = {}) => ({ status: 400, json: { error: { code: "bad_request", message: `rfc ${error}`, requestId: "req-1", details: { error, ...extra } } } });
const granted = { status: 200, json: { access_token: TOKEN, token_type: "Bearer", expires_in: 2_592_000, scope: "switch" } };

type Answer = { status: number; json: unknown };
type Seen = { method: string; path: string; headers: IncomingMessage["headers"]; body: unknown };

/** A console of the test's own: answers each poll from a script, records every request. */
async function fakeConsole(polls: Answer[]): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answer: Answer =
        req.url === "/api/v1/device/authorizations"
          ? { status: 200, json: { ...START, verification_uri: `${base}/device`, verification_uri_complete: `${base}/device?code=${START.user_code}` } }
          : req.url === "/api/v1/device/token"
            ? (polls.shift() ?? rfcError("expired_token"))
            : req.url === "/api/v1/me"
              ? { status: 200, json: ME }
              : { status: 404, json: { error: { code: "not_found", message: "no", requestId: "r" } } };
      res.writeHead(answer.status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** An Io with the real fetch (to the test's server) and a home of its own. */
function realIo() {
  const home = mkdtempSync(join(tmpdir(), "switchboard-device-test-"));
  return { home, ...fakeIo({}, { homedir: home, env: { XDG_CONFIG_HOME: join(home, "xdg") }, fetch: globalThis.fetch }) };
}

/** Records each wait and returns at once. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("switchboard login (device sign-in)", () => {
  it("prints the address and the code on stderr, polls every 5 s, adds 5 s after each slow_down, and returns the token once approved", async () => {
    const { url, seen } = await fakeConsole([rfcError("authorization_pending"), rfcError("slow_down", { interval: 10 }), rfcError("authorization_pending"), rfcError("slow_down"), granted]);
    const { io, stdout, stderr } = realIo();
    const { waits, sleep } = recordingSleep();
    const opened: string[] = [];
    const token = await deviceSignIn(url, io, { browser: true, sleep, openBrowser: (u) => void opened.push(u), description: "switchboard CLI on host box (linux)" });
    expect(token).toBe(TOKEN);
    // 5 s, then 5 s more from the first slow_down (the console says 10), then 5 s more again.
    expect(waits).toEqual([5000, 5000, 10_000, 10_000, 15_000]);
    expect(opened).toEqual([`${url}/device?code=BCDF-GHJK`]);
    expect(stderr()).toContain(`  ${url}/device\n`);
    expect(stderr()).toContain("  BCDF-GHJK\n");
    expect(stderr()).toContain(`Or open ${url}/device?code=BCDF-GHJK`);
    expect(stdout()).toBe("");
    expect(stderr()).not.toContain(TOKEN);
    // The RFC's parameters, as JSON, and no Authorization header (there is no token yet).
    expect(seen[0]).toMatchObject({ method: "POST", path: "/api/v1/device/authorizations", body: { client_id: "switchboard-cli", scope: "switch", description: "switchboard CLI on host box (linux)" } });
    const polls = seen.filter((s) => s.path === "/api/v1/device/token");
    expect(polls).toHaveLength(5);
    for (const p of polls) expect(p.body).toEqual({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: START.device_code, client_id: "switchboard-cli" });
    expect(seen.every((s) => s.headers.authorization === undefined)).toBe(true);
  });

  it("switchboard login <url> stores the token 0600 as --token does, says who signed in, and never prints it", async () => {
    const { url, seen } = await fakeConsole([granted]);
    const { io, home, stdout, stderr } = realIo();
    // Through run(): the waits are real here (one interval, shortened by the console's answer below).
    START.interval = 1;
    try {
      expect(await run(["login", url, "--no-browser"], io)).toBe(EXIT.ok);
    } finally {
      START.interval = 5;
    }
    const file = join(home, "xdg", "switchboard", "config.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url, token: TOKEN });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(stderr()).toContain(`Signed in to ${url} as Ada <ada@example.com> (operator).`);
    expect(stderr()).toContain('Token "switchboard CLI on host box (linux)", scope switch.');
    expect(stdout() + stderr()).not.toContain(TOKEN);
    // The token was checked with the console, as the --token path checks it.
    expect(seen.at(-1)).toMatchObject({ method: "GET", path: "/api/v1/me" });
    expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ["denied in the console", rfcError("access_denied"), EXIT.deviceDenied, "The sign-in was denied in the console: nothing was stored."],
    ["expired before anyone approved", rfcError("expired_token"), EXIT.deviceExpired, "The code expired before it was approved"],
    ["an unknown or used device code", rfcError("invalid_grant"), EXIT.usage, "rfc invalid_grant"],
  ])("%s: exits with its own code and a plain message, and stores nothing", async (_, answer, code, message) => {
    const { url } = await fakeConsole([rfcError("authorization_pending"), answer]);
    const { io, home } = realIo();
    const { sleep } = recordingSleep();
    const failure = await deviceSignIn(url, io, { browser: false, sleep }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).exitCode).toBe(code);
    expect((failure as CliError).message).toContain(message);
    expect(() => statSync(join(home, "xdg", "switchboard", "config.json"))).toThrow();
  });

  it("Ctrl+C while waiting stops at once with exit 130 and stores nothing", async () => {
    const { url, seen } = await fakeConsole([rfcError("authorization_pending")]);
    const { io } = realIo();
    const controller = new AbortController();
    const started = Date.now();
    // The real wait (5 s), cut short by the signal.
    setTimeout(() => controller.abort(), 100);
    const failure = await deviceSignIn(url, io, { browser: false, signal: controller.signal }).catch((err: unknown) => err);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((failure as CliError).exitCode).toBe(EXIT.interrupted);
    expect((failure as CliError).message).toBe("Stopped: nothing was stored.");
    expect(seen.filter((s) => s.path === "/api/v1/device/token")).toHaveLength(0);
  });

  it("a poll that cannot reach the console is tried again, waiting twice as long; five in a row give up", async () => {
    const flaky = fakeIo({
      "POST /api/v1/device/authorizations": { status: 200, json: { ...START, verification_uri: "https://c.example/device", verification_uri_complete: "https://c.example/device?code=BCDF-GHJK" } },
      "POST /api/v1/device/token": granted,
    });
    // The first poll fails at the network, the second succeeds.
    let failOnce = true;
    const fetchOnce: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/device/token") && failOnce) {
        failOnce = false;
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return flaky.io.fetch(input, init);
    };
    const { waits, sleep } = recordingSleep();
    expect(await deviceSignIn("https://c.example", { ...flaky.io, fetch: fetchOnce }, { browser: false, sleep })).toBe(TOKEN);
    expect(waits).toEqual([5000, 10_000]);

    const down = fakeIo({ "POST /api/v1/device/authorizations": { status: 200, json: { ...START, verification_uri: "https://c.example/device" } } });
    const gone = recordingSleep();
    const failure = await deviceSignIn("https://c.example", down.io, { browser: false, sleep: gone.sleep }).catch((err: unknown) => err);
    expect((failure as CliError).exitCode).toBe(EXIT.unreachable);
    expect(gone.waits).toEqual([5000, 10_000, 20_000, 40_000, 80_000]);
  });

  it("describes the device by its host name and system, within the console's 64 characters", () => {
    expect(deviceDescription({ platform: "linux" }, "build-07.example.com")).toBe("switchboard CLI on host build-07.example.com (linux)");
    expect(deviceDescription({ platform: "darwin" }, `${"x".repeat(80)}\u0007`).length).toBeLessThanOrEqual(64);
    expect(deviceDescription({ platform: "win32" }, "")).toBe("switchboard CLI on host unknown (win32)");
  });
});
