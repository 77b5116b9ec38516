import "server-only";
import { ListRolesCommand, type Role } from "@aws-sdk/client-iam";
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
import { summarizeTrust, type BrokerAccess } from "./trust-summary";

export type DiscoveredRole = {
  roleName: string;
  path: string;
  roleArn: string;
  description: string;
  maxSessionDuration: number;
  trust: string;
  brokerAccess: BrokerAccess;
  /** AWS service-linked roles cannot be assumed by people. */
  serviceLinked: boolean;
  /** The catalog entry, if this role is already registered. */
  registeredId: string | null;
};

const MAX_ROLES = 5000;

/** Lists an account's IAM roles through its provisioning role, each with a one-line trust
 * summary and whether the console's broker is trusted. */
export async function discoverRoles(actor: Actor, accountRef: string): Promise<{ account: AccountDto; roles: DiscoveredRole[] }> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const account = await findAccount(db, actor, accountRef);
  const target = { awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName };
  const roles: Role[] = [];
  try {
    const iam = await provisioningIam(target, awsIdentityOf(actor));
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
          serviceLinked: (r.Path ?? "").startsWith("/aws-service-role/"),
          registeredId: registered.get(r.RoleName!.toLowerCase()) ?? null,
        };
      })
      .sort((a, b) => Number(a.serviceLinked) - Number(b.serviceLinked) || a.roleName.localeCompare(b.roleName)),
  };
}

/** Registers the chosen discovered roles; roles already in the catalog are skipped. The new
 * entries are then tested together, a few at a time (lib/sessions/role-health-check.ts): best
 * effort, as for one registration. */
export async function registerDiscovered(actor: Actor, accountRef: string, roleArns: string[], meta: RequestMeta): Promise<{ added: RoleDto[]; skipped: string[] }> {
  assertPermission(actor, "roles.manage");
  const account = await findAccount(await getDb(), actor, accountRef);
  const added: RoleDto[] = [];
  const skipped: string[] = [];
  for (const roleArn of new Set(roleArns)) {
    if (parseRoleArn(roleArn)?.accountId !== account.accountId) throw new AppError("bad_request", `${roleArn} is not a role of ${account.name} (${account.accountId}).`);
    try {
      added.push(await registerRole(actor, { roleArn }, meta, "discovered", { test: false }));
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict") skipped.push(roleArn);
      else throw err;
    }
  }
  // The entries as registered (their health is in the store once tested; the page reloads it).
  if (added.length) await testChangedEntries(actor, added.map((r) => r.id), meta, "registered");
  return { added, skipped };
}
