// The other half of a cross-account role: the identity policy the callers need in their own
// account. The trust policy only says who may assume the role; across accounts the caller's
// identity policy must also allow sts:AssumeRole on the role's ARN, and AWS's console does not
// generate it ("this is only the first half of the configuration required",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html).
//
// One policy per trusted account root and per trusted role/user ARN. Not for the broker (the
// README covers its own policy), services or federated principals (they have no identity policy).
import { awsPrincipalActions, type TrustOptions } from "./trust";
import type { PlanContext, PolicyJson, WizardDocument } from "./types";

export type SourcePolicy = {
  accountId: string;
  principal: string;
  policyName: string;
  document: PolicyJson;
  apply: boolean;
};

/** `AllowAssume-<roleName>`: role names use [\w+=,.@-], which policy names allow too, and at most
 * 64 characters, so the name stays well under the 128 a policy name may have. */
export function sourcePolicyName(roleName: string): string {
  return `AllowAssume-${roleName}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 128);
}

/** What `principal` shows for a trusted account root. */
export function anyPrincipalIn(accountId: string): string {
  return `any principal in ${accountId}`;
}

export function sourcePolicyDocument(roleArn: string, options: TrustOptions = {}): PolicyJson {
  const actions = awsPrincipalActions(options);
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: actions.length === 1 ? actions[0] : actions, Resource: roleArn }],
  };
}

/**
 * The source-side policies for the document's trusted accounts and principals, sorted by account
 * and then principal. `apply` is set when the account was chosen in `applySourcePolicies` and the
 * console can provision there.
 *
 * A role or user ARN in the role's own account is skipped: within one account a trust policy
 * that names the principal's ARN is enough on its own, while one that names the account root
 * still needs the identity policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html (resource-based policies in the same account)
 */
export function buildSourcePolicies(
  doc: WizardDocument,
  ctx: Pick<PlanContext, "accounts">,
  roleArn: string,
  options: TrustOptions = {},
): SourcePolicy[] {
  const targets = new Map<string, { accountId: string; principal: string }>();
  for (const entity of doc.trust.entities) {
    if (entity.kind === "account") {
      targets.set(`${entity.accountId}\u0000`, { accountId: entity.accountId, principal: anyPrincipalIn(entity.accountId) });
    } else if (entity.kind === "principal") {
      const accountId = entity.arn.split(":")[4] ?? "";
      if (accountId !== doc.target.accountId) targets.set(`${accountId}\u0000${entity.arn}`, { accountId, principal: entity.arn });
    }
  }
  const chosen = new Set(doc.applySourcePolicies);
  const provisionable = new Set(ctx.accounts.filter((a) => a.canProvision).map((a) => a.accountId));
  const policyName = sourcePolicyName(doc.target.roleName);
  return [...targets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => ({
      accountId: t.accountId,
      principal: t.principal,
      policyName,
      document: sourcePolicyDocument(roleArn, options),
      apply: chosen.has(t.accountId) && provisionable.has(t.accountId),
    }));
}
