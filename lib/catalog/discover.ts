import "server-only";
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolesCommand, type IAMClient, type Role } from "@aws-sdk/client-iam";
import { findAccount } from "@/lib/accounts/queries";
import type { AccountDto } from "@/lib/accounts/dto";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { brokerProfile, forgetProvisioning, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf, classifyAwsError, toAppError } from "@/lib/aws/errors";
import { awsIdentityOf } from "@/lib/aws/session-name";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { testChangedEntries } from "@/lib/sessions/role-health-check";
import { registerRole } from "./roles";
import { parseRoleArn, type RoleDto } from "./role-dto";
import { brokerAccessReason, summarizeTrust, type BrokerAccess } from "./trust-summary";
import { logger } from "@/lib/log";

/** Why a role gives full administration of its account: AWS Organizations' role in member
 * accounts (AdministratorAccess by design), or the AdministratorAccess managed policy attached. */
export type FullAdmin = "organization-access-role" | "administrator-access";

export type DiscoveredRole = {
  roleName: string;
  path: string;
  roleArn: string;
  description: string;
  maxSessionDuration: number;
  trust: string;
  brokerAccess: BrokerAccess;
  /** Who the trust policy lets in today, for a person ("account 222222222222 (Development)"). */
  trustedPrincipals: string[];
  /** Why the console cannot use the role as it is (and who it trusts instead); null: it can. */
  reason: string | null;
  fullAdmin: FullAdmin | null;
  /** Whether the role's attached managed policies could be read (false: `fullAdmin` knows only
   * the role's name). */
  policiesChecked: boolean;
  /** AWS service-linked roles cannot be assumed by people. */
  serviceLinked: boolean;
  /** The catalog entry, if this role is already registered. */
  registeredId: string | null;
};

const MAX_ROLES = 5000;
/** IAM calls in flight at once per listing: IAM throttles per account, and one Discover should
 * not starve the account's other callers. */
const IAM_CONCURRENCY = 6;
/** All of a listing's attached-policy reads together; past it the badges fall back to names. */
const POLICY_READS_TIMEOUT_MS = 20_000;
/** A role has at most 20 managed policies attached by default, 25 at most on request:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
const MAX_ATTACHED = 100;

/** AWS Organizations creates this role in every member account with AdministratorAccess.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html */
const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

/** Runs `work` over `items`, at most `limit` at a time, keeping the order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Whether each role has the AWS managed AdministratorAccess policy attached (undefined: could
 * not be read). Best effort: a refusal or a failure leaves the badge to the role's name. */
async function administratorAccessOf(iam: IAMClient, roleNames: string[]): Promise<Map<string, boolean | undefined>> {
  const abortSignal = AbortSignal.timeout(POLICY_READS_TIMEOUT_MS);
  let failures = 0;
  const answers = await mapBounded(roleNames, IAM_CONCURRENCY, async (roleName) => {
    // After a few failures (a provisioning role without iam:ListAttachedRolePolicies, or IAM
    // failing), asking again for every other role would only repeat them.
    if (failures > 2 || abortSignal.aborted) return undefined;
    try {
      const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: MAX_ATTACHED }), { abortSignal });
      // An AWS managed policy's ARN has "aws" where an account id would be: arn:aws:iam::aws:policy/…
      return (out.AttachedPolicies ?? []).some((p) => /^arn:[\w-]+:iam::aws:policy\/AdministratorAccess$/.test(p.PolicyArn ?? ""));
    } catch (err) {
      failures++;
      logger.warn({ err: (err as Error).name, roleName }, "discover: could not list a role's attached policies");
      return undefined;
    }
  });
  return new Map(roleNames.map((name, i) => [name, answers[i]]));
}
/** Lists an account's IAM roles through its provisioning role, each with a one-line trust
 * summary and whether the console's broker is trusted. */
export async function discoverRoles(actor: Actor, accountRef: string): Promise<{ account: AccountDto; roles: DiscoveredRole[] }> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const account = await findAccount(db, actor, accountRef);
  const target = { awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName };
  const roles: Role[] = [];
  let iam: IAMClient;
  try {
    iam = await provisioningIam(target, awsIdentityOf(actor));
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }));
      roles.push(...(page.Roles ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker && roles.length < MAX_ROLES);
  } catch (err) {
    forgetProvisioning(target);
    if (classifyAwsError(err).kind === "denied") {
      throw appErrorOf(
        err,
        `The console could not list the roles of ${account.name}: its provisioning role ${account.provisioningRoleName} refused (${(err as Error).message}). Check that the role exists, trusts the console's AWS identity, and allows iam:ListRoles — or set another provisioning role on the account.`,
      );
    }
    throw toAppError(err, `list the roles of ${account.name}`);
  }
  // Service-linked roles cannot be assumed by people: no badge is needed for them.
  const admins = await administratorAccessOf(
    iam,
    roles.filter((r) => !(r.Path ?? "").startsWith("/aws-service-role/")).map((r) => r.RoleName!),
  );
  const broker = await brokerProfile();
  const names = new Map((await db.selectFrom("accounts").select(["aws_account_id", "name"]).execute()).map((a) => [a.aws_account_id, a.name]));
  const registered = new Map(
    (await db.selectFrom("roles").select(["id", "role_name"]).where("account_id", "=", account.id).execute()).map((r) => [r.role_name.toLowerCase(), r.id]),
  );
  return {
    account,
    roles: roles
      .map((r) => {
        // IAM returns policy documents URL-encoded (RFC 3986).
        const trust = summarizeTrust(decodeURIComponent(r.AssumeRolePolicyDocument ?? "{}"), broker, names);
        return {
          roleName: r.RoleName!,
          path: r.Path ?? "/",
          roleArn: r.Arn!,
          description: r.Description ?? "",
          maxSessionDuration: r.MaxSessionDuration ?? 3600,
          trust: trust.summary,
          brokerAccess: trust.brokerAccess,
          trustedPrincipals: trust.principals,
          reason: brokerAccessReason(trust.brokerAccess, trust.principals, broker.arn),
          fullAdmin: fullAdminOf(r.RoleName!, admins.get(r.RoleName!)),
          policiesChecked: admins.get(r.RoleName!) !== undefined,
          serviceLinked: (r.Path ?? "").startsWith("/aws-service-role/"),
          registeredId: registered.get(r.RoleName!.toLowerCase()) ?? null,
        };
      })
      .sort((a, b) => Number(a.serviceLinked) - Number(b.serviceLinked) || a.roleName.localeCompare(b.roleName)),
  };
}

function fullAdminOf(roleName: string, administratorAccess: boolean | undefined): FullAdmin | null {
  if (roleName === ORGANIZATION_ACCESS_ROLE) return "organization-access-role";
  return administratorAccess ? "administrator-access" : null;
}

/** Each role's MaxSessionDuration (IAM GetRole, through the provisioning role whose session the
 * listing has just used), for the entries to show what a session can really last. Best effort:
 * an entry whose maximum could not be read simply does not show one. */
async function maxSessionsOf(account: AccountDto, who: string, roleNames: string[]): Promise<Map<string, number>> {
  const target = { awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName };
  const found = new Map<string, number>();
  try {
    const iam = await provisioningIam(target, who);
    const abortSignal = AbortSignal.timeout(POLICY_READS_TIMEOUT_MS);
    await mapBounded(roleNames, IAM_CONCURRENCY, async (roleName) => {
      const max = await iam
        .send(new GetRoleCommand({ RoleName: roleName }), { abortSignal })
        .then((out) => out.Role?.MaxSessionDuration)
        .catch(() => undefined);
      if (max) found.set(roleName, max);
    });
  } catch (err) {
    logger.warn({ err: (err as Error).name, account: account.accountId }, "discover: could not read the roles' maximum session durations");
  }
  return found;
}

/** Registers the chosen discovered roles, each with the ExternalId given for it (a role whose
 * trust policy requires one fails every switch without it); roles already in the catalog are
 * skipped. The new entries are then tested together, a few at a time
 * (lib/sessions/role-health-check.ts): best effort, as for one registration.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html */
export async function registerDiscovered(
  actor: Actor,
  accountRef: string,
  roleArns: string[],
  meta: RequestMeta,
  externalIds: Record<string, string> = {},
): Promise<{ added: RoleDto[]; skipped: string[] }> {
  assertPermission(actor, "roles.manage");
  const account = await findAccount(await getDb(), actor, accountRef);
  const chosen = [...new Set(roleArns)];
  for (const roleArn of chosen) {
    if (parseRoleArn(roleArn)?.accountId !== account.accountId) throw new AppError("bad_request", `${roleArn} is not a role of ${account.name} (${account.accountId}).`);
  }
  for (const roleArn of Object.keys(externalIds)) {
    if (!chosen.includes(roleArn)) throw new AppError("bad_request", `An ExternalId was given for ${roleArn}, which is not among the roles to register.`, { fields: { externalIds: "Only for the chosen roles" } });
  }
  const maxima = await maxSessionsOf(account, awsIdentityOf(actor), chosen.map((arn) => parseRoleArn(arn)!.roleName));
  const added: RoleDto[] = [];
  const skipped: string[] = [];
  for (const roleArn of chosen) {
    const externalId = externalIds[roleArn];
    try {
      added.push(
        await registerRole(actor, { roleArn, ...(externalId ? { externalId } : {}) }, meta, "discovered", {
          test: false,
          roleMaxSessionDuration: maxima.get(parseRoleArn(roleArn)!.roleName),
        }),
      );
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict") skipped.push(roleArn);
      else throw err;
    }
  }
  // The entries as registered (their health is in the store once tested; the page reloads it).
  if (added.length) await testChangedEntries(actor, added.map((r) => r.id), meta, "registered");
  return { added, skipped };
}
