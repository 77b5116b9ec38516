// The organization's tree (a root, OUs, accounts) and its authorization policies: service control
// policies (SCPs), which cap what principals in member accounts may do, and resource control
// policies (RCPs), which cap what anyone may do to resources in member accounts.
//
// AWS's rules followed here:
// - "To allow a permission for a specific account, there must be an explicit Allow statement at
//   every level from the root through each OU in the direct path to the account (including the
//   target account itself)", and a Deny in any SCP on that path denies.
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// - RCPFullAWSAccess is attached to the root, every OU and every account when RCPs are enabled
//   and cannot be detached; any RCP on the path to the resource's account can deny.
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
// - SCPs do not affect principals in the management account, RCPs do not affect resources in it.
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
// - Both are evaluated with the request's other policies; a Deny anywhere wins, and an action
//   must pass the RCPs and the SCPs as well as the identity and resource-based policies.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import { evaluatePolicies } from "../../lib/policy";
import type { AuthzRequest, NamedPolicy, Policy, PolicyKind, StatementMatch } from "../../lib/policy/types";
import type { Organization, OrgPolicy, OrgPolicyType } from "./state";
import { PARTITION } from "./world";

export const SCP: OrgPolicyType = "SERVICE_CONTROL_POLICY";
export const RCP: OrgPolicyType = "RESOURCE_CONTROL_POLICY";
export const ORG_POLICY_TYPES: readonly OrgPolicyType[] = [SCP, RCP];

/** An SCP or RCP as the API shows it: the customer's own, or one of AWS's. */
export type AnyOrgPolicy = OrgPolicy & { awsManaged: boolean };

const allowAll = (principal: boolean) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...(principal ? { Principal: "*" } : {}), Action: "*", Resource: "*" }] });

/** The AWS-managed policies attached to every root, OU and account when their type is enabled:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html */
export const FULL_AWS_ACCESS: AnyOrgPolicy = {
  id: "p-FullAWSAccess",
  name: "FullAWSAccess",
  description: "Allows access to every operation",
  type: SCP,
  content: allowAll(false),
  createDate: 0,
  awsManaged: true,
};
export const RCP_FULL_AWS_ACCESS: AnyOrgPolicy = {
  id: "p-RCPFullAWSAccess",
  name: "RCPFullAWSAccess",
  description: "Allows access to every operation",
  type: RCP,
  content: allowAll(true),
  createDate: 0,
  awsManaged: true,
};
const MANAGED: Record<string, AnyOrgPolicy> = { [FULL_AWS_ACCESS.id]: FULL_AWS_ACCESS, [RCP_FULL_AWS_ACCESS.id]: RCP_FULL_AWS_ACCESS };

export const defaultPolicyOf = (type: OrgPolicyType): AnyOrgPolicy => (type === SCP ? FULL_AWS_ACCESS : RCP_FULL_AWS_ACCESS);

/** The type as it appears in policy ARNs: `service_control_policy`. */
const arnType = (type: OrgPolicyType) => type.toLowerCase();

export const typeLabel = (type: OrgPolicyType) => (type === SCP ? "service control policy" : "resource control policy");

export type TargetType = "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";
export type Target = { id: string; type: TargetType; name: string; arn: string };

/** AWS Organizations ARNs: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html#awsorganizations-resources-for-iam-policies */
export class OrganizationTree {
  constructor(
    readonly org: Organization,
    /** Account id → name, for the accounts of the sandbox. */
    private readonly accountName: (id: string) => string | undefined,
  ) {}

  private arn(resource: string): string {
    return `arn:${PARTITION}:organizations::${this.org.masterAccountId}:${resource}`;
  }

  policy(id: string): AnyOrgPolicy | undefined {
    const managed = Object.prototype.hasOwnProperty.call(MANAGED, id) ? MANAGED[id] : undefined;
    if (managed) return managed;
    const own = Object.prototype.hasOwnProperty.call(this.org.policies, id) ? this.org.policies[id] : undefined;
    return own ? { ...own, awsManaged: false } : undefined;
  }

  policyArn(policy: AnyOrgPolicy): string {
    return policy.awsManaged
      ? `arn:${PARTITION}:organizations::aws:policy/${arnType(policy.type)}/${policy.id}`
      : this.arn(`policy/${this.org.id}/${arnType(policy.type)}/${policy.id}`);
  }

  /** Every policy of a type: AWS's own first, then the customer's by name. */
  policies(type: OrgPolicyType): AnyOrgPolicy[] {
    const own = Object.values(this.org.policies)
      .filter((p) => p.type === type)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ ...p, awsManaged: false }));
    return [defaultPolicyOf(type), ...own];
  }

  get rootArn(): string {
    return this.arn(`root/${this.org.id}/${this.org.rootId}`);
  }

  /** A root, OU or account of the organization by its id. */
  target(id: string): Target | undefined {
    if (id === this.org.rootId) return { id, type: "ROOT", name: "Root", arn: this.rootArn };
    const ou = Object.prototype.hasOwnProperty.call(this.org.organizationalUnits, id) ? this.org.organizationalUnits[id] : undefined;
    if (ou) return { id, type: "ORGANIZATIONAL_UNIT", name: ou.name, arn: this.arn(`ou/${this.org.id}/${id}`) };
    const name = /^\d{12}$/.test(id) ? this.accountName(id) : undefined;
    if (name !== undefined) return { id, type: "ACCOUNT", name, arn: this.arn(`account/${this.org.id}/${id}`) };
    return undefined;
  }

  /** The root or OU that contains an account or OU; an account the tree does not place yet is
   * in the root. */
  parentOf(childId: string): string | undefined {
    const ou = Object.prototype.hasOwnProperty.call(this.org.organizationalUnits, childId) ? this.org.organizationalUnits[childId] : undefined;
    if (ou) return ou.parentId;
    if (this.accountName(childId) === undefined) return undefined;
    return Object.prototype.hasOwnProperty.call(this.org.accountParents, childId) ? this.org.accountParents[childId] : this.org.rootId;
  }

  /** The levels from the root down to an account or OU: `[root, ou…, id]`. */
  path(id: string): string[] {
    const path = [id];
    for (let parent = this.parentOf(id); parent !== undefined; parent = this.parentOf(parent)) {
      path.unshift(parent);
      // OUs nest at most five deep; a longer chain is a cycle a hand-edited state could hold.
      if (path.length > 8) break;
    }
    return path;
  }

  /** `o-…/r-…/ou-…/`: the form of aws:PrincipalOrgPaths and the OU's Path in the API. */
  orgPath(id: string): string {
    return `${this.org.id}/${this.path(id).join("/")}/`;
  }

  attached(targetId: string, type?: OrgPolicyType): AnyOrgPolicy[] {
    const ids = Object.prototype.hasOwnProperty.call(this.org.attachments, targetId) ? this.org.attachments[targetId]! : [];
    return ids.map((id) => this.policy(id)).filter((p): p is AnyOrgPolicy => p !== undefined && (type === undefined || p.type === type));
  }

  /** Every root, OU and account a policy is attached to. */
  targetsOf(policyId: string): Target[] {
    return Object.entries(this.org.attachments)
      .filter(([, ids]) => ids.includes(policyId))
      .map(([id]) => this.target(id))
      .filter((t): t is Target => t !== undefined);
  }

  enabled(type: OrgPolicyType): boolean {
    return this.org.enabledPolicyTypes.includes(type);
  }

  attach(targetId: string, policyId: string): void {
    const ids = (this.org.attachments[targetId] ??= []);
    if (!ids.includes(policyId)) ids.push(policyId);
  }

  detach(targetId: string, policyId: string): void {
    const ids = this.org.attachments[targetId];
    if (ids) this.org.attachments[targetId] = ids.filter((id) => id !== policyId);
  }

  /** A new OU or account gets the AWS-managed policy of each enabled type, as AWS attaches it. */
  attachDefaults(targetId: string): void {
    for (const type of this.org.enabledPolicyTypes) this.attach(targetId, defaultPolicyOf(type).id);
  }
}

/** What an SCP or RCP decided against a request that the rest of IAM's evaluation allowed or
 * left undecided. */
export type OrgDenial = {
  type: OrgPolicyType;
  decision: "ExplicitDeny" | "ImplicitDeny";
  /** The denying statements (explicit deny); none for an implicit deny. */
  statements: StatementMatch[];
  /** Where the denying policy is attached, or the level at which nothing allows. */
  targetId: string;
  reason: string;
};

type Parse = (document: string, kind: PolicyKind) => Policy;

/** The decision of one policy type along the path from the root to `accountId`: any Deny
 * denies; otherwise every level must have an attached policy that allows. */
function evaluatePath(tree: OrganizationTree, type: OrgPolicyType, accountId: string, request: AuthzRequest, parse: Parse): OrgDenial | undefined {
  const kind: PolicyKind = type === SCP ? "identity" : "resource";
  const levels = tree.path(accountId).map((targetId) => {
    const policies: NamedPolicy[] = tree.attached(targetId, type).map((p) => ({ name: `${p.name} (${p.id})`, policy: parse(p.content, kind) }));
    return { targetId, result: evaluatePolicies(policies, request, kind) };
  });
  const label = typeLabel(type);
  for (const { targetId, result } of levels) {
    const denies = result.matched.filter((m) => m.effect === "Deny");
    if (denies.length) {
      const target = tree.target(targetId);
      return {
        type,
        decision: "ExplicitDeny",
        statements: denies,
        targetId,
        reason: `Explicitly denied by the ${label} ${denies[0]!.policyName}, attached to ${target ? describeTarget(target) : targetId}`,
      };
    }
  }
  const missing = levels.find(({ result }) => result.decision !== "Allow");
  if (!missing) return undefined;
  const target = tree.target(missing.targetId);
  return {
    type,
    decision: "ImplicitDeny",
    statements: [],
    targetId: missing.targetId,
    reason: `No ${label} attached to ${target ? describeTarget(target) : missing.targetId} allows ${request.action}`,
  };
}

export function describeTarget(target: Target): string {
  if (target.type === "ROOT") return `the root ${target.id}`;
  if (target.type === "ORGANIZATIONAL_UNIT") return `the OU ${target.name} (${target.id})`;
  return `the account ${target.name} (${target.id})`;
}

/** Of the services the sandbox serves, only STS is among those RCPs apply to, and only to its
 * actions on a role (AssumeRole, SetSourceIdentity, TagSession): IAM and Organizations are not.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services */
const rcpApplies = (request: AuthzRequest) => request.action.toLowerCase().startsWith("sts:") && request.resource !== "*";

/**
 * The SCPs of the caller's account and the RCPs of the resource's account, for a request by an
 * IAM user or role session. Explicit denies come first (an RCP's, then an SCP's, in the order
 * of AWS's evaluation flow), then a level where nothing allows. Undefined when both allow, or
 * neither applies (the management account, a type not enabled).
 */
export function organizationDenial(tree: OrganizationTree, callerAccount: string, request: AuthzRequest, parse: Parse): OrgDenial | undefined {
  const management = tree.org.masterAccountId;
  const inTree = (id: string | undefined) => id !== undefined && tree.target(id)?.type === "ACCOUNT";
  const scp =
    tree.enabled(SCP) && callerAccount !== management && inTree(callerAccount) ? evaluatePath(tree, SCP, callerAccount, request, parse) : undefined;
  const resourceAccount = request.resourceAccount;
  const rcp =
    tree.enabled(RCP) && resourceAccount !== undefined && resourceAccount !== management && inTree(resourceAccount) && rcpApplies(request)
      ? evaluatePath(tree, RCP, resourceAccount, request, parse)
      : undefined;
  const explicit = [rcp, scp].find((d) => d?.decision === "ExplicitDeny");
  return explicit ?? rcp ?? scp;
}
