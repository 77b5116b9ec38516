import "server-only";
import type { Actor } from "@/lib/auth/guard";
import { recordDenial } from "@/lib/audit/record";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { RequestMeta } from "./request-meta";

/** A failure as every entry point answers it: the status, and the error body people read. */
export type Failure = {
  status: number;
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
  /** Seconds, for 429 and 503 (sent as Retry-After). */
  retryAfter?: number;
};

/** Refusals that are decisions about the caller, which the audit log must hold (ASVS 16.3.2). */
const REFUSALS: ReadonlySet<ErrorCode> = new Set(["forbidden", "step_up_required", "rate_limited"]);

/** The one mapping from a thrown error to an answer, shared by route handlers, server actions and
 * the /switch route. An AppError says what went wrong in words meant for the person; a refusal
 * not yet audited is audited here; anything else is a bug: logged with the request id (never
 * the error's details, which may hold a secret) and answered with a generic message. */
export async function describeFailure(err: unknown, context: { actor: Actor | null; operation: string; meta: RequestMeta }): Promise<Failure> {
  if (err instanceof AppError) {
    if (REFUSALS.has(err.code) && !err.audited && context.actor) {
      await recordDenial(context.actor, { operation: context.operation, reason: err.message, request: context.meta });
      err.audited = true;
    }
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err.details ? { details: err.details } : {}),
      ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}),
    };
  }
  console.error(`[${context.operation}] failed (request ${context.meta.requestId}): ${err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown"}`);
  return { status: 500, code: "internal", message: `Something went wrong on our side. Request id: ${context.meta.requestId}.` };
}
