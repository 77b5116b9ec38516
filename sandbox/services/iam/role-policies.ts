// A role's inline policies and attached managed policies.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
import type { RequestContext } from "../../../lib/policy";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Role } from "../../core/state";
import { authorizedRole, boundaryContext } from "./access";
import {
  attachedPolicyOutput,
  attachedPolicyRefs,
  attachPolicy,
  deleteInlinePolicy,
  detachPolicy,
  getInlinePolicy,
  inlinePolicyNames,
  policyListKey,
  putInlinePolicy,
  type PolicyHolder,
} from "./attachments";
import { encodeDocument } from "./documents";
import { paginate, type PageInput } from "./paging";
import { SUMMARY_QUOTAS } from "./quotas";

const holder = (role: Role): PolicyHolder => ({ kind: "role", name: role.name, entity: role });

/** Actions that change a role's permissions carry its boundary (iam:PermissionsBoundary), so
 * a policy can require that delegated admins only touch bounded roles. */
const withBoundary = (role: Role | undefined): RequestContext => boundaryContext(role?.permissionsBoundary);
const withPolicyArn = (arn: string) => (role: Role | undefined): RequestContext => ({ "iam:PolicyARN": arn, ...withBoundary(role) });

function putRolePolicy(input: { RoleName: string; PolicyName: string; PolicyDocument: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:PutRolePolicy", input.RoleName, withBoundary);
  putInlinePolicy(holder(role), input.PolicyName, input.PolicyDocument, SUMMARY_QUOTAS.RolePolicySizeQuota);
  ctx.world.changed();
}

function getRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:GetRolePolicy", input.RoleName);
  const policy = getInlinePolicy(holder(role), input.PolicyName);
  return { RoleName: role.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
}

function listRolePolicies(input: PageInput & { RoleName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:ListRolePolicies", input.RoleName);
  const page = paginate(inlinePolicyNames(holder(role)), (name) => name.toLowerCase(), input);
  return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function deleteRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:DeleteRolePolicy", input.RoleName, withBoundary);
  deleteInlinePolicy(holder(role), input.PolicyName);
  ctx.world.changed();
}

function attachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: ApiContext) {
  const { account, role } = authorizedRole(ctx, "iam:AttachRolePolicy", input.RoleName, withPolicyArn(input.PolicyArn));
  attachPolicy(account, holder(role), input.PolicyArn, "PoliciesPerRole");
  ctx.world.changed();
}

function detachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:DetachRolePolicy", input.RoleName, withPolicyArn(input.PolicyArn));
  detachPolicy(holder(role), input.PolicyArn);
  ctx.world.changed();
}

function listAttachedRolePolicies(input: PageInput & { RoleName: string; PathPrefix?: string }, ctx: ApiContext) {
  const { account, role } = authorizedRole(ctx, "iam:ListAttachedRolePolicies", input.RoleName);
  const page = paginate(attachedPolicyRefs(account, holder(role), input.PathPrefix), policyListKey, input);
  return { AttachedPolicies: page.items.map(attachedPolicyOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export const rolePolicyHandlers: Record<string, ApiHandler> = {
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  ListRolePolicies: listRolePolicies,
  DeleteRolePolicy: deleteRolePolicy,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
};
