// Managed policies: customer-managed ones in the caller's account, and AWS-managed ones, which
// every account sees and none can change. Attachment counts are per account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
import { accessDenied, deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from "../../core/errors";
import { uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, ManagedPolicy, PolicyVersion, Tag } from "../../core/state";
import { AWS_MANAGED_POLICIES } from "../../core/world";
import { authorize, callerAccount, requestTagContext, resourceTagContext } from "./access";
import { policyListKey } from "./attachments";
import { encodeDocument, policySize, requireValidDocument } from "./documents";
import { findPolicy, policyArn, requirePolicy, type PolicyRef } from "./lookup";
import { paginate, underPath, type PageInput } from "./paging";
import { quota, quotaExceeded, SUMMARY_QUOTAS } from "./quotas";
import { setOwn } from "./records";
import { requestTags, tagsOutput } from "./tags";

/** How many roles and users in the account use a policy, as permissions or as a boundary. */
function usage(account: Account, arn: string) {
  let attachments = 0;
  let boundaries = 0;
  for (const entity of [...Object.values(account.roles), ...Object.values(account.users)]) {
    if (entity.attachedPolicies.includes(arn)) attachments++;
    if (entity.permissionsBoundary === arn) boundaries++;
  }
  return { attachments, boundaries };
}

/** "get" (GetPolicy, CreatePolicy) has Description and Tags; "list" (ListPolicies) has neither. */
function policyOutput(account: Account, ref: PolicyRef, view: "get" | "list") {
  const p = ref.policy;
  const { attachments, boundaries } = usage(account, p.arn);
  const local = ref.scope === "local" ? ref.policy : undefined;
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaries,
    IsAttachable: true,
    CreateDate: new Date(p.createDate),
    UpdateDate: new Date(p.updateDate),
    ...(view === "get" && local?.description ? { Description: local.description } : {}),
    ...(view === "get" && local ? tagsOutput(local.tags) : {}),
  };
}

/** The versions of a policy; an AWS-managed policy shows only its default version. */
function versionsOf(ref: PolicyRef): PolicyVersion[] {
  if (ref.scope === "local") return ref.policy.versions;
  const p = ref.policy;
  return [{ versionId: p.defaultVersionId, document: p.document, createDate: p.updateDate }];
}

const versionOutput = (ref: PolicyRef, v: PolicyVersion, withDocument: boolean) => ({
  VersionId: v.versionId,
  IsDefaultVersion: v.versionId === ref.policy.defaultVersionId,
  CreateDate: new Date(v.createDate),
  ...(withDocument ? { Document: encodeDocument(v.document) } : {}),
});

/** Version ids sort by number: v2 before v10. */
const versionKey = (v: PolicyVersion) => v.versionId.slice(1).padStart(8, "0");

/** Authorizes an action on a policy by its ARN (with a customer policy's tags) and finds it. */
function authorizedPolicy(ctx: ApiContext, action: `iam:${string}`, arn: string): { account: Account; ref: PolicyRef } {
  const account = callerAccount(ctx);
  const found = findPolicy(account, arn);
  authorize(ctx, action, arn, found?.scope === "local" ? resourceTagContext(found.policy.tags) : {});
  return { account, ref: requirePolicy(account, arn) };
}

/** The customer-managed policy behind a change; AWS-managed policies are read-only. */
function changeable(ctx: ApiContext, action: string, ref: PolicyRef): ManagedPolicy {
  if (ref.scope === "local") return ref.policy;
  throw accessDenied(
    `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${ref.policy.arn} because AWS managed policies cannot be changed`,
  );
}

function checkDocument(document: string): void {
  requireValidDocument(document, "identity");
  if (policySize(document) > SUMMARY_QUOTAS.PolicySizeQuota) throw quotaExceeded("PolicySize");
}

type CreatePolicyInput = { PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: Tag[] };

function createPolicy(input: CreatePolicyInput, ctx: ApiContext) {
  const account = callerAccount(ctx);
  const path = input.Path ?? "/";
  const arn = policyArn(account.id, path, input.PolicyName);
  authorize(ctx, "iam:CreatePolicy", arn, requestTagContext(input.Tags));
  // Policy names are unique in an account whatever their path or case.
  if (Object.values(account.policies).some((p) => p.name.toLowerCase() === input.PolicyName.toLowerCase())) {
    throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
  }
  if (Object.keys(account.policies).length >= quota("PoliciesPerAccount")) throw quotaExceeded("PoliciesPerAccount");
  checkDocument(input.PolicyDocument);
  const now = ctx.world.now();
  const policy: ManagedPolicy = {
    name: input.PolicyName,
    path,
    id: uniqueId("ANPA"),
    arn,
    ...(input.Description ? { description: input.Description } : {}),
    createDate: now,
    updateDate: now,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document: input.PolicyDocument, createDate: now }],
    nextVersion: 2,
    tags: requestTags(input.Tags),
  };
  setOwn(account.policies, arn, policy);
  ctx.world.changed();
  return { Policy: policyOutput(account, { scope: "local", policy }, "get") };
}

function getPolicy(input: { PolicyArn: string }, ctx: ApiContext) {
  const { account, ref } = authorizedPolicy(ctx, "iam:GetPolicy", input.PolicyArn);
  return { Policy: policyOutput(account, ref, "get") };
}

function deletePolicy(input: { PolicyArn: string }, ctx: ApiContext) {
  const { account, ref } = authorizedPolicy(ctx, "iam:DeletePolicy", input.PolicyArn);
  const policy = changeable(ctx, "iam:DeletePolicy", ref);
  const { attachments, boundaries } = usage(account, policy.arn);
  if (attachments + boundaries > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
  if (policy.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  delete account.policies[policy.arn];
  ctx.world.changed();
}

type ListPoliciesInput = PageInput & {
  Scope?: "All" | "AWS" | "Local";
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: "PermissionsPolicy" | "PermissionsBoundary";
};

function listPolicies(input: ListPoliciesInput, ctx: ApiContext) {
  const account = callerAccount(ctx);
  authorize(ctx, "iam:ListPolicies", "*");
  const scope = input.Scope ?? "All";
  const refs: PolicyRef[] = [
    ...(scope === "Local" ? [] : [...AWS_MANAGED_POLICIES.values()].map((policy): PolicyRef => ({ scope: "aws", policy }))),
    ...(scope === "AWS" ? [] : Object.values(account.policies).map((policy): PolicyRef => ({ scope: "local", policy }))),
  ];
  const used = (ref: PolicyRef) => {
    const { attachments, boundaries } = usage(account, ref.policy.arn);
    if (input.PolicyUsageFilter === "PermissionsPolicy") return attachments > 0;
    if (input.PolicyUsageFilter === "PermissionsBoundary") return boundaries > 0;
    return attachments + boundaries > 0;
  };
  const filtered = refs.filter(
    (ref) => underPath(ref.policy.path, input.PathPrefix) && (!(input.OnlyAttached || input.PolicyUsageFilter) || used(ref)),
  );
  const page = paginate(filtered, policyListKey, input);
  return { Policies: page.items.map((ref) => policyOutput(account, ref, "list")), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function createPolicyVersion(input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }, ctx: ApiContext) {
  const { ref } = authorizedPolicy(ctx, "iam:CreatePolicyVersion", input.PolicyArn);
  const policy = changeable(ctx, "iam:CreatePolicyVersion", ref);
  checkDocument(input.PolicyDocument);
  if (policy.versions.length >= SUMMARY_QUOTAS.VersionsPerPolicyQuota) {
    throw limitExceeded(
      `A managed policy can have up to ${SUMMARY_QUOTAS.VersionsPerPolicyQuota} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
  const now = ctx.world.now();
  const version: PolicyVersion = { versionId: `v${policy.nextVersion}`, document: input.PolicyDocument, createDate: now };
  policy.versions.push(version);
  policy.nextVersion++;
  if (input.SetAsDefault) policy.defaultVersionId = version.versionId;
  policy.updateDate = now;
  ctx.world.changed();
  return { PolicyVersion: versionOutput(ref, version, false) };
}

function findVersion(ref: PolicyRef, versionId: string): PolicyVersion {
  const version = versionsOf(ref).find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${ref.policy.arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

function getPolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: ApiContext) {
  const { ref } = authorizedPolicy(ctx, "iam:GetPolicyVersion", input.PolicyArn);
  return { PolicyVersion: versionOutput(ref, findVersion(ref, input.VersionId), true) };
}

function listPolicyVersions(input: PageInput & { PolicyArn: string }, ctx: ApiContext) {
  const { ref } = authorizedPolicy(ctx, "iam:ListPolicyVersions", input.PolicyArn);
  const page = paginate(versionsOf(ref), versionKey, input);
  return { Versions: page.items.map((v) => versionOutput(ref, v, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function deletePolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: ApiContext) {
  const { ref } = authorizedPolicy(ctx, "iam:DeletePolicyVersion", input.PolicyArn);
  const policy = changeable(ctx, "iam:DeletePolicyVersion", ref);
  const version = findVersion(ref, input.VersionId);
  if (version.versionId === policy.defaultVersionId) throw deleteConflict("Cannot delete the default version of a policy.");
  policy.versions = policy.versions.filter((v) => v !== version);
  ctx.world.changed();
}

type ListEntitiesInput = PageInput & {
  PolicyArn: string;
  EntityFilter?: "User" | "Role" | "Group" | "LocalManagedPolicy" | "AWSManagedPolicy";
  PathPrefix?: string;
  PolicyUsageFilter?: "PermissionsPolicy" | "PermissionsBoundary";
};

/** The roles and users of the caller's account that use a policy (the sandbox has no groups). */
function listEntitiesForPolicy(input: ListEntitiesInput, ctx: ApiContext) {
  const { account, ref } = authorizedPolicy(ctx, "iam:ListEntitiesForPolicy", input.PolicyArn);
  const arn = ref.policy.arn;
  const uses = (e: { attachedPolicies: string[]; permissionsBoundary?: string }) =>
    (input.PolicyUsageFilter !== "PermissionsBoundary" && e.attachedPolicies.includes(arn)) ||
    (input.PolicyUsageFilter !== "PermissionsPolicy" && e.permissionsBoundary === arn);
  const wanted = (type: "Role" | "User") => input.EntityFilter === undefined || input.EntityFilter === type;
  const entities = [
    ...(wanted("Role") ? Object.values(account.roles).map((e) => ({ type: "Role" as const, e })) : []),
    ...(wanted("User") ? Object.values(account.users).map((e) => ({ type: "User" as const, e })) : []),
  ].filter(({ e }) => uses(e) && underPath(e.path, input.PathPrefix));
  const page = paginate(entities, ({ type, e }) => `${type}\u0000${e.name.toLowerCase()}`, input);
  return {
    PolicyRoles: page.items.filter((x) => x.type === "Role").map(({ e }) => ({ RoleName: e.name, RoleId: e.id })),
    PolicyUsers: page.items.filter((x) => x.type === "User").map(({ e }) => ({ UserName: e.name, UserId: e.id })),
    PolicyGroups: [],
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

export const managedPolicyHandlers: Record<string, ApiHandler> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  DeletePolicy: deletePolicy,
  ListPolicies: listPolicies,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
