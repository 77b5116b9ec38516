import "server-only";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type ListAttachedRolePoliciesCommandOutput,
  type ListRolePoliciesCommandOutput,
} from "@aws-sdk/client-iam";
import { findAccount, queryAccounts } from "@/lib/accounts/queries";
import type { AccountDto } from "@/lib/accounts/dto";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { brokerProfile, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf, classifyAwsError } from "@/lib/aws/errors";
import { awsIdentityOf } from "@/lib/aws/session-name";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { getRole } from "@/lib/catalog/roles";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { lintPrivilegedTrust, validatePolicyText, type RolePermissions, type TrustLintTarget } from "@/lib/policy/lint";
import type { LintFinding } from "./types";

// Editing the trust policy of a role already in the catalog: read it live (GetRole) through its
// account's provisioning role, lint the proposed one with the wizard's trust rules, and write it
// with UpdateAssumeRolePolicy. Each function checks "provisioning.manage" itself. Nothing is
// written while a lint error stands, the privileged-trust guardrail included (issue 10).
//
// One rule for failures: a policy the lint rules refuse is an AppError bad_request (with the
// findings in its details); a failure of IAM is the AppError lib/aws/errors makes of it
// (aws_denied when AWS refused the console, upstream_error otherwise), thrown either way.

export type TrustView = {
  role: Pick<RoleDto, "id" | "roleArn" | "displayName" | "accountId" | "accountName">;
  /** The live policy, formatted (2-space JSON). */
  current: string;
  /** What the lint rules need to know about the role, for the page's live lint. */
  target: TrustLintTarget;
};

/** A saved trust policy: the findings it was saved with (warnings acknowledged, notes). */
export type TrustUpdated = { findings: LintFinding[] };

type Located = { role: RoleDto; account: AccountDto; iam: IAMClient; target: TrustLintTarget };

async function locate(actor: Actor, roleId: string): Promise<Located> {
  const role = await getRole(actor, roleId);
  const db = await getDb();
  const [account, accounts, broker] = await Promise.all([findAccount(db, actor, role.accountRef), queryAccounts(db, actor), brokerProfile()]);
  let iam: IAMClient;
  try {
    iam = await provisioningIam({ awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName }, awsIdentityOf(actor));
  } catch (err) {
    throw appErrorOf(
      err,
      `The console could not assume ${account.provisioningRoleName} in ${account.name} (${account.accountId}): ${err instanceof Error ? err.message : String(err)}. Check the account's provisioning role on the Accounts page.`,
    );
  }
  const target: TrustLintTarget = {
    accountId: account.accountId,
    partition: account.partition,
    roleArn: role.roleArn,
    broker: { arn: broker.arn, accountId: broker.accountId, temporary: broker.kind === "temporary" },
    accounts: accounts.map((a) => ({ accountId: a.accountId, name: a.name, canProvision: true })),
  };
  return { role, account, iam, target };
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
export function decodePolicyDocument(encoded: string): string {
  let text = encoded;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    // already plain JSON
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** An IAM failure said in plain words, for the page and the audit log. */
export function describeTrustError(err: unknown, role: string, where: string, op: "read" | "change" = "change"): string {
  const { kind, code, message } = classifyAwsError(err);
  if (kind === "denied") {
    return `The provisioning role in ${where} is not allowed to ${op} ${role}'s trust policy (${op === "read" ? "iam:GetRole" : "iam:UpdateAssumeRolePolicy"}). Grant it that permission, then try again.`;
  }
  switch (code) {
    case "MalformedPolicyDocument":
      return /invalid principal/i.test(message)
        ? `IAM does not accept a principal the policy names (${message}). Check that every role, user and account in it exists.`
        : `IAM refused the policy as malformed: ${message}`;
    case "NoSuchEntity":
      return `${role} no longer exists in ${where}. Remove it from the catalog, or create it again.`;
    case "LimitExceeded":
      return `The policy is larger than ${where} allows for a trust policy: ${message}`;
    case "UnmodifiableEntity":
      return `${role} is protected (a service-linked role), so its trust policy cannot be changed.`;
    default:
      return `IAM refused the change in ${where}: ${code}: ${message}`;
  }
}

/** The role's live trust policy, and what the page's lint needs. */
export async function getTrust(actor: Actor, roleId: string): Promise<TrustView> {
  assertPermission(actor, "provisioning.manage");
  const { role, account, iam, target } = await locate(actor, roleId);
  let encoded: string | undefined;
  try {
    encoded = (await iam.send(new GetRoleCommand({ RoleName: role.roleName }))).Role?.AssumeRolePolicyDocument;
  } catch (err) {
    throw appErrorOf(err, describeTrustError(err, role.roleName, `${account.name} (${account.accountId})`, "read"));
  }
  return {
    role: { id: role.id, roleArn: role.roleArn, displayName: role.displayName, accountId: role.accountId, accountName: role.accountName },
    current: encoded ? decodePolicyDocument(encoded) : "",
    target,
  };
}

/** The role's permission policies as IAM has them now: attached managed policy ARNs and inline
 * documents (ListAttachedRolePolicies, ListRolePolicies, GetRolePolicy). */
async function rolePermissions(iam: IAMClient, roleName: string): Promise<RolePermissions> {
  const managedPolicyArns: string[] = [];
  let marker: string | undefined;
  do {
    const page: ListAttachedRolePoliciesCommandOutput = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    managedPolicyArns.push(...(page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const names: string[] = [];
  do {
    const page: ListRolePoliciesCommandOutput = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const inlinePolicies = await Promise.all(
    names.map(async (name) => ({ name, document: decodePolicyDocument((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument ?? "") })),
  );
  return { managedPolicyArns, inlinePolicies };
}

const refuse = (errors: LintFinding[]) =>
  new AppError("bad_request", `Fix ${errors.length === 1 ? "this problem" : `these ${errors.length} problems`} first: ${errors.map((e) => e.message).join(" ")}`, { details: { findings: errors } });

/** Lints the proposed policy (errors refuse, warnings need acknowledging) and checks it against
 * the role's current permissions (administrator-level permissions may not become reachable from
 * outside the organization), then writes it with UpdateAssumeRolePolicy. Audited as
 * provisioning.trust_update, success or failure. Every refusal and failure is thrown as an
 * AppError. */
export async function updateTrust(actor: Actor, roleId: string, policyText: string, opts: { acknowledgeWarnings: boolean }, meta: RequestMeta): Promise<TrustUpdated> {
  assertPermission(actor, "provisioning.manage");
  const { role, account, iam, target } = await locate(actor, roleId);
  const lint = validatePolicyText(policyText, "trust", { target });
  const errors = lint.findings.filter((f) => f.severity === "error");
  if (!lint.ok || errors.length) throw refuse(errors);
  let permissions: RolePermissions;
  try {
    permissions = await rolePermissions(iam, role.roleName);
  } catch (err) {
    // Without the role's permissions the guardrail cannot be checked, so nothing is written.
    const { code, message } = classifyAwsError(err);
    throw appErrorOf(
      err,
      `The console could not read ${role.roleName}'s permission policies in ${account.name} (${account.accountId}) to check them against the new trust policy (${code}: ${message}). Allow its provisioning role iam:ListAttachedRolePolicies, iam:ListRolePolicies and iam:GetRolePolicy, then try again.`,
    );
  }
  const privileged = lintPrivilegedTrust(policyText, permissions, target, { allow: getConfig().provisioning.allowPrivilegedExternalTrust });
  const privilegedErrors = privileged.filter((f) => f.severity === "error");
  if (privilegedErrors.length) throw refuse(privilegedErrors);
  lint.findings.push(...privileged);
  const warnings = lint.findings.filter((f) => f.severity === "warning");
  if (warnings.length && !opts.acknowledgeWarnings) {
    throw new AppError("bad_request", `Acknowledge the ${warnings.length === 1 ? "warning" : `${warnings.length} warnings`} before saving.`, { details: { findings: warnings } });
  }
  const audit = { actor, target: { type: "iam-role", id: role.id, label: role.roleArn }, awsAccountId: account.accountId, request: meta, details: { warnings: warnings.length } };
  try {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.roleName, PolicyDocument: policyText }));
  } catch (err) {
    const error = describeTrustError(err, role.roleName, `${account.name} (${account.accountId})`);
    await recordAudit({ ...audit, action: "provisioning.trust_update", outcome: "failure", reason: error });
    throw appErrorOf(err, error);
  }
  await recordAudit({ ...audit, action: "provisioning.trust_update", outcome: "success" });
  return { findings: lint.findings };
}
