import "server-only";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { AppError } from "@/lib/errors";

// The AWS console federation endpoint: temporary credentials → SigninToken → login URL.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html
// The SigninToken and the login URL are secrets (a 15-minute key to the console): they are never
// logged, stored, or put in an error message; neither are the credentials.

export type FederationCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

export type GetSigninTokenInput = {
  /** From `federationEndpoint()`. */
  endpoint: string;
  credentials: FederationCredentials;
  /** From `consoleSessionDuration()`: leave it out for credentials from role chaining. */
  sessionDuration?: number;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of a refusal's body is worth showing: AWS answers with a short HTML page. */
const BODY_EXCERPT_CHARS = 200;
/** A sign-in token answer is about a kilobyte; anything far larger is not one, and is not read. */
const MAX_BODY_BYTES = 64 * 1024;

/** Connections to the sign-in endpoint are kept open and reused, as the AWS SDK does for STS: a
 * console switch then skips a TCP and TLS handshake. node:http rather than fetch: fetch (undici,
 * and Next.js's wrapper around it in route handlers) costs several times the CPU per call
 * (`npm run bench:switch` shows the sign-in step), and this call needs none of what it adds. */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** Exchanges temporary credentials for a SigninToken (step 2 of AWS's custom-broker flow). POST,
 * which AWS documents, keeps the credentials out of URLs and access logs. */
export async function getSigninToken(input: GetSigninTokenInput): Promise<string> {
  const { endpoint, credentials, sessionDuration } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const form = new URLSearchParams({
    Action: "getSigninToken",
    // The Session keys are exactly sessionId / sessionKey / sessionToken (AWS custom-URL doc).
    Session: JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  });
  if (sessionDuration !== undefined) {
    // 900–43200 seconds (AWS custom-URL doc); consoleSessionDuration() already keeps it there.
    if (!Number.isInteger(sessionDuration) || sessionDuration < 900 || sessionDuration > 43200) {
      throw new Error(`SessionDuration must be whole seconds from 900 to 43200, not ${sessionDuration}`);
    }
    form.set("SessionDuration", String(sessionDuration));
  }

  const secrets = [credentials.secretAccessKey, credentials.sessionToken, credentials.accessKeyId];
  let response: { status: number; text: string };
  try {
    response = await post(endpoint, form.toString(), AbortSignal.timeout(timeoutMs));
  } catch (err) {
    throw transportError(err, endpoint, timeoutMs);
  }
  const { text } = response;
  if (response.status < 200 || response.status > 299) {
    // AWS answers a refused session with HTTP 400 "Invalid credentials parameter" (for example
    // SessionDuration with role-chaining credentials, or expired credentials).
    throw upstream(`The AWS sign-in endpoint refused the session (HTTP ${response.status})${excerpt(text, secrets)}`);
  }
  const token = signinTokenOf(text);
  if (!token) throw upstream("The AWS sign-in endpoint answered without a sign-in token.");
  return token;
}

/** POSTs the form and reads the whole answer, before `signal` fires. Never follows a redirect
 * (node:http does not): a 307/308 would send the credentials on to wherever it points.
 *
 * A kept-alive connection can be closed by the server at the moment it is reused (its idle
 * timeout, 5 s for Node's own servers, races the next request): the request then fails with
 * ECONNRESET or EPIPE before any answer. Such a request is sent once more on a new connection,
 * as Node's documentation advises (https://nodejs.org/api/http.html#requestreusedsocket);
 * getSigninToken changes nothing on AWS's side, so sending it twice is safe. */
async function post(endpoint: string, body: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
  try {
    return await postOnce(endpoint, body, signal, false);
  } catch (err) {
    if (!(err instanceof StaleConnectionError)) throw err;
    return postOnce(endpoint, body, signal, true);
  }
}

/** The request failed on a kept-alive connection the server had already closed. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: unknown) {
    super("the kept-alive connection was closed by the server");
  }
}

const STALE_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE"]);

function postOnce(endpoint: string, body: string, signal: AbortSignal, retried: boolean): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        agent: secure ? agents.https : agents.http,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "content-length": Buffer.byteLength(body) },
        signal,
      },
      (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(Object.assign(new Error("the answer is too large"), { code: "ERESPONSETOOLARGE" }));
          else chunks.push(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", (err: Error & { code?: unknown }) => {
      const stale = !retried && !answered && req.reusedSocket && typeof err.code === "string" && STALE_CONNECTION_CODES.has(err.code);
      reject(stale ? new StaleConnectionError(err) : err);
    });
    req.end(body);
  });
}

function transportError(err: unknown, endpoint: string, timeoutMs: number): AppError {
  const name = (err as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return upstream(`The AWS sign-in endpoint did not answer within ${formatSeconds(timeoutMs)}.`);
  }
  // The socket error's code (ECONNREFUSED, ENOTFOUND, …) is safe to show; the rest of the error
  // is not needed.
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "ERESPONSETOOLARGE") return upstream(`The AWS sign-in endpoint answered with more than ${MAX_BODY_BYTES / 1024} KB, which is not a sign-in token.`);
  const why = typeof code === "string" && /^[A-Z_]+$/.test(code) ? ` (${code})` : "";
  return upstream(`Could not reach the AWS sign-in endpoint at ${hostOf(endpoint)}${why}.`);
}

function signinTokenOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { SigninToken?: unknown };
    return typeof body.SigninToken === "string" && body.SigninToken !== "" ? body.SigninToken : undefined;
  } catch {
    return undefined;
  }
}

/** `: <the body as plain text, trimmed>`, with any credential value blanked out in case an
 * endpoint ever echoes what it was sent. */
function excerpt(body: string, secrets: string[]): string {
  let text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  for (const secret of secrets) if (secret) text = text.split(secret).join("[redacted]");
  if (text === "") return ".";
  return `: ${text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text}`;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "(invalid URL)";
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function upstream(message: string): AppError {
  return new AppError("upstream_error", message);
}

export type LoginInput = {
  endpoint: string;
  /** Where AWS sends the user when the console session expires: the console's own re-open
   * link for this role, so "sign in again" comes back here for a fresh session. */
  issuer: string;
  /** From `consoleDestination()`, never from request input. */
  destination: string;
  signinToken: string;
};

/** The login URL (step 3): valid for 15 minutes and a secret. Hand it over by a 302 or a
 * no-store response, mint it on click, never log it. */
export function loginUrl({ endpoint, issuer, destination, signinToken }: LoginInput): string {
  const params: Array<[string, string]> = [
    ["Action", "login"],
    ["Issuer", issuer],
    ["Destination", destination],
    ["SigninToken", signinToken],
  ];
  return `${endpoint}?${params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&")}`;
}

export type LoginForm = {
  action: string;
  fields: { Action: "login"; Issuer: string; Destination: string; SigninToken: string };
};

/** The same login as an auto-submitting POST form, which AWS also documents: the SigninToken
 * then never appears in a URL, a browser history or a Referer. */
export function loginForm({ endpoint, issuer, destination, signinToken }: LoginInput): LoginForm {
  return { action: endpoint, fields: { Action: "login", Issuer: issuer, Destination: destination, SigninToken: signinToken } };
}
