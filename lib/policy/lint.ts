// The role wizard's lint rules: what is wrong with a plan before anything is created, in plain
// words, each finding under a stable rule id. Pure and synchronous (no I/O), so the same rules
// run on the server and in the browser on each keystroke. Action names are checked against
// AWS's published list separately and asynchronously (./actions.ts): that list is 15 MB of data.
//
// The rule set is the reference's §4.5 (shared/reference/role-wizard-and-iam-limits.md), which
// gathers IAM Access Analyzer's checks, parliament's and KICS-style scanners' rules:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
// Limits: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

import type { LintFinding, Plan, PlanContext, ProvisionPartition, Severity } from "../provision/types";
import { countPolicyCharacters } from "./format";
import { childPath, fromJavaScript, JsonNumber, MAX_ISSUES, readJson, type JsonValue } from "./json";
import { actionMatches, parseArn, wildcardMatch } from "./match";
import { parseConditionOperator, type ConditionOperator } from "./operators";
import { parsePolicy } from "./parse";
import { UNIQUE_ID_PRINCIPAL } from "./principal";
import type { Policy, PolicyIssue, Statement } from "./types";

/** Every rule `lintPlan` and `validatePolicyText` can report, with what it is about. */
export const LINT_RULES = {
  // Documents
  "policy-syntax": "The text is not valid JSON, or has duplicate keys or characters IAM rejects.",
  "policy-invalid": "IAM would reject the document (MalformedPolicyDocument).",
  "policy-version": "Version is missing or 2008-10-17, so policy variables are plain text.",
  "condition-wildcard-without-like": "A * or ? in a StringEquals-type condition is matched literally.",
  "mfa-bad-pattern": "A condition that looks like it requires MFA but does not (parliament BAD_PATTERN_FOR_MFA).",
  // Trust policy (§4.5 1–10, 13)
  "trust-size": "The trust policy is over, or near, the account's trust policy size quota.",
  "trust-resource": "Resource or NotResource in a trust policy.",
  "trust-not-principal": "NotPrincipal in a trust policy.",
  "trust-principal-wildcard": '"Principal": "*" in a trust policy.',
  "trust-principal-unsupported": "A principal type a trust policy cannot use (CanonicalUser).",
  "trust-no-allow": "No Allow statement: nobody can assume the role.",
  "trust-action-mismatch": "The action does not match the principal type (Access Analyzer: Mismatched action for principal).",
  "trust-roles-anywhere-actions": "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession.",
  "trust-action-wildcard": "sts:* or * in a trust policy.",
  "trust-not-action": "NotAction in an Allow statement of a trust policy.",
  "trust-action-not-sts": "A non-STS action in a trust policy has no effect.",
  "trust-action-unknown": "An STS action that role trust policies do not govern.",
  "cross-account-no-condition": "Another account is trusted without an ExternalId or MFA condition.",
  "external-id-console": "An ExternalId is required, so the AWS console's Switch Role cannot use the role.",
  "external-id-format": "An ExternalId value STS would never send.",
  "source-identity-console": "A source identity is required, so the AWS console's Switch Role cannot use the role.",
  "trust-public": '{"AWS": "*"} without a condition restricting who.',
  "oidc-aud-missing": "A web identity principal without an audience condition.",
  "oidc-github-sub-missing": "GitHub Actions trusted without a sub condition: any repository could assume the role.",
  "oidc-github-sub-wildcard": "A wildcard in the GitHub sub condition.",
  "oidc-for-all-values": "ForAllValues on a single-valued OIDC claim also passes when the claim is missing.",
  "oidc-provider-missing": "The GitHub OIDC provider neither exists nor is created by the plan.",
  "oidc-provider-client-id": "The audience is not in the OIDC provider's client ID list.",
  "federated-provider-account": "The identity provider is in another account than the role.",
  "service-source-condition": "A service principal without aws:SourceAccount or aws:SourceArn (confused deputy).",
  "service-principal-condition": "An MFA or ExternalId condition a service can never satisfy.",
  "mfa-virtual-device": "An account's MFA condition can be met by anyone there who can create a virtual MFA device.",
  "principal-unique-id": "A unique ID (AIDA…/AROA…) principal: the user or role was deleted.",
  "principal-redundant": "An assumed-role session principal already covered by its role.",
  "principal-partition": "A principal in another AWS partition than the role.",
  "broker-set-source-identity": "Switchboard is trusted without sts:SetSourceIdentity.",
  "broker-mfa": "Switchboard is trusted only with MFA, which it never has.",
  "trust-self-assume": "The role trusts itself.",
  "privileged-external-trust": "Administrator-level permissions on a role trusted from outside the organization.",
  // Role (§3, §4.5 11–12)
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
  "inline-size": "The inline policies together are over, or near, the role policy size quota.",
  "managed-arn": "A managed policy ARN that cannot be attached.",
  "managed-duplicate": "The same managed policy twice.",
  "managed-count": "More managed policies than the account allows per role.",
  "admin-wildcard": 'Allow "Action": "*" on "Resource": "*".',
  "passrole-wildcard": "iam:PassRole on every role.",
  "allow-not-action": "Allow with NotAction grants everything not listed.",
  "allow-not-resource": "Allow with NotResource grants on everything not listed.",
  "policy-deny-only": "A permission policy with no Allow statement grants nothing.",
} as const satisfies Record<string, string>;

export type LintRule = keyof typeof LINT_RULES;

/** A finding about raw text, with where in the text when known. */
export type PolicyTextFinding = LintFinding & {
  /** JSON path into the document as written, e.g. `$.Statement[0].Action`. */
  path?: string;
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
};

export type PolicyTextResult = {
  /** True when the document parsed and no finding is an error. */
  ok: boolean;
  /** The normalised policy whenever the document could be read (also when `ok` is false
   * because of a semantic error such as a wildcard principal). */
  policy?: Policy;
  findings: PolicyTextFinding[];
};

/** What the trust rules know about the role; without `accountId` the cross-account rules are
 * skipped, without `broker` the Switchboard-specific ones. */
export type TrustLintTarget = {
  accountId?: string;
  partition?: ProvisionPartition;
  roleArn?: string;
  broker?: PlanContext["broker"];
  accounts?: PlanContext["accounts"];
  /** Non-whitespace characters; 2048 (the default quota) when unknown. */
  trustPolicySize?: number;
};

export type ValidateTextOptions = {
  /** `where` of the findings; "trust" or "inline" by default. */
  where?: string;
  /** For trust policies: the role the policy is for. */
  target?: TrustLintTarget;
  /** For permission policies: non-whitespace characters; 10240 (the default quota) when unknown. */
  inlinePoliciesSize?: number;
};

const DEFAULT_TRUST_SIZE = 2048;
const DEFAULT_INLINE_SIZE = 10240;
/** Warn when a document uses this share of its quota (the wizard's size meters turn amber there too). */
export const NEAR_QUOTA = 0.8;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function finding(rule: LintRule, severity: Severity, where: string, message: string, fix?: string): LintFinding {
  return fix === undefined ? { rule, severity, where, message } : { rule, severity, where, message, fix };
}

const MORE = /^…and (\d+) more problems like these\.$/;

/** At most MAX_ISSUES findings, most severe first, then one that counts the rest (and what the
 * JSON reader's own "…and N more" stood for): hostile text must not become a megabyte answer. */
function capped<T extends LintFinding>(sorted: T[]): T[] {
  if (sorted.length <= MAX_ISSUES + 1) return sorted;
  const rest = sorted.slice(MAX_ISSUES);
  const count = rest.reduce((n, f) => n + Number(MORE.exec(f.message)?.[1] ?? 1), 0);
  const first = rest[0]!;
  return [...sorted.slice(0, MAX_ISSUES), { ...finding(first.rule as LintRule, first.severity, first.where, `…and ${count} more problems like these.`) } as T];
}

function bySeverity<T extends LintFinding>(findings: T[]): T[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

// ─── Reading documents ─────────────────────────────────────────────────────────────────────

/** A parsed document, with each statement's index in the document as written (statements the
 * lint had to leave out, such as `"Principal": "*"`, shift the rest). */
type Doc = { policy: Policy; index: number[] };

type ReadOutcome = { doc?: Doc; findings: PolicyTextFinding[] };

const SYNTAX_POSITION = /at line (\d+), column (\d+)/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function hasKey(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The reader's values back as plain JavaScript; numbers keep their written text, which is how
 * the parser compares condition values anyway. */
function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.raw;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item);
    return out;
  }
  return value;
}

function issueFinding(issue: PolicyIssue, rule: LintRule, where: string): PolicyTextFinding {
  const at = issue.path === "$" ? "" : `At ${issue.path.replace(/^\$\./, "")}: `;
  const position = SYNTAX_POSITION.exec(issue.message);
  return {
    ...finding(rule, "error", where, `${at}${issue.message}`, "Correct the document; IAM refuses it as it is (MalformedPolicyDocument)."),
    path: issue.path,
    ...(position && { line: Number(position[1]), column: Number(position[2]) }),
  };
}

/** The flagged field an issue's path lies in (`$.Statement[2].Resource` for
 * `$.Statement[2].Resource[0]`): the only kind of path `readDocument` flags. One lookup per
 * issue, so thousands of statements do not cost thousands × thousands comparisons. */
const FLAGGED_FIELD = /^\$\.Statement(?:\[\d+\])?\.(?:Resource|NotResource|NotPrincipal|Principal)(?=$|[.[])/;
const flaggedField = (path: string) => FLAGGED_FIELD.exec(path)?.[0];

/**
 * Parses a document (JSON text or an already-parsed value) for `kind`, reporting IAM's grammar
 * errors. For trust policies the §4.5 rule 2 problems get their own rule ids, and the rest of the
 * document is still returned so the other rules can run.
 */
function readDocument(input: unknown, kind: "identity" | "trust", where: string): ReadOutcome {
  const read = typeof input === "string" ? readJson(input) : fromJavaScript(input);
  const syntaxKeys = new Set(read.issues.map((i) => `${i.path}\u0000${i.message}`));
  const findings: PolicyTextFinding[] = read.issues.map((issue) => issueFinding(issue, "policy-syntax", where));
  if (read.value === undefined) {
    if (findings.length === 0) findings.push(issueFinding({ path: "$", message: "Syntax errors in policy." }, "policy-syntax", where));
    return { findings };
  }

  const flagged = new Set<string>();
  const dropped = new Set<number>();
  const raw = read.value;
  const rawStatements = isPlainObject(raw) ? raw.Statement : undefined;
  const list: Array<{ value: unknown; path: string }> = Array.isArray(rawStatements)
    ? rawStatements.map((value, i) => ({ value, path: childPath("$.Statement", i) }))
    : rawStatements !== undefined
      ? [{ value: rawStatements, path: "$.Statement" }]
      : [];
  if (kind === "trust") {
    list.forEach(({ value, path }, i) => {
      if (!isPlainObject(value)) return;
      const label = `Statement ${i + 1}`;
      // A trust policy's resource is its role: IAM rejects Resource and NotResource.
      for (const field of ["Resource", "NotResource"]) {
        if (!hasKey(value, field)) continue;
        flagged.add(childPath(path, field));
        findings.push({
          ...finding("trust-resource", "error", where, `${label} has ${field}, which a role trust policy cannot have; IAM refuses the policy.`, `Remove ${field}: the role itself is the resource of its trust policy.`),
          path: childPath(path, field),
        });
      }
      if (hasKey(value, "NotPrincipal")) {
        flagged.add(childPath(path, "NotPrincipal"));
        findings.push({
          ...finding("trust-not-principal", "error", where, `${label} uses NotPrincipal, which a role trust policy cannot use; IAM refuses the policy.`, "Name the principals that may assume the role in Principal instead."),
          path: childPath(path, "NotPrincipal"),
        });
      }
      if (value.Principal === "*") {
        flagged.add(childPath(path, "Principal"));
        dropped.add(i);
        findings.push({
          ...finding("trust-principal-wildcard", "error", where, `${label} has "Principal": "*"; IAM refuses a bare wildcard principal in a trust policy.`, "Name the trusted accounts, roles, services or identity providers."),
          path: childPath(path, "Principal"),
        });
      }
    });
  }

  const parsed = parsePolicy(input, kind);
  if (parsed.ok) return { doc: { policy: parsed.policy, index: parsed.policy.Statement.map((_, i) => i) }, findings };
  const remaining = parsed.errors.filter(
    (issue) => !syntaxKeys.has(`${issue.path}\u0000${issue.message}`) && !flagged.has(flaggedField(issue.path) ?? ""),
  );
  findings.push(...remaining.map((issue) => issueFinding(issue, "policy-invalid", where)));
  if (remaining.length > 0 || read.issues.length > 0 || !isPlainObject(raw)) return { findings };

  // Only rule 2 problems: lint the document without them, so every other problem shows too.
  const plain = toPlain(raw) as Record<string, unknown>;
  const kept: number[] = [];
  const statements = list.flatMap(({ value }, i) => {
    if (dropped.has(i) || !isPlainObject(value)) return [];
    kept.push(i);
    const copy = { ...(toPlain(value as JsonValue) as Record<string, unknown>) };
    delete copy.Resource;
    delete copy.NotResource;
    delete copy.NotPrincipal;
    return [copy];
  });
  if (statements.length === 0) return { findings };
  const again = parsePolicy({ ...plain, Statement: statements }, kind);
  return again.ok ? { doc: { policy: again.policy, index: kept }, findings } : { findings };
}

// ─── Helpers over parsed statements ────────────────────────────────────────────────────────

function label(doc: Doc, i: number): string {
  const sid = doc.policy.Statement[i]?.Sid;
  return `Statement ${(doc.index[i] ?? i) + 1}${sid ? ` ("${sid}")` : ""}`;
}

type Entry = { operator: ConditionOperator; key: string; values: string[] };

/** Condition entries with lower-cased keys (condition keys are case-insensitive). */
function entries(s: Statement): Entry[] {
  const out: Entry[] = [];
  for (const [name, keys] of Object.entries(s.Condition ?? {})) {
    const lookup = parseConditionOperator(name);
    if (!lookup.ok) continue;
    for (const [key, values] of Object.entries(keys)) out.push({ operator: lookup.operator, key: key.toLowerCase(), values });
  }
  return out;
}

/** An entry that can only pass when the key is present with a matching value. IfExists and
 * ForAllValues also pass when the key is missing; negated operators pass for any other value.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html */
function enforcing(e: Entry): boolean {
  return !e.operator.negated && !e.operator.ifExists && e.operator.set !== "ForAllValues" && e.operator.family !== "Null";
}

/** Like `enforcing`, but also ForAllValues, which `oidc-for-all-values` reports on its own. */
function constrains(e: Entry): boolean {
  return !e.operator.negated && !e.operator.ifExists && e.operator.family !== "Null";
}

const isLike = (e: Entry) => e.operator.comparison === "like";
/** `${*}`, `${?}` and `${$}` are policy variables for the literal characters, not wildcards. */
const hasWildcard = (value: string) => /[*?]/.test(value.replace(/\$\{[*?$]\}/g, ""));
/** Matches anything at all: only wildcards. */
const matchesAll = (value: string) => /^[*?]+$/.test(value);

function allows(s: Statement, action: string): boolean {
  if (s.Action) return s.Action.some((pattern) => actionMatches(pattern, action));
  return !!s.NotAction && !s.NotAction.some((pattern) => actionMatches(pattern, action));
}

function principalValues(s: Statement, type: "AWS" | "Service" | "Federated" | "CanonicalUser"): string[] {
  return s.Principal && s.Principal !== "*" ? (s.Principal[type] ?? []) : [];
}

const requiresExternalId = (s: Statement) =>
  entries(s).some((e) => e.key === "sts:externalid" && e.operator.family === "String" && enforcing(e));

/** MFA enforced by the statement itself: Bool aws:MultiFactorAuthPresent "true", or a
 * NumericLessThan on aws:MultiFactorAuthAge (absent without MFA, so the test fails).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html */
function requiresMfa(s: Statement): boolean {
  return entries(s).some(
    (e) =>
      enforcing(e) &&
      ((e.key === "aws:multifactorauthpresent" && e.operator.family === "Bool" && e.values.every((v) => v.toLowerCase() === "true")) ||
        (e.key === "aws:multifactorauthage" &&
          e.operator.family === "Numeric" &&
          (e.operator.comparison === "lessThan" || e.operator.comparison === "lessThanEquals"))),
  );
}

/** A Deny of sts:AssumeRole for everyone whose only condition is BoolIfExists
 * aws:MultiFactorAuthPresent "false": MFA enforced for the whole policy (parliament's good pattern). */
function policyDeniesWithoutMfa(policy: Policy): boolean {
  return policy.Statement.some((s) => {
    if (s.Effect !== "Deny" || !allows(s, "sts:AssumeRole") || !principalValues(s, "AWS").includes("*")) return false;
    const list = entries(s);
    return (
      list.length === 1 &&
      list.every(
        (e) =>
          e.key === "aws:multifactorauthpresent" && e.operator.family === "Bool" && e.operator.ifExists && !e.operator.negated && e.values.every((v) => v.toLowerCase() === "false"),
      )
    );
  });
}

/** The account an AWS principal value belongs to (`123456789012` or an IAM/STS ARN). */
function accountOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const arn = parseArn(value);
  return arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

const isAccountRoot = (value: string) => /^\d{12}$/.test(value) || /^arn:[\w-]+:iam::\d{12}:root$/.test(value);
const ROLE_ARN = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION_ARN = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

function accountLabel(accountId: string, accounts: PlanContext["accounts"] | undefined): string {
  const name = accounts?.find((a) => a.accountId === accountId)?.name;
  return name ? `account ${accountId} (${name})` : `account ${accountId}`;
}

/** Whether an AWS principal value names the broker: its own ARN, or for a role session the
 * session's role (with any path; a session ARN does not show the path). */
function namesBroker(value: string, broker: PlanContext["broker"] | undefined): boolean {
  if (!broker?.arn) return false;
  if (value === broker.arn) return true;
  const session = SESSION_ARN.exec(broker.arn);
  const role = ROLE_ARN.exec(value);
  return !!session && !!role && role[1] === session[1] && role[2] === session[2];
}

// ─── Rules for any policy ──────────────────────────────────────────────────────────────────

function documentRules(doc: Doc, where: string): LintFinding[] {
  const out: LintFinding[] = [];
  const { policy } = doc;
  if (policy.Version !== "2012-10-17") {
    out.push(
      finding(
        "policy-version",
        "warning",
        where,
        policy.Version === undefined
          ? 'The policy has no Version, so IAM reads it as version 2008-10-17, where policy variables such as ${aws:username} are plain text.'
          : 'The policy uses Version "2008-10-17", where policy variables such as ${aws:username} are plain text.',
        'Add "Version": "2012-10-17".',
      ),
    );
  }
  policy.Statement.forEach((s, i) => {
    for (const e of entries(s)) {
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
      if (e.operator.family === "String" && !isLike(e) && e.values.some(hasWildcard)) {
        const value = e.values.find(hasWildcard) ?? "";
        out.push(
          finding(
            "condition-wildcard-without-like",
            "warning",
            where,
            `${label(doc, i)}: ${e.operator.name} compares ${e.key} with "${value}" literally, so * and ? are not wildcards and the condition almost never matches.`,
            `Use ${e.operator.name.replace(/Equals(IgnoreCase)?/, "Like")} if you meant a wildcard, or write the exact value.`,
          ),
        );
      }
      out.push(...mfaPatternFindings(doc, i, s, e, where));
    }
  });
  return out;
}

/** parliament's BAD_PATTERN_FOR_MFA: conditions that read like "MFA required" but are not.
 * Long-term access keys carry no aws:MultiFactorAuthPresent at all; temporary credentials
 * obtained without MFA carry it as "false".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent */
function mfaPatternFindings(doc: Doc, i: number, s: Statement, e: Entry, where: string): LintFinding[] {
  if (e.key !== "aws:multifactorauthpresent") return [];
  const values = e.values.map((v) => v.toLowerCase());
  const at = label(doc, i);
  const fixAllow = 'In an Allow statement use "Bool": {"aws:MultiFactorAuthPresent": "true"}.';
  let message: string | undefined;
  let fix = fixAllow;
  if (s.Effect === "Allow" && e.operator.family === "Bool" && !e.operator.ifExists && values.includes("false")) {
    message = `${at} allows only requests made without MFA (aws:MultiFactorAuthPresent is "false"), the opposite of requiring MFA.`;
  } else if (s.Effect === "Allow" && e.operator.family === "Bool" && e.operator.ifExists && values.includes("true")) {
    message = `${at} uses BoolIfExists on aws:MultiFactorAuthPresent, which passes when the key is missing, as it is for long-term access keys: MFA is not required.`;
  } else if (s.Effect === "Allow" && e.operator.family === "Null" && values.includes("false")) {
    message = `${at} only checks that aws:MultiFactorAuthPresent exists; temporary credentials obtained without MFA have it too (as "false"), so MFA is not required.`;
  } else if (s.Effect === "Deny" && e.operator.family === "Bool" && !e.operator.ifExists && values.includes("false")) {
    message = `${at} denies when aws:MultiFactorAuthPresent is "false" but not when the key is missing, so long-term access keys without MFA are not denied.`;
    fix = 'Use "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"} in the Deny statement.';
  }
  return message ? [finding("mfa-bad-pattern", "warning", where, message, fix)] : [];
}

// ─── Trust policy rules ────────────────────────────────────────────────────────────────────

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

/** Web identity providers: the condition-key prefix and the audience claim's key.
 * IAM OIDC providers use `<issuer host/path>:aud`; the built-in ones are listed in
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif */
function webIdentityKeys(federated: string): { prefix: string; audience: string[] } {
  const oidc = /^arn:[\w-]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(federated);
  const prefix = oidc ? oidc[1]! : federated;
  const host = prefix.toLowerCase();
  if (host === "graph.facebook.com" || host === "www.amazon.com") return { prefix, audience: [`${prefix}:app_id`] };
  if (host === "accounts.google.com") return { prefix, audience: [`${prefix}:aud`, `${prefix}:oaud`] };
  return { prefix, audience: [`${prefix}:aud`] };
}

/** Whether a condition entry (lower-cased key) is about `key` (as written). */
const isKey = (e: Entry, key: string) => e.key === key.toLowerCase();

const GITHUB_ISSUER = "token.actions.githubusercontent.com";
const isGithubPrefix = (prefix: string) => prefix.toLowerCase() === GITHUB_ISSUER || prefix.toLowerCase().startsWith(`${GITHUB_ISSUER}/`);

// §4.5 5: what narrows `{"AWS": "*"}` to an organization, account or principal. AWS sets these
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

    // §4.5 3: the action must match the principal type; Roles Anywhere needs three actions.
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
    for (const value of principalValues(s, "AWS")) {
      // §4.5 5: a public trust policy. https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html
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
      // §4.5 9: IAM rewrites the principal of a deleted user or role to its unique ID.
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
      // §4.5 4 (KICS: cross-account assume-role policy without ExternalId or MFA).
      if (account && target.accountId && account !== target.accountId && !externalId && !mfa) {
        const who = isAccountRoot(value) ? `any principal in ${accountLabel(account, target.accounts)} that its administrators allow` : `${value} (${accountLabel(account, target.accounts)})`;
        push("cross-account-no-condition", "warning", `${at} lets ${who} assume the role with neither an ExternalId nor MFA.`, "Require an ExternalId when a third party assumes the role, or MFA when people do.");
      }
      if (mfa && isAccountRoot(value) && account) mfaAccounts.add(account);
    }

    // §4.5 6: web identity and SAML principals.
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

    // §4.5 7: service principals.
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

/** GitHub's subject claim names the repository and the ref, environment or pull request.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 * Access Analyzer: "Missing github repo condition key" (security warning), "Specific github repo
 * and branch recommended" (general warning). */
function githubSubjectFindings(at: string, subKey: string, list: Entry[], where: string): LintFinding[] {
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
function redundantPrincipalFindings(doc: Doc, where: string): LintFinding[] {
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

/** §4.5 13: a role trusting itself, by ARN or the terraform `allow_self_assume_role` pattern
 * (`"AWS": "*"` or the account, with aws:PrincipalArn). Since 2022 a role assuming itself must
 * be trusted explicitly, and terraform-aws-iam v6 removed the option: a role should not assume
 * itself. https://aws.amazon.com/blogs/security/announcing-an-update-to-iam-role-trust-policy-behavior/ */
function selfAssumeFindings(doc: Doc, roleArn: string, where: string): LintFinding[] {
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
function brokerFindings(doc: Doc, broker: PlanContext["broker"], where: string): LintFinding[] {
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

// ─── Permission policy rules ───────────────────────────────────────────────────────────────

function permissionRules(doc: Doc, where: string): LintFinding[] {
  const out: LintFinding[] = [];
  const statements = doc.policy.Statement;
  if (!statements.some((s) => s.Effect === "Allow")) {
    out.push(finding("policy-deny-only", "info", where, "The policy has no Allow statement, so it grants nothing; its Deny statements only limit what other policies grant.", "That is fine for a guard-rail policy; otherwise add the Allow statements."));
  }
  statements.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const at = label(doc, i);
    const actions = s.Action ?? [];
    const everyResource = (s.Resource ?? []).includes("*");
    if (actions.some((a) => a === "*" || a === "*:*") && everyResource) {
      out.push(finding("admin-wildcard", "warning", where, `${at} allows every action on every resource: full administrator access${s.Condition ? ", limited only by its conditions" : ""}.`, "Attach the AWS managed policy AdministratorAccess instead if administrator access is intended (it is clearer in reviews), or list the actions and resources the role needs."));
    }
    // iam:PassRole on every role lets the role hand any role, including administrator roles,
    // to a service. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    const passes = actions.some((a) => a !== "*" && a !== "*:*" && actionMatches(a, "iam:PassRole"));
    const anyRole = (s.Resource ?? []).some((r) => r === "*" || /:role\/\*$/.test(r));
    if (passes && anyRole) {
      out.push(finding("passrole-wildcard", "warning", where, `${at} allows iam:PassRole on every role, so the role can give any role, including more powerful ones, to an AWS service and act through it.`, 'Limit Resource to the roles it must pass, and add an iam:PassedToService condition (e.g. "ec2.amazonaws.com").'));
    }
    if (s.NotAction) {
      out.push(finding("allow-not-action", "warning", where, `${at} allows every action except ${s.NotAction.join(", ")}, including actions AWS adds later.`, "List the allowed actions instead."));
    }
    if (s.NotResource) {
      out.push(finding("allow-not-resource", "warning", where, `${at} allows its actions on every resource except ${s.NotResource.join(", ")}, including resources created later.`, "List the allowed resources instead."));
    }
  });
  return out;
}

function sizeFinding(rule: "trust-size" | "inline-size", where: string, count: number, quota: number, what: string): LintFinding[] {
  if (count > quota) {
    return [finding(rule, "error", where, `${what} ${count} characters (not counting whitespace); the account allows ${quota}, so IAM would refuse ${rule === "trust-size" ? "it" : "them"} (LimitExceeded).`, rule === "trust-size" ? "Merge statements that share conditions, trust fewer principals, or ask AWS for a higher quota (Service Quotas: Role trust policy length)." : "Move permissions into customer managed policies (6,144 characters each), or shorten the inline policies.")];
  }
  if (count >= quota * NEAR_QUOTA) {
    return [finding(rule, "warning", where, `${what} ${count} of the ${quota} characters the account allows (${Math.round((count / quota) * 100)}%).`, rule === "trust-size" ? "Leave room for later changes, or ask AWS for a higher quota." : "Leave room for later changes, or move permissions into managed policies.")];
  }
  return [];
}

// ─── Role rules ────────────────────────────────────────────────────────────────────────────

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
  const push = (rule: LintRule, severity: Severity, message: string, fix?: string) => out.push(finding(rule, severity, "role", message, fix));
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

// ─── Public API ────────────────────────────────────────────────────────────────────────────

/** Lints a permission (identity) policy: grammar, then the permission rules. */
export function lintPermissionPolicy(document: unknown, where: string): LintFinding[] {
  const read = readDocument(document, "identity", where);
  if (!read.doc) return read.findings;
  return [...read.findings, ...documentRules(read.doc, where), ...permissionRules(read.doc, where)];
}

function analyzeTrust(document: unknown, target: TrustLintTarget, where: string): ReadOutcome & { rules: LintFinding[] } {
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

/**
 * Every finding about a plan, errors first. Synchronous: action names are checked against AWS's
 * list by `lintPolicyActions` in ./actions, which is asynchronous.
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

  // §4.5 11: "If you assume a role using role chaining and provide a DurationSeconds parameter
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

// ─── Privileged roles trusted from outside the organization ──────────────────────────────────

/** What a role may do, for the privileged-trust guardrail: managed policy ARNs and inline
 * documents (JSON text or parsed). */
export type RolePermissions = {
  managedPolicyArns: readonly string[];
  inlinePolicies: ReadonlyArray<{ name: string; document: unknown }>;
};

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

function privilegedTrustFindings(doc: Doc, permissions: RolePermissions, target: TrustLintTarget, allow: boolean): LintFinding[] {
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

/**
 * Validates policy JSON as a person types it: syntax errors with line and column, IAM's grammar,
 * then the lint rules for the kind of policy (trust rules need `options.target` to know the
 * role). Synchronous and browser-safe.
 */
export function validatePolicyText(text: string, kind: "identity" | "trust", options: ValidateTextOptions = {}): PolicyTextResult {
  const where = options.where ?? (kind === "trust" ? "trust" : "inline");
  let read: ReadOutcome;
  let rules: LintFinding[];
  if (kind === "trust") {
    const result = analyzeTrust(text, options.target ?? {}, where);
    read = result;
    rules = result.rules;
  } else {
    read = readDocument(text, "identity", where);
    const size = sizeFinding("inline-size", where, countPolicyCharacters(text), options.inlinePoliciesSize ?? DEFAULT_INLINE_SIZE, "The policy is");
    rules = read.doc ? [...size, ...documentRules(read.doc, where), ...permissionRules(read.doc, where)] : size;
  }
  const findings = bySeverity<PolicyTextFinding>([...read.findings, ...rules]);
  return {
    ok: !!read.doc && !findings.some((f) => f.severity === "error"),
    ...(read.doc && { policy: read.doc.policy }),
    findings: capped(findings),
  };
}

// ─── Nearest names ─────────────────────────────────────────────────────────────────────────

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[s.length]![t.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a typo (a third of the length,
 * at least one edit); ties go to the first candidate. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
