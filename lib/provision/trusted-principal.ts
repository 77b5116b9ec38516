import "server-only";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { queryAccounts } from "@/lib/accounts/queries";
import { provisioningIam } from "@/lib/aws/broker-clients";
import { classifyAwsError } from "@/lib/aws/errors";
import { awsIdentityOf } from "@/lib/aws/session-name";
import { getDb } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/http/request-meta";
import { limitReviewChecks } from "@/lib/ratelimit/provisioning-checks";
import { credentialSourceOfTrust, parseTrustDocument, trustedRoleArns, type TrustedPrincipalCheck } from "./trusted-principal-source";

// The Review step asks, for each role ARN the new role trusts, whether that role is itself an EC2
// instance role or an ECS task role: its ~/.aws/config export then defaults to credential_source
// (./trusted-principal-source.ts). The console can only see it through the trusted account's
// provisioning role (GetRole), so an account that is not registered, or a provisioning role that
// may not read the role, is "unchecked" and the export keeps source_profile; never an error,
// since nothing depends on it but a default.
// GetRole: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
//
// Each call spends the trusted accounts' IAM request rate: it counts against the same per-person
// budget as the Review's other checks (limitReviewChecks, lib/ratelimit/provisioning-checks.ts).

/** The role name in an IAM role ARN (the last segment of its path). */
const roleNameOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** What the trusted roles' own trust policies say, one answer per role ARN (other principals are
 * left out; at most five are asked about). */
export async function checkTrustedPrincipals(actor: Actor, principals: readonly string[], meta?: RequestMeta): Promise<TrustedPrincipalCheck[]> {
  assertPermission(actor, "provisioning.manage");
  const arns = trustedRoleArns(principals);
  if (arns.length === 0) return [];
  await limitReviewChecks(actor, meta);
  const accounts = await queryAccounts(await getDb(), actor);
  const who = awsIdentityOf(actor);
  return Promise.all(
    arns.map(async (principal): Promise<TrustedPrincipalCheck> => {
      const [, partition, , , accountId] = principal.split(":");
      const roleName = roleNameOf(principal);
      const unchecked = (reason: string): TrustedPrincipalCheck => ({ principal, status: "unchecked", roleName, reason });
      const account = accounts.find((a) => a.accountId === accountId && a.partition === partition);
      if (!account) return unchecked(`Account ${accountId} is not registered in the console, so it could not check what role ${roleName} trusts.`);
      const where = `${account.name} (${account.accountId})`;
      let iam;
      try {
        iam = await provisioningIam({ awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName }, who);
      } catch (err) {
        return unchecked(`The console could not assume ${account.provisioningRoleName} in ${where} (${classifyAwsError(err).code}), so it could not check what role ${roleName} trusts.`);
      }
      try {
        const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
        const found = credentialSourceOfTrust(parseTrustDocument(role.Role?.AssumeRolePolicyDocument));
        return { principal, status: "checked", roleName, credentialSource: found?.source ?? null, service: found?.service ?? null };
      } catch (err) {
        const info = classifyAwsError(err);
        if (info.kind === "not_found") return unchecked(`${where} has no role ${roleName} (yet), so the console could not check what it trusts.`);
        // The code only: AWS's message can carry ARNs of other accounts, and is not needed here.
        return unchecked(`The console could not read role ${roleName} in ${where} through its provisioning role (${info.code}), so it could not check what the role trusts.`);
      }
    }),
  );
}
