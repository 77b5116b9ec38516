import "server-only";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  paginateListPoliciesForTarget,
} from "@aws-sdk/client-organizations";
import { brokerOrganizations, forgetProvisioning, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf, classifyAwsError, toAppError } from "@/lib/aws/errors";
import { explainAssumeRoleFailure, type Explanation } from "@/lib/aws/explain-denial";
import { organizationDenialIn, type OrgDenialClue, type OrgLevel, type OrgPolicyFacts, type OrgTargetType } from "@/lib/aws/organization-denial";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { AssumeRoleFailed } from "./assume";

const TRUST_LOOKUP_TIMEOUT_MS = 5000;
/** All of the organization's reads together; a switch that failed should not wait longer to say
 * why. */
const ORGANIZATION_LOOKUP_TIMEOUT_MS = 5000;
/** OUs nest at most five deep under the root. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html */
const MAX_PATH = 7;

type TrustFacts = { trustPolicy?: string; roleExists?: boolean; maxSessionDuration?: number };

/** Reads the role's trust policy through its account's provisioning role (best effort: an
 * explanation is still given without it). */
async function readTrust(role: RoleDto, provisioningRoleName: string, who: string): Promise<TrustFacts> {
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

/** The path from the organization's root down to `accountId`, with the SCPs or RCPs attached at
 * each level, read with the broker's Organizations client (its own account must be the
 * management account or a delegated administrator, with organizations:ListParents,
 * DescribeOrganizationalUnit, DescribeAccount, ListPoliciesForTarget and DescribePolicy). Best
 * effort and bounded in time: undefined when anything cannot be read, and the explanation is
 * then the trust analysis's alone. */
async function readOrganizationPolicies(clue: OrgDenialClue, brokerAccount: string, roleAccount: string): Promise<OrgPolicyFacts | undefined> {
  const org = brokerOrganizations();
  const abortSignal = AbortSignal.timeout(ORGANIZATION_LOOKUP_TIMEOUT_MS);
  const opts = { abortSignal };
  // SCPs cap the caller (the broker's account), RCPs the resource (the role's account).
  const accountId = clue.type === "SERVICE_CONTROL_POLICY" ? brokerAccount : roleAccount;
  const otherAccount = accountId === brokerAccount ? roleAccount : brokerAccount;
  try {
    const parentsOf = async (id: string) => (await org.send(new ListParentsCommand({ ChildId: id }), opts)).Parents?.[0];
    const path: Array<{ id: string; type: OrgTargetType }> = [{ id: accountId, type: "ACCOUNT" }];
    for (let child = accountId; path.length < MAX_PATH; ) {
      const parent = await parentsOf(child);
      if (!parent?.Id) break;
      path.unshift({ id: parent.Id, type: parent.Type === "ROOT" ? "ROOT" : "ORGANIZATIONAL_UNIT" });
      if (parent.Type === "ROOT") break;
      child = parent.Id;
    }
    if (path[0]?.type !== "ROOT") return undefined;
    const contents = new Map<string, Promise<string>>();
    const content = (policyId: string) => {
      let found = contents.get(policyId);
      if (!found) {
        found = org.send(new DescribePolicyCommand({ PolicyId: policyId }), opts).then((out) => out.Policy?.Content ?? "");
        contents.set(policyId, found);
      }
      return found;
    };
    const levels = await Promise.all(
      path.map(async ({ id, type }): Promise<OrgLevel> => {
        const name =
          type === "ACCOUNT"
            ? (await org.send(new DescribeAccountCommand({ AccountId: id }), opts)).Account?.Name
            : type === "ORGANIZATIONAL_UNIT"
              ? (await org.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }), opts)).OrganizationalUnit?.Name
              : undefined;
        const summaries = [];
        for await (const page of paginateListPoliciesForTarget({ client: org }, { TargetId: id, Filter: clue.type }, opts)) summaries.push(...(page.Policies ?? []));
        const policies = await Promise.all(summaries.map(async (p) => ({ id: p.Id ?? "", name: p.Name ?? p.Id ?? "", content: await content(p.Id ?? "") })));
        return { target: { id, type, ...(name ? { name } : {}) }, policies };
      }),
    );
    const organizationId = (await org.send(new DescribeOrganizationCommand({}), opts)).Organization?.Id;
    // Whether the other account is in the organization too, for aws:PrincipalOrgID / aws:ResourceOrgID.
    const otherInOrganization = otherAccount === accountId || (await parentsOf(otherAccount).then(Boolean, () => false));
    const inOrg = (yes: boolean) => (yes && organizationId ? organizationId : undefined);
    const principalOrgId = inOrg(accountId === brokerAccount || otherInOrganization);
    const resourceOrgId = inOrg(accountId === roleAccount || otherInOrganization);
    return { type: clue.type, accountId, levels, ...(principalOrgId ? { principalOrgId } : {}), ...(resourceOrgId ? { resourceOrgId } : {}) };
  } catch (err) {
    logger.info({ reason: classifyAwsError(err).code }, `could not read the organization's ${clue.type === "SERVICE_CONTROL_POLICY" ? "SCPs" : "RCPs"} to explain a denied switch`);
    return undefined;
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
  const clue = name === "AccessDenied" ? organizationDenialIn(failure.awsError.message) : undefined;
  const [trust, organization] = await Promise.all([
    name === "AccessDenied" ? readTrust(role, provisioningRoleName, failure.request.sessionName) : Promise.resolve<TrustFacts>({}),
    clue ? readOrganizationPolicies(clue, failure.broker.accountId, role.accountId) : undefined,
  ]);
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
    ...(organization ? { organization } : {}),
  });
  return { error: new AppError("aws_denied", explanation.summary, { details: { explanation } }), explanation };
}
