// Which service control policy (SCP) or resource control policy (RCP) refused a request, from
// the organization's tree and policies as the broker could read them. Pure: lib/sessions/explain.ts
// reads the facts, lib/aws/explain-denial.ts words the explanation.
//
// AWS's rules followed here:
// - An AccessDenied names the policy type that refused: "… with an explicit deny in a service
//   control policy" (or "a resource control policy"), or "… because no service control policy
//   allows the <action> action"; recent messages append the denying policy's ARN.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
// - SCPs apply to the principals of member accounts: every level from the root down to the
//   caller's account must have an attached SCP that allows the action, and a Deny in any of them
//   denies. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// - RCPs apply to the resources of member accounts (for AssumeRole, the role's account): a Deny
//   in any RCP from the root down to that account denies.
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html

import {
  evaluateCondition,
  matchStatement,
  parsePolicy,
  type AuthzRequest,
  type Policy,
  type Statement,
} from "@/lib/policy";

export type OrgPolicyType = "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
export type OrgTargetType = "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";

/** What an AccessDenied message says about the organization's policies. */
export type OrgDenialClue = {
  type: OrgPolicyType;
  /** "with an explicit deny in …" rather than "because no … allows". */
  explicit: boolean;
  /** The action the message names, e.g. sts:AssumeRole. */
  action: string;
  /** The denying policy's id, when the message carries its ARN. */
  policyId?: string;
};

const TYPE_IN_MESSAGE = /(with an explicit deny in a|because no) (service|resource) control policy/i;
const ACTION_IN_MESSAGE = /is not authorized to perform: ([\w-]+:[\w*]+)/;
const POLICY_ARN_IN_MESSAGE = /:policy\/(?:o-[a-z0-9]+\/)?(?:service|resource)_control_policy\/(p-[0-9a-zA-Z_]+)/;

export function organizationDenialIn(message: string): OrgDenialClue | undefined {
  const m = TYPE_IN_MESSAGE.exec(message);
  if (!m) return undefined;
  const policyId = POLICY_ARN_IN_MESSAGE.exec(message)?.[1];
  return {
    type: m[2]!.toLowerCase() === "service" ? "SERVICE_CONTROL_POLICY" : "RESOURCE_CONTROL_POLICY",
    explicit: m[1]!.toLowerCase().startsWith("with"),
    action: ACTION_IN_MESSAGE.exec(message)?.[1] ?? "sts:AssumeRole",
    ...(policyId ? { policyId } : {}),
  };
}

export type OrgTarget = { id: string; type: OrgTargetType; name?: string };

/** One level of the path from the root down to an account, and the policies of the type in
 * question attached to it. */
export type OrgLevel = { target: OrgTarget; policies: Array<{ id: string; name: string; content: string }> };

/** What the broker read of the organization. */
export type OrgPolicyFacts = {
  type: OrgPolicyType;
  /** The account whose path was read: the broker's for SCPs, the role's for RCPs. */
  accountId: string;
  /** From the root down to that account. */
  levels: OrgLevel[];
  /** aws:PrincipalOrgID / aws:ResourceOrgID, where the broker / the role is in the organization. */
  principalOrgId?: string;
  resourceOrgId?: string;
};

/** What refused the request. `unseenKeys`: condition keys of the denying statement the console
 * cannot check, so it denies only when they hold. */
export type OrgFinding =
  | { kind: "deny"; target: OrgTarget; policy: { id: string; name: string }; statementIndex: number; sid?: string; unseenKeys: string[] }
  | { kind: "no-allow"; target: OrgTarget; policies: Array<{ id: string; name: string }> };

export const typeLabel = (type: OrgPolicyType) => (type === "SERVICE_CONTROL_POLICY" ? "service control policy" : "resource control policy");

export function describeOrgTarget(target: OrgTarget): string {
  const named = (what: string) => (target.name ? `${what} ${target.name} (${target.id})` : `${what} ${target.id}`);
  if (target.type === "ROOT") return `the organization's root (${target.id})`;
  return target.type === "ORGANIZATIONAL_UNIT" ? named("the OU") : named("the account");
}

/** The request as AWS evaluated it, and which condition keys the console knows the value of
 * (lower case); a condition on any other key is one it cannot check. */
export type OrgRequest = { request: AuthzRequest; knownKeys: Set<string> };

type Applies = { applies: false } | { applies: true; unseenKeys: string[] };

/** Whether a statement applies: its principal, action and resource match, and each condition
 * the console can check holds; conditions on keys it cannot see are returned, not decided. */
function applies(statement: Statement, version: Policy["Version"], { request, knownKeys }: OrgRequest, kind: "identity" | "resource"): Applies {
  const { Condition: condition, ...bare } = statement;
  if (!matchStatement(bare, version, request, kind).applies) return { applies: false };
  const unseenKeys: string[] = [];
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(entries)) {
      if (!knownKeys.has(key.toLowerCase())) {
        unseenKeys.push(key);
        continue;
      }
      if (!evaluateCondition({ [operator]: { [key]: values } }, request.context, { version })) return { applies: false };
    }
  }
  return { applies: true, unseenKeys };
}

/**
 * The SCPs or RCPs along the path that refuse the request: each Deny that applies (those the
 * message names by id first, then those whose conditions the console can check), or — when none
 * does and the message says nothing allows it — the first level where no attached policy allows.
 * Empty when the facts show nothing that refuses it.
 */
export function findOrganizationDenial(facts: OrgPolicyFacts, clue: OrgDenialClue, req: OrgRequest): OrgFinding[] {
  const kind = facts.type === "SERVICE_CONTROL_POLICY" ? "identity" : "resource";
  const denies: Array<Extract<OrgFinding, { kind: "deny" }>> = [];
  const levels = facts.levels.map((level) => {
    let allowed = false;
    for (const policy of level.policies) {
      const parsed = parsePolicy(policy.content, kind);
      if (!parsed.ok) continue;
      parsed.policy.Statement.forEach((statement, statementIndex) => {
        const outcome = applies(statement, parsed.policy.Version, req, kind);
        if (!outcome.applies) return;
        if (statement.Effect === "Allow") allowed = true;
        else denies.push({ kind: "deny", target: level.target, policy: { id: policy.id, name: policy.name }, statementIndex, ...(statement.Sid ? { sid: statement.Sid } : {}), unseenKeys: outcome.unseenKeys });
      });
    }
    return { level, allowed };
  });
  // The message's own policy first, then the certain denies before those that depend on
  // conditions the console cannot see.
  const rank = (d: (typeof denies)[number]) => (d.policy.id === clue.policyId ? 0 : 2) + (d.unseenKeys.length ? 1 : 0);
  const ranked = [...denies].sort((a, b) => rank(a) - rank(b));
  if (clue.explicit) return ranked;
  // "Because no … allows": a level without an allow (an Allow whose conditions the console
  // cannot check counts as one that may allow).
  const missing = levels.find((l) => !l.allowed);
  if (missing) return [{ kind: "no-allow", target: missing.level.target, policies: missing.level.policies.map(({ id, name }) => ({ id, name })) }];
  return ranked;
}

/** The explanation's structured part: which policy refused, and where it is attached. */
export type OrganizationPolicyRef = {
  type: OrgPolicyType;
  target: OrgTarget;
  /** The denying policy; absent when no policy at `target` allows the action. */
  policy?: { id: string; name: string; statement?: string };
};

export type OrganizationExplanation = {
  kind: "service-control-policy" | "resource-control-policy";
  summary: string;
  fix?: { where: string; statement: object };
  organizationPolicy?: OrganizationPolicyRef;
};

/** Names the SCP or RCP that refused the switch, where it is attached, and what to do. */
export function explainOrganizationDenial(
  facts: OrgPolicyFacts,
  clue: OrgDenialClue,
  req: OrgRequest,
  who: { roleArn: string; brokerArn: string },
): OrganizationExplanation {
  const kind = facts.type === "SERVICE_CONTROL_POLICY" ? "service-control-policy" : "resource-control-policy";
  const label = typeLabel(facts.type);
  const { action } = clue;
  const path = facts.levels.at(-1)?.target;
  const scope =
    facts.type === "SERVICE_CONTROL_POLICY"
      ? `SCPs cap what every principal in the broker's account${path ? ` (${describeOrgTarget(path).replace(/^the account /, "")})` : ""} may do, whatever its own policies allow`
      : `RCPs cap what anyone may do with the resources of the role's account${path ? ` (${describeOrgTarget(path).replace(/^the account /, "")})` : ""}, whatever the role's trust policy allows`;
  const [finding] = findOrganizationDenial(facts, clue, req);
  if (!finding) {
    const read = [...new Set(facts.levels.flatMap((l) => l.policies.map((p) => `${p.name} (${p.id})`)))];
    return {
      kind,
      summary:
        `AWS refused the switch into ${who.roleArn} because of a ${label} (${clue.explicit ? "an explicit Deny" : `none allows ${action}`}), ` +
        `but none of those the console read from the root down to ${path ? describeOrgTarget(path) : "the account"} (${read.join(", ") || "none"}) does so in a way it can check: ` +
        `a condition on a key it cannot see, or a policy changed since. Ask your organization's administrators which ${label} refuses ${action} for ${who.brokerArn}.`,
    };
  }
  if (finding.kind === "no-allow") {
    const attached = finding.policies.map((p) => `${p.name} (${p.id})`).join(", ");
    return {
      kind,
      summary:
        `No ${label} attached to ${describeOrgTarget(finding.target)} allows ${action}${attached ? ` (attached there: ${attached})` : ""}. ` +
        `An action must be allowed by an SCP at every level from the organization's root down to the account; ${scope}. ` +
        `Attach an SCP that allows it there (FullAWSAccess allows every action), or add ${action} to one that is attached.`,
      fix: { where: `a ${label} attached to ${describeOrgTarget(finding.target)}`, statement: { Effect: "Allow", Action: action, Resource: who.roleArn } },
      organizationPolicy: { type: facts.type, target: finding.target },
    };
  }
  const statement = finding.sid ?? `statement ${finding.statementIndex + 1}`;
  const when = finding.unseenKeys.length ? ` when its condition on ${finding.unseenKeys.join(", ")} holds (which the console cannot check from here)` : "";
  return {
    kind,
    summary:
      `The ${label} ${finding.policy.name} (${finding.policy.id}), attached to ${describeOrgTarget(finding.target)}, denies ${action} on ${who.roleArn} ` +
      `(statement ${finding.sid ?? finding.statementIndex + 1})${when}. ${scope}, and a Deny there overrides every Allow. ` +
      `Ask your organization's administrators to narrow that statement or to detach the policy${facts.type === "SERVICE_CONTROL_POLICY" ? ", or run the console's broker in an account it does not cover" : ""}.`,
    organizationPolicy: { type: facts.type, target: finding.target, policy: { ...finding.policy, statement } },
  };
}
