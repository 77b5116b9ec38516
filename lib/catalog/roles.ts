import "server-only";
import type { Transaction } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { findAccount } from "@/lib/accounts/queries";
import { getDb } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import { AppError, badRequest, conflict } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { parseRoleArn, type RoleDto } from "./role-dto";
import { findRole, queryRoles } from "./role-queries";
import type { RegisterRoleInput, UpdateRoleInput } from "./schemas";
import { credentialCache } from "@/lib/sessions/credential-cache";
import { testChangedEntries } from "@/lib/sessions/role-health-check";

export async function listRoles(actor: Actor, filter: { accountRef?: string } = {}): Promise<RoleDto[]> {
  assertPermission(actor, "roles.read");
  return queryRoles(await getDb(), actor, filter);
}

export async function getRole(actor: Actor, id: string): Promise<RoleDto> {
  assertPermission(actor, "roles.read");
  return findRole(await getDb(), actor, id);
}

/** Registers a role entry from an account id + role name (+ path), or from a pasted role ARN.
 * The account must be registered first, in the partition the ARN names.
 *
 * Then tests it (one AssumeRole, as the administrator registering it), so that an entry that
 * cannot work shows so at once; best effort: the entry is registered whatever the test says or
 * whether it can run (lib/sessions/role-health-check.ts). Not for a role the wizard has just
 * created: IAM is eventually consistent, and a role assumed seconds after it was created can be
 * refused although it is right
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency);
 * the wizard offers its own test, and the background re-test comes round to it. Discover's bulk
 * register tests its entries together (`test: false` here). */
export async function registerRole(
  actor: Actor,
  input: RegisterRoleInput,
  meta: RequestMeta,
  source: "manual" | "discovered" | "wizard" = "manual",
  opts: { test?: boolean; roleMaxSessionDuration?: number } = {},
): Promise<RoleDto> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const arn = "roleArn" in input ? parseRoleArn(input.roleArn)! : undefined;
  const accountId = arn?.accountId ?? (input as { accountId: string }).accountId;
  const roleName = arn?.roleName ?? (input as { roleName: string }).roleName;
  const path = arn?.path ?? (input as { path?: string }).path ?? "/";
  const field = arn ? "roleArn" : "accountId";
  // Only "no such account" means it is not registered; a store failure is not an answer about
  // the account, so it propagates (and is answered as one, with the request id).
  const account = await findAccount(db, actor, accountId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") return undefined;
    throw err;
  });
  if (!account) throw badRequest(`Account ${accountId} is not registered yet. Register it first, then the role.`, { [field]: "Its account is not registered" });
  if (arn && account.partition !== arn.partition) {
    throw badRequest(`The ARN is in the ${arn.partition} partition, but account ${accountId} is registered in ${account.partition}.`, { roleArn: "Wrong partition" });
  }
  // IAM role names are unique per account case-insensitively: checked here for the message, and
  // by the store (migration 0003) for two registrations racing each other.
  const sameRole = await db
    .selectFrom("roles")
    .select("id")
    .where("account_id", "=", account.id)
    .where((eb) => eb(eb.fn("lower", ["role_name"]), "=", roleName.toLowerCase()))
    .executeTakeFirst();
  if (sameRole) throw conflict(`${roleName} in ${account.name} (${account.accountId}) is already in the catalog.`);
  const registered = await db.transaction().execute((trx) =>
    insertRoleEntry(
      trx,
      actor,
      account,
      {
        roleName,
        path,
        displayName: input.displayName,
        color: input.color,
        defaultRegion: input.defaultRegion,
        sessionDuration: input.sessionDuration,
        externalId: input.externalId,
        sourceIdentity: input.sourceIdentity,
        description: input.description,
        roleMaxSessionDuration: opts.roleMaxSessionDuration,
      },
      meta,
      source,
    ),
  );
  if (source === "wizard" || opts.test === false) return registered;
  await testChangedEntries(actor, [registered.id], meta, "registered");
  return findRole(db, actor, registered.id);
}

/** What a role entry is registered with: its name and path in IAM, and the options of
 * RegisterRoleInput. */
export type RoleEntryValues = RegisterRoleOptions & { roleName: string; path: string; roleMaxSessionDuration?: number | null };
type RegisterRoleOptions = { displayName?: string; color?: string | null; defaultRegion?: string | null; sessionDuration?: number | null; externalId?: string | null; sourceIdentity?: boolean; description?: string };

/** Inserts a role entry and its audit event with the caller's transaction (which commits both or
 * neither), and reads it back. The caller has checked roles.manage, that the account is
 * registered (in the ARN's partition) and whether the role is already in the catalog; two
 * registrations racing each other meet the store's unique index (migration 0003), answered as a
 * conflict. `auditSource`: what the audit event names as the source, where it says more than the
 * column (a config file import registers "manual" entries, audited as "config-import"). */
export async function insertRoleEntry(
  trx: Transaction<Database>,
  actor: Actor,
  account: { id: string; accountId: string; name: string },
  entry: RoleEntryValues,
  meta: RequestMeta,
  source: "manual" | "discovered" | "wizard",
  auditSource: string = source,
): Promise<RoleDto> {
  const now = new Date().toISOString();
  const id = newId();
  try {
    await trx
      .insertInto("roles")
      .values({
        id,
        account_id: account.id,
        role_name: entry.roleName,
        path: entry.path,
        display_name: entry.displayName ?? entry.roleName,
        color: entry.color ?? null,
        default_region: entry.defaultRegion ?? null,
        session_duration: entry.sessionDuration ?? null,
        external_id: entry.externalId ?? null,
        role_max_session_duration: entry.roleMaxSessionDuration ?? null,
        set_source_identity: entry.sourceIdentity === false ? 0 : 1,
        description: entry.description ?? "",
        source,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (err) {
    // IAM role names are unique per account, case-insensitively.
    if (isUniqueViolation(err)) throw conflict(`${entry.roleName} in ${account.name} (${account.accountId}) is already in the catalog.`);
    throw err;
  }
  const role = await findRole(trx, actor, id);
  await recordAudit({ action: "role.create", outcome: "success", actor, target: { type: "role", id, label: role.roleArn }, awsAccountId: account.accountId, request: meta, details: { source: auditSource } }, trx);
  return role;
}

export async function updateRole(actor: Actor, id: string, patch: UpdateRoleInput, meta: RequestMeta): Promise<RoleDto> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const current = await findRole(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("roles")
      .set({
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
        ...(patch.defaultRegion !== undefined ? { default_region: patch.defaultRegion } : {}),
        ...(patch.sessionDuration !== undefined ? { session_duration: patch.sessionDuration } : {}),
        ...(patch.externalId !== undefined ? { external_id: patch.externalId } : {}),
        ...(patch.sourceIdentity !== undefined ? { set_source_identity: patch.sourceIdentity ? 1 : 0 } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        updated_at: new Date().toISOString(),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(
      {
        action: "role.update",
        outcome: "success",
        actor,
        target: { type: "role", id, label: current.roleArn },
        awsAccountId: current.accountId,
        request: meta,
        details: { changed: Object.keys(patch).filter((k) => patch[k as keyof UpdateRoleInput] !== undefined).join(",") },
      },
      trx,
    );
  });
  // Credentials issued under the entry's old settings are not handed out again (every instance
  // also sees the new updated_at on the next switch).
  credentialCache().forgetRole(id);
  // What a switch sends changed: the entry's last test no longer describes it.
  const sendsOtherwise = (patch.externalId !== undefined && patch.externalId !== (current.externalId ?? null)) || (patch.sourceIdentity !== undefined && patch.sourceIdentity !== current.sourceIdentity);
  if (sendsOtherwise) await testChangedEntries(actor, [id], meta, "edited");
  return findRole(db, actor, id);
}

export async function deleteRole(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  assertPermission(actor, "roles.manage");
  const db = await getDb();
  const role = await findRole(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("roles").where("id", "=", id).execute();
    await recordAudit({ action: "role.delete", outcome: "success", actor, target: { type: "role", id, label: role.roleArn }, awsAccountId: role.accountId, request: meta }, trx);
  });
  credentialCache().forgetRole(id);
}
