// The delegation policy: PutResourcePolicy, DescribeResourcePolicy, DeleteResourcePolicy. It
// names the member accounts that may read the organization and manage its policies as delegated
// administrators. https://docs.aws.amazon.com/organizations/latest/userguide/orgs-policy-delegate.html
import { parsePolicy } from "../../../lib/policy";
import { resourcePolicyId } from "../../core/ids";
import type { ApiContext } from "../../core/runtime";
import { PARTITION } from "../../core/world";
import { authorize, orgError } from "./access";

const notFound = () => orgError("ResourcePolicyNotFoundException", "We can't find a resource policy request with the parameter that you specified.");

function resourcePolicyOut(ctx: ApiContext, policy: { id: string; content: string }) {
  const org = ctx.world.state.organization;
  return {
    ResourcePolicy: {
      ResourcePolicySummary: { Id: policy.id, Arn: `arn:${PARTITION}:organizations::${org.masterAccountId}:resourcepolicy/${org.id}/${policy.id}` },
      Content: policy.content,
    },
  };
}

function putResourcePolicy(input: { Content: string }, ctx: ApiContext) {
  authorize(ctx, "organizations:PutResourcePolicy", "management");
  const parsed = parsePolicy(input.Content, "resource");
  if (!parsed.ok) {
    throw orgError("InvalidInputException", `The resource policy is not valid JSON policy grammar: ${parsed.errors[0]!.message} (${parsed.errors[0]!.path})`, "INVALID_RESOURCE_POLICY_JSON");
  }
  const foreign = parsed.policy.Statement.flatMap((s) => [...(s.Action ?? []), ...(s.NotAction ?? [])]).find((a) => !a.toLowerCase().startsWith("organizations:"));
  if (foreign !== undefined) {
    throw orgError("InvalidInputException", `The resource policy can only grant AWS Organizations actions, not ${foreign}.`, "UNSUPPORTED_ACTION_IN_RESOURCE_POLICY");
  }
  const org = ctx.world.state.organization;
  org.resourcePolicy = { id: org.resourcePolicy?.id ?? resourcePolicyId(), content: input.Content };
  ctx.world.changed();
  return resourcePolicyOut(ctx, org.resourcePolicy);
}

function describeResourcePolicy(_input: unknown, ctx: ApiContext) {
  authorize(ctx, "organizations:DescribeResourcePolicy", "delegated");
  const policy = ctx.world.state.organization.resourcePolicy;
  if (!policy) throw notFound();
  return resourcePolicyOut(ctx, policy);
}

function deleteResourcePolicy(_input: unknown, ctx: ApiContext) {
  authorize(ctx, "organizations:DeleteResourcePolicy", "management");
  const org = ctx.world.state.organization;
  if (!org.resourcePolicy) throw notFound();
  delete org.resourcePolicy;
  ctx.world.changed();
}

export const delegationHandlers = {
  PutResourcePolicy: putResourcePolicy,
  DescribeResourcePolicy: describeResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
};
