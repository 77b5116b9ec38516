import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { MIN_SESSION_SECONDS } from "@/lib/aws/duration";
import type { Explanation } from "@/lib/aws/explain-denial";
import { findUsableRole } from "@/lib/catalog/role-queries";
import { getDb } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/http/request-meta";
import { assumeForActor } from "./assume";
import { keepResult, probeRole, successMessage } from "./role-health-check";

export type RoleTestResult =
  | { ok: true; message: string; assumedRoleArn: string; sourceIdentity: string | null; expiresAt: string }
  | { ok: false; message: string; code: string; explanation?: Explanation };

/** Makes a real AssumeRole from the broker with exactly the parameters a switch would use (the
 * shortest session, credentials thrown away) and says whether it works, or why not. The result
 * is kept as the entry's health (./role-health-check.ts), so the catalog, the menu and the
 * Grants dialog show it after a reload. */
export async function testRole(actor: Actor, roleId: string, meta: RequestMeta): Promise<RoleTestResult> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const { role, externalId, provisioningRoleName } = await findUsableRole(db, actor, roleId);
  const target = { type: "role", id: role.id, label: role.roleArn };
  const probe = await probeRole(role, provisioningRoleName, () => assumeForActor(actor, role, externalId, MIN_SESSION_SECONDS));
  await keepResult(db, role, probe, "manual", meta);
  if (probe.conclusive && probe.ok) {
    const assumed = probe.session;
    await recordAudit({ action: "role.test", outcome: "success", actor, target, awsAccountId: role.accountId, request: meta, details: { source: "manual", sourceIdentity: assumed.sourceIdentity !== null } });
    return {
      ok: true,
      message: successMessage(role, assumed),
      assumedRoleArn: assumed.assumedRoleArn,
      sourceIdentity: assumed.sourceIdentity,
      expiresAt: assumed.credentials.expiration,
    };
  }
  const { error } = probe;
  const explanation = probe.conclusive ? probe.explanation : undefined;
  await recordAudit({
    action: "role.test",
    outcome: error.code === "aws_denied" ? "denied" : "failure",
    actor,
    target,
    awsAccountId: role.accountId,
    request: meta,
    reason: error.message,
    details: { source: "manual", ...(probe.conclusive ? { why: probe.why } : {}) },
  });
  return { ok: false, message: error.message, code: error.code, ...(explanation ? { explanation } : {}) };
}
