import "server-only";
import type { Transaction } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { isRegion, partitionOfRegion } from "@/lib/aws/partitions";
import type { CreateAccountInput, UpdateAccountInput } from "@/lib/catalog/schemas";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import type { Database, Partition } from "@/lib/db/schema";
import { badRequest, conflict } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { ENVIRONMENT_COLORS, type AccountDto } from "./dto";
import { findAccount, queryAccounts } from "./queries";

const DEFAULT_REGION: Record<Partition, string> = { aws: "us-east-1", "aws-us-gov": "us-gov-west-1", "aws-cn": "cn-north-1", "aws-eusc": "eusc-de-east-1" };

function checkRegionInPartition(region: string, partition: Partition): void {
  if (isRegion(region) && partitionOfRegion(region) !== partition) {
    throw badRequest(`Region ${region} is not in the ${partition} partition; pick a region of that partition.`, { defaultRegion: `Not a region of ${partition}` });
  }
}

export async function listAccounts(actor: Actor): Promise<AccountDto[]> {
  assertPermission(actor, "accounts.read");
  return queryAccounts(await getDb(), actor);
}

export async function getAccount(actor: Actor, ref: string): Promise<AccountDto> {
  assertPermission(actor, "accounts.read");
  return findAccount(await getDb(), actor, ref);
}

export async function createAccount(actor: Actor, input: CreateAccountInput, meta: RequestMeta, source: "manual" | "organizations" = "manual"): Promise<AccountDto> {
  assertPermission(actor, "accounts.manage");
  const db = await getDb();
  const id = await db.transaction().execute((trx) => insertAccount(trx, actor, input, meta, source));
  return findAccount(db, actor, id);
}

/** Inserts an account and its audit event with the caller's transaction (which commits both or
 * neither). The caller has checked accounts.manage. Returns the new registry id. `auditSource`:
 * what the audit event names as the source, where it says more than the column (a config file
 * import registers "manual" accounts, audited as "config-import"). */
export async function insertAccount(
  trx: Transaction<Database>,
  actor: Actor,
  input: CreateAccountInput,
  meta: RequestMeta,
  source: "manual" | "organizations",
  auditSource: string = source,
): Promise<string> {
  const partition = input.partition ?? "aws";
  const environment = input.environment ?? "other";
  const region = input.defaultRegion ?? DEFAULT_REGION[partition];
  checkRegionInPartition(region, partition);
  const now = new Date().toISOString();
  const id = newId();
  try {
    await trx
      .insertInto("accounts")
      .values({
        id,
        aws_account_id: input.accountId,
        name: input.name,
        alias: input.alias ?? null,
        environment,
        color: input.color ?? ENVIRONMENT_COLORS[environment],
        partition,
        default_region: region,
        provisioning_role_name: input.provisioningRoleName ?? "OrganizationAccountAccessRole",
        notes: input.notes ?? "",
        source,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Account ${input.accountId} is already registered.`);
    throw err;
  }
  await recordAudit({ action: "account.create", outcome: "success", actor, target: { type: "account", id, label: `${input.name} (${input.accountId})` }, awsAccountId: input.accountId, request: meta, details: { environment, source: auditSource } }, trx);
  return id;
}

export async function updateAccount(actor: Actor, ref: string, patch: UpdateAccountInput, meta: RequestMeta): Promise<AccountDto> {
  assertPermission(actor, "accounts.manage");
  const db = await getDb();
  const current = await findAccount(db, actor, ref);
  const partition = patch.partition ?? current.partition;
  checkRegionInPartition(patch.defaultRegion ?? current.defaultRegion, partition);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("accounts")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.alias !== undefined ? { alias: patch.alias } : {}),
        ...(patch.environment !== undefined ? { environment: patch.environment } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
        ...(patch.partition !== undefined ? { partition: patch.partition } : {}),
        ...(patch.defaultRegion !== undefined ? { default_region: patch.defaultRegion } : {}),
        ...(patch.provisioningRoleName !== undefined ? { provisioning_role_name: patch.provisioningRoleName } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        updated_at: new Date().toISOString(),
      })
      .where("id", "=", current.id)
      .execute();
    await recordAudit(
      {
        action: "account.update",
        outcome: "success",
        actor,
        target: { type: "account", id: current.id, label: `${patch.name ?? current.name} (${current.accountId})` },
        awsAccountId: current.accountId,
        request: meta,
        details: { changed: Object.keys(patch).filter((k) => patch[k as keyof UpdateAccountInput] !== undefined).join(",") },
      },
      trx,
    );
  });
  return findAccount(db, actor, current.id);
}

/** Deleting an account that still has role entries deletes them (and their grants) only when
 * the caller confirms it as a cascade. */
export async function deleteAccount(actor: Actor, ref: string, opts: { cascade: boolean }, meta: RequestMeta): Promise<{ deletedRoles: number }> {
  assertPermission(actor, "accounts.manage");
  const db = await getDb();
  const account = await findAccount(db, actor, ref);
  if (account.roleCount > 0 && !opts.cascade) {
    throw conflict(
      `${account.name} (${account.accountId}) still has ${account.roleCount} role ${account.roleCount === 1 ? "entry" : "entries"}. Delete ${account.roleCount === 1 ? "it" : "them"} first, or confirm deleting the account with its roles and their grants (cascade).`,
    );
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("accounts").where("id", "=", account.id).execute();
    await recordAudit(
      {
        action: "account.delete",
        outcome: "success",
        actor,
        target: { type: "account", id: account.id, label: `${account.name} (${account.accountId})` },
        awsAccountId: account.accountId,
        request: meta,
        details: { deletedRoles: account.roleCount },
      },
      trx,
    );
  });
  return { deletedRoles: account.roleCount };
}
