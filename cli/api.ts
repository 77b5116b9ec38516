// The console's HTTP API with a personal access token (README "HTTP API"): the few calls the
// command line makes, the device sign-in's two calls that come before there is a token, and one
// mapping from the console's error body to an exit code and a sentence.
import type { MenuData } from "@/lib/catalog/menu-types";
import { DEVICE_CLIENT_ID, DEVICE_GRANT_TYPE } from "@/lib/device/codes";
import { CliError, EXIT } from "./errors";
import type { Io } from "./io";

export const CLI_VERSION = "0.1.0";

export type Me = {
  id: string;
  email: string;
  name: string;
  role: string;
  session: { endsAt: string };
  token?: { id: string; name: string; scope: "read" | "switch" };
};

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };

type Common = { region: string; assumedRoleArn: string; roleArn: string; roleLabel: string; accountName: string; expiresAt: string };
export type CredentialsSession = Common & { kind: "credentials"; credentials: Credentials; profileName: string; sessionName: string; durationSeconds: number };
export type ConsoleSession = Common & { kind: "console"; consoleUrl: string };

export type ErrorBody = { code: string; message: string; requestId?: string; details?: Record<string, unknown>; retryAfter?: number };

const TIMEOUT_MS = 60_000;

export class Api {
  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly io: Pick<Io, "fetch">,
  ) {}

  me = () => this.request<Me>("GET", "/api/v1/me");
  menu = () => this.request<MenuData>("GET", "/api/v1/me/menu");
  endToken = () => this.request<unknown>("DELETE", "/api/v1/me/token");

  credentials = (input: { roleId: string; region?: string; durationSeconds?: number }) =>
    this.request<CredentialsSession>("POST", "/api/v1/sessions", { ...input, kind: "credentials" });

  console = (input: { roleId: string; region?: string; service?: string }) => this.request<ConsoleSession>("POST", "/api/v1/sessions", { ...input, kind: "console" });

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(this.io, this.url, method, path, body, { token: this.token });
  }
}

/** The device sign-in's two public calls (RFC 8628; README "Command line"): no token is sent,
 * since there is none yet. `signal` stops them (Ctrl+C). */
export const deviceApi = (url: string, io: Pick<Io, "fetch">, signal?: AbortSignal) => ({
  start: (description: string) => call<DeviceStart>(io, url, "POST", "/api/v1/device/authorizations", { client_id: DEVICE_CLIENT_ID, scope: "switch", description }, { signal }),
  poll: (deviceCode: string) => call<DeviceToken>(io, url, "POST", "/api/v1/device/token", { grant_type: DEVICE_GRANT_TYPE, device_code: deviceCode, client_id: DEVICE_CLIENT_ID }, { signal }),
});

export type DeviceStart = { device_code: string; user_code: string; verification_uri: string; verification_uri_complete?: string; expires_in: number; interval?: number };
export type DeviceToken = { access_token: string; token_type: string; expires_in?: number; scope?: string };

/** A refusal from the console, with the error body it came with (the device sign-in reads the
 * RFC 8628 error code in details.error). */
export class ApiFailure extends CliError {
  constructor(
    exitCode: number,
    message: string,
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(exitCode, message);
  }
}

/** One request to the console's API, with the token when there is one. */
async function call<T>(io: Pick<Io, "fetch">, url: string, method: string, path: string, body: unknown, opts: { token?: string; signal?: AbortSignal }): Promise<T> {
  let res: Response;
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    res = await io.fetch(`${url}${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        accept: "application/json",
        "user-agent": `switchboard-cli/${CLI_VERSION}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A redirect means the address is not the console's API (a sign-in page, a proxy);
      // following it could send the token somewhere else.
      redirect: "manual",
      signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw interrupted();
    throw new CliError(EXIT.unreachable, `Could not reach the console at ${url}: ${networkReason(err)}. Check the address (switchboard login <URL> stores another) and your network.`);
  }
  const text = await res.text().catch(() => "");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok && json !== undefined) return json as T;
  const error = errorBodyOf(json);
  if (!error) {
    const what = res.status >= 300 && res.status < 400 ? `redirected (${res.status}) to ${res.headers.get("location") ?? "elsewhere"}` : `answered ${res.status} without a Switchboard error`;
    throw new CliError(EXIT.unreachable, `The console at ${url} ${what}: is this the console's address?`);
  }
  const failure = failureFor(res.status, error);
  throw new ApiFailure(failure.exitCode, failure.message, res.status, error);
}

/** Ctrl+C while waiting: nothing was stored. */
export const interrupted = () => new CliError(EXIT.interrupted, "Stopped: nothing was stored.");

function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return `no answer within ${TIMEOUT_MS / 1000} seconds`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export function errorBodyOf(json: unknown): ErrorBody | null {
  const error = (json as { error?: unknown } | undefined)?.error;
  if (!error || typeof error !== "object") return null;
  const { code, message } = error as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string" ? (error as ErrorBody) : null;
}

const SIGN_IN_AGAIN = "Make a new token in the console (user menu → Command line & tokens) and run: switchboard login <console URL> --token <token>";

/** The console's refusal as the person should read it, with the exit code for its kind. */
export function failureFor(status: number, error: ErrorBody): CliError {
  const ref = error.requestId ? ` (request ${error.requestId})` : "";
  const message = `${error.message}${ref}`;
  if (status === 401) return new CliError(EXIT.tokenRefused, `${message}\n${SIGN_IN_AGAIN}`);
  switch (error.code) {
    case "forbidden":
      return new CliError(EXIT.notGranted, message);
    case "not_found":
      return new CliError(EXIT.roleNotFound, `${message} Run switchboard roles to see yours.`);
    case "aws_denied":
    case "upstream_error":
    case "unavailable": {
      const explanation = error.details?.explanation as { summary?: unknown; fix?: { where?: unknown; statement?: unknown } } | undefined;
      const prefix = error.code === "aws_denied" ? "AWS refused: " : error.code === "upstream_error" ? "AWS failed: " : "";
      const lines = [`${prefix}${message}`];
      // The summary is usually the message itself; the fix says where to change what.
      if (typeof explanation?.summary === "string" && explanation.summary !== error.message) lines.push(explanation.summary);
      if (explanation?.fix && typeof explanation.fix.where === "string") {
        lines.push(`An administrator can fix it in ${explanation.fix.where} with:`, JSON.stringify(explanation.fix.statement, null, 2));
      }
      if (error.retryAfter) lines.push(`Try again in ${error.retryAfter} seconds.`);
      return new CliError(EXIT.awsRefused, lines.join("\n"));
    }
    case "bad_request":
      return new CliError(EXIT.usage, message);
    case "rate_limited":
      return new CliError(EXIT.failure, `${message}${error.retryAfter ? ` Try again in ${error.retryAfter} seconds.` : ""}`);
    default:
      return new CliError(EXIT.failure, message);
  }
}
