// switchboard login <url>: device sign-in (RFC 8628), or --token <token> / switchboard logout
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { setTimeout as wait } from "node:timers/promises";
import { isWellFormedToken } from "@/lib/tokens/format";
import { Api, ApiFailure, deviceApi, interrupted, type DeviceStart } from "../api";
import { currentSession, normalizeUrl, readStoredConfig, removeStoredConfig, writeStoredConfig } from "../config-file";
import { CliError, EXIT, usageError } from "../errors";
import type { Io } from "../io";
import { onePositional, parse } from "./shared";

export const LOGIN_USAGE = "switchboard login <console URL> [--no-browser] [--token <token>] [--allow-http]";

export const LOGIN_HELP = `Usage: ${LOGIN_USAGE}

Signs this machine in to the console and stores the console's address and a personal access
token in $XDG_CONFIG_HOME/switchboard/config.json (~/.config/switchboard/), readable by you only.

Without a token, a device sign-in: it prints an address and a code (and opens the address in
your browser, unless --no-browser), you approve in the console, signed in, and the command
line receives a token of yours with the switch scope (it lists your roles and switches into
them). The code works for 10 minutes, once. Approve only a code you started yourself.

With a token made in the console (user menu → Command line & tokens; scope "switch" to get
credentials, "read" only lists roles): --token, else SWITCHBOARD_TOKEN, else standard input,
which keeps it out of your shell history and the process list:

  switchboard login https://switchboard.example.com < token.txt

Options:
  --no-browser      print the address only; do not try to open a browser
  --token <token>   the personal access token (swbt_…)
  --allow-http      allow a plain http:// address other than this machine (the token would
                    cross the network unencrypted)

Exit codes of the device sign-in: 9 denied in the console, 10 the code expired, 130 Ctrl+C.
`;

export async function login(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { token: { type: "string" }, "allow-http": { type: "boolean" }, "no-browser": { type: "boolean" } });
  if (values.help) return io.out(LOGIN_HELP), EXIT.ok;
  const url = normalizeUrl(onePositional(positionals, "the console's URL", LOGIN_USAGE), values["allow-http"] === true);
  const given = (values.token ?? io.env.SWITCHBOARD_TOKEN ?? (await io.readStdin()) ?? "").trim();
  if (!given) {
    // Ctrl+C stops the wait (and any request under way) instead of killing the process mid-write.
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      const token = await deviceSignIn(url, io, { browser: values["no-browser"] !== true, signal: controller.signal });
      return await finishLogin(url, token, io);
    } finally {
      process.off("SIGINT", stop);
    }
  }
  if (!isWellFormedToken(given)) {
    // Never echo it: it may be a different secret pasted by mistake.
    throw usageError("That is not a Switchboard access token: they start with swbt_ and are 51 characters long. Copy it again from the console.");
  }
  return finishLogin(url, given, io);
}

/** Checks the token with the console, stores it (0600), and says who is signed in. */
async function finishLogin(url: string, token: string, io: Io): Promise<number> {
  const me = await new Api(url, token, io).me();
  const path = writeStoredConfig(io, { url, token });
  io.err(`Signed in to ${url} as ${me.name} <${me.email}> (${me.role}).\n`);
  if (me.token) io.err(`Token "${me.token.name}", scope ${me.token.scope}${me.token.scope === "read" ? ": it lists your roles but cannot get credentials or open the AWS console" : ""}.\n`);
  io.err(`Stored in ${path}.\n`);
  return EXIT.ok;
}

export type DeviceSignInOptions = {
  /** Try to open the address in a browser. */
  browser: boolean;
  signal?: AbortSignal;
  /** Waits between polls (tests pass one that records the waits). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Opens a URL in the person's browser; never throws (tests pass one that records it). */
  openBrowser?: (url: string, io: Io) => void;
  /** What the console shows the person as the device asking. */
  description?: string;
};

/** What the console shows as the device (at most 64 characters). */
export function deviceDescription(io: Pick<Io, "platform">, host = hostname()): string {
  const clean = host.replace(/[^\w.-]+/g, "").slice(0, 30) || "unknown";
  return `switchboard CLI on host ${clean} (${io.platform})`.slice(0, 64);
}

/** How many polls in a row may fail to reach the console before the sign-in gives up. */
const MAX_UNREACHABLE_POLLS = 5;

/** RFC 8628 as the device: start the sign-in, show the address and the code, poll at the
 * interval (5 s more after each slow_down, §3.5) until the person approves or denies or the code
 * expires. Returns the token, which is never printed. */
export async function deviceSignIn(url: string, io: Io, opts: DeviceSignInOptions): Promise<string> {
  const api = deviceApi(url, io, opts.signal);
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => wait(ms, undefined, { signal }));
  const start = await api.start(opts.description ?? deviceDescription(io));
  const complete = start.verification_uri_complete ?? start.verification_uri;
  io.err(
    [
      "To sign in, open this address in a browser where you are signed in to the console:",
      "",
      `  ${start.verification_uri}`,
      "",
      "and enter the code:",
      "",
      `  ${start.user_code}`,
      "",
      `Or open ${complete}`,
      `Approve only if the console shows the code above. It works for ${Math.round(start.expires_in / 60)} minutes; Ctrl+C stops.`,
      "",
    ].join("\n"),
  );
  if (opts.browser) (opts.openBrowser ?? openInBrowser)(complete, io);
  io.err("Waiting for you to approve in the console…\n");
  return poll(api, start, sleep, opts.signal);
}

async function poll(api: ReturnType<typeof deviceApi>, start: DeviceStart, sleep: NonNullable<DeviceSignInOptions["sleep"]>, signal?: AbortSignal): Promise<string> {
  let interval = Math.max(1, start.interval ?? 5);
  let unreachable = 0;
  for (;;) {
    try {
      await sleep(interval * 1000, signal);
    } catch {
      throw interrupted();
    }
    if (signal?.aborted) throw interrupted();
    try {
      const answer = await api.poll(start.device_code);
      if (typeof answer.access_token !== "string" || !isWellFormedToken(answer.access_token)) throw new CliError(EXIT.failure, "The console answered the sign-in without a valid token. Run switchboard login again.");
      return answer.access_token;
    } catch (err) {
      if (err instanceof CliError && err.exitCode === EXIT.unreachable && !(err instanceof ApiFailure) && ++unreachable < MAX_UNREACHABLE_POLLS) {
        // A blip: try again, waiting twice as long (RFC 8628 §3.5 suggests backing off).
        interval *= 2;
        continue;
      }
      if (!(err instanceof ApiFailure)) throw err;
      unreachable = 0;
      const details = err.body.details ?? {};
      switch (details.error) {
        case "authorization_pending":
          continue;
        case "slow_down":
          interval = Math.max(interval + 5, typeof details.interval === "number" ? details.interval : 0);
          continue;
        case "access_denied":
          throw new CliError(EXIT.deviceDenied, `The sign-in was denied in the console: nothing was stored. ${err.body.message}`);
        case "expired_token":
          throw new CliError(EXIT.deviceExpired, `The code expired before it was approved: nothing was stored. Run switchboard login again for a new code.`);
        default:
          throw err;
      }
    }
  }
}

/** Opens the address in the default browser, where there is one; says so and goes on when it
 * cannot (a server over SSH, no display). */
function openInBrowser(url: string, io: Io): void {
  if (!/^https?:\/\//.test(url)) return;
  const command =
    io.platform === "darwin" ? ["open", url] : io.platform === "win32" ? ["rundll32", "url.dll,FileProtocolHandler", url] : io.env.DISPLAY || io.env.WAYLAND_DISPLAY ? ["xdg-open", url] : null;
  if (!command) return;
  try {
    const child = spawn(command[0]!, command.slice(1), { stdio: "ignore", detached: true });
    child.on("error", () => io.err("(Could not open a browser: open the address yourself.)\n"));
    child.unref();
  } catch {
    io.err("(Could not open a browser: open the address yourself.)\n");
  }
}

export const LOGOUT_HELP = `Usage: switchboard logout

Ends the stored token in the console (it cannot be used again, from anywhere), then removes it
from this machine. With SWITCHBOARD_TOKEN set, ends that token.
`;

export async function logout(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return io.out(LOGOUT_HELP), EXIT.ok;
  if (positionals.length) throw usageError(`Unexpected argument ${positionals[0]}. Usage: switchboard logout`);
  const session = currentSession(io);
  try {
    await new Api(session.url, session.token, io).endToken();
    io.err(`Signed out: the token is ended in ${session.url}.\n`);
  } catch (err) {
    // Already expired or revoked: nothing left to end there; forget it here all the same.
    if (!(err instanceof CliError && err.exitCode === EXIT.tokenRefused)) {
      if (err instanceof CliError && err.exitCode === EXIT.unreachable) {
        throw new CliError(EXIT.unreachable, `${err.message}\nThe token was NOT ended and is still stored; run switchboard logout again, or revoke it in the console (user menu → Command line & tokens).`);
      }
      throw err;
    }
    io.err("The console no longer accepts this token (it had ended already).\n");
  }
  if (session.from === "file" || readStoredConfig(io)?.token === session.token) {
    removeStoredConfig(io);
    io.err("Removed the stored token.\n");
  } else {
    io.err("The token came from SWITCHBOARD_TOKEN: unset it.\n");
  }
  return EXIT.ok;
}
