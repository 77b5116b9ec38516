// The privileged-trust guardrail: administrator-level permissions on a role that someone outside
// the organization (the accounts registered in Switchboard) can assume.

import { finding } from "./findings";
import { isPlainObject, readDocument, toPlain, type Doc } from "./read";
import { accountOf, allows, isAccountRoot, namesBroker, principalValues } from "./statements";
import type { LintFinding, RolePermissions, TrustLintTarget } from "./types";
import { fromJavaScript, readJson } from "../json";
import { UNIQUE_ID_PRINCIPAL } from "../principal";
import type { Statement } from "../types";

type PrivilegedGrant = { where: string; policy: string; what: string };

/** The statements of a permission policy as far as they can be read, without IAM's whole
 * grammar: a guardrail must not look away because a policy IAM accepted (`"*:*"`) is stricter
 * than it needs to be here. */
function looseStatements(document: unknown): Statement[] {
  const read = typeof document === "string" ? readJson(document) : fromJavaScript(document);
  const raw = read.value === undefined ? undefined : toPlain(read.value);
  const list = isPlainObject(raw) ? (Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement]) : [];
  const strings = (v: unknown) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string"));
  return list.filter(isPlainObject).map((s) => ({
    Effect: s.Effect === "Allow" ? "Allow" : "Deny",
    ...(s.Action !== undefined && { Action: strings(s.Action) }),
    ...(s.NotAction !== undefined && { NotAction: strings(s.NotAction) }),
    ...(s.Resource !== undefined && { Resource: strings(s.Resource) }),
    ...(s.NotResource !== undefined && { NotResource: strings(s.NotResource) }),
  }));
}

const PRIVILEGED_MANAGED = /^arn:[\w-]+:iam::aws:policy\/(AdministratorAccess|IAMFullAccess)$/;

/** Permissions that amount to administrator access: AdministratorAccess, IAMFullAccess (a role
 * that controls IAM can grant itself anything), Allow `*` on `*`, and iam:PassRole on every role
 * (it hands any role, an administrator one included, to a service it then drives).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html */
function privilegedGrants(permissions: RolePermissions): PrivilegedGrant[] {
  const out: PrivilegedGrant[] = [];
  for (const arn of permissions.managedPolicyArns) {
    const m = PRIVILEGED_MANAGED.exec(arn);
    if (!m) continue;
    out.push({ where: `managed:${arn}`, policy: `The AWS managed policy ${m[1]}`, what: m[1] === "AdministratorAccess" ? "full administrator access" : "full control of IAM, with which it can grant itself anything" });
  }
  for (const { name, document } of permissions.inlinePolicies) {
    for (const s of looseStatements(document)) {
      if (s.Effect !== "Allow") continue;
      // NotResource without "*" also covers every resource but the few it lists.
      const everyResource = s.Resource ? s.Resource.includes("*") : !!s.NotResource && !s.NotResource.includes("*");
      if (!everyResource) continue;
      const everything = (s.Action ?? []).some((a) => a === "*" || a === "*:*");
      if (everything || allows(s, "iam:PassRole")) {
        out.push({ where: `inline:${name}`, policy: `The inline policy ${name}`, what: everything ? "every action on every resource" : "iam:PassRole on every role" });
        break;
      }
    }
  }
  return out;
}

/** Who may assume the role from outside the organization: `{"AWS": "*"}`, AWS principals of
 * accounts Switchboard does not know (its registered accounts are the organization it manages),
 * and every identity provider (OIDC, GitHub Actions, SAML), whose users are not AWS principals of
 * the organization at all. AWS services and the console itself are inside. */
function externalPrincipals(doc: Doc, target: TrustLintTarget): string[] {
  const inside = new Set([...(target.accountId ? [target.accountId] : []), ...(target.accounts ?? []).map((a) => a.accountId)]);
  const out = new Set<string>();
  for (const s of doc.policy.Statement) {
    if (s.Effect !== "Allow") continue;
    for (const value of principalValues(s, "AWS")) {
      if (value === "*") {
        out.add('{"AWS": "*"} (any AWS principal)');
        continue;
      }
      // A unique ID is a deleted principal: it matches nobody.
      if (UNIQUE_ID_PRINCIPAL.test(value) || namesBroker(value, target.broker)) continue;
      const account = accountOf(value);
      if (!account) out.add(value);
      else if (!inside.has(account)) out.add(isAccountRoot(value) ? `account ${account}, which is not registered in Switchboard` : `${value} (account ${account} is not registered in Switchboard)`);
    }
    for (const value of principalValues(s, "Federated")) out.add(`the identity provider ${value}`);
  }
  return [...out];
}

const PRIVILEGED_FIX = "Trust only accounts in your organization, narrow the permissions, or set SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST=true.";

export function privilegedTrustFindings(doc: Doc, permissions: RolePermissions, target: TrustLintTarget, allow: boolean): LintFinding[] {
  const grants = privilegedGrants(permissions);
  if (grants.length === 0) return [];
  const outside = externalPrincipals(doc, target);
  if (outside.length === 0) return [];
  const who = outside.length === 1 ? outside[0]! : `${outside[0]} and ${outside.length - 1} more from outside`;
  return grants.map(({ where, policy, what }) =>
    allow
      ? finding("privileged-external-trust", "warning", where, `${policy} gives the role ${what}, and it is trusted from outside your organization: ${who}. SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST allows this.`, "Make sure this is intended; otherwise trust only accounts in your organization, or narrow the permissions.")
      : finding("privileged-external-trust", "error", where, `${policy} gives the role ${what}, but the role is trusted from outside your organization: ${who}. ${PRIVILEGED_FIX}`, PRIVILEGED_FIX),
  );
}

/**
 * The privileged-trust guardrail for an existing role whose trust policy is being replaced:
 * `trustPolicy` (JSON text or parsed) against the role's current permissions. Errors unless
 * `allow` (the administrator's SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST), then warnings.
 */
export function lintPrivilegedTrust(trustPolicy: unknown, permissions: RolePermissions, target: TrustLintTarget, opts: { allow: boolean }): LintFinding[] {
  const read = readDocument(trustPolicy, "trust", "trust");
  return read.doc ? privilegedTrustFindings(read.doc, permissions, target, opts.allow) : [];
}
