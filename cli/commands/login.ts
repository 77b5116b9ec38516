// switchboard login <url> --token <token> / switchboard logout
import { isWellFormedToken } from "@/lib/tokens/format";
import { Api } from "../api";
import { currentSession, normalizeUrl, readStoredConfig, removeStoredConfig, writeStoredConfig } from "../config-file";
import { CliError, EXIT, usageError } from "../errors";
import type { Io } from "../io";
import { onePositional, parse } from "./shared";

export const LOGIN_USAGE = "switchboard login <console URL> [--token <token>] [--allow-http]";

export const LOGIN_HELP = `Usage: ${LOGIN_USAGE}

Checks a personal access token with the console and stores the console's address and the token
in $XDG_CONFIG_HOME/switchboard/config.json (~/.config/switchboard/), readable by you only.

Make the token in the console: user menu → Command line & tokens (scope "switch" to get
credentials; "read" only lists roles). The token is read from --token, else SWITCHBOARD_TOKEN,
else standard input, which keeps it out of your shell history and the process list:

  switchboard login https://switchboard.example.com < token.txt

Options:
  --token <token>   the personal access token (swbt_…)
  --allow-http      allow a plain http:// address other than this machine (the token would
                    cross the network unencrypted)
`;

export async function login(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { token: { type: "string" }, "allow-http": { type: "boolean" } });
  if (values.help) return io.out(LOGIN_HELP), EXIT.ok;
  const url = normalizeUrl(onePositional(positionals, "the console's URL", LOGIN_USAGE), values["allow-http"] === true);
  const token = (values.token ?? io.env.SWITCHBOARD_TOKEN ?? (await io.readStdin()) ?? "").trim();
  if (!token) {
    throw usageError(
      "Device sign-in is not available yet: sign in with a personal access token.\n" +
        `Make one in the console at ${url} (user menu → Command line & tokens), then run:\n` +
        `  switchboard login ${url} --token <token>\n` +
        "or pipe it in: switchboard login <URL> < token.txt",
    );
  }
  if (!isWellFormedToken(token)) {
    // Never echo it: it may be a different secret pasted by mistake.
    throw usageError("That is not a Switchboard access token: they start with swbt_ and are 51 characters long. Copy it again from the console.");
  }
  const me = await new Api(url, token, io).me();
  const path = writeStoredConfig(io, { url, token });
  io.err(`Signed in to ${url} as ${me.name} <${me.email}> (${me.role}).\n`);
  if (me.token) io.err(`Token "${me.token.name}", scope ${me.token.scope}${me.token.scope === "read" ? ": it lists your roles but cannot get credentials or open the AWS console" : ""}.\n`);
  io.err(`Stored in ${path}.\n`);
  return EXIT.ok;
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
