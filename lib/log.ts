import "server-only";
// The console's one logger (pino): one JSON object per line by default, for a log collector;
// coloured text with SWITCHBOARD_LOG_FORMAT=pretty (npm run demo). LOG_LEVEL picks the least
// severe level written. Every line about a request carries its id (requestLogger), the same id
// the caller sees in X-Request-Id and in the error body, so a person can quote it and an operator
// can find the line.
//
// Secrets never reach a line: the fields below are replaced by "[Redacted]" wherever they sit
// (up to REDACT_DEPTH objects deep), and errors are written through an allowlist (name, message,
// code, status, cause), never with the properties an SDK hangs on them (the AWS SDK's
// `$response` holds the raw HTTP response) and never with a stack trace: stack traces stay out
// of the logs as out of the answers (they show the server's file layout to whoever reads the
// logs), and the request id, the operation and the error's name, message and causes find a bug. Log an error
// under `err` (or `error`) so it goes through that allowlist.
import pino, { type Bindings, type DestinationStream, type Level, type LogFn, type Logger } from "pino";
import pretty from "pino-pretty";
import { getConfig, type Config } from "@/lib/config";
import type { RequestMeta } from "@/lib/http/request-meta";

export type { Logger };
export type LogSettings = Pick<Config, "logLevel" | "logFormat">;

/** Field names that hold a secret, in the spellings this code base and the AWS APIs use. */
export const SECRET_FIELDS = [
  // AWS credentials: the secret half and the session token (an access key id alone is no secret).
  "secretAccessKey",
  "SecretAccessKey",
  "sessionToken",
  "SessionToken",
  "sessionKey",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "credentials",
  "Credentials",
  // The AWS console sign-in token, and every URL that carries one.
  "SigninToken",
  "signinToken",
  "signInToken",
  "consoleUrl",
  "signinUrl",
  "signInUrl",
  "federationUrl",
  // People's passwords and the console's own secrets.
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "secret",
  "authSecret",
  "clientSecret",
  "client_secret",
  "NEXTAUTH_SECRET",
  "SWITCHBOARD_ADMIN_PASSWORD",
  "SWITCHBOARD_OIDC_CLIENT_SECRET",
  "DATABASE_URL",
  "token",
  "setupToken",
  "adminToken",
  "csrfToken",
  "idToken",
  "id_token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  // HTTP headers that authenticate.
  "cookie",
  "cookies",
  "Cookie",
  "set-cookie",
  "Set-Cookie",
  "authorization",
  "Authorization",
  "x-amz-security-token",
  "X-Amz-Security-Token",
] as const;

/** How many objects deep a secret field is still found: `{ a: { b: { c: { d: { password } } } } }`.
 * pino's redaction matches fixed paths (a `*` is exactly one level), so each depth is a path. */
export const REDACT_DEPTH = 4;

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

function pathsFor(field: string): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
    const parents = Array.from({ length: depth }, () => "*");
    if (PLAIN_KEY.test(field)) paths.push([...parents, field].join("."));
    else paths.push(`${parents.join(".")}["${field}"]`);
  }
  return paths;
}

export const REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap(pathsFor);

export const REDACTED = "[Redacted]";

/** Secrets that travel inside a string: query parameters of a sign-in or presigned URL
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html)
 * and the password of a connection URL. Applied to error messages, which are written
 * by libraries and may quote a URL. */
const SECRETS_IN_TEXT: ReadonlyArray<[RegExp, string]> = [
  [/\b(SigninToken|Session|Signature|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|token|password|secret)=[^&\s"'<>]+/gi, `$1=${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, `$1${REDACTED}@`],
];

export function scrubText(text: string): string {
  return SECRETS_IN_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

export type SerializedError = {
  type: string;
  message: string;
  code?: string;
  /** An AWS SDK error's HTTP status and AWS request id, to quote to AWS support. */
  status?: number;
  awsRequestId?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
};

const MAX_CAUSES = 5;

/** An error as it may be written: an allowlist of fields, whatever else the error carries. */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (!(value instanceof Error)) return { type: typeof value, message: scrubText(String(value)).slice(0, 500) };
  const e = value as Error & { code?: unknown; $metadata?: { httpStatusCode?: unknown; requestId?: unknown } };
  const out: SerializedError = { type: e.name || e.constructor.name, message: scrubText(e.message) };
  if (typeof e.code === "string" && e.code.length <= 64) out.code = e.code;
  if (typeof e.$metadata?.httpStatusCode === "number") out.status = e.$metadata.httpStatusCode;
  if (typeof e.$metadata?.requestId === "string") out.awsRequestId = e.$metadata.requestId;
  if (depth < MAX_CAUSES) {
    if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
    if (e instanceof AggregateError) out.errors = e.errors.slice(0, 10).map((inner) => serializeError(inner, depth + 1));
  }
  return out;
}

/** A logger with these settings, writing to `destination` (tests capture it) or to stdout. */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  // Synchronous writes, no transport: pino's transports run in worker threads, which a bundled
  // Next.js server cannot always start, and a line must be out before process.exit.
  const stream =
    destination ??
    (settings.logFormat === "pretty"
      ? pretty({ sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" })
      : pino.destination({ sync: true }));
  return pino(
    {
      level: settings.logLevel,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: (err: unknown) => serializeError(err), error: (err: unknown) => serializeError(err) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"error" rather than pino's numbers: readable with grep and in any collector.
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

const FALLBACK: LogSettings = { logLevel: "info", logFormat: "json" };
let root: Logger | undefined;
let fallback: Logger | undefined;

/** Built on first use, not on import: the configuration is read on first use (tests set the
 * environment after importing, and `next build` imports without production secrets). While the
 * configuration is invalid, lines still go out at the defaults: start-up logs that very problem. */
function rootLogger(): Logger {
  if (root) return root;
  let config: Config;
  try {
    config = getConfig();
  } catch {
    return (fallback ??= createLogger(FALLBACK));
  }
  root = createLogger(config);
  return root;
}

function at(level: Level): LogFn {
  return ((...args: unknown[]) => {
    const log = rootLogger();
    (log[level] as (...a: unknown[]) => void).apply(log, args);
  }) as LogFn;
}

/** The console's logger, for lines that belong to no request (start-up, background work). */
export const logger = {
  error: at("error"),
  warn: at("warn"),
  info: at("info"),
  debug: at("debug"),
  isLevelEnabled: (level: Level): boolean => rootLogger().isLevelEnabled(level),
  child: (bindings: Bindings): Logger => rootLogger().child(bindings),
};

/** The logger for one request: every line carries its request id. */
export function requestLogger(meta: Pick<RequestMeta, "requestId">): Logger {
  return rootLogger().child({ requestId: meta.requestId });
}
