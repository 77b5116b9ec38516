import "server-only";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { forgetProvisioning, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf, classifyAwsError, toAppError } from "@/lib/aws/errors";
import { explainAssumeRoleFailure, type Explanation } from "@/lib/aws/explain-denial";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { AppError } from "@/lib/errors";
import type { AssumeRoleFailed } from "./assume";

const TRUST_LOOKUP_TIMEOUT_MS = 5000;

/** Reads the role's trust policy through its account's provisioning role (best effort: an
 * explanation is still given without it). */
async function readTrust(role: RoleDto, provisioningRoleName: string, who: string): Promise<{ trustPolicy?: string; roleExists?: boolean; maxSessionDuration?: number }> {
  const account = { awsAccountId: role.accountId, partition: role.partition, provisioningRoleName };
  try {
    const iam = await provisioningIam(account, who);
    const out = await iam.send(new GetRoleCommand({ RoleName: role.roleName }), { abortSignal: AbortSignal.timeout(TRUST_LOOKUP_TIMEOUT_MS) });
    const doc = out.Role?.AssumeRolePolicyDocument;
    // IAM returns policy documents URL-encoded (RFC 3986).
    return { trustPolicy: doc ? decodeURIComponent(doc) : undefined, roleExists: true, maxSessionDuration: out.Role?.MaxSessionDuration };
  } catch (err) {
    if (classifyAwsError(err).kind === "not_found") return { roleExists: false };
    forgetProvisioning(account);
    return {};
  }
}

/** Turns an AssumeRole failure into the error the person sees: throttling and outages as
 * 503/502, denials and validation errors as `aws_denied` with which half of the trust is
 * missing and the statement to add. */
export async function explainAssumeFailure(failure: AssumeRoleFailed, role: RoleDto, provisioningRoleName: string): Promise<{ error: AppError; explanation?: Explanation }> {
  const { kind, code: name } = classifyAwsError(failure.cause);
  if (kind === "throttled") {
    return { error: appErrorOf(failure.cause, "AWS is throttling requests from the console right now; try again in a few seconds.") };
  }
  if (kind !== "denied" && name !== "ValidationError" && name !== "RegionDisabled") {
    return { error: toAppError(failure.cause, `assume ${role.roleArn}`) };
  }
  // Read on behalf of the person whose switch failed: their identity is the session name sent.
  const trust = name === "AccessDenied" ? await readTrust(role, provisioningRoleName, failure.request.sessionName) : {};
  const explanation = explainAssumeRoleFailure({
    error: failure.awsError,
    roleArn: role.roleArn,
    broker: failure.broker,
    request: {
      externalId: failure.request.externalId,
      sourceIdentity: failure.request.sourceIdentity,
      roleSessionName: failure.request.sessionName,
      durationSeconds: failure.request.durationSeconds,
    },
    trustPolicy: trust.trustPolicy,
    roleExists: trust.roleExists,
    roleMaxSessionDuration: trust.maxSessionDuration,
    brokerKind: failure.brokerKind,
  });
  return { error: new AppError("aws_denied", explanation.summary, { details: { explanation } }), explanation };
}
