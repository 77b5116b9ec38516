import "server-only";
import { GetPolicyCommand, GetRoleCommand, type IAMClient } from "@aws-sdk/client-iam";
import { classifyAwsError } from "@/lib/aws/errors";
import { badRequest } from "@/lib/errors";
import type { LintFinding, Plan, WizardDocument } from "./types";

// What the lint rules cannot know because only the account can answer it: whether the role's
// name is taken, and whether each managed policy (and the permissions boundary) exists. Asked
// through the account's provisioning role when the Review step plans the role, and again when
// the apply starts, before any IAM write, so both say it in words at the field instead of
// CreateRole or AttachRolePolicy failing halfway and rolling back.
//
// IAM role names are unique per account whatever their path, and case-insensitively: GetRole
// answers for any capitalisation. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
// GetRole: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
// GetPolicy (AWS managed policies too): https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
//
// Each Review check spends the account's IAM request rate: the caller counts it per person first
// (limitReviewChecks, lib/ratelimit/provisioning-checks.ts).

/** How many GetPolicy calls run at once: a role has at most 20 managed policies (the raised
 * quota), and IAM throttles bursts per account. */
const CONCURRENCY = 4;

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

type Lookup = "exists" | "missing" | { unknown: string };

async function lookUp(send: () => Promise<unknown>): Promise<Lookup> {
  try {
    await send();
    return "exists";
  } catch (err) {
    const info = classifyAwsError(err);
    if (info.kind === "not_found") return "missing";
    return { unknown: `${info.code}: ${info.message}` };
  }
}

export type AccountCheckResult = {
  /** Problems at the wizard's fields (keys as the document has them), in words with the fix. */
  fields: Record<string, string>;
  /** What could not be checked (the provisioning role may not read IAM): information only. */
  notes: LintFinding[];
};

/**
 * Asks the account whether the plan's role name is free and its managed policies and boundary
 * exist. Values the lint already refused (`findings`: a malformed name or ARN) are not asked
 * about: IAM would only answer with a validation error.
 */
export async function checkAgainstAccount(
  iam: IAMClient,
  plan: Plan,
  doc: WizardDocument,
  account: { name: string; accountId: string },
  findings: readonly LintFinding[],
): Promise<AccountCheckResult> {
  const where = `${account.name} (${account.accountId})`;
  const fields: Record<string, string> = {};
  const notes: LintFinding[] = [];
  const refused = (rule: string, arn?: string) => findings.some((f) => f.rule === rule && f.severity === "error" && (arn === undefined || f.where === `managed:${arn}`));

  const policies = refused("permissions-boundary") || plan.permissionsBoundaryArn === null ? [] : [plan.permissionsBoundaryArn];
  const managed = plan.managedPolicyArns.filter((arn) => !refused("managed-arn", arn));
  const role = refused("role-name") ? Promise.resolve<Lookup>("missing") : lookUp(() => iam.send(new GetRoleCommand({ RoleName: plan.roleName })));
  const answers = await mapLimited([...policies, ...managed], CONCURRENCY, (arn) => lookUp(() => iam.send(new GetPolicyCommand({ PolicyArn: arn }))));
  const name = await role;

  if (name === "exists") {
    fields["target.roleName"] = `A role named ${plan.roleName} already exists in ${where} (IAM role names are unique in an account, whatever their path or capitalisation). Choose another name, or register the existing role on the Roles page instead of creating it.`;
  } else if (name !== "missing") {
    notes.push({ rule: "role-name-unchecked", severity: "info", where: "role", message: `The console could not check whether ${where} already has a role named ${plan.roleName} (${name.unknown}). If it has, creating fails and nothing is left behind.` });
  }

  const missing = (arn: string) =>
    arn.includes(":iam::aws:policy/")
      ? `AWS has no managed policy ${arn}. Check its name and path (some live under one, like arn:aws:iam::aws:policy/job-function/ViewOnlyAccess), or pick it from the list.`
      : `There is no managed policy ${arn} in ${where}. Create it there first, or pick one from the list.`;
  policies.forEach((arn, i) => {
    const answer = answers[i]!;
    if (answer === "missing") {
      const configured = doc.target.permissionsBoundaryArn === undefined;
      fields["target.permissionsBoundaryArn"] = configured
        ? `The permissions boundary the administrator requires, ${arn}, does not exist in ${where}. Create it there, or change SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN.`
        : `The permissions boundary: ${missing(arn)}`;
    } else if (answer !== "exists") {
      notes.push({ rule: "managed-unchecked", severity: "info", where: `managed:${arn}`, message: `The console could not check that the permissions boundary ${arn} exists (${answer.unknown}).` });
    }
  });
  managed.forEach((arn, j) => {
    const answer = answers[policies.length + j]!;
    if (answer === "missing") fields[`permissions.managedPolicyArns.${doc.permissions.managedPolicyArns.indexOf(arn)}`] = missing(arn);
    else if (answer !== "exists") notes.push({ rule: "managed-unchecked", severity: "info", where: `managed:${arn}`, message: `The console could not check that ${arn} exists (${answer.unknown}); attaching it fails if it does not.` });
  });
  return { fields, notes };
}

/** Refuses (bad_request with the fields) when the account said no to anything. */
export function assertAccountChecks(result: AccountCheckResult): void {
  const messages = Object.values(result.fields);
  if (messages.length === 0) return;
  throw badRequest(messages.length === 1 ? messages[0]! : `Fix these ${messages.length} things first: ${messages.join(" ")}`, result.fields);
}
