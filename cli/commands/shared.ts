// What several commands share: the API client for the stored session, and option parsing.
import { homedir } from "node:os";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Api } from "../api";
import { currentSession } from "../config-file";
import { usageError } from "../errors";
import type { Io } from "../io";

export function signedInApi(io: Io): Api {
  const session = currentSession(io);
  return new Api(session.url, session.token, io);
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with its complaints turned into usage errors (exit 2). */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** `3600`, `3600s`, `90m`, `12h` → seconds. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  if (!m) throw usageError(`--duration ${text}: give seconds (3600) or minutes and hours (90m, 12h).`);
  return Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
}

export function onePositional(positionals: string[], what: string, usage: string): string {
  if (positionals.length === 0) throw usageError(`Missing ${what}. Usage: ${usage}`);
  if (positionals.length > 1) throw usageError(`Too many arguments: ${positionals.slice(1).join(" ")}. Usage: ${usage}`);
  return positionals[0]!;
}

export const expandHome = (path: string, io: Pick<Io, "homedir">) => (path === "~" ? io.homedir : path.startsWith("~/") ? `${io.homedir}${path.slice(1)}` : path);

export const defaultHome = () => homedir();

