import "server-only";
import { recordAudit, type AuditEvent } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

/** A rate-limit refusal: written to the audit log (one row, however many follow; a failure to
 * write it is logged and does not change the answer), then returned as the 429 to throw. */
export async function refusal(message: string, retryAfter: number, event: AuditEvent): Promise<AppError> {
  try {
    await recordAudit(event);
  } catch (err) {
    console.error(`[audit] could not record a rate-limit refusal (${event.action}): ${err instanceof Error ? err.message : String(err)}`);
  }
  const error = new AppError("rate_limited", message, { retryAfter });
  error.audited = true;
  return error;
}
