// Trust rules about particular principals: GitHub Actions' subject claim, sessions of roles the
// policy already trusts, the role itself, and Switchboard (the broker).

import { finding } from "./findings";
import type { Doc } from "./read";
import { accountOf, allows, constrains, enforcing, entries, hasWildcard, isAccountRoot, isKey, isLike, label, matchesAll, namesBroker, policyDeniesWithoutMfa, principalValues, requiresMfa, ROLE_ARN, SESSION_ARN, type Entry } from "./statements";
import type { BrokerIdentity, LintFinding } from "./types";
import { wildcardMatch } from "../match";

/** GitHub's subject claim names the repository and the ref, environment or pull request.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 * Access Analyzer: "Missing github repo condition key" (security warning), "Specific github repo
 * and branch recommended" (general warning). */
export function githubSubjectFindings(at: string, subKey: string, list: Entry[], where: string): LintFinding[] {
  const subjects = list.filter((e) => isKey(e, subKey) && e.operator.family === "String" && constrains(e));
  if (subjects.length === 0) {
    return [finding("oidc-github-sub-missing", "error", where, `${at} trusts GitHub Actions without a condition on ${subKey}: a workflow in any repository on GitHub could assume the role.`, `Add "StringEquals": {"${subKey}": "repo:<owner>/<repo>:ref:refs/heads/<branch>"} (or :environment:<name>).`)];
  }
  const out: LintFinding[] = [];
  for (const e of subjects) {
    if (!isLike(e)) continue;
    for (const value of e.values.filter(hasWildcard)) {
      // Without an owner before the first wildcard the pattern admits other people's repositories.
      const anyOwner = matchesAll(value) || /^repo:[*?]/.test(value);
      const orgWide = /^repo:[^/*?]+\/[*?]/.test(value);
      const message = anyOwner
        ? `${at} lets "${value}" match ${subKey}, which any repository on GitHub can satisfy.`
        : orgWide
          ? `${at} lets "${value}" match ${subKey}: every repository of that owner, and every branch and pull request in them, can assume the role.`
          : `${at} lets "${value}" match ${subKey}: any branch, tag, environment or pull request it covers can assume the role.`;
      out.push(finding("oidc-github-sub-wildcard", anyOwner ? "error" : "warning", where, message, "Name the exact repository and branch or environment with StringEquals, e.g. repo:<owner>/<repo>:environment:production."));
    }
  }
  return out;
}

/** Access Analyzer suggestion "Redundant principal in role trust policy": a session of a role
 * the policy already trusts. */
export function redundantPrincipalFindings(doc: Doc, where: string): LintFinding[] {
  const allowed = doc.policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => principalValues(s, "AWS"));
  const roles = new Set(
    allowed.flatMap((v) => {
      const m = ROLE_ARN.exec(v);
      return m ? [`${m[1]}/${m[2]}`] : [];
    }),
  );
  return allowed.flatMap((value) => {
    const session = SESSION_ARN.exec(value);
    if (!session || !roles.has(`${session[1]}/${session[2]}`)) return [];
    return [finding("principal-redundant", "info", where, `${value} is a session of role ${session[2]}, which the policy already trusts.`, "Remove the session principal.")];
  });
}

/** A role trusting itself, by ARN or the terraform `allow_self_assume_role` pattern
 * (`"AWS": "*"` or the account, with aws:PrincipalArn). Since 2022 a role assuming itself must
 * be trusted explicitly, and terraform-aws-iam v6 removed the option: a role should not assume
 * itself. https://aws.amazon.com/blogs/security/announcing-an-update-to-iam-role-trust-policy-behavior/ */
export function selfAssumeFindings(doc: Doc, roleArn: string, where: string): LintFinding[] {
  const role = ROLE_ARN.exec(roleArn);
  if (!role) return [];
  const out: LintFinding[] = [];
  doc.policy.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const values = principalValues(s, "AWS");
    const byArn = values.some((v) => {
      const session = SESSION_ARN.exec(v);
      return v.toLowerCase() === roleArn.toLowerCase() || (!!session && session[1] === role[1] && session[2]?.toLowerCase() === role[2]?.toLowerCase());
    });
    const byCondition =
      values.some((v) => v === "*" || (isAccountRoot(v) && accountOf(v) === role[1])) &&
      entries(s).some((e) => e.key === "aws:principalarn" && enforcing(e) && e.values.some((v) => !matchesAll(v) && wildcardMatch(v, roleArn)));
    if (byArn || byCondition) {
      out.push(finding("trust-self-assume", "warning", where, `${label(doc, i)} lets the role assume itself. A role should not need to: its own sessions already have its permissions.`, "Remove the statement; if code re-assumes the role, have it reuse its current credentials instead."));
    }
  });
  return out;
}

/** Switchboard's own statement: it sets a source identity on every session (operators' names
 * reach CloudTrail), and it never has MFA. "If you set a source identity … the role's trust
 * policy must allow sts:SetSourceIdentity."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html */
export function brokerFindings(doc: Doc, broker: BrokerIdentity, where: string): LintFinding[] {
  const naming = doc.policy.Statement.filter((s) => s.Effect === "Allow" && principalValues(s, "AWS").some((v) => namesBroker(v, broker)));
  const assume = naming.filter((s) => allows(s, "sts:AssumeRole"));
  if (assume.length === 0) return [];
  const out: LintFinding[] = [];
  if (!naming.some((s) => allows(s, "sts:SetSourceIdentity"))) {
    out.push(finding("broker-set-source-identity", "error", where, "The trust policy lets Switchboard assume the role but not set a source identity; Switchboard always sets one, so every switch into the role would fail with AccessDenied.", "Add sts:SetSourceIdentity to the statement that trusts Switchboard."));
  }
  if (assume.every(requiresMfa) || policyDeniesWithoutMfa(doc.policy)) {
    out.push(finding("broker-mfa", "error", where, "The trust policy requires MFA of Switchboard, which assumes roles with its own credentials and never has MFA: it could never switch into the role.", "Remove the MFA condition from the statement that trusts Switchboard; operators' sign-in to Switchboard is where MFA belongs."));
  }
  return out;
}
