// Role trust policy rules: who may assume the role, with which action, under which conditions.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy

import { documentRules } from "./documents";
import { bySeverity, capped, DEFAULT_TRUST_SIZE, finding, sizeFinding } from "./findings";
import { readDocument, type Doc, type ReadOutcome } from "./read";
import type { LintRule } from "./rules";
import {
  accountLabel,
  accountOf,
  allows,
  constrains,
  enforcing,
  entries,
  hasWildcard,
  isAccountRoot,
  isGithubPrefix,
  isKey,
  isLike,
  label,
  matchesAll,
  namesBroker,
  policyDeniesWithoutMfa,
  principalValues,
  requiresExternalId,
  requiresMfa,
  webIdentityKeys,
  type Entry,
} from "./statements";
import { nearest } from "./strings";
import { brokerFindings, githubSubjectFindings, redundantPrincipalFindings, selfAssumeFindings } from "./trust-principals";
import type { LintFinding, Severity, TrustLintTarget } from "./types";
import { countPolicyCharacters } from "../format";
import { parseArn } from "../match";
import { UNIQUE_ID_PRINCIPAL } from "../principal";
import type { Statement } from "../types";

/** The actions a role trust policy governs. sts:SetContext is for trusted identity propagation.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html */
const TRUST_ACTIONS = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
];

type PrincipalKind = "aws" | "service" | "oidc" | "saml";

/** The action each kind of principal assumes a role with (Access Analyzer: Mismatched action for
 * principal). https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp.html */
const ENTRY_ACTION: Record<PrincipalKind, string> = {
  aws: "sts:AssumeRole",
  service: "sts:AssumeRole",
  oidc: "sts:AssumeRoleWithWebIdentity",
  saml: "sts:AssumeRoleWithSAML",
};

const isSamlProvider = (value: string) => /^arn:[\w-]+:iam::\d{12}:saml-provider\//.test(value);

function principalKinds(s: Statement): PrincipalKind[] {
  const kinds = new Set<PrincipalKind>();
  if (principalValues(s, "AWS").length > 0) kinds.add("aws");
  if (principalValues(s, "Service").length > 0) kinds.add("service");
  for (const value of principalValues(s, "Federated")) kinds.add(isSamlProvider(value) ? "saml" : "oidc");
  return [...kinds];
}

// What narrows `{"AWS": "*"}` to an organization, account or principal. AWS sets these
// keys from the caller's own identity (the principal's ARN, account and organization), so a
// literal value pins the caller down. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// A wildcard in the value pins down nothing ("arn:*" or "1*" match any account), with one
// refinement each for the two keys whose values are paths: aws:PrincipalArn may have a wildcard
// after a literal partition and 12-digit account (`arn:aws:iam::111111111111:role/ci-*` still
// means one account), and aws:PrincipalOrgPaths after a literal organization id
// (`o-abc123def4/r-ab12/*` still means one organization).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
const RESTRICTING_KEYS: Record<string, (literalPrefix: string, hasWildcard: boolean) => boolean> = {
  "aws:principalorgid": (_, wild) => !wild,
  "aws:principalaccount": (_, wild) => !wild,
  "aws:sourceaccount": (_, wild) => !wild,
  "aws:sourceorgid": (_, wild) => !wild,
  "aws:principalarn": (prefix, wild) => !wild || /^arn:[a-z][a-z-]*:(iam|sts)::\d{12}:/.test(prefix),
  "aws:principalorgpaths": (prefix, wild) => !wild || /^o-[a-z0-9]{10,32}\//.test(prefix),
};

/** Condition keys whose value the caller chooses, so they never restrict who may call, however
 * exact the value: the source identity, session name and ExternalId are request parameters of
 * AssumeRole, session and request tags are set by the caller, principal tags and user names by
 * whoever owns the caller's account (any account can have a user "alice"), and aws:userid ends
 * with the caller-chosen session name.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html */
const CALLER_CONTROLLED_KEYS = ["aws:sourceidentity", "sts:sourceidentity", "sts:rolesessionname", "sts:externalid", "sts:transitivetagkeys", "aws:tagkeys", "aws:userid", "aws:username"];
const CALLER_CONTROLLED_PREFIXES = ["aws:principaltag/", "aws:requesttag/"];
const callerControlled = (key: string) => CALLER_CONTROLLED_KEYS.includes(key) || CALLER_CONTROLLED_PREFIXES.some((p) => key.startsWith(p));

/** A policy variable such as `${aws:PrincipalAccount}` is filled in from the request, so the
 * caller supplies it; `${*}`, `${?}` and `${$}` are the literal characters. */
const hasPolicyVariable = (value: string) => /\$\{(?![*?$]\})/.test(value);

/** Whether a condition entry limits `{"AWS": "*"}` to callers its author named: a key from
 * RESTRICTING_KEYS, an operator that fails when the key is missing, and every value (values are
 * ORed) narrow enough. */
function restrictsCaller(e: Entry): boolean {
  const rule = RESTRICTING_KEYS[e.key];
  if (!rule || !enforcing(e) || (e.operator.family !== "String" && e.operator.family !== "Arn")) return false;
  return (
    e.values.length > 0 &&
    e.values.every((value) => {
      if (hasPolicyVariable(value)) return false;
      const plain = value.replace(/\$\{[*?$]\}/g, "_");
      const first = plain.search(/[*?]/);
      return rule(first === -1 ? plain : plain.slice(0, first), first !== -1);
    })
  );
}

/** ExternalId as STS accepts it: 2–1224 of [\w+=,.@:/-].
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/*?-]{1,1224}$/;

function trustRules(doc: Doc, target: TrustLintTarget, where: string): LintFinding[] {
  const out: LintFinding[] = [];
  const { policy } = doc;
  const statements = policy.Statement;
  const allowIndexes = statements.flatMap((s, i) => (s.Effect === "Allow" ? [i] : []));
  const push = (rule: LintRule, severity: Severity, message: string, fix?: string) => out.push(finding(rule, severity, where, message, fix));

  if (allowIndexes.length === 0) {
    push("trust-no-allow", "error", "The trust policy has no Allow statement, so nobody can assume the role.", "Add an Allow statement naming who may assume the role.");
  }

  let externalIdRequired = false;
  let sourceIdentityRequired = false;
  const mfaAccounts = new Set<string>();
  const denyMfa = policyDeniesWithoutMfa(policy);

  statements.forEach((s, i) => {
    const at = label(doc, i);
    const list = entries(s);
    if (principalValues(s, "CanonicalUser").length > 0) {
      push("trust-principal-unsupported", "error", `${at} names a CanonicalUser principal, which role trust policies do not support.`, "Trust the AWS account or role instead.");
    }
    for (const e of list) {
      if (e.key === "sts:externalid") {
        for (const value of e.values) {
          const valid = isLike(e) ? EXTERNAL_ID_PATTERN.test(value) : EXTERNAL_ID.test(value);
          if (!valid) {
            push("external-id-format", "error", `${at}: ExternalId "${value.slice(0, 64)}" can never be sent: STS accepts 2 to 1224 letters, digits and + = , . @ : / - _ only.`, "Use the ExternalId the third party gave you, or generate one in that alphabet.");
          }
        }
      }
    }
    if (s.Effect !== "Allow") return;
    if (requiresExternalId(s)) externalIdRequired = true;
    if (list.some((e) => e.key === "sts:sourceidentity" && constrains(e))) sourceIdentityRequired = true;

    // The action must match the principal type; Roles Anywhere needs three actions.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
    if (s.NotAction) {
      push("trust-not-action", "warning", `${at} uses NotAction, which allows every STS action not listed, including ways of assuming the role you did not mean to allow.`, "List the actions instead, e.g. sts:AssumeRole.");
    }
    const actions = s.Action ?? [];
    if (actions.some((a) => a === "*" || a.toLowerCase() === "sts:*")) {
      push("trust-action-wildcard", "warning", `${at} allows every STS action (${actions.find((a) => a === "*" || a.toLowerCase() === "sts:*")}), including the federation and tagging ones.`, "List the actions the principals need, e.g. sts:AssumeRole and sts:TagSession.");
    }
    for (const action of actions) {
      if (action === "*" || action.toLowerCase() === "sts:*") continue;
      if (!action.toLowerCase().startsWith("sts:")) {
        push("trust-action-not-sts", "warning", `${at} allows ${action}; a role trust policy only governs STS actions, so it has no effect here.`, "Remove it; put the permission in the role's permission policies.");
      } else if (!hasWildcard(action) && !TRUST_ACTIONS.some((known) => known.toLowerCase() === action.toLowerCase())) {
        const near = nearest(action, TRUST_ACTIONS);
        push("trust-action-unknown", "warning", `${at} allows ${action}, which role trust policies do not govern${near ? `; did you mean ${near}?` : "."}`, `Use one of ${TRUST_ACTIONS.join(", ")}.`);
      }
    }
    const kinds = principalKinds(s);
    if (!s.NotAction) {
      const reported = new Set<string>();
      for (const kind of kinds) {
        const needed = ENTRY_ACTION[kind];
        if (!allows(s, needed) && !reported.has(needed)) {
          reported.add(needed);
          push("trust-action-mismatch", "error", `${at} names ${describeKind(kind)}, which can only assume a role with ${needed}, but the statement allows ${actions.join(", ")}: the role could never be assumed this way.`, `Allow ${needed} for ${describeKind(kind)}.`);
        }
      }
      for (const action of actions) {
        const kind = (Object.keys(ENTRY_ACTION) as PrincipalKind[]).find((k) => ENTRY_ACTION[k].toLowerCase() === action.toLowerCase());
        if (kind && !kinds.some((k) => ENTRY_ACTION[k] === ENTRY_ACTION[kind])) {
          push("trust-action-mismatch", "error", `${at} allows ${action}, but none of its principals is ${describeKind(kind)}; IAM Access Analyzer reports this as a mismatched action for the principal.`, `Remove ${action}, or move it to a statement naming ${describeKind(kind)}.`);
        }
      }
    }
    // "Missing action for roles anywhere trust policy" (Access Analyzer error).
    if (principalValues(s, "Service").some((v) => v.toLowerCase() === "rolesanywhere.amazonaws.com")) {
      const missing = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"].filter((a) => !allows(s, a));
      if (missing.length > 0) {
        push("trust-roles-anywhere-actions", "error", `${at} trusts IAM Roles Anywhere without ${missing.join(" and ")}; Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession.`, `Add ${missing.join(", ")} to the statement.`);
      }
    }

    const externalId = requiresExternalId(s);
    const mfa = requiresMfa(s) || denyMfa;
    const orgPinned = list.some((e) => (e.key === "aws:principalorgid" || e.key === "aws:principalorgpaths") && restrictsCaller(e));
    for (const value of principalValues(s, "AWS")) {
      // A public trust policy. https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html
      if (value === "*") {
        if (!list.some(restrictsCaller)) {
          const written = Object.values(s.Condition ?? {}).flatMap((keys) => Object.keys(keys));
          const chosen = [...new Set(written.filter((k) => callerControlled(k.toLowerCase()) && k.toLowerCase() !== "sts:externalid"))];
          const why = chosen.length ? ` (${chosen.join(", ")} ${chosen.length === 1 ? "is a value" : "are values"} the caller chooses, so ${chosen.length === 1 ? "it does" : "they do"} not limit who calls)` : "";
          push(
            "trust-public",
            "error",
            `${at} trusts {"AWS": "*"} with no condition that pins the caller's organization, account or ARN to exact values: any AWS principal in the world could assume the role${externalId ? " (an ExternalId is not a secret, so it does not stop them)" : ""}${why}.`,
            "Name the trusted accounts or roles, or add an exact aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn (a wildcard in an ARN only after the account id).",
          );
        }
        continue;
      }
      // IAM rewrites the principal of a deleted user or role to its unique ID.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
      if (UNIQUE_ID_PRINCIPAL.test(value)) {
        push("principal-unique-id", "warning", `${at} names ${value}, the unique ID of a deleted ${value.startsWith("AROA") ? "role" : "user"}. It matches nobody, not even a new ${value.startsWith("AROA") ? "role" : "user"} created with the same name.`, "Replace it with the ARN of the principal that should be trusted, or trust the account and add an aws:PrincipalArn condition, which survives re-creation.");
        continue;
      }
      const arn = parseArn(value);
      if (arn && target.partition && arn.partition !== target.partition) {
        push("principal-partition", "error", `${at} names ${value}, in partition ${arn.partition}, but the role is in ${target.partition}; principals cannot cross partitions.`, `Use a principal in the ${target.partition} partition.`);
      }
      const account = accountOf(value);
      if (namesBroker(value, target.broker)) continue;
      // Another account without a condition (KICS: cross-account assume-role policy without
      // ExternalId or MFA). Which advice fits depends on whose account it is. The accounts
      // registered in Switchboard (by hand or imported from AWS Organizations) are taken to be
      // the organization, as the privileged-trust guardrail does: for those an ExternalId adds
      // nothing (it guards against the confused deputy, a third party's problem), so it is
      // information suggesting aws:PrincipalOrgID or MFA. Any other account is a third party,
      // and a warning asking for an ExternalId. A statement that already pins the caller's
      // organization (an exact aws:PrincipalOrgID or aws:PrincipalOrgPaths) is inside by its own
      // terms.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
      if (account && target.accountId && account !== target.accountId && !externalId && !mfa && !orgPinned) {
        const named = accountLabel(account, target.accounts);
        const who = isAccountRoot(value) ? `any principal in ${named} that its administrators allow` : `${value} (${named})`;
        if (target.accounts?.some((a) => a.accountId === account)) {
          push(
            "cross-account-in-organization",
            "info",
            `${at} lets ${who} assume the role. It is registered in Switchboard, so it counts as your organization: no ExternalId is needed (that is for third parties).`,
            "To narrow it, add aws:PrincipalOrgID (the wizard's \"Only principals of my AWS Organization\"), so an account that leaves the organization loses access, or require MFA when people assume the role.",
          );
        } else {
          push(
            "cross-account-no-condition",
            "warning",
            `${at} lets ${who} assume the role with neither an ExternalId nor MFA. The account is not registered in Switchboard, so it is treated as a third party.`,
            "Require an ExternalId agreed with the third party (it stops others from tricking them into using the role), or MFA when people assume it. If the account is your own, register it on the Accounts page.",
          );
        }
      }
      if (mfa && isAccountRoot(value) && account) mfaAccounts.add(account);
    }

    // Web identity and SAML principals.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp.html
    for (const federated of principalValues(s, "Federated")) {
      const arn = parseArn(federated);
      if (arn && target.partition && arn.partition !== target.partition) {
        push("principal-partition", "error", `${at} names the identity provider ${federated}, in partition ${arn.partition}, but the role is in ${target.partition}.`, `Use the provider in the role's account in ${target.partition}.`);
      }
      if (arn && target.accountId && /^\d{12}$/.test(arn.account) && arn.account !== target.accountId) {
        push("federated-provider-account", "warning", `${at} names an identity provider in account ${arn.account}, but the role is in ${target.accountId}; STS looks the provider up in the role's account.`, `Create the provider in account ${target.accountId} and name that one.`);
      }
      if (isSamlProvider(federated)) continue;
      const keys = webIdentityKeys(federated);
      const audience = list.filter((e) => keys.audience.some((k) => isKey(e, k)) && constrains(e) && e.values.some((v) => !matchesAll(v)));
      if (audience.length === 0) {
        push("oidc-aud-missing", "error", `${at} trusts ${keys.prefix} without a condition on ${keys.audience[0]}: tokens issued to any application of that provider could assume the role.`, `Add "StringEquals": {"${keys.audience[0]}": "<your client ID>"}${isGithubPrefix(keys.prefix) ? ' (for GitHub Actions, "sts.amazonaws.com")' : ""}.`);
      }
      for (const e of list) {
        const claim = e.key.startsWith(`${keys.prefix.toLowerCase()}:`) ? e.key.slice(keys.prefix.length + 1) : undefined;
        if (claim && ["aud", "sub", "iss", "app_id", "oaud"].includes(claim) && e.operator.set === "ForAllValues") {
          push("oidc-for-all-values", "warning", `${at} uses ${e.operator.name} on ${e.key}, a single-valued claim; ForAllValues also passes when the claim is missing.`, `Use ${e.operator.name.replace("ForAllValues:", "")} instead.`);
        }
      }
      if (isGithubPrefix(keys.prefix)) out.push(...githubSubjectFindings(at, `${keys.prefix}:sub`, list, where));
    }

    // Service principals.
    for (const service of principalValues(s, "Service")) {
      if (requiresMfa(s) || requiresExternalId(s)) {
        push("service-principal-condition", "warning", `${at} trusts ${service} but requires ${requiresMfa(s) ? "MFA" : "an ExternalId"}; services send neither, so ${service} can never assume the role through this statement.`, `Move ${service} to its own statement without that condition.`);
      }
      const scoped = list.some((e) => ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid"].includes(e.key) && !e.operator.negated);
      if (!scoped) {
        // Suggest only: some services reject these keys ("Unsupported condition key for service
        // principal"). https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
        push("service-source-condition", "info", `${at} lets ${service} assume the role on behalf of any account's resources.`, `If ${service} supports it, add an aws:SourceAccount (or aws:SourceArn) condition so it acts only for your own resources; check the service's documentation first, because some services reject these keys.`);
      }
    }
  });

  if (externalIdRequired) {
    push("external-id-console", "info", "The role requires an ExternalId, so the AWS console's own Switch Role cannot use this role; Switchboard can, and so can the CLI and SDKs.", "Nothing to do unless people must switch to the role from the AWS console.");
  }
  if (sourceIdentityRequired) {
    push("source-identity-console", "info", "The role requires a source identity, so the AWS console's own Switch Role cannot use this role; Switchboard can.", "Nothing to do unless people must switch to the role from the AWS console.");
  }
  for (const account of mfaAccounts) {
    push("mfa-virtual-device", "info", `MFA is required for ${accountLabel(account, target.accounts)}, but anyone there who may create and enable a virtual MFA device can meet the condition.`, "Restrict iam:CreateVirtualMFADevice and iam:EnableMFADevice in that account, or trust specific roles.");
  }

  out.push(...redundantPrincipalFindings(doc, where));
  if (target.roleArn) out.push(...selfAssumeFindings(doc, target.roleArn, where));
  if (target.broker) out.push(...brokerFindings(doc, target.broker, where));
  return out;
}

function describeKind(kind: PrincipalKind): string {
  switch (kind) {
    case "aws":
      return "an AWS principal";
    case "service":
      return "an AWS service";
    case "oidc":
      return "a web identity (OIDC) provider";
    case "saml":
      return "a SAML provider";
  }
}

/** The trust policy read (its findings and the document, when it could be read) and every trust
 * rule's findings, size included; `lintPlan` adds the rules that need the whole plan. */
export function analyzeTrust(document: unknown, target: TrustLintTarget, where: string): ReadOutcome & { rules: LintFinding[] } {
  const read = readDocument(document, "trust", where);
  const text = typeof document === "string" ? document : JSON.stringify(document);
  const size = sizeFinding("trust-size", where, countPolicyCharacters(text), target.trustPolicySize ?? DEFAULT_TRUST_SIZE, "The trust policy is");
  const rules = read.doc ? [...documentRules(read.doc, where), ...trustRules(read.doc, target, where)] : [];
  return { ...read, rules: [...size, ...rules] };
}

/** Lints a role trust policy (JSON text or a parsed document) for the role `target` describes. */
export function lintTrustPolicy(document: unknown, target: TrustLintTarget = {}, where = "trust"): LintFinding[] {
  const result = analyzeTrust(document, target, where);
  return capped(bySeverity([...result.findings, ...result.rules]));
}
