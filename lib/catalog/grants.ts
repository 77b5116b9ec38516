import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { findRole } from "./role-queries";
import type { CreateGrantInput } from "./schemas";
import { credentialCache } from "@/lib/sessions/credential-cache";

export type GrantDto = {
  id: string;
  roleId: string;
  roleArn: string;
  roleLabel: string;
  accountName: string;
  /** Exactly one of user / group. */
  user: { id: string; email: string; name: string } | null;
  group: string | null;
  createdAt: string;
  createdBy: string | null;
};

export async function listGrants(actor: Actor, filter: { roleId?: string; id?: string } = {}): Promise<GrantDto[]> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  let query = db
    .selectFrom("grants")
    .innerJoin("roles", "roles.id", "grants.role_id")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .leftJoin("users", "users.id", "grants.user_id")
    .leftJoin("users as creators", "creators.id", "grants.created_by")
    .select([
      "grants.id",
      "grants.role_id",
      "grants.group_name",
      "grants.created_at",
      "roles.role_name",
      "roles.path",
      "roles.display_name",
      "accounts.aws_account_id",
      "accounts.partition",
      "accounts.name as account_name",
      "users.id as user_id",
      "users.email as user_email",
      "users.name as user_name",
      "creators.email as created_by",
    ]);
  if (filter.roleId) query = query.where("grants.role_id", "=", filter.roleId);
  if (filter.id) query = query.where("grants.id", "=", filter.id);
  const rows = await query.orderBy("accounts.name").orderBy("roles.display_name").orderBy("grants.created_at").execute();
  return rows.map((r) => ({
    id: r.id,
    roleId: r.role_id,
    roleArn: `arn:${r.partition}:iam::${r.aws_account_id}:role${r.path}${r.role_name}`,
    roleLabel: r.display_name,
    accountName: r.account_name,
    user: r.user_id ? { id: r.user_id, email: r.user_email!, name: r.user_name! } : null,
    group: r.group_name,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

/** Grants a role entry to one user (by email) or to everyone in an identity-provider group. */
export async function createGrant(actor: Actor, input: CreateGrantInput, meta: RequestMeta): Promise<GrantDto> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const role = await findRole(db, actor, input.roleId);
  let userId: string | null = null;
  let subject: string;
  if ("userEmail" in input) {
    const user = await db.selectFrom("users").select(["id", "email"]).where("email", "=", input.userEmail).executeTakeFirst();
    if (!user) throw badRequest(`No user with the email ${input.userEmail}. Add them on the Users page first (people from single sign-on appear after their first sign-in; grant their group instead).`, { userEmail: "No such user" });
    userId = user.id;
    subject = user.email;
  } else {
    subject = `group ${input.group}`;
  }
  const id = newId();
  await db.transaction().execute(async (trx) => {
    try {
      await trx
        .insertInto("grants")
        .values({ id, role_id: role.id, user_id: userId, group_name: "group" in input ? input.group : null, created_by: actor.id, created_at: new Date().toISOString() })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`${role.displayName} is already granted to ${subject}.`);
      throw err;
    }
    await recordAudit({ action: "grant.create", outcome: "success", actor, target: { type: "grant", id, label: `${role.roleArn} → ${subject}` }, awsAccountId: role.accountId, request: meta }, trx);
  });
  const [grant] = await listGrants(actor, { id });
  return grant!;
}

export async function deleteGrant(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const [grant] = await listGrants(actor, { id });
  if (!grant) throw notFound("No such grant.");
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("grants").where("id", "=", id).execute();
    await recordAudit(
      {
        action: "grant.delete",
        outcome: "success",
        actor,
        target: { type: "grant", id, label: `${grant.roleArn} → ${grant.user?.email ?? `group ${grant.group}`}` },
        request: meta,
      },
      trx,
    );
  });
  // The grant check refuses the next switch on every instance; this one also lets go of the
  // credentials it holds (a group grant: everyone's in the entry, as who was in the group is not
  // known here).
  credentialCache().forgetRole(grant.roleId, grant.user?.id);
}
