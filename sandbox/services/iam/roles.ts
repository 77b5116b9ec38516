// Roles: create, read, list, update, delete, permissions boundaries and tags.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
import { deleteConflict, entityAlreadyExists } from "../../core/errors";
import { uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Role, Tag } from "../../core/state";
import { authorize, authorizedRole, boundaryContext, callerAccount, requestTagContext } from "./access";
import { findRole, requireBoundaryPolicy, roleArn } from "./lookup";
import { roleOutput } from "./outputs";
import { paginate, underPath, type PageInput } from "./paging";
import { quota, quotaExceeded } from "./quotas";
import { setOwn } from "./records";
import { mergeTags, removeTags, requestTags } from "./tags";
import { forgetPrincipal, validateTrustPolicy } from "./trust";

/** "If you do not specify a value … the default maximum of one hour is applied." */
const DEFAULT_MAX_SESSION_DURATION = 3600;

type CreateRoleInput = {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
};

function createRole(input: CreateRoleInput, ctx: ApiContext) {
  const account = callerAccount(ctx);
  const path = input.Path ?? "/";
  const arn = roleArn(account.id, path, input.RoleName);
  authorize(ctx, "iam:CreateRole", arn, { ...requestTagContext(input.Tags), ...boundaryContext(input.PermissionsBoundary) });
  if (findRole(account, input.RoleName)) throw entityAlreadyExists(`Role with name ${input.RoleName} already exists.`);
  if (Object.keys(account.roles).length >= quota("RolesPerAccount")) throw quotaExceeded("RolesPerAccount");
  validateTrustPolicy(ctx.world, input.AssumeRolePolicyDocument);
  if (input.PermissionsBoundary !== undefined) requireBoundaryPolicy(account, input.PermissionsBoundary);
  const role: Role = {
    name: input.RoleName,
    path,
    id: uniqueId("AROA"),
    arn,
    createDate: ctx.world.now(),
    assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    ...(input.Description ? { description: input.Description } : {}),
    maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    tags: requestTags(input.Tags),
    inlinePolicies: {},
    attachedPolicies: [],
    ...(input.PermissionsBoundary !== undefined ? { permissionsBoundary: input.PermissionsBoundary } : {}),
  };
  setOwn(account.roles, role.name.toLowerCase(), role);
  ctx.world.changed();
  return { Role: roleOutput(role, "create") };
}

function getRole(input: { RoleName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:GetRole", input.RoleName);
  return { Role: roleOutput(role, "get") };
}

function listRoles(input: PageInput & { PathPrefix?: string }, ctx: ApiContext) {
  const account = callerAccount(ctx);
  // AWS authorizes listing against the path being listed, e.g. `arn:aws:iam::111111111111:role/`
  // ("… is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::111111111111:role/ …").
  authorize(ctx, "iam:ListRoles", roleArn(account.id, input.PathPrefix ?? "/", ""));
  const roles = Object.values(account.roles).filter((r) => underPath(r.path, input.PathPrefix));
  const page = paginate(roles, (r) => r.name.toLowerCase(), input);
  return { Roles: page.items.map((r) => roleOutput(r, "list")), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function updateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:UpdateRole", input.RoleName);
  if (input.Description !== undefined) role.description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
  ctx.world.changed();
  return {};
}

function updateRoleDescription(input: { RoleName: string; Description: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:UpdateRoleDescription", input.RoleName);
  role.description = input.Description;
  ctx.world.changed();
  return { Role: roleOutput(role, "get") };
}

function updateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:UpdateAssumeRolePolicy", input.RoleName);
  validateTrustPolicy(ctx.world, input.PolicyDocument);
  role.assumeRolePolicyDocument = input.PolicyDocument;
  ctx.world.changed();
}

/** DeleteRole refuses while anything still hangs on the role, as IAM does.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html#roles-managingrole-deleting-cli */
function deleteRole(input: { RoleName: string }, ctx: ApiContext) {
  const { account, role } = authorizedRole(ctx, "iam:DeleteRole", input.RoleName);
  const key = role.name.toLowerCase();
  if (Object.values(account.instanceProfiles).some((p) => p.roles.includes(key))) {
    throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  }
  if (Object.keys(role.inlinePolicies).length) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if (role.attachedPolicies.length) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  delete account.roles[key];
  forgetPrincipal(ctx.world, role.arn, role.id);
  ctx.world.changed();
}

function putRolePermissionsBoundary(input: { RoleName: string; PermissionsBoundary: string }, ctx: ApiContext) {
  const { account, role } = authorizedRole(ctx, "iam:PutRolePermissionsBoundary", input.RoleName, () =>
    boundaryContext(input.PermissionsBoundary),
  );
  requireBoundaryPolicy(account, input.PermissionsBoundary);
  role.permissionsBoundary = input.PermissionsBoundary;
  ctx.world.changed();
}

function deleteRolePermissionsBoundary(input: { RoleName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:DeleteRolePermissionsBoundary", input.RoleName, (r) => boundaryContext(r?.permissionsBoundary));
  delete role.permissionsBoundary;
  ctx.world.changed();
}

function tagRole(input: { RoleName: string; Tags: Tag[] }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:TagRole", input.RoleName, () => requestTagContext(input.Tags));
  role.tags = mergeTags(role.tags, input.Tags);
  ctx.world.changed();
}

function untagRole(input: { RoleName: string; TagKeys: string[] }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:UntagRole", input.RoleName, () => ({ "aws:TagKeys": input.TagKeys }));
  role.tags = removeTags(role.tags, input.TagKeys);
  ctx.world.changed();
}

function listRoleTags(input: PageInput & { RoleName: string }, ctx: ApiContext) {
  const { role } = authorizedRole(ctx, "iam:ListRoleTags", input.RoleName);
  const page = paginate(role.tags, (t) => t.Key.toLowerCase(), input);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export const roleHandlers: Record<string, ApiHandler> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
};
