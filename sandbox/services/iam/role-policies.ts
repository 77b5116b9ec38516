// A role's inline policies and attached managed policies.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
import type { ApiHandler } from "../../core/runtime";
import { authorizedRole } from "./access";
import { entityPolicyHandlers } from "./entity-policies";
import { SUMMARY_QUOTAS } from "./quotas";

export const rolePolicyHandlers: Record<string, ApiHandler> = entityPolicyHandlers({
  kind: "Role",
  authorized: (ctx, action, name, context) => {
    const { account, role } = authorizedRole(ctx, action, name, context);
    return { account, entity: role };
  },
  inlineSizeQuota: SUMMARY_QUOTAS.RolePolicySizeQuota,
  attachedQuota: "PoliciesPerRole",
});
