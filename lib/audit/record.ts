import "server-only";
import type { Insertable, Kysely } from "kysely";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { preparedQuery } from "@/lib/db/prepared";
import type { Database } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/http/request-meta";
import { logger, requestLogger } from "@/lib/log";
import type { AuditAction } from "./actions";

export { AUDIT_ACTIONS, type AuditAction } from "./actions";

export type AuditOutcome = "success" | "failure" | "denied";

export type AuditEvent = {
  action: AuditAction;
  outcome: AuditOutcome;
  actor?: { id: string; email: string } | null;
  /** For events without a signed-in actor (a failed sign-in names the email that was tried). */
  actorEmail?: string;
  target?: { type: string; id?: string; label?: string };
  awsAccountId?: string;
  /** Why it failed or was denied, in plain words. Never a secret. */
  reason?: string;
  request?: RequestMeta;
  /** Small, non-secret facts (region, duration, role ARN). Never credentials or URLs with tokens. */
  details?: Record<string, string | number | boolean | null>;
};

const MAX_TEXT = 1000;
const clip = (value: string | undefined | null) => (value == null ? null : value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);

/** Appends an event. Throws when the store refuses it: callers that issue credentials must not
 * issue them without a durable record (fail closed).
 *
 * A change to the store (an account, a role entry, a grant, a user) passes the transaction that
 * makes it, so the change and its event commit together or not at all: a change without its
 * audit row is not possible. Inside a transaction every query must use that transaction: on
 * SQLite the store has one connection, which the transaction holds until it ends. */
export async function recordAudit(event: AuditEvent, store?: Kysely<Database>): Promise<void> {
  const db = store ?? (await getDb());
  await insertEvent(db, {
    id: newId(),
    at: new Date().toISOString(),
    actor_id: event.actor?.id ?? null,
    actor_email: clip(event.actor?.email ?? event.actorEmail),
    action: event.action,
    outcome: event.outcome,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    target_label: clip(event.target?.label),
    aws_account_id: event.awsAccountId ?? null,
    reason: clip(event.reason),
    ip: clip(event.request?.ip),
    user_agent: clip(event.request?.userAgent),
    request_id: event.request?.requestId ?? null,
    details: JSON.stringify(event.request?.token ? { ...event.details, viaToken: event.request.token.name, tokenId: event.request.token.id } : (event.details ?? {})),
  } satisfies Insertable<Database["audit_events"]>);
}

const COLUMNS = ["id", "at", "actor_id", "actor_email", "action", "outcome", "target_type", "target_id", "target_label", "aws_account_id", "reason", "ip", "user_agent", "request_id", "details"] as const;

/** Every request that changes anything writes an event, and every switch: built once
 * (lib/db/prepared.ts). */
const insertEvent = preparedQuery((db, arg) =>
  db.insertInto("audit_events").values(Object.fromEntries(COLUMNS.map((column) => [column, arg(column)])) as Insertable<Database["audit_events"]>),
);

/** Records a refused request (ASVS 16.3.2: failed authorization decisions are logged). Never
 * throws: the refusal stands whether or not it could be written. */
export async function recordDenial(actor: { id: string; email: string }, what: { operation: string; reason: string; target?: AuditEvent["target"]; request?: RequestMeta }): Promise<void> {
  try {
    await recordAudit({ action: "access.denied", outcome: "denied", actor, target: what.target, reason: what.reason, request: what.request, details: { operation: what.operation } });
  } catch (err) {
    (what.request ? requestLogger(what.request) : logger).error({ err, operation: what.operation }, "could not record a denial in the audit log");
  }
}
