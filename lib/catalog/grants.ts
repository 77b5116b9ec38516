import "server-only";
import { sql } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { credentialCache } from "@/lib/sessions/credential-cache";
import { findRole, queryRoles } from "./role-queries";
import type { CreateGrantInput, CreateGrantsInput, ListGrantsFilter, UpdateGrantInput } from "./schemas";

export type GrantDto = {
  id: string;
  roleId: string;
  roleArn: string;
  roleLabel: string;
  accountName: string;
  /** The account's registry id (for filtering by account). */
  accountRef: string;
  /** Exactly one of user / group. */
  user: { id: string; email: string; name: string } | null;
  group: string | null;
  createdAt: string;
  createdBy: string | null;
  /** When the grant stops giving access (ISO); null: never. An expired grant is still listed here
   * (and removable) but gives no access (lib/catalog/visibility.ts). */
  expiresAt: string | null;
};

export async function listGrants(actor: Actor, filter: ListGrantsFilter & { id?: string; ids?: string[] } = {}): Promise<GrantDto[]> {
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
      "grants.expires_at",
      "roles.role_name",
      "roles.path",
      "roles.display_name",
      "accounts.aws_account_id",
      "accounts.partition",
      "accounts.name as account_name",
      "accounts.id as account_ref",
      "users.id as user_id",
      "users.email as user_email",
      "users.name as user_name",
      "creators.email as created_by",
    ]);
  if (filter.roleId) query = query.where("grants.role_id", "=", filter.roleId);
  if (filter.id) query = query.where("grants.id", "=", filter.id);
  if (filter.ids) query = filter.ids.length ? query.where("grants.id", "in", filter.ids) : query.where(sql<boolean>`1 = 0`);
  if (filter.userEmail) query = query.where("users.email", "=", filter.userEmail);
  if (filter.group) query = query.where("grants.group_name", "=", filter.group);
  if (filter.accountId) query = query.where("accounts.id", "=", filter.accountId);
  const rows = await query.orderBy("accounts.name").orderBy("roles.display_name").orderBy("grants.created_at").execute();
  return rows.map((r) => ({
    id: r.id,
    roleId: r.role_id,
    roleArn: `arn:${r.partition}:iam::${r.aws_account_id}:role${r.path}${r.role_name}`,
    roleLabel: r.display_name,
    accountName: r.account_name,
    accountRef: r.account_ref,
    user: r.user_id ? { id: r.user_id, email: r.user_email!, name: r.user_name! } : null,
    group: r.group_name,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
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
        .values({ id, role_id: role.id, user_id: userId, group_name: "group" in input ? input.group : null, created_by: actor.id, created_at: new Date().toISOString(), expires_at: input.expiresAt ?? null })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`${role.displayName} is already granted to ${subject}.`);
      throw err;
    }
    await recordAudit(
      { action: "grant.create", outcome: "success", actor, target: { type: "grant", id, label: `${role.roleArn} → ${subject}` }, awsAccountId: role.accountId, request: meta, ...expiryDetails(input.expiresAt) },
      trx,
    );
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
  forgetGrantCredentials([grant]);
}

/** After grants are removed (committed): the grant check refuses the next switch on every
 * instance; this one also lets go of the credentials it holds (a group grant: everyone's in the
 * entry, as who was in the group is not known here). Also used by access reviews (lib/access/reviews.ts). */
export function forgetGrantCredentials(grants: ReadonlyArray<{ roleId: string; user: { id: string } | null }>): void {
  for (const grant of grants) credentialCache().forgetRole(grant.roleId, grant.user?.id);
}

const expiryDetails = (expiresAt: string | undefined) => (expiresAt ? { details: { expiresAt } } : {});

/** Changes when a grant ends (a new time) or makes it standing (null). Audited with the expiry
 * before and after. Shortening it into the past is refused by the input's check; the new expiry
 * is compared with the clock on the next request. */
export async function updateGrant(actor: Actor, id: string, input: UpdateGrantInput, meta: RequestMeta): Promise<GrantDto> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const [grant] = await listGrants(actor, { id });
  if (!grant) throw notFound("No such grant.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("grants").set({ expires_at: input.expiresAt }).where("id", "=", id).execute();
    await recordAudit(
      {
        action: "grant.update",
        outcome: "success",
        actor,
        target: { type: "grant", id, label: `${grant.roleArn} → ${grant.user?.email ?? `group ${grant.group}`}` },
        request: meta,
        // Before and after (null: no expiry).
        details: { expiresAtBefore: grant.expiresAt, expiresAtAfter: input.expiresAt },
      },
      trx,
    );
  });
  const [updated] = await listGrants(actor, { id });
  return updated!;
}

export type CreateGrantsResult = {
  created: GrantDto[];
  /** Pairs that were granted already, left as they were. */
  existing: Array<{ roleId: string; roleLabel: string; subject: string }>;
};

const subjectLabel = (subject: { email: string } | { group: string }) => ("email" in subject ? subject.email : `group ${subject.group}`);

/** Grants several role entries to several people and groups in one step: every pair not granted
 * yet is added, each with its own audit event, all in one transaction (all or nothing); pairs
 * already granted are reported and left alone, so the same request can be sent twice. */
export async function createGrants(actor: Actor, input: CreateGrantsInput, meta: RequestMeta): Promise<CreateGrantsResult> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const roleIds = [...new Set(input.roleIds)];
  const emails = [...new Set(input.userEmails)];
  const groups = [...new Set(input.groups)];
  const visible = new Map((await queryRoles(db, actor, {})).map((r) => [r.id, r]));
  const missingRoles = roleIds.filter((id) => !visible.has(id));
  if (missingRoles.length) {
    throw notFound(missingRoles.length === 1 ? "One of the chosen roles no longer exists; reload the page." : `${missingRoles.length} of the chosen roles no longer exist; reload the page.`);
  }
  const users = emails.length ? await db.selectFrom("users").select(["id", "email"]).where("email", "in", emails).execute() : [];
  const unknown = emails.filter((e) => !users.some((u) => u.email === e));
  if (unknown.length) {
    throw badRequest(`No user with the email ${unknown.join(", ")}. Add them on the Users page first (people from single sign-on appear after their first sign-in; grant their group instead).`, {
      userEmails: "No such user",
    });
  }
  const subjects: Array<{ userId: string; email: string } | { group: string }> = [...users.map((u) => ({ userId: u.id, email: u.email })), ...groups.map((group) => ({ group }))];
  const ids: string[] = [];
  const existing: CreateGrantsResult["existing"] = [];
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("grants").select(["role_id", "user_id", "group_name"]).where("role_id", "in", roleIds).execute();
    const held = new Set(current.map((g) => `${g.role_id}\u0000${g.user_id ?? ""}\u0000${g.group_name ?? ""}`));
    const now = new Date().toISOString();
    for (const roleId of roleIds) {
      const role = visible.get(roleId)!;
      for (const subject of subjects) {
        const userId = "userId" in subject ? subject.userId : null;
        const group = "group" in subject ? subject.group : null;
        if (held.has(`${roleId}\u0000${userId ?? ""}\u0000${group ?? ""}`)) {
          existing.push({ roleId, roleLabel: role.displayName, subject: subjectLabel(subject) });
          continue;
        }
        const id = newId();
        await trx.insertInto("grants").values({ id, role_id: roleId, user_id: userId, group_name: group, created_by: actor.id, created_at: now, expires_at: input.expiresAt ?? null }).execute();
        await recordAudit(
          { action: "grant.create", outcome: "success", actor, target: { type: "grant", id, label: `${role.roleArn} → ${subjectLabel(subject)}` }, awsAccountId: role.accountId, request: meta, ...expiryDetails(input.expiresAt) },
          trx,
        );
        ids.push(id);
      }
    }
  });
  return { created: await listGrants(actor, { ids }), existing };
}

/** Removes several grants in one step (one transaction, an audit event each). Every id must
 * still exist, so that what the administrator reviewed is what is removed. */
export async function deleteGrants(actor: Actor, ids: string[], meta: RequestMeta): Promise<GrantDto[]> {
  assertPermission(actor, "grants.manage");
  const unique = [...new Set(ids)];
  const grants = await listGrants(actor, { ids: unique });
  if (grants.length !== unique.length) {
    const gone = unique.length - grants.length;
    throw notFound(`${gone === 1 ? "One of these grants has" : `${gone} of these grants have`} already been removed; reload the page and choose again.`);
  }
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("grants").where("id", "in", unique).execute();
    for (const grant of grants) {
      await recordAudit(
        { action: "grant.delete", outcome: "success", actor, target: { type: "grant", id: grant.id, label: `${grant.roleArn} → ${grant.user?.email ?? `group ${grant.group}`}` }, request: meta },
        trx,
      );
    }
  });
  forgetGrantCredentials(grants);
  return grants;
}
