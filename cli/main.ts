// switchboard: the command line for Switchboard (issue 14 §3). Bundled to one file with no
// dependencies (scripts/build-cli.mjs → public/cli/switchboard.mjs), which the console serves
// for download. It speaks to the console with a personal access token only (README "HTTP API"),
// which `switchboard login` gets by a device sign-in (RFC 8628) or is given.
import { homedir } from "node:os";
import { CLI_VERSION } from "./api";
import { config, CONFIG_USAGE } from "./commands/config-export";
import { consoleCommand, CONSOLE_USAGE } from "./commands/console";
import { credentials, CREDENTIALS_USAGE, exec, EXEC_USAGE } from "./commands/credentials";
import { login, LOGIN_USAGE, logout } from "./commands/login";
import { request, REQUEST_MORE_USAGE, REQUEST_USAGE } from "./commands/request";
import { roles } from "./commands/roles";
import { CliError, EXIT } from "./errors";
import type { Io } from "./io";

export const HELP = `switchboard ${CLI_VERSION}: AWS roles from your Switchboard console, on the command line.

Usage:
  ${LOGIN_USAGE}
  switchboard logout
  switchboard roles [query] [--json]
  ${CREDENTIALS_USAGE}
  ${EXEC_USAGE}
  ${CONSOLE_USAGE}
  ${CONFIG_USAGE}
  ${REQUEST_USAGE}
  ${REQUEST_MORE_USAGE}

<role> is an entry id, account/role as switchboard roles shows them, an exported profile name,
or words that match exactly one of your roles. switchboard <command> --help says more.
A role you may ask for (switchboard request roles) is given for a time once approved:
  switchboard request prod/readonly --for 2h --reason "INC-1234" --wait

Start by signing in: it prints a code to approve in the console (device sign-in), or takes a
personal access token from the console (user menu → Command line & tokens) with --token:
  switchboard login https://switchboard.example.com
  switchboard config export          # one AWS CLI profile per role, in ~/.aws/config

Environment:
  SWITCHBOARD_URL, SWITCHBOARD_TOKEN  use these instead of the stored sign-in (CI jobs)
  XDG_CONFIG_HOME                     where the sign-in is stored (default ~/.config)
  AWS_CONFIG_FILE                     the file config export writes (default ~/.aws/config)

Exit codes:
  0  done (exec: the command's own exit code)
  1  something else went wrong (the message says what)
  2  usage: a wrong command, argument or option
  3  not signed in: run switchboard login
  4  the console refused the token: expired, revoked or unknown; sign in with a new one
  5  not allowed: the role is not granted to you, or the token's scope is read
  6  AWS refused or failed the switch (the console's explanation is printed)
  7  the console could not be reached, or did not answer as a Switchboard console
  8  no role matches, or several do
  9  denied in the console: the device sign-in (login), or the access request (request --wait)
  10  login: the device sign-in's code expired before anyone approved it
  130  stopped with Ctrl+C
`;

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  login,
  logout,
  roles,
  credentials,
  creds: credentials,
  exec,
  console: consoleCommand,
  config,
  request,
};

/** Runs one command line; returns the exit code. Every failure the person can act on is a
 * CliError; anything else is a bug, reported without its stack unless SWITCHBOARD_DEBUG is set. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "--version" || command === "-v" || command === "version") return io.out(`${CLI_VERSION}\n`), EXIT.ok;
  const handler = COMMANDS[command];
  if (!handler) {
    io.err(`Unknown command ${command}.\nRun switchboard --help for usage.\n`);
    return EXIT.usage;
  }
  try {
    return await handler(args, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`switchboard: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`switchboard: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env.SWITCHBOARD_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return EXIT.failure;
  }
}

async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    readStdin,
    fetch: globalThis.fetch,
    platform: process.platform,
    homedir: homedir(),
  };
}

// The bundle's entry: the build defines SWITCHBOARD_CLI_ENTRY so that importing this module in
// tests runs nothing.
declare const SWITCHBOARD_CLI_ENTRY: boolean | undefined;
if (typeof SWITCHBOARD_CLI_ENTRY !== "undefined" && SWITCHBOARD_CLI_ENTRY) {
  const [major] = process.versions.node.split(".").map(Number);
  if ((major ?? 0) < 20) {
    process.stderr.write(`switchboard needs Node.js 20 or later (this is ${process.version}).\n`);
    process.exit(EXIT.failure);
  }
  run(process.argv.slice(2), processIo()).then(
    // Exits once standard output is flushed, without waiting for the HTTP client's idle
    // keep-alive sockets to close.
    (code) => void process.stdout.write("", () => process.exit(code)),
    (err: unknown) => {
      process.stderr.write(`switchboard: ${String(err)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
