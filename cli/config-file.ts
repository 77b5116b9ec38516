// Where the command line keeps the console's address and the token: one JSON file in
// $XDG_CONFIG_HOME/switchboard/ (~/.config/switchboard/ by default), readable by its owner only,
// as the GitHub CLI and gcloud keep theirs. SWITCHBOARD_URL and SWITCHBOARD_TOKEN override it
// (CI jobs pass the token in the environment and store nothing).
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isWellFormedToken } from "@/lib/tokens/format";
import { CliError, EXIT } from "./errors";
import type { Io } from "./io";

export type StoredConfig = { url: string; token: string };

export function configDir(io: Pick<Io, "env" | "homedir">): string {
  const xdg = io.env.XDG_CONFIG_HOME;
  // The XDG spec: a relative path in the variable is invalid and must be ignored.
  const base = xdg && xdg.startsWith("/") ? xdg : join(io.homedir, ".config");
  return join(base, "switchboard");
}

export const configPath = (io: Pick<Io, "env" | "homedir">) => join(configDir(io), "config.json");

export function readStoredConfig(io: Pick<Io, "env" | "homedir">): StoredConfig | null {
  let text: string;
  try {
    text = readFileSync(configPath(io), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(EXIT.failure, `Cannot read ${configPath(io)}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoredConfig>;
    if (typeof parsed.url === "string" && typeof parsed.token === "string") return { url: parsed.url, token: parsed.token };
  } catch {
    // Falls through to the message below.
  }
  throw new CliError(EXIT.notSignedIn, `${configPath(io)} is not a Switchboard configuration. Sign in again: switchboard login <console URL> --token <token>`);
}

/** Written to a temporary file (created 0600) and renamed over the old one, so that the token
 * is never readable by others, not even for a moment, and a crash leaves the old file whole. */
export function writeStoredConfig(io: Pick<Io, "env" | "homedir">, config: StoredConfig): string {
  const dir = configDir(io);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = configPath(io);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}

export function removeStoredConfig(io: Pick<Io, "env" | "homedir">): void {
  rmSync(configPath(io), { force: true });
}

export type Session = { url: string; token: string; from: "environment" | "file" };

/** The console and token to use: the environment's, else the stored ones. */
export function currentSession(io: Pick<Io, "env" | "homedir">): Session {
  const stored = readStoredConfig(io);
  const url = io.env.SWITCHBOARD_URL || stored?.url;
  const token = io.env.SWITCHBOARD_TOKEN || stored?.token;
  if (!url || !token) {
    throw new CliError(EXIT.notSignedIn, "Not signed in. Make a token in the console (user menu → Command line & tokens), then run: switchboard login <console URL> --token <token>");
  }
  if (!isWellFormedToken(token)) {
    const where = io.env.SWITCHBOARD_TOKEN ? "SWITCHBOARD_TOKEN" : configPath(io);
    throw new CliError(EXIT.tokenRefused, `The token in ${where} is not a Switchboard access token (they start with swbt_). Sign in again: switchboard login <console URL> --token <token>`);
  }
  return { url: normalizeUrl(url), token, from: io.env.SWITCHBOARD_TOKEN ? "environment" : "file" };
}

/** The console's base URL: http(s), no query or fragment, no trailing slash. Plain http only to
 * this machine unless allowed: the token would cross the network readable. */
export function normalizeUrl(raw: string, allowHttp = true): string {
  let url: URL;
  try {
    url = new URL(raw.includes("://") ? raw : `https://${raw}`);
  } catch {
    throw new CliError(EXIT.usage, `${raw} is not a URL. Give the console's address, e.g. https://switchboard.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new CliError(EXIT.usage, `${raw}: the console's address starts with https://`);
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && !loopback && !allowHttp) {
    throw new CliError(EXIT.usage, `${raw} is plain http: the token would travel unencrypted. Use the console's https:// address (or --allow-http on a network you trust).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
