// The role wizard's plan rules: what is wrong with a plan before anything is created, beyond its
// documents — the role's name, path, tags and session length, its managed and inline policies
// against the account's quotas, the GitHub provider, the instance profile, role chaining. Pure
// and synchronous, like the document lint in lib/policy/lint, whose trust and permission rules
// `lintPlan` runs too. Action names are checked separately (lintPolicyActions, asynchronous).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html

import { bySeverity, sizeFinding } from "@/lib/policy/lint/findings";
import { lintPermissionPolicy } from "@/lib/policy/lint/permissions";
import { privilegedTrustFindings } from "@/lib/policy/lint/privileged";
import { readDocument, type Doc } from "@/lib/policy/lint/read";
import { allows, enforcing, entries, GITHUB_ISSUER, isGithubPrefix, isKey, isLike, namesBroker, principalValues, ROLE_ARN, SESSION_ARN, webIdentityKeys } from "@/lib/policy/lint/statements";
import { analyzeTrust } from "@/lib/policy/lint/trust";
import type { TrustLintTarget } from "@/lib/policy/lint/types";
import { countPolicyCharacters } from "@/lib/policy/format";
import type { LintFinding, Plan, PlanContext, Severity } from "./types";

/** Every rule about a whole plan that the document lint (LINT_RULES in lib/policy/lint) does
 * not already report, with what it is about. */
export const PLAN_LINT_RULES = {
  // Role
  "role-name": "The role name breaks IAM's rules.",
  "role-path": "The path breaks IAM's rules.",
  "role-path-reserved": "The path is one AWS reserves for its own roles.",
  "role-description": "The description breaks IAM's rules.",
  "role-max-session": "MaxSessionDuration outside 3600–43200 seconds.",
  "role-tags": "A tag breaks IAM's rules.",
  "permissions-boundary": "The permissions boundary is not a usable managed policy ARN.",
  "console-switch-name-length": "Path and name together exceed 64 characters, too long for the console's Switch Role.",
  "session-chaining": "MaxSessionDuration above one hour, but callers chain roles, which caps sessions at one hour.",
  "instance-profile-missing": "EC2 is trusted but no instance profile is planned.",
  "instance-profile-name": "The instance profile name breaks IAM's rules.",
  "no-permissions": "The role has no permissions.",
  // Permissions
  "inline-name": "An inline policy name breaks IAM's rules.",
  "inline-name-duplicate": "Two inline policies with one name: the second replaces the first.",
  "managed-arn": "A managed policy ARN that cannot be attached.",
  "managed-duplicate": "The same managed policy twice.",
  "managed-count": "More managed policies than the account allows per role.",
  // Trust policy, with what the plan creates
  "oidc-provider-missing": "The GitHub OIDC provider neither exists nor is created by the plan.",
  "oidc-provider-client-id": "The audience is not in the OIDC provider's client ID list.",
} as const satisfies Record<string, string>;

export type PlanLintRule = keyof typeof PLAN_LINT_RULES;

function finding(rule: PlanLintRule, severity: Severity, where: string, message: string, fix?: string): LintFinding {
  return fix === undefined ? { rule, severity, where, message } : { rule, severity, where, message, fix };
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^(?:\/|\/[\u0021-\u007E]+\/)$/;
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
// Path segments exclude "/", so the pattern cannot backtrack badly on long input.
const MANAGED_POLICY_ARN = /^arn:([\w-]+):iam::(aws|\d{12}):policy\/(?:[\u0021-\u002E\u0030-\u007E]+\/)*[\w+=,.@-]{1,128}$/;

function roleRules(plan: Plan): LintFinding[] {
  const out: LintFinding[] = [];
  const push = (rule: PlanLintRule, severity: Severity, message: string, fix?: string) => out.push(finding(rule, severity, "role", message, fix));
  if (!ROLE_NAME.test(plan.roleName)) {
    push("role-name", "error", `The role name "${plan.roleName.slice(0, 80)}" is not valid: IAM allows 1 to 64 letters, digits and + = , . @ _ -.`, "Choose a shorter name using only those characters.");
  }
  if (plan.path.length > 512 || !ROLE_PATH.test(plan.path)) {
    push("role-path", "error", `The path "${plan.path.slice(0, 80)}" is not valid: it must start and end with "/", contain printable ASCII only and be at most 512 characters.`, 'Use "/" or something like "/team/".');
  } else if (/^\/(aws-service-role|aws-reserved)\//i.test(plan.path)) {
    push("role-path-reserved", "warning", `The path ${plan.path} is reserved for roles AWS creates itself (service-linked roles, IAM Identity Center).`, 'Use "/" or a path of your own.');
  }
  if (plan.description.length > 1000 || !DESCRIPTION.test(plan.description)) {
    push("role-description", "error", "The description is not valid: IAM allows at most 1000 characters, from Latin-1 only (no emoji or typographic quotes).", "Shorten it or replace the special characters.");
  }
  if (!Number.isInteger(plan.maxSessionDuration) || plan.maxSessionDuration < 3600 || plan.maxSessionDuration > 43200) {
    push("role-max-session", "error", `The maximum session duration ${plan.maxSessionDuration} is not valid: IAM allows 3600 to 43200 seconds (1 to 12 hours).`, "Choose between 1 and 12 hours.");
  }
  if (plan.tags.length > 50) push("role-tags", "error", `The role has ${plan.tags.length} tags; IAM allows 50.`, "Remove tags.");
  const seen = new Set<string>();
  for (const { key, value } of plan.tags) {
    if (!TAG_KEY.test(key)) push("role-tags", "error", `The tag key "${key.slice(0, 80)}" is not valid: 1 to 128 letters, digits, spaces and _ . : / = + - @.`, "Rename the tag.");
    else if (key.toLowerCase().startsWith("aws:")) push("role-tags", "error", `The tag key "${key}" starts with "aws:", which AWS reserves for itself.`, "Rename the tag.");
    if (!TAG_VALUE.test(value)) push("role-tags", "error", `The value of tag "${key.slice(0, 80)}" is not valid: at most 256 letters, digits, spaces and _ . : / = + - @.`, "Shorten the value or remove the special characters.");
    if (seen.has(key)) push("role-tags", "error", `The tag key "${key}" appears twice.`, "Keep one of them.");
    seen.add(key);
  }
  if (plan.permissionsBoundaryArn !== null) {
    const m = MANAGED_POLICY_ARN.exec(plan.permissionsBoundaryArn);
    if (!m || m[1] !== plan.partition || (m[2] !== "aws" && m[2] !== plan.accountId)) {
      push("permissions-boundary", "error", `The permissions boundary ${plan.permissionsBoundaryArn} is not a managed policy IAM can use for this role: it must be an AWS managed policy or a policy in account ${plan.accountId}, in partition ${plan.partition}.`, "Pick the boundary policy from the target account's list.");
    }
  }
  // "If you intend to use a role with the Switch Role feature in the AWS Management Console, then
  // the combined Path and RoleName can't exceed 64 characters." The default path "/" is treated
  // as no path. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage.html
  const combined = plan.path === "/" ? plan.roleName.length : plan.path.length + plan.roleName.length;
  if (combined > 64) {
    push("console-switch-name-length", "warning", `The path and name together are ${combined} characters; the AWS console's Switch Role cannot use a role whose path and name exceed 64. Switchboard can.`, "Shorten the path or the name if people must switch to the role from the AWS console.");
  }
  if (plan.managedPolicyArns.length === 0 && plan.inlinePolicies.length === 0) {
    push("no-permissions", "info", "The role has no permission policies, so its sessions can do nothing (beyond what resource policies grant them).", "Attach a managed policy or add an inline policy, unless the role is only a placeholder.");
  }
  if (plan.instanceProfile && !/^[\w+=,.@-]{1,128}$/.test(plan.instanceProfile.name)) {
    push("instance-profile-name", "error", `The instance profile name "${plan.instanceProfile.name.slice(0, 80)}" is not valid: 1 to 128 letters, digits and + = , . @ _ -.`, "Use the role name, if it is valid.");
  }
  return out;
}

function managedRules(plan: Plan, quota: number): LintFinding[] {
  const out: LintFinding[] = [];
  const seen = new Set<string>();
  for (const arn of plan.managedPolicyArns) {
    const where = `managed:${arn}`;
    const m = MANAGED_POLICY_ARN.exec(arn);
    if (!m) {
      out.push(finding("managed-arn", "error", where, `${arn} is not a managed policy ARN.`, "Use an ARN like arn:aws:iam::aws:policy/ReadOnlyAccess."));
    } else if (m[1] !== plan.partition) {
      out.push(finding("managed-arn", "error", where, `${arn} is in partition ${m[1]}, but the role is in ${plan.partition}.`, `Use the ${plan.partition} ARN of the policy.`));
    } else if (m[2] !== "aws" && m[2] !== plan.accountId) {
      out.push(finding("managed-arn", "error", where, `${arn} belongs to account ${m[2]}; a role can only use AWS managed policies and customer managed policies of its own account (${plan.accountId}).`, `Create the policy in account ${plan.accountId} and attach that one.`));
    }
    if (seen.has(arn)) out.push(finding("managed-duplicate", "warning", where, `${arn} is listed twice.`, "Remove the duplicate."));
    seen.add(arn);
  }
  // AttachedPoliciesPerRoleQuota from GetAccountSummary. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  if (seen.size > quota) {
    out.push(finding("managed-count", "error", "role", `The role would have ${seen.size} managed policies; the account allows ${quota} per role, so attaching fails with LimitExceeded.`, "Combine policies into fewer customer managed policies, use an inline policy, or ask AWS for a higher quota (Service Quotas: Managed policies per role)."));
  }
  return out;
}

function inlineRules(plan: Plan, quota: number): LintFinding[] {
  const out: LintFinding[] = [];
  const names = new Set<string>();
  let total = 0;
  for (const { name, document } of plan.inlinePolicies) {
    const where = `inline:${name}`;
    if (!POLICY_NAME.test(name)) {
      out.push(finding("inline-name", "error", where, `The inline policy name "${name.slice(0, 80)}" is not valid: IAM allows 1 to 128 letters, digits and + = , . @ _ -.`, "Rename the policy."));
    }
    // Names are unique per role; PutRolePolicy with an existing name replaces that policy.
    if (names.has(name.toLowerCase())) {
      out.push(finding("inline-name-duplicate", "error", where, `Two inline policies are named "${name}"; the second would replace the first.`, "Give each inline policy its own name, or merge them."));
    }
    names.add(name.toLowerCase());
    total += countPolicyCharacters(JSON.stringify(document));
    out.push(...lintPermissionPolicy(document, where));
  }
  // RolePolicySizeQuota: all of a role's inline policies together, whitespace not counted.
  out.push(...sizeFinding("inline-size", "role", total, quota, `The inline policies together are`));
  return out;
}

/**
 * Every finding about a plan, errors first. Synchronous: action names are checked against AWS's
 * list by `lintPolicyActions` in lib/policy/actions, which is asynchronous.
 */
export function lintPlan(plan: Plan, ctx: PlanContext): LintFinding[] {
  const target: TrustLintTarget = {
    accountId: plan.accountId,
    partition: plan.partition,
    roleArn: plan.roleArn,
    broker: ctx.broker,
    accounts: ctx.accounts,
    trustPolicySize: ctx.quotas.trustPolicySize,
  };
  const trust = analyzeTrust(plan.trustPolicy, target, "trust");
  const findings: LintFinding[] = [...trust.findings, ...trust.rules, ...roleRules(plan)];
  if (trust.doc) findings.push(...planTrustRules(plan, ctx, trust.doc));
  if (trust.doc) findings.push(...privilegedTrustFindings(trust.doc, plan, target, ctx.guardrails?.allowPrivilegedExternalTrust ?? false));
  findings.push(...inlineRules(plan, ctx.quotas.inlinePoliciesSize));
  findings.push(...managedRules(plan, ctx.quotas.managedPoliciesPerRole));
  for (const source of plan.sourcePolicies) {
    const where = `source:${source.accountId}`;
    const read = readDocument(source.document, "identity", where);
    findings.push(...read.findings);
  }
  return bySeverity(findings);
}

/** The rules that need the whole plan: chaining, the GitHub provider, the instance profile. */
function planTrustRules(plan: Plan, ctx: PlanContext, doc: Doc): LintFinding[] {
  const out: LintFinding[] = [];
  const allowStatements = doc.policy.Statement.filter((s) => s.Effect === "Allow");

  // "If you assume a role using role chaining and provide a DurationSeconds parameter
  // value greater than one hour, the operation fails." Sessions are capped at one hour.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
  if (plan.maxSessionDuration > 3600) {
    const brokerTrusted = allowStatements.some((s) => allows(s, "sts:AssumeRole") && principalValues(s, "AWS").some((v) => namesBroker(v, ctx.broker)));
    const roleCallers = allowStatements.flatMap((s) => principalValues(s, "AWS")).filter((v) => !namesBroker(v, ctx.broker) && (ROLE_ARN.test(v) || SESSION_ARN.test(v)));
    if (brokerTrusted && ctx.broker.temporary) {
      out.push(finding("session-chaining", "warning", "role", `The maximum session is ${plan.maxSessionDuration / 3600} hours, but Switchboard itself runs on temporary credentials, so switching into the role is role chaining and sessions last at most 1 hour.`, "Keep the maximum at 1 hour, or run Switchboard with long-term or instance-profile credentials."));
    } else if (roleCallers.length > 0) {
      out.push(finding("session-chaining", "info", "role", `The maximum session is ${plan.maxSessionDuration / 3600} hours, but ${roleCallers[0]} is a role: when its sessions assume this role that is role chaining, capped at 1 hour (EC2 instance-profile credentials are not chaining).`, "Nothing to do if those callers are EC2 instances, or if one hour is enough."));
    }
  }

  const github = allowStatements.flatMap((s) => principalValues(s, "Federated")).filter((v) => isGithubPrefix(webIdentityKeys(v).prefix));
  for (const arn of github) {
    if (!plan.oidcProvider && !ctx.githubProviderExists) {
      out.push(finding("oidc-provider-missing", "error", "trust", `Account ${plan.accountId} has no ${GITHUB_ISSUER} identity provider and the plan does not create one, so IAM refuses the trust policy's principal ${arn}.`, "Let the wizard create the GitHub provider, or create it in the account first."));
    } else if (plan.oidcProvider && plan.oidcProvider.arn !== arn) {
      out.push(finding("oidc-provider-missing", "error", "trust", `The trust policy names ${arn}, but the plan creates ${plan.oidcProvider.arn}.`, "Rebuild the plan so both name the same provider."));
    }
  }
  // STS accepts a web identity token only if its audience is in the provider's client ID list.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
  if (plan.oidcProvider) {
    const { prefix } = webIdentityKeys(plan.oidcProvider.arn);
    const clientIds = plan.oidcProvider.clientIds;
    for (const s of allowStatements) {
      for (const e of entries(s)) {
        if (!isKey(e, `${prefix}:aud`) || !enforcing(e) || isLike(e)) continue;
        for (const aud of e.values.filter((v) => !clientIds.includes(v))) {
          out.push(finding("oidc-provider-client-id", "error", "trust", `The trust policy expects audience "${aud}", but the provider the plan creates only accepts ${clientIds.map((c) => `"${c}"`).join(", ") || "no client IDs"}, so STS would refuse every token.`, `Add "${aud}" to the provider's client IDs, or expect one of them.`));
        }
      }
    }
  }

  // EC2 uses a role only through an instance profile.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
  const ec2 = allowStatements.some((s) => principalValues(s, "Service").some((v) => v.toLowerCase() === "ec2.amazonaws.com"));
  if (ec2 && !plan.instanceProfile) {
    out.push(finding("instance-profile-missing", "warning", "role", "EC2 is trusted, but no instance profile is planned; instances can only use the role through one.", "Create an instance profile with the role's name and add the role to it."));
  }
  return out;
}
