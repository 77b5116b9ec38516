import "server-only";
import type { Kysely } from "kysely";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { auditEventDto, type AuditEventDto } from "@/lib/audit/list-events";
import { getDb } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";

// One access request's whole story, from the audit log (issue 15 §2.9): the request, each
// approval or denial (and every refused attempt), the switches the person made under it, the end,
// and the revocation of their live sessions. Steps of the request carry its id in their details
// (accessRequestId); the switches are the requester's into the entry while the access was in
// force — a switch is a switch, whichever grant allowed it, so it is found by who, where and when.

const SWITCHES = ["session.console", "session.credentials"];

/** Ids are ULIDs (checked by the callers' schemas): nothing in one is special to LIKE. */
const mentions = (id: string) => `%"accessRequestId":"${id}"%`;

export async function storyRows(db: Kysely<Database>, requestId: string) {
  const request = await db.selectFrom("access_requests").select(["id", "role_id", "requester_id", "starts_at", "ends_at", "ended_at", "extends_id"]).where("id", "=", requestId).executeTakeFirst();
  if (!request) return [];
  // An extension's story is its own steps; the request it extends tells the rest.
  const ids = [requestId, ...(await db.selectFrom("access_requests").select("id").where("extends_id", "=", requestId).execute()).map((r) => r.id)];
  let query = db
    .selectFrom("audit_events")
    .selectAll()
    .where((eb) => {
      const steps = eb.or(ids.map((id) => eb("details", "like", mentions(id))));
      if (!request.starts_at || request.extends_id) return steps;
      const until = request.ended_at ?? request.ends_at ?? new Date().toISOString();
      const switches = eb.and([
        eb("action", "in", SWITCHES),
        eb("actor_id", "=", request.requester_id),
        eb("target_type", "=", "role"),
        eb("target_id", "=", request.role_id),
        eb("at", ">=", request.starts_at),
        eb("at", "<=", until),
      ]);
      return eb.or([steps, switches]);
    });
  query = query.orderBy("id");
  return query.limit(500).execute();
}

/** The story as the audit log shows it. Addresses and browsers are for those who read the audit
 * log; the requester and approvers see who did what, when, and why. */
export async function requestStory(actor: Actor, requestId: string): Promise<AuditEventDto[]> {
  const db = await getDb();
  const rows = await storyRows(db, requestId);
  const full = hasPermission(actor, "audit.read");
  return rows.map((r) => {
    const event = auditEventDto(r);
    return full ? event : { ...event, ip: null, userAgent: null, requestId: null, details: {} };
  });
}
