// The one error type: a code that maps to an HTTP status, and a message written for the person
// who caused it. Anything else that escapes is a bug: it is logged with the request id and the
// caller gets a generic message with that id.

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

export class AppError extends Error {
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

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError("bad_request", message, { fields });
export const notFound = (message: string) => new AppError("not_found", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
