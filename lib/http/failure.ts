import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { recordDenial } from "@/lib/audit/record";
import { AppError, ERROR_STATUS, errorBody, internalErrorBody, type ErrorBody, type ErrorCode } from "@/lib/errors";
import { requestLogger } from "@/lib/log";
import type { RequestMeta } from "./request-meta";

/** A failure as every entry point answers it: the HTTP status, the one error body (lib/errors.ts)
 * and, for 429 and 503, the seconds to send as Retry-After. */
export type Failure = {
  status: number;
  body: ErrorBody;
  retryAfter?: number;
};

/** Refusals that are decisions about the caller, which the audit log must hold (ASVS 16.3.2). */
const REFUSALS: ReadonlySet<ErrorCode> = new Set(["forbidden", "step_up_required", "rate_limited"]);

/** The one mapping from a thrown error to an answer, shared by route handlers, server actions,
 * the /switch route and the provisioning stream. An AppError says what went wrong in words meant
 * for the person; a refusal not yet audited is audited here (once: the error remembers it); anything
 * else is a bug: logged with the request id (through the logger's error allowlist, never the
 * properties an SDK hangs on it) and answered with a generic message that carries the id. */
export async function describeFailure(err: unknown, context: { actor: Actor | null; operation: string; meta: RequestMeta }): Promise<Failure> {
  const { requestId } = context.meta;
  if (err instanceof AppError) {
    if (REFUSALS.has(err.code) && !err.audited && context.actor) {
      await recordDenial(context.actor, { operation: context.operation, reason: err.message, request: context.meta });
      err.audited = true;
    }
    return { status: err.status, body: errorBody(err, requestId), ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}) };
  }
  requestLogger(context.meta).error({ err, operation: context.operation }, "unexpected failure");
  return { status: ERROR_STATUS.internal, body: internalErrorBody(requestId) };
}
