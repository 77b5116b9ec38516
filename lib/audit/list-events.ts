import "server-only";
import { z } from "zod";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import type { Selectable } from "kysely";
import { getDb } from "@/lib/db/client";
import type { AuditEventsTable } from "@/lib/db/schema";
import { AUDIT_ACTIONS } from "./record";

export const auditFilter = z
  .object({
    actor: z.string().trim().max(320).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(["success", "failure", "denied"]).optional(),
    account: z.string().regex(/^\d{12}$/, "Account must be a 12-digit AWS account id").optional(),
    from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 time" }).optional(),
    to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 time" }).optional(),
    /** Events older than this id (ids are time-ordered): the next page. */
    /** One access request's story (lib/access/story.ts): its steps and the switches made under it. */
    request: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "request must be an access request id").optional(),
    before: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "before must be an event id").optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
  })
  .strict();

export type AuditFilter = z.infer<typeof auditFilter>;

export type AuditEventDto = {
  id: string;
  at: string;
  actorEmail: string | null;
  action: string;
  outcome: "success" | "failure" | "denied";
  target: string | null;
  awsAccountId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
};

export async function listAuditEvents(actor: Actor, filter: AuditFilter): Promise<{ events: AuditEventDto[]; nextBefore: string | null }> {
  assertPermission(actor, "audit.read");
  const db = await getDb();
  let query = db.selectFrom("audit_events").selectAll();
  if (filter.actor) query = query.where("actor_email", "=", filter.actor.toLowerCase());
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.outcome) query = query.where("outcome", "=", filter.outcome);
  if (filter.account) query = query.where("aws_account_id", "=", filter.account);
  if (filter.from) query = query.where("at", ">=", new Date(filter.from).toISOString());
  if (filter.to) query = query.where("at", "<=", new Date(filter.to).toISOString());
  if (filter.before) query = query.where("id", "<", filter.before);
  if (filter.request) {
    const { storyRows } = await import("@/lib/access/story");
    const ids = (await storyRows(db, filter.request)).map((r) => r.id);
    query = query.where("id", "in", ids.length ? ids : [""]);
  }
  const rows = await query.orderBy("id", "desc").limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  return {
    events: page.map(auditEventDto),
    nextBefore: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One stored event as the API and the pages show it. */
export function auditEventDto(r: Selectable<AuditEventsTable>): AuditEventDto {
  return {
    id: r.id,
    at: r.at,
    actorEmail: r.actor_email,
    action: r.action,
    outcome: r.outcome,
    target: r.target_label ?? r.target_id,
    awsAccountId: r.aws_account_id,
    reason: r.reason,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: safeJson(r.details),
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
