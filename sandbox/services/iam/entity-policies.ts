// The inline and attached managed policies of a role or a user: the same seven operations for
// both (PutRolePolicy / PutUserPolicy, …), differing only in the entity's name, the action names
// and the quotas. https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html
import type { RequestContext } from "../../../lib/policy";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, Role, User } from "../../core/state";
import { boundaryContext } from "./access";
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
import type { QuotaName } from "./quotas";

type Kind = "Role" | "User";
type NameKey<K extends Kind> = `${K}Name`;
type Named<K extends Kind> = Record<NameKey<K>, string>;

export type EntityPolicySpec<K extends Kind, E extends Role | User> = {
  kind: K;
  /** Authorizes `action` on the named entity and returns it (authorizedRole, authorizedUser). */
  authorized: (ctx: ApiContext, action: `iam:${string}`, name: string, context?: (entity: E | undefined) => RequestContext) => { account: Account; entity: E };
  /** All of the entity's inline policies together (RolePolicySizeQuota, UserPolicySizeQuota). */
  inlineSizeQuota: number;
  /** How many managed policies the entity may have attached. */
  attachedQuota: QuotaName;
};

/** The seven handlers, named for the entity kind (PutRolePolicy … ListAttachedRolePolicies). */
export function entityPolicyHandlers<K extends Kind, E extends Role | User>(spec: EntityPolicySpec<K, E>): Record<string, ApiHandler> {
  const { kind, authorized } = spec;
  const nameKey = `${kind}Name` as NameKey<K>;
  const holder = (entity: E): PolicyHolder => ({ kind: kind === "Role" ? "role" : "user", name: entity.name, entity });
  /** Actions that change the entity's permissions carry its boundary (iam:PermissionsBoundary),
   * so a policy can require that delegated admins only touch bounded roles and users. */
  const withBoundary = (entity: E | undefined): RequestContext => boundaryContext(entity?.permissionsBoundary);
  const withPolicyArn = (arn: string) => (entity: E | undefined): RequestContext => ({ "iam:PolicyARN": arn, ...withBoundary(entity) });

  function putPolicy(input: Named<K> & { PolicyName: string; PolicyDocument: string }, ctx: ApiContext) {
    const { entity } = authorized(ctx, `iam:Put${kind}Policy`, input[nameKey], withBoundary);
    putInlinePolicy(holder(entity), input.PolicyName, input.PolicyDocument, spec.inlineSizeQuota);
    ctx.world.changed();
  }

  function getPolicy(input: Named<K> & { PolicyName: string }, ctx: ApiContext) {
    const { entity } = authorized(ctx, `iam:Get${kind}Policy`, input[nameKey]);
    const policy = getInlinePolicy(holder(entity), input.PolicyName);
    return { [nameKey]: entity.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
  }

  function listPolicies(input: PageInput & Named<K>, ctx: ApiContext) {
    const { entity } = authorized(ctx, `iam:List${kind}Policies`, input[nameKey]);
    const page = paginate(inlinePolicyNames(holder(entity)), (name) => name.toLowerCase(), input);
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  }

  function deletePolicy(input: Named<K> & { PolicyName: string }, ctx: ApiContext) {
    const { entity } = authorized(ctx, `iam:Delete${kind}Policy`, input[nameKey], withBoundary);
    deleteInlinePolicy(holder(entity), input.PolicyName);
    ctx.world.changed();
  }

  function attach(input: Named<K> & { PolicyArn: string }, ctx: ApiContext) {
    const { account, entity } = authorized(ctx, `iam:Attach${kind}Policy`, input[nameKey], withPolicyArn(input.PolicyArn));
    attachPolicy(account, holder(entity), input.PolicyArn, spec.attachedQuota);
    ctx.world.changed();
  }

  function detach(input: Named<K> & { PolicyArn: string }, ctx: ApiContext) {
    const { entity } = authorized(ctx, `iam:Detach${kind}Policy`, input[nameKey], withPolicyArn(input.PolicyArn));
    detachPolicy(holder(entity), input.PolicyArn);
    ctx.world.changed();
  }

  function listAttached(input: PageInput & Named<K> & { PathPrefix?: string }, ctx: ApiContext) {
    const { account, entity } = authorized(ctx, `iam:ListAttached${kind}Policies`, input[nameKey]);
    const page = paginate(attachedPolicyRefs(account, holder(entity), input.PathPrefix), policyListKey, input);
    return { AttachedPolicies: page.items.map(attachedPolicyOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
  }

  return {
    [`Put${kind}Policy`]: putPolicy,
    [`Get${kind}Policy`]: getPolicy,
    [`List${kind}Policies`]: listPolicies,
    [`Delete${kind}Policy`]: deletePolicy,
    [`Attach${kind}Policy`]: attach,
    [`Detach${kind}Policy`]: detach,
    [`ListAttached${kind}Policies`]: listAttached,
  };
}
