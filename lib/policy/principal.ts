// The Principal element: which values are valid, and how a statement's principal matches the
// caller of a request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

import { parseArn } from "./match";
import type { PrincipalBlock, PrincipalMatchKind, RequestPrincipal } from "./types";

export const PRINCIPAL_TYPES = ["AWS", "Service", "Federated", "CanonicalUser"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

const PARTITION = "aws(?:-[a-z]+)*";
const ACCOUNT_ID = /^\d{12}$/;
// Names and paths as IAM allows them (`[\w+=,.@-]`, paths of printable ASCII between slashes);
// wildcards are excluded because IAM rejects them inside a principal ARN.
const NAME = "[\\w+=,.@-]+";
// Each path segment starts with its own slash and excludes "/", so the regex cannot backtrack
// exponentially.
const PATH = "(?:/[\\x21-\\x29\\x2b-\\x2e\\x30-\\x3e\\x40-\\x7e]+)*/";
const AWS_PRINCIPAL_ARN = new RegExp(
  `^arn:${PARTITION}:(?:` +
    `iam::\\d{12}:(?:root|user${PATH}${NAME}|role${PATH}${NAME}|federated-user/${NAME})` +
    `|sts::\\d{12}:(?:assumed-role/${NAME}/${NAME}|federated-user/${NAME})` +
    `)$`,
);
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.(?:amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$/;
const FEDERATED_PROVIDER_ARN = new RegExp(
  `^arn:${PARTITION}:iam::\\d{12}:(?:saml-provider/[\\w.-]+|oidc-provider/[A-Za-z0-9.-]+(?::\\d+)?(?:/[\\x21-\\x7e]*)?)$`,
);
// The identity providers IAM knows by domain name (web identity federation without an IAM
// OIDC provider): Amazon Cognito, Login with Amazon, Facebook and Google.
const FEDERATED_DOMAINS = new Set(["cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com"]);
const CANONICAL_USER = /^[0-9a-f]{64}$/;
// When a trusted user or role is deleted, IAM rewrites the principal to its unique id
// (AIDA…/AROA…); such a statement matches nobody, not even a re-created principal of the same
// name. Stored policies must still parse.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
export const UNIQUE_ID_PRINCIPAL = /^A(?:IDA|ROA)[A-Z0-9]{16,28}$/;

/** Whether a value is valid for a principal type. */
export function isValidPrincipalValue(type: PrincipalType, value: string): boolean {
  switch (type) {
    case "AWS":
      return value === "*" || ACCOUNT_ID.test(value) || AWS_PRINCIPAL_ARN.test(value) || UNIQUE_ID_PRINCIPAL.test(value);
    case "Service":
      return SERVICE_PRINCIPAL.test(value);
    case "Federated":
      return FEDERATED_DOMAINS.has(value) || FEDERATED_PROVIDER_ARN.test(value);
    case "CanonicalUser":
      return CANONICAL_USER.test(value);
  }
}

/** IAM's error text for an invalid principal, e.g. `Invalid principal in policy: "AWS":"123"`. */
export function invalidPrincipalMessage(type: PrincipalType, value: string): string {
  const label = type === "AWS" ? "AWS" : type.toUpperCase();
  return `Invalid principal in policy: "${label}":"${value}"`;
}

/** When several values of one Principal element match, the one that grants the most is
 * reported, because the values are ORed: a grant that decides on its own within an account
 * (the caller's own ARN, "*", a service or a provider) before a role ARN, which the role's
 * permissions boundary still limits, before an account, which only delegates to identity
 * policies. So `["<role ARN>", "*"]` grants what "*" alone grants.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html */
const PREFERENCE: readonly PrincipalMatchKind[] = ["exact", "wildcard", "service", "federated", "role", "account"];

/** How `block` matches the caller, or undefined when it does not. */
export function matchPrincipal(block: PrincipalBlock, caller: RequestPrincipal): PrincipalMatchKind | undefined {
  if (block === "*") return "wildcard";
  const kinds = new Set<PrincipalMatchKind>();
  for (const value of block.AWS ?? []) {
    const kind = matchAwsPrincipal(value, caller);
    if (kind) kinds.add(kind);
  }
  if (caller.type === "service" && block.Service?.some((s) => s.toLowerCase() === caller.service.toLowerCase())) {
    kinds.add("service");
  }
  if (caller.type === "federated" && block.Federated?.some((f) => sameFederatedProvider(f, caller.provider))) {
    kinds.add("federated");
  }
  // CanonicalUser never matches: RequestPrincipal carries no canonical user ID.
  return PREFERENCE.find((kind) => kinds.has(kind));
}

function callerPartition(caller: { arn: string }): string | undefined {
  return parseArn(caller.arn)?.partition;
}

function matchAwsPrincipal(value: string, caller: RequestPrincipal): PrincipalMatchKind | undefined {
  // {"AWS": "*"} means every AWS principal (any account's root, users and role sessions) and,
  // like "*", anonymous callers: "For anonymous users, the following elements are equivalent:
  // "Principal": "*" and "Principal" : { "AWS" : "*" }". It does not name AWS services.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
  if (value === "*" && caller.type === "anonymous") return "wildcard";
  if (caller.type !== "root" && caller.type !== "user" && caller.type !== "assumed-role") return undefined;
  if (value === "*") return "wildcard";
  if (ACCOUNT_ID.test(value)) return value === caller.accountId ? "account" : undefined;
  const arn = parseArn(value);
  if (!arn || arn.partition !== callerPartition(caller)) return undefined;
  if (arn.service === "iam" && arn.resource === "root") return arn.account === caller.accountId ? "account" : undefined;
  if (value === caller.arn && (caller.type === "user" || caller.type === "assumed-role")) return "exact";
  if (caller.type === "assumed-role" && value === caller.roleArn) return "role";
  return undefined;
}

/** Whether a NotPrincipal element exempts the caller. An account (its ID or root ARN) exempts
 * only the account root user: "When you use NotPrincipal with Deny, you must also specify the
 * account ARN of the not-denied principal" — the account ARN is listed beside the user's or
 * role's ARN, it does not stand for every principal in the account. A user is exempt when its
 * ARN is listed; a role session when its session ARN or its role's ARN is.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html */
export function notPrincipalExempts(block: PrincipalBlock, caller: RequestPrincipal): boolean {
  const kind = matchPrincipal(block, caller);
  if (kind === undefined) return false;
  return kind !== "account" || caller.type === "root";
}

/** Provider ARNs compare exactly; domain names (`accounts.google.com`) case-insensitively. */
function sameFederatedProvider(policyValue: string, provider: string): boolean {
  if (policyValue.startsWith("arn:")) return policyValue === provider;
  return policyValue.toLowerCase() === provider.toLowerCase();
}
