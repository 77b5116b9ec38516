// What the four export formats share: comment-safe text, unique names, the default region of a
// partition, and what the trust policy asks of the caller (ExternalId, MFA).
// PURE: no server-only, no node: imports; the review page renders the exports in the browser.

import type { Partition } from "@/lib/domain/partitions";
import type { PolicyJson } from "@/lib/provision/types";

/** Text for a comment line: every control character and line break (including the Unicode
 * ones YAML 1.1 counts) becomes a space, so a value can never end its comment and start code. */
export function commentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, " ");
}

/** `base`, or `base_2`, `base_3`, … when an earlier name took it; records the result in `taken`.
 * Sanitizing maps different names to the same identifier (`a.b` and `a_b`), and each target
 * language wants its identifiers unique. */
export function uniqueName(base: string, taken: Set<string>, separator = "_"): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}${separator}${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** The region each partition's IAM endpoint is reached through. IAM is global within a partition,
 * but the CLI and SDKs pick the partition (and STS endpoint) from the region.
 * https://docs.aws.amazon.com/general/latest/gr/iam-service.html */
export const HOME_REGION: Record<Partition, string> = {
  aws: "us-east-1",
  "aws-us-gov": "us-gov-west-1",
  "aws-cn": "cn-north-1",
  "aws-eusc": "eusc-de-east-1",
};

/** Where a source-side policy goes in the trusted account: a role or a user named by the
 * principal ARN, or (account trust, "any principal in …") a managed policy the account's admins
 * attach to whoever should assume the role. */
export type SourcePolicyTarget = { kind: "role"; name: string } | { kind: "user"; name: string } | { kind: "managed" };

export function sourcePolicyTarget(principal: string): SourcePolicyTarget {
  // arn:<partition>:iam::<account>:role/<path/>name, …:user/<path/>name; an assumed-role session
  // (arn:<partition>:sts::<account>:assumed-role/<role>/<session>) acts with its role's policies.
  const iam = /^arn:[a-z-]+:iam::\d{12}:(role|user)\/(?:[^/]+\/)*([\w+=,.@-]+)$/.exec(principal);
  if (iam) return { kind: iam[1] as "role" | "user", name: iam[2]! };
  const session = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(principal);
  if (session) return { kind: "role", name: session[1]! };
  return { kind: "managed" };
}

type Statement = Record<string, unknown>;

function conditionsOf(statement: Statement): Array<[operator: string, key: string, values: unknown[]]> {
  const condition = statement.Condition;
  if (!isObject(condition)) return [];
  return Object.entries(condition).flatMap(([operator, block]) =>
    isObject(block) ? Object.entries(block).map(([key, value]): [string, string, unknown[]] => [operator, key, Array.isArray(value) ? value : [value]]) : [],
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The ExternalId the trust policy requires (`StringEquals sts:ExternalId`), if any. Condition
 * keys are case-insensitive in IAM, operators are not.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html */
export function requiredExternalId(trust: PolicyJson): string | undefined {
  for (const statement of trust.Statement) {
    if (statement.Effect !== "Allow") continue;
    for (const [operator, key, values] of conditionsOf(statement)) {
      if (operator !== "StringEquals" || key.toLowerCase() !== "sts:externalid") continue;
      const value = values.find((v): v is string => typeof v === "string");
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** Whether the trust policy requires MFA: `Bool aws:MultiFactorAuthPresent true`, or a maximum
 * `aws:MultiFactorAuthAge` (which only an MFA session has). */
export function requiresMfa(trust: PolicyJson): boolean {
  return trust.Statement.some(
    (statement) =>
      statement.Effect === "Allow" &&
      conditionsOf(statement).some(([operator, key, values]) => {
        const k = key.toLowerCase();
        if (k === "aws:multifactorauthpresent") return operator === "Bool" && values.some((v) => v === true || v === "true");
        return k === "aws:multifactorauthage" && operator.startsWith("NumericLessThan");
      }),
  );
}

/** IAM and the IaC tools want the provider URL with its scheme; GitHub's issuer is `https://…`. */
export function providerUrl(url: string): string {
  return /^https:\/\//i.test(url) ? url : `https://${url}`;
}

/** The last segment of an ARN's resource (a managed policy's name). */
export function arnName(arn: string): string {
  return arn.split("/").pop() || arn;
}

/** A name made of words for the formats that want letters and digits only (CloudFormation
 * logical ids): `delegate_read_my_bucket` → `DelegateReadMyBucket`. */
export function pascalCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** A file-name-safe, lower-case slug of a role name: `Vendor+Audit` → `vendor-audit`. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "role"
  );
}

/** Whether any Allow statement trusts an IAM principal (`"AWS"` or `"*"`), the only kind a CLI
 * profile with source_profile can be. Service, web-identity and SAML principals cannot. */
export function trustsIamPrincipal(trust: PolicyJson): boolean {
  return trust.Statement.some((s) => s.Effect === "Allow" && (s.Principal === "*" || (isObject(s.Principal) && "AWS" in s.Principal)));
}

/** An integer as text, or an error: numbers are written unquoted, so nothing else may pass. */
export function integer(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Cannot export the plan: ${field} is not an integer`);
  return String(value);
}
