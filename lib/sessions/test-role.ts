import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import type { Explanation } from "@/lib/aws/explain-denial";
import { findUsableRole } from "@/lib/catalog/role-queries";
import { getDb } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/http/request-meta";
import { assumeForActor, AssumeRoleFailed } from "./assume";
import { explainAssumeFailure } from "./explain";

export type RoleTestResult =
  | { ok: true; message: string; assumedRoleArn: string; sourceIdentity: string | null; expiresAt: string }
  | { ok: false; message: string; code: string; explanation?: Explanation };

/** Makes a real AssumeRole from the broker with exactly the parameters a switch would use (the
 * shortest session, credentials thrown away) and says whether it works, or why not. */
export async function testRole(actor: Actor, roleId: string, meta: RequestMeta): Promise<RoleTestResult> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const { role, externalId, provisioningRoleName } = await findUsableRole(db, actor, roleId);
  const target = { type: "role", id: role.id, label: role.roleArn };
  try {
    const assumed = await assumeForActor(actor, role, externalId, 900);
    await recordAudit({ action: "role.test", outcome: "success", actor, target, awsAccountId: role.accountId, request: meta, details: { sourceIdentity: assumed.sourceIdentity !== null } });
    return {
      ok: true,
      message: `The console can switch into ${role.displayName}${assumed.sourceIdentity ? ", carrying the operator's identity to CloudTrail" : ""}.`,
      assumedRoleArn: assumed.assumedRoleArn,
      sourceIdentity: assumed.sourceIdentity,
      expiresAt: assumed.credentials.expiration,
    };
  } catch (err) {
    if (!(err instanceof AssumeRoleFailed)) throw err;
    const { error, explanation } = await explainAssumeFailure(err, role, provisioningRoleName);
    await recordAudit({ action: "role.test", outcome: error.code === "aws_denied" ? "denied" : "failure", actor, target, awsAccountId: role.accountId, request: meta, reason: error.message });
    return { ok: false, message: error.message, code: error.code, ...(explanation ? { explanation } : {}) };
  }
}
