import "server-only";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { badRequest, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { DEFAULT_POLICY, type EligibilityInput } from "./schemas";

// Who may ask for a role entry (role_eligibility) and under which rules (request_policies):
// issue 15 §1. An entry nobody is eligible for cannot be requested; an eligible entry without a
// policy row has DEFAULT_POLICY (any administrator approves, one approval, at most an hour, a
// reason required, no break-glass, live sessions revoked when access ends).

export type Policy = Omit<typeof DEFAULT_POLICY, "approvalsRequired"> & { approvalsRequired: 1 | 2; roleId: string; updatedAt: string | null };

const parseList = (json: string): string[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
};

export async function readPolicy(db: Kysely<Database>, roleId: string): Promise<Policy> {
  const row = await db.selectFrom("request_policies").selectAll().where("role_id", "=", roleId).executeTakeFirst();
  if (!row) return { ...DEFAULT_POLICY, roleId, updatedAt: null };
  return {
    roleId,
    approverUsers: parseList(row.approver_users),
    approverGroups: parseList(row.approver_groups),
    anyAdmin: row.any_admin === 1,
    approvalsRequired: row.approvals_required === 2 ? 2 : 1,
    maxDurationSeconds: row.max_duration_seconds,
    reasonRequired: row.reason_required === 1,
    ticketPattern: row.ticket_pattern,
    breakGlass: row.break_glass === 1,
    revokeOnEnd: row.revoke_on_end === 1,
    updatedAt: row.updated_at,
  };
}

/** May this person approve (or deny, end, review) requests under this policy? Never their own:
 * the caller checks that separately, with its own message. */
export function isApprover(actor: Actor, policy: Policy): boolean {
  if (policy.anyAdmin && actor.role === "admin") return true;
  if (policy.approverUsers.includes(actor.id)) return true;
  return actor.groups.some((g) => policy.approverGroups.includes(g));
}

/** Is the person eligible to ask for the entry (by name or through one of their groups)? */
export async function isEligible(db: Kysely<Database>, actor: Pick<Actor, "id" | "groups">, roleId: string): Promise<boolean> {
  const row = await db
    .selectFrom("role_eligibility")
    .select("id")
    .where("role_id", "=", roleId)
    .where((eb) => {
      const subjects = [eb("user_id", "=", actor.id)];
      if (actor.groups.length) subjects.push(eb("group_name", "in", actor.groups));
      return eb.or(subjects);
    })
    .executeTakeFirst();
  return Boolean(row);
}

export type Approvers = { people: Array<{ email: string; name: string }>; groups: string[]; anyAdmin: boolean };

/** Who will be asked, as the request dialog and the notifications name them. */
export async function approversOf(db: Kysely<Database>, policy: Policy): Promise<Approvers> {
  const people = policy.approverUsers.length
    ? await db.selectFrom("users").select(["email", "name"]).where("id", "in", policy.approverUsers).where("disabled_at", "is", null).orderBy("email").execute()
    : [];
  return { people, groups: policy.approverGroups, anyAdmin: policy.anyAdmin };
}

/** "any administrator, alice@example.com or the group platform-leads" */
export function describeApprovers(a: Approvers): string {
  const parts = [...(a.anyAdmin ? ["any administrator"] : []), ...a.people.map((p) => p.email), ...a.groups.map((g) => `the group ${g}`)];
  if (parts.length === 0) return "nobody (ask an administrator to name approvers)";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

export type EligibilityDto = {
  roleId: string;
  roleLabel: string;
  eligible: { users: Array<{ email: string; name: string }>; groups: string[] };
  policy: Omit<Policy, "approverUsers"> & { approverEmails: string[] };
};

async function roleLabel(db: Kysely<Database>, roleId: string): Promise<string> {
  const role = await db
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.display_name", "accounts.name as account_name"])
    .where("roles.id", "=", roleId)
    .executeTakeFirst();
  if (!role) throw notFound("No such role entry.");
  return `${role.account_name} / ${role.display_name}`;
}

/** GET /roles/{id}/eligibility — who may ask for the entry, and the rules. */
export async function getEligibility(actor: Actor, roleId: string): Promise<EligibilityDto> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const label = await roleLabel(db, roleId);
  return eligibilityDto(db, roleId, label);
}

async function eligibilityDto(db: Kysely<Database>, roleId: string, label: string): Promise<EligibilityDto> {
  const [rows, policy] = await Promise.all([
    db
      .selectFrom("role_eligibility")
      .leftJoin("users", "users.id", "role_eligibility.user_id")
      .select(["users.email", "users.name", "role_eligibility.group_name"])
      .where("role_eligibility.role_id", "=", roleId)
      .orderBy("users.email")
      .orderBy("role_eligibility.group_name")
      .execute(),
    readPolicy(db, roleId),
  ]);
  const approvers = policy.approverUsers.length ? await db.selectFrom("users").select(["id", "email"]).where("id", "in", policy.approverUsers).orderBy("email").execute() : [];
  const { approverUsers: _ids, ...rest } = policy;
  return {
    roleId,
    roleLabel: label,
    eligible: {
      users: rows.flatMap((r) => (r.email ? [{ email: r.email, name: r.name ?? r.email }] : [])),
      groups: rows.flatMap((r) => (r.group_name ? [r.group_name] : [])),
    },
    policy: { ...rest, approverEmails: approvers.map((a) => a.email) },
  };
}

/** PUT /roles/{id}/eligibility — replaces who may ask for the entry and its policy, in one
 * transaction with its audit row. */
export async function setEligibility(actor: Actor, roleId: string, input: EligibilityInput, meta: RequestMeta): Promise<EligibilityDto> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const label = await roleLabel(db, roleId);
  const emails = [...new Set([...input.userEmails, ...input.policy.approverEmails])];
  const users = emails.length ? await db.selectFrom("users").select(["id", "email"]).where("email", "in", emails).execute() : [];
  const byEmail = new Map(users.map((u) => [u.email, u.id]));
  const unknown = emails.filter((e) => !byEmail.has(e));
  if (unknown.length) {
    throw badRequest(`No user with the email ${unknown.join(", ")}. Add them on the Users page first (or name their group).`, {
      [input.userEmails.some((e) => unknown.includes(e)) ? "userEmails" : "approverEmails"]: "No such user",
    });
  }
  const p = input.policy;
  const approverIds = [...new Set(p.approverEmails.map((e) => byEmail.get(e)!))];
  if (!p.anyAdmin && approverIds.length === 0 && p.approverGroups.length === 0) {
    throw badRequest("Name at least one approver, an approver group, or let any administrator approve: otherwise nobody could approve a request.", { approverEmails: "Name an approver" });
  }
  if (p.approvalsRequired === 2 && !p.anyAdmin && p.approverGroups.length === 0 && approverIds.length < 2) {
    throw badRequest("Two approvals need at least two approvers (two people, a group, or any administrator).", { approvalsRequired: "Name a second approver" });
  }
  const now = new Date().toISOString();
  const groups = [...new Set(input.groups)];
  const userIds = [...new Set(input.userEmails.map((e) => byEmail.get(e)!))];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("role_eligibility").where("role_id", "=", roleId).execute();
    const rows = [
      ...userIds.map((id) => ({ id: newId(), role_id: roleId, user_id: id, group_name: null, created_by: actor.id, created_at: now })),
      ...groups.map((g) => ({ id: newId(), role_id: roleId, user_id: null, group_name: g, created_by: actor.id, created_at: now })),
    ];
    if (rows.length) await trx.insertInto("role_eligibility").values(rows).execute();
    const values = {
      approver_users: JSON.stringify(approverIds),
      approver_groups: JSON.stringify([...new Set(p.approverGroups)]),
      any_admin: p.anyAdmin ? 1 : 0,
      approvals_required: p.approvalsRequired,
      max_duration_seconds: p.maxDurationSeconds,
      reason_required: p.reasonRequired ? 1 : 0,
      ticket_pattern: p.ticketPattern,
      break_glass: p.breakGlass ? 1 : 0,
      revoke_on_end: p.revokeOnEnd ? 1 : 0,
      updated_by: actor.id,
      updated_at: now,
    } as const;
    await trx
      .insertInto("request_policies")
      .values({ role_id: roleId, ...values })
      .onConflict((oc) => oc.column("role_id").doUpdateSet(values))
      .execute();
    await recordAudit(
      {
        action: "eligibility.update",
        outcome: "success",
        actor,
        target: { type: "role", id: roleId, label },
        request: meta,
        details: {
          eligiblePeople: userIds.length,
          eligibleGroups: groups.length,
          approvalsRequired: p.approvalsRequired,
          maxDurationSeconds: p.maxDurationSeconds,
          anyAdmin: p.anyAdmin,
          approvers: approverIds.length,
          approverGroups: p.approverGroups.length,
          breakGlass: p.breakGlass,
          revokeOnEnd: p.revokeOnEnd,
        },
      },
      trx,
    );
  });
  return eligibilityDto(db, roleId, label);
}
