// Helpers over parsed statements that several rule families share: condition entries, which
// principals and actions a statement names, and the ARN shapes the rules look for.

import { parseConditionOperator, type ConditionOperator } from "../operators";
import { actionMatches, parseArn } from "../match";
import type { Policy, Statement } from "../types";
import type { Doc } from "./read";
import type { BrokerIdentity, KnownAccount } from "./types";

export function label(doc: Doc, i: number): string {
  const sid = doc.policy.Statement[i]?.Sid;
  return `Statement ${(doc.index[i] ?? i) + 1}${sid ? ` ("${sid}")` : ""}`;
}

export type Entry = { operator: ConditionOperator; key: string; values: string[] };

/** Condition entries with lower-cased keys (condition keys are case-insensitive). */
export function entries(s: Statement): Entry[] {
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
export function enforcing(e: Entry): boolean {
  return !e.operator.negated && !e.operator.ifExists && e.operator.set !== "ForAllValues" && e.operator.family !== "Null";
}

/** Like `enforcing`, but also ForAllValues, which `oidc-for-all-values` reports on its own. */
export function constrains(e: Entry): boolean {
  return !e.operator.negated && !e.operator.ifExists && e.operator.family !== "Null";
}

export const isLike = (e: Entry) => e.operator.comparison === "like";
/** `${*}`, `${?}` and `${$}` are policy variables for the literal characters, not wildcards. */
export const hasWildcard = (value: string) => /[*?]/.test(value.replace(/\$\{[*?$]\}/g, ""));
/** Matches anything at all: only wildcards. */
export const matchesAll = (value: string) => /^[*?]+$/.test(value);

export function allows(s: Statement, action: string): boolean {
  if (s.Action) return s.Action.some((pattern) => actionMatches(pattern, action));
  return !!s.NotAction && !s.NotAction.some((pattern) => actionMatches(pattern, action));
}

export function principalValues(s: Statement, type: "AWS" | "Service" | "Federated" | "CanonicalUser"): string[] {
  return s.Principal && s.Principal !== "*" ? (s.Principal[type] ?? []) : [];
}

export const requiresExternalId = (s: Statement) =>
  entries(s).some((e) => e.key === "sts:externalid" && e.operator.family === "String" && enforcing(e));

/** MFA enforced by the statement itself: Bool aws:MultiFactorAuthPresent "true", or a
 * NumericLessThan on aws:MultiFactorAuthAge (absent without MFA, so the test fails).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html */
export function requiresMfa(s: Statement): boolean {
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
export function policyDeniesWithoutMfa(policy: Policy): boolean {
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
export function accountOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const arn = parseArn(value);
  return arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

export const isAccountRoot = (value: string) => /^\d{12}$/.test(value) || /^arn:[\w-]+:iam::\d{12}:root$/.test(value);
export const ROLE_ARN = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
export const SESSION_ARN = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

export function accountLabel(accountId: string, accounts: readonly KnownAccount[] | undefined): string {
  const name = accounts?.find((a) => a.accountId === accountId)?.name;
  return name ? `account ${accountId} (${name})` : `account ${accountId}`;
}

/** Whether an AWS principal value names the broker: its own ARN, or for a role session the
 * session's role (with any path; a session ARN does not show the path). */
export function namesBroker(value: string, broker: BrokerIdentity | undefined): boolean {
  if (!broker?.arn) return false;
  if (value === broker.arn) return true;
  const session = SESSION_ARN.exec(broker.arn);
  const role = ROLE_ARN.exec(value);
  return !!session && !!role && role[1] === session[1] && role[2] === session[2];
}

/** Web identity providers: the condition-key prefix and the audience claim's key.
 * IAM OIDC providers use `<issuer host/path>:aud`; the built-in ones are listed in
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif */
export function webIdentityKeys(federated: string): { prefix: string; audience: string[] } {
  const oidc = /^arn:[\w-]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(federated);
  const prefix = oidc ? oidc[1]! : federated;
  const host = prefix.toLowerCase();
  if (host === "graph.facebook.com" || host === "www.amazon.com") return { prefix, audience: [`${prefix}:app_id`] };
  if (host === "accounts.google.com") return { prefix, audience: [`${prefix}:aud`, `${prefix}:oaud`] };
  return { prefix, audience: [`${prefix}:aud`] };
}

/** Whether a condition entry (lower-cased key) is about `key` (as written). */
export const isKey = (e: Entry, key: string) => e.key === key.toLowerCase();

export const GITHUB_ISSUER = "token.actions.githubusercontent.com";
export const isGithubPrefix = (prefix: string) => prefix.toLowerCase() === GITHUB_ISSUER || prefix.toLowerCase().startsWith(`${GITHUB_ISSUER}/`);
