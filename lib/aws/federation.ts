import "server-only";
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
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of a refusal's body is worth showing: AWS answers with a short HTML page. */
const BODY_EXCERPT_CHARS = 200;

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
  const response = await post(input.fetchImpl ?? fetch, endpoint, form, timeoutMs);
  const text = await readBody(response, endpoint, timeoutMs);
  if (!response.ok) {
    // AWS answers a refused session with HTTP 400 "Invalid credentials parameter" (for example
    // SessionDuration with role-chaining credentials, or expired credentials).
    throw upstream(`The AWS sign-in endpoint refused the session (HTTP ${response.status})${excerpt(text, secrets)}`);
  }
  const token = signinTokenOf(text);
  if (!token) throw upstream("The AWS sign-in endpoint answered without a sign-in token.");
  return token;
}

async function post(fetchImpl: typeof fetch, endpoint: string, form: URLSearchParams, timeoutMs: number): Promise<Response> {
  try {
    return await fetchImpl(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      // A 307/308 would send the credentials on to wherever it points; never follow one.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw transportError(err, endpoint, timeoutMs);
  }
}

async function readBody(response: Response, endpoint: string, timeoutMs: number): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    throw transportError(err, endpoint, timeoutMs);
  }
}

function transportError(err: unknown, endpoint: string, timeoutMs: number): AppError {
  const name = (err as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return upstream(`The AWS sign-in endpoint did not answer within ${formatSeconds(timeoutMs)}.`);
  }
  // Node's fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, …) as `cause`; its code is
  // safe to show, the rest of the error is not needed.
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
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
