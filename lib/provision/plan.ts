// WizardDocument → Plan: everything the apply engine will create, in order, and what the review
// page shows. Pure: the caller supplies what is known about the world (PlanContext).
//
// `findings` holds only structural problems found while building (a raw JSON document that is not
// a valid policy, template parameters out of bounds); the lint rules (lib/provision/plan-lint.ts) add
// theirs when the two are combined. Building never throws on a document that parsed with
// `wizardDocumentInput`, and does not throw on a bad inline policy either.
import type { Partition } from "@/lib/domain/partitions";
import { countPolicyCharacters, formatPolicy, parsePolicy } from "@/lib/policy";
import { NEAR_QUOTA } from "@/lib/policy/lint";
import { buildSourcePolicies } from "./source-policy";
import { renderTemplate, templateProblem } from "./templates";
import { buildTrustPolicy, GITHUB_OIDC_URL, githubAudience, githubProviderArn } from "./trust";
import type { InlinePolicySpec, LintFinding, Plan, PlanContext, PolicyJson, QuotaMeter, QuotaUsage, WizardDocument } from "./types";

/** Role chaining (a role session assuming another role) caps sessions at one hour, whatever the
 * role's MaxSessionDuration. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

/** A parse that reports hundreds of problems helps nobody; the first ones say what to fix. */
const MAX_JSON_FINDINGS = 10;

/** `arn:<partition>:iam::<account>:role<path><name>`; the path starts and ends with "/". */
export function roleArn(partition: Partition, accountId: string, path: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

type InlineResult = { policy?: { name: string; document: PolicyJson }; findings: LintFinding[] };

function inlinePolicy(spec: InlinePolicySpec, target: { partition: Partition; accountId: string }): InlineResult {
  const where = `inline:${spec.name}`;
  if ("template" in spec) {
    const problem = templateProblem(spec.template);
    if (problem) {
      return { findings: [{ rule: "inline-template", severity: "error", message: `The inline policy ${spec.name}: ${problem}.`, fix: "Correct the template's parameters.", where }] };
    }
    return { policy: { name: spec.name, document: renderTemplate(spec.template, target) }, findings: [] };
  }

  // Identity-policy grammar: Resource required, no Principal.
  const parsed = parsePolicy(spec.document, "identity");
  if (!parsed.ok) {
    const findings: LintFinding[] = parsed.errors.slice(0, MAX_JSON_FINDINGS).map((issue) => ({
      rule: "inline-json",
      severity: "error",
      message: `The inline policy ${spec.name} is not a valid policy: ${issue.message}${issue.path === "$" ? "" : ` (at ${issue.path})`}`,
      fix: "Correct the policy's JSON, or choose a template instead.",
      where,
    }));
    const more = parsed.errors.length - MAX_JSON_FINDINGS;
    if (more > 0) {
      findings.push({ rule: "inline-json", severity: "error", message: `The inline policy ${spec.name} has ${more} more problems.`, where });
    }
    return { findings };
  }
  // Without "Version": "2012-10-17" IAM reads the policy as 2008-10-17, where ${aws:username} and
  // other policy variables are plain text. The plan only holds 2012-10-17 documents, so rather
  // than change what the policy means, ask for the line.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  if (parsed.policy.Version !== "2012-10-17") {
    return {
      findings: [
        {
          rule: "inline-json",
          severity: "error",
          message: `The inline policy ${spec.name} ${parsed.policy.Version ? `uses the old version ${parsed.policy.Version}` : "has no Version"}.`,
          fix: 'Add "Version": "2012-10-17" at the top of the policy.',
          where,
        },
      ],
    };
  }
  // The normalised form (formatPolicy's key order, single values as strings); an "Id" has no
  // effect in an identity policy and is dropped.
  const { Id: _id, ...policy } = parsed.policy;
  return { policy: { name: spec.name, document: JSON.parse(formatPolicy(policy)) as PolicyJson }, findings: [] };
}

/** Builds the plan for a document that passed `wizardDocumentInput`. */
export function buildPlan(doc: WizardDocument, ctx: PlanContext): Plan {
  const { partition } = ctx;
  const { accountId, roleName, path } = doc.target;
  const arn = roleArn(partition, accountId, path, roleName);
  const findings: LintFinding[] = [];

  const inlinePolicies: Plan["inlinePolicies"] = [];
  for (const spec of doc.permissions.inline) {
    const result = inlinePolicy(spec, { partition, accountId });
    if (result.policy) inlinePolicies.push(result.policy);
    findings.push(...result.findings);
  }

  // The administrator's boundary goes on every role, whatever the document says: a document
  // without one gets it, one asking for another boundary is refused (an error finding, which
  // prepareApply turns into a 400). The exports are made from the plan, so they carry it too.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  const requiredBoundary = ctx.guardrails?.permissionsBoundaryArn;
  const askedBoundary = doc.target.permissionsBoundaryArn;
  if (requiredBoundary && askedBoundary && askedBoundary !== requiredBoundary) {
    findings.push({
      rule: "permissions-boundary-required",
      severity: "error",
      where: "role",
      message: `Your administrator requires the permissions boundary ${requiredBoundary} on every role the console creates; this role asks for ${askedBoundary} instead.`,
      fix: `Remove the other boundary: the console sets ${requiredBoundary} itself.`,
    });
  }

  const trustsEc2 = doc.trust.entities.some((e) => e.kind === "service" && e.service === "ec2.amazonaws.com");
  const trustsGitHub = doc.trust.entities.some((e) => e.kind === "github");
  const maxSessionDuration = doc.target.maxSessionDuration;

  return {
    accountId,
    partition,
    roleName,
    path,
    roleArn: arn,
    description: doc.target.description,
    maxSessionDuration,
    tags: doc.target.tags,
    permissionsBoundaryArn: requiredBoundary ?? askedBoundary ?? null,
    trustPolicy: buildTrustPolicy(doc, ctx),
    inlinePolicies,
    managedPolicyArns: doc.permissions.managedPolicyArns,
    // The console creates a same-name instance profile for an EC2 role; the API needs
    // CreateInstanceProfile + AddRoleToInstanceProfile (terraform: same name and path).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
    instanceProfile: trustsEc2 ? { name: roleName, path } : null,
    // One provider per URL per account; thumbprints are no longer needed for GitHub.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
    oidcProvider:
      trustsGitHub && !ctx.githubProviderExists
        ? { url: GITHUB_OIDC_URL, clientIds: [githubAudience(partition)], arn: githubProviderArn(partition, accountId) }
        : null,
    sourcePolicies: buildSourcePolicies(doc, ctx, arn),
    effectiveSessionSeconds: ctx.broker.temporary ? Math.min(ROLE_CHAINING_MAX_SECONDS, maxSessionDuration) : maxSessionDuration,
    findings,
  };
}

/**
 * How much of the target account's quotas the role takes, counted the way IAM counts: the trust
 * policy and the inline policies together in characters without whitespace, managed policies by
 * number. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export function quotaUsage(plan: Pick<Plan, "trustPolicy" | "inlinePolicies" | "managedPolicyArns">, quotas: PlanContext["quotas"]): QuotaUsage {
  return {
    trustPolicy: meter(countPolicyCharacters(JSON.stringify(plan.trustPolicy)), quotas.trustPolicySize),
    inlinePolicies: meter(
      plan.inlinePolicies.reduce((n, p) => n + countPolicyCharacters(JSON.stringify(p.document)), 0),
      quotas.inlinePoliciesSize,
    ),
    managedPolicies: meter(plan.managedPolicyArns.length, quotas.managedPoliciesPerRole),
  };
}

/** Over the quota IAM answers LimitExceeded; near it (where the lint rules warn) leaves no room. */
function meter(used: number, quota: number): QuotaMeter {
  return { used, quota, level: used > quota ? "over" : used >= quota * NEAR_QUOTA ? "near" : "ok" };
}
