// The one error type: a code that maps to an HTTP status, and a message written for the person
// who caused it. Anything else that escapes is a bug: it is logged with the request id and the
// caller gets a generic message with that id.
//
// One rule for each kind of failure (lib/http/failure.ts turns a thrown error into the answer):
//
//   what went wrong                                   code               status  also
//   ------------------------------------------------  -----------------  ------  ----------------
//   the input is invalid (body, query, path, form)     bad_request        400     fields
//   not signed in, or the session has ended            unauthorized       401
//   signed in, but not recently enough for this        step_up_required   401     details.stepUp
//   the console role does not allow it                 forbidden          403     (audited)
//   AWS refused (AccessDenied from AWS itself)          aws_denied         403     details.explanation
//   no such thing, or not one the caller may see       not_found          404
//   it clashes with what exists (a unique name, a key) conflict           409
//   the request body is too large                      payload_too_large  413
//   too many requests                                  rate_limited       429     retryAfter (audited)
//   AWS is throttling the console                      unavailable        503     retryAfter
//   AWS unreachable, or any other AWS service error    upstream_error     502
//   the console's own store is unreachable             unavailable        503     retryAfter if known
//   anything else: a bug                               internal           500     generic message
//
// Every answer carries the request id (`requestId`, and the X-Request-Id header), so a person
// can quote it and an operator can find the log line.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  /** Signed in, but not recently enough for this (creating roles, changing trust): confirm the
   * password or sign in with SSO again. */
  step_up_required: 401,
  forbidden: 403,
  /** AWS refused the operation (an AssumeRole denial): not the console's own authorization. */
  aws_denied: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  upstream_error: 502,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one shape of an error, wherever it is answered: an API route's `{ error }`, a server
 * action's `{ ok: false, error }`, and the provisioning stream's last line. */
export type ErrorBody = {
  code: ErrorCode;
  /** Written for the person: what went wrong and what to do about it. */
  message: string;
  /** The request's id, as in the X-Request-Id header and the server's log lines. */
  requestId?: string;
  /** Field name → what is wrong with it, for forms. */
  fields?: Record<string, string>;
  /** Structured help (e.g. which half of a trust is missing); never a secret. */
  details?: Record<string, unknown>;
  /** Seconds to wait, for 429 and 503 (also sent as Retry-After). */
  retryAfter?: number;
};

/** Marks an AppError whichever copy of this module made it: Next.js bundles the server's entry
 * points separately (the route handlers, instrumentation.ts, where the switch is answered ahead of
 * Next.js), each with its own copy of this class, and an error can cross from one to another
 * through what they share on globalThis. */
const APP_ERROR = Symbol.for("switchboard.AppError");

export class AppError extends Error {
  /** `instanceof AppError` holds for an AppError from any copy of this module (see APP_ERROR). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
  }

  readonly [APP_ERROR] = true;
  readonly code: ErrorCode;
  /** Field name → what is wrong with it, for forms. */
  readonly fields?: Record<string, string>;
  /** Seconds to wait, for 429 and 503. */
  readonly retryAfter?: number;
  /** Structured help for the person (e.g. which half of a trust is missing); never a secret. */
  readonly details?: Record<string, unknown>;
  /** Set once the refusal has been written to the audit log, so no one records it twice. */
  audited = false;

  constructor(code: ErrorCode, message: string, opts: { fields?: Record<string, string>; retryAfter?: number; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = opts.fields;
    this.retryAfter = opts.retryAfter;
    this.details = opts.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The answer for an AppError: its code, its message and whatever help it carries, with the
 * request's id. Pure, so the proxy (which cannot load the server-only core) answers the same way. */
export function errorBody(err: AppError, requestId: string): ErrorBody {
  return {
    code: err.code,
    message: err.message,
    requestId,
    ...(err.fields ? { fields: err.fields } : {}),
    ...(err.details ? { details: err.details } : {}),
    ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}),
  };
}

/** What the caller reads when the failure is a bug: nothing of the error itself, which may hold a
 * secret or a file path, only the id that finds it in the log. */
export function internalErrorBody(requestId: string): ErrorBody {
  return { code: "internal", message: `Something went wrong on our side. Request id: ${requestId}.`, requestId };
}

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError("bad_request", message, { fields });
export const notFound = (message: string) => new AppError("not_found", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
