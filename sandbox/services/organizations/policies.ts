// Service control policies and resource control policies: CreatePolicy, DescribePolicy,
// DeletePolicy, ListPolicies, ListPoliciesForTarget, ListTargetsForPolicy, AttachPolicy,
// DetachPolicy, EnablePolicyType, DisablePolicyType.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
import { parsePolicy } from "../../../lib/policy";
import { policyId } from "../../core/ids";
import { defaultPolicyOf, ORG_POLICY_TYPES, RCP, RCP_FULL_AWS_ACCESS, SCP, type AnyOrgPolicy, type OrganizationTree } from "../../core/organization";
import type { ApiContext } from "../../core/runtime";
import type { OrgPolicyType } from "../../core/state";
import { authorize, orgError, page } from "./access";
import { rootOut } from "./tree";

/** Attached policies of one type per root, OU or account, and the largest document, as the
 * quotas page gives them (5 and 5,120 characters for SCPs and RCPs).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html */
const MAX_ATTACHED = 5;
const MAX_CONTENT = 5120;

const policyNotFound = () => orgError("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
const targetNotFound = () => orgError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.");
const typeNotAvailable = () =>
  orgError("PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.");
const typeNotEnabled = () =>
  orgError(
    "PolicyTypeNotEnabledException",
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
  );
const malformed = (why: string) =>
  orgError("MalformedPolicyDocumentException", `The provided policy document doesn't meet the requirements of the specified policy type: ${why}`);

const modelled = (type: string): type is OrgPolicyType => (ORG_POLICY_TYPES as readonly string[]).includes(type);

function summaryOut(tree: OrganizationTree, policy: AnyOrgPolicy) {
  return { Id: policy.id, Arn: tree.policyArn(policy), Name: policy.name, Description: policy.description, Type: policy.type, AwsManaged: policy.awsManaged };
}

const policyOut = (tree: OrganizationTree, policy: AnyOrgPolicy) => ({ Policy: { PolicySummary: summaryOut(tree, policy), Content: policy.content } });

/** An SCP follows the grammar of identity-based policies (no Principal); an RCP that of
 * resource-based policies, with `"Principal": "*"` and, outside RCPFullAWSAccess, only Deny.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html */
function checkContent(type: OrgPolicyType, content: string): void {
  if (content.length > MAX_CONTENT) {
    throw orgError("ConstraintViolationException", "You attempted to create a policy that is larger than the maximum size.", "POLICY_CONTENT_LIMIT_EXCEEDED");
  }
  const parsed = parsePolicy(content, type === SCP ? "identity" : "resource");
  if (!parsed.ok) throw malformed(parsed.errors.map((e) => `${e.message} (${e.path})`).join("; "));
  if (type === RCP) {
    parsed.policy.Statement.forEach((statement, i) => {
      if (statement.Effect !== "Deny") throw malformed(`an RCP may only deny; Allow is reserved for RCPFullAWSAccess ($.Statement[${i}].Effect)`);
      if (statement.Principal !== "*") throw malformed(`the Principal of an RCP must be "*" ($.Statement[${i}].Principal)`);
    });
  }
}

function existing(ctx: ApiContext, id: string): AnyOrgPolicy | undefined {
  return ctx.world.organization.policy(id);
}

function createPolicy(input: { Content: string; Description: string; Name: string; Type: string }, ctx: ApiContext) {
  authorize(ctx, "organizations:CreatePolicy", "delegated");
  if (!modelled(input.Type)) throw typeNotAvailable();
  checkContent(input.Type, input.Content);
  const tree = ctx.world.organization;
  if (tree.policies(input.Type).some((p) => p.name === input.Name)) throw orgError("DuplicatePolicyException", "A policy with the same name already exists.");
  const id = policyId();
  tree.org.policies[id] = { id, name: input.Name, description: input.Description, type: input.Type, content: input.Content, createDate: ctx.world.now() };
  ctx.world.changed();
  ctx.note.PolicyId = id;
  return policyOut(tree, tree.policy(id)!);
}

function describePolicy(input: { PolicyId: string }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const policy = existing(ctx, input.PolicyId);
  authorize(ctx, "organizations:DescribePolicy", "delegated", policy ? tree.policyArn(policy) : "*");
  if (!policy) throw policyNotFound();
  return policyOut(tree, policy);
}

function deletePolicy(input: { PolicyId: string }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const policy = existing(ctx, input.PolicyId);
  authorize(ctx, "organizations:DeletePolicy", "delegated", policy ? tree.policyArn(policy) : "*");
  if (!policy) throw policyNotFound();
  if (policy.awsManaged) {
    throw orgError("InvalidInputException", "You specified a policy that is managed by AWS and can't be modified.", "IMMUTABLE_POLICY");
  }
  if (tree.targetsOf(policy.id).length) {
    throw orgError(
      "PolicyInUseException",
      "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.",
    );
  }
  delete tree.org.policies[policy.id];
  ctx.world.changed();
}

function listPolicies(input: { Filter: string; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  authorize(ctx, "organizations:ListPolicies", "delegated");
  const tree = ctx.world.organization;
  // The sandbox has no policies of the other (management) types.
  const all = modelled(input.Filter) ? tree.policies(input.Filter) : [];
  const { items, NextToken } = page(all, input);
  return { Policies: items.map((p) => summaryOut(tree, p)), ...(NextToken ? { NextToken } : {}) };
}

function listPoliciesForTarget(input: { TargetId: string; Filter: string; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const target = tree.target(input.TargetId);
  authorize(ctx, "organizations:ListPoliciesForTarget", "delegated", target?.arn ?? "*");
  if (!target) throw targetNotFound();
  const attached = modelled(input.Filter) ? tree.attached(target.id, input.Filter) : [];
  const { items, NextToken } = page(attached, input);
  return { Policies: items.map((p) => summaryOut(tree, p)), ...(NextToken ? { NextToken } : {}) };
}

function listTargetsForPolicy(input: { PolicyId: string; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const policy = existing(ctx, input.PolicyId);
  authorize(ctx, "organizations:ListTargetsForPolicy", "delegated", policy ? tree.policyArn(policy) : "*");
  if (!policy) throw policyNotFound();
  const { items, NextToken } = page(tree.targetsOf(policy.id), input);
  return { Targets: items.map((t) => ({ TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type })), ...(NextToken ? { NextToken } : {}) };
}

/** The policy and the target of AttachPolicy / DetachPolicy, once the caller may act on both. */
function policyAndTarget(ctx: ApiContext, action: "organizations:AttachPolicy" | "organizations:DetachPolicy", input: { PolicyId: string; TargetId: string }) {
  const tree = ctx.world.organization;
  const policy = existing(ctx, input.PolicyId);
  const target = tree.target(input.TargetId);
  authorize(ctx, action, "delegated", policy ? tree.policyArn(policy) : "*", target?.arn ?? "*");
  if (!policy) throw policyNotFound();
  if (!target) throw targetNotFound();
  ctx.note.PolicyId = policy.id;
  ctx.note.TargetId = target.id;
  return { tree, policy, target };
}

function attachPolicy(input: { PolicyId: string; TargetId: string }, ctx: ApiContext) {
  const { tree, policy, target } = policyAndTarget(ctx, "organizations:AttachPolicy", input);
  if (!tree.enabled(policy.type)) throw typeNotEnabled();
  const attached = tree.attached(target.id, policy.type);
  if (attached.some((p) => p.id === policy.id)) {
    throw orgError("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
  }
  if (attached.length >= MAX_ATTACHED) {
    throw orgError(
      "ConstraintViolationException",
      "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.",
      "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    );
  }
  tree.attach(target.id, policy.id);
  ctx.world.changed();
}

function detachPolicy(input: { PolicyId: string; TargetId: string }, ctx: ApiContext) {
  const { tree, policy, target } = policyAndTarget(ctx, "organizations:DetachPolicy", input);
  const attached = tree.attached(target.id, policy.type);
  if (!attached.some((p) => p.id === policy.id)) {
    throw orgError("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
  }
  // RCPFullAWSAccess "cannot be detached"; every root, OU and account keeps at least one SCP.
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html
  if (policy.id === RCP_FULL_AWS_ACCESS.id) {
    throw orgError("InvalidInputException", "You can't detach this AWS Managed Policy.", "NON_DETACHABLE_POLICY");
  }
  if (policy.type === SCP && attached.length === 1) {
    throw orgError(
      "ConstraintViolationException",
      "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.",
      "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    );
  }
  tree.detach(target.id, policy.id);
  ctx.world.changed();
}

function root(ctx: ApiContext, action: "organizations:EnablePolicyType" | "organizations:DisablePolicyType", input: { RootId: string; PolicyType: string }) {
  const tree = ctx.world.organization;
  const found = input.RootId === tree.org.rootId;
  authorize(ctx, action, "delegated", found ? tree.rootArn : "*");
  if (!found) throw orgError("RootNotFoundException", "We can't find a root with the RootId that you specified.");
  if (!modelled(input.PolicyType)) throw typeNotAvailable();
  return { tree, type: input.PolicyType };
}

/** Enabling a type attaches its AWS-managed policy to the root, every OU and every account. */
function enablePolicyType(input: { RootId: string; PolicyType: string }, ctx: ApiContext) {
  const { tree, type } = root(ctx, "organizations:EnablePolicyType", input);
  if (tree.enabled(type)) throw orgError("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled in the specified root.");
  tree.org.enabledPolicyTypes.push(type);
  const everything = [tree.org.rootId, ...Object.keys(tree.org.organizationalUnits), ...Object.keys(ctx.world.state.accounts)];
  for (const id of everything) tree.attach(id, defaultPolicyOf(type).id);
  ctx.world.changed();
  return { Root: rootOut(tree) };
}

/** Disabling a type detaches every policy of that type, everywhere. */
function disablePolicyType(input: { RootId: string; PolicyType: string }, ctx: ApiContext) {
  const { tree, type } = root(ctx, "organizations:DisablePolicyType", input);
  if (!tree.enabled(type)) throw typeNotEnabled();
  tree.org.enabledPolicyTypes = tree.org.enabledPolicyTypes.filter((t) => t !== type);
  for (const id of Object.keys(tree.org.attachments)) {
    for (const policy of tree.attached(id, type)) tree.detach(id, policy.id);
  }
  ctx.world.changed();
  return { Root: rootOut(tree) };
}

export const policyHandlers = {
  CreatePolicy: createPolicy,
  DescribePolicy: describePolicy,
  DeletePolicy: deletePolicy,
  ListPolicies: listPolicies,
  ListPoliciesForTarget: listPoliciesForTarget,
  ListTargetsForPolicy: listTargetsForPolicy,
  AttachPolicy: attachPolicy,
  DetachPolicy: detachPolicy,
  EnablePolicyType: enablePolicyType,
  DisablePolicyType: disablePolicyType,
};
