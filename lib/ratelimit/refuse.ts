import "server-only";
import { recordAudit, type AuditEvent } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { logger, requestLogger } from "@/lib/log";

/** A rate-limit refusal: written to the audit log (one row, however many follow; a failure to
 * write it is logged and does not change the answer), then returned as the 429 to throw. */
export async function refusal(message: string, retryAfter: number, event: AuditEvent): Promise<AppError> {
  try {
    await recordAudit(event);
  } catch (err) {
    (event.request ? requestLogger(event.request) : logger).error({ err, operation: event.action }, "could not record a rate-limit refusal in the audit log");
  }
  const error = new AppError("rate_limited", message, { retryAfter });
  error.audited = true;
  return error;
}
