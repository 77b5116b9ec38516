// Role trust policies: the grammar, the AssumeRolePolicySizeQuota, and IAM's rule that the
// principals a trust policy names must exist. IAM resolves a user or role ARN to the
// principal's unique id when the policy is saved, so a principal that does not exist is
// refused, and a principal deleted later shows up as its id (AIDA…/AROA…) from then on.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
import { malformedPolicy } from "../../core/errors";
import { PARTITION, type World } from "../../core/world";
import { policySize, requireValidDocument } from "./documents";
import { findUser } from "./lookup";
import { quota, quotaExceeded } from "./quotas";
import { getOwn } from "./records";

const ENTITY_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):(user|role)(/.*)$`);
const OIDC_PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):oidc-provider/.+$`);

/** Whether an AWS principal can be resolved. Only users and roles of accounts this sandbox
 * holds are checked: real AWS has accounts the sandbox cannot see. */
function awsPrincipalExists(world: World, value: string): boolean {
  const m = ENTITY_ARN.exec(value);
  if (!m) return true;
  const account = world.account(m[1]!);
  if (!account) return true;
  if (m[2] === "role") return world.roleByArn(value) !== undefined;
  const name = m[3]!.slice(m[3]!.lastIndexOf("/") + 1);
  return findUser(account, name)?.arn === value;
}

function federatedPrincipalExists(world: World, value: string): boolean {
  const m = OIDC_PROVIDER_ARN.exec(value);
  if (!m) return true;
  const account = world.account(m[1]!);
  return !account || getOwn(account.oidcProviders, value) !== undefined;
}

/** CreateRole/UpdateAssumeRolePolicy: throws MalformedPolicyDocument or LimitExceeded as IAM does. */
export function validateTrustPolicy(world: World, document: string): void {
  const policy = requireValidDocument(document, "trust");
  if (policySize(document) > quota("ACLSizePerRole")) throw quotaExceeded("ACLSizePerRole");
  for (const statement of policy.Statement) {
    const principal = statement.Principal;
    if (principal === undefined || principal === "*") continue;
    for (const value of principal.AWS ?? []) {
      if (!awsPrincipalExists(world, value)) throw malformedPolicy(`Invalid principal in policy: "AWS":"${value}"`);
    }
    for (const value of principal.Federated ?? []) {
      // IAM's wording when a Federated ARN names no identity provider of the account.
      if (!federatedPrincipalExists(world, value)) throw malformedPolicy("Federated principals must be valid domain names or SAML metadata ARNs");
    }
  }
}

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Replaces `arn` by `id` in the AWS principals of one trust policy (never in conditions, which
 * IAM leaves as written); undefined when the policy does not name it. */
function replaceAwsPrincipal(document: string, arn: string, id: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  let changed = false;
  const swap = (value: unknown) => {
    if (value !== arn) return value;
    changed = true;
    return id;
  };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  for (const statement of statements) {
    if (!isObject(statement) || !isObject(statement.Principal)) continue;
    const principal = statement.Principal;
    principal.AWS = Array.isArray(principal.AWS) ? principal.AWS.map(swap) : swap(principal.AWS);
  }
  if (!changed) return undefined;
  // Keep the document's layout: pretty stays pretty, compact stays compact.
  return document.includes("\n") ? JSON.stringify(parsed, null, 2) : JSON.stringify(parsed);
}

/** After a user or role is deleted, every trust policy in the sandbox that named it names its
 * unique id instead, so a new principal with the same name is not trusted by accident. */
export function forgetPrincipal(world: World, arn: string, uniqueId: string): void {
  for (const account of Object.values(world.state.accounts)) {
    for (const role of Object.values(account.roles)) {
      if (!role.assumeRolePolicyDocument.includes(arn)) continue;
      const rewritten = replaceAwsPrincipal(role.assumeRolePolicyDocument, arn, uniqueId);
      if (rewritten !== undefined) role.assumeRolePolicyDocument = rewritten;
    }
  }
}
