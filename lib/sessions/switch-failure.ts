import "server-only";
import { assertPermission, hasPermission, type Actor } from "@/lib/auth/actor";
import { findUsableRole } from "@/lib/catalog/role-queries";
import { getDb } from "@/lib/db/client";
import type { SwitchFailureView } from "./switch-failure-report";

// A console switch that AWS refused, as its failure page shows it. The POST to /switch/<id>
// answers such a failure with a redirect to that page (so a reload is a harmless GET), and the
// page reads back what the switch recorded in the audit log under the request's id: the record is
// already there, written before the refusal was answered, and it holds no secret.

/** How long a failure page can be reopened: long enough to send the details to an administrator
 * the same day. */
const FAILURE_PAGE_WINDOW_MS = 24 * 3600_000;

/** Audit details are flat strings, numbers and booleans; read only what is expected. */
function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** The caller's own failed console switch into `roleId`, recorded under `requestId` in the last
 * day; null when there is none (another person's request id finds nothing). The role must still
 * be one they may use. The suggested fix (the statement and where it goes) is for administrators
 * only. */
export async function getSwitchFailure(actor: Actor, roleId: string, requestId: string, now = Date.now()): Promise<SwitchFailureView | null> {
  assertPermission(actor, "sessions.create");
  const db = await getDb();
  const { role } = await findUsableRole(db, actor, roleId);
  const row = await db
    .selectFrom("audit_events")
    .select(["at", "outcome", "reason", "details", "request_id"])
    // The actor's own events (an indexed column), then this request's.
    .where("actor_id", "=", actor.id)
    .where("request_id", "=", requestId)
    .where("action", "=", "session.console")
    .where("target_id", "=", role.id)
    .where("outcome", "in", ["denied", "failure"])
    .where("at", ">=", new Date(now - FAILURE_PAGE_WINDOW_MS).toISOString())
    .orderBy("at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const details = parseDetails(row.details);
  const where = text(details.fixWhere);
  const statementText = text(details.fixStatement);
  let fix: SwitchFailureView["fix"] = null;
  if (hasPermission(actor, "roles.manage") && where && statementText) {
    try {
      fix = { where, statement: JSON.parse(statementText) as unknown };
    } catch {
      fix = null;
    }
  }
  return {
    role: {
      id: role.id,
      displayName: role.displayName,
      roleName: role.roleName,
      roleArn: role.roleArn,
      accountId: role.accountId,
      accountName: role.accountName,
      environment: role.environment,
      color: role.color,
    },
    region: text(details.region),
    requestId,
    at: row.at,
    kind: text(details.why) ?? "unknown",
    reason: row.reason ?? "AWS refused the switch.",
    fix,
  };
}
