import "server-only";
import type { Kysely } from "kysely";
import { assertPermission, hasPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared";
import type { Database } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import type { MenuAccount, MenuData, MenuRequestable, MenuRole } from "./menu-types";
import { nowIso } from "@/lib/db/time";
import { accessEndsAt, accessEndsOf, usableBy } from "./visibility";

/** The role entries this person may use, with their account, this person's pins and recents, and
 * the last test of those that fail it: the one query the Switch Role menu and "Your roles" (the
 * home page, lib/catalog/your-roles.ts) both read, so they show an entry alike. Callers add their
 * own filters, order and ROLE_ENTRY_COLUMNS. */
export function usableRoleEntries(db: Kysely<Database>, actor: Actor, now: string = nowIso()) {
  return (
    db
      .selectFrom("roles")
      .innerJoin("accounts", "accounts.id", "roles.account_id")
      .leftJoin("role_usage", (join) => join.onRef("role_usage.role_id", "=", "roles.id").on("role_usage.user_id", "=", actor.id))
      // Only failing entries carry their last test (lib/catalog/role-health.ts).
      .leftJoin("role_health", (join) => join.onRef("role_health.role_id", "=", "roles.id").on("role_health.ok", "=", 0))
      .where(usableBy(actor, now))
  );
}

export const ROLE_ENTRY_COLUMNS = [
  "roles.id",
  "roles.role_name",
  "roles.display_name",
  "roles.color",
  "roles.default_region",
  "roles.external_id",
  "accounts.aws_account_id",
  "accounts.name as account_name",
  "accounts.alias",
  "accounts.environment",
  "accounts.color as account_color",
  "accounts.default_region as account_region",
  "accounts.partition",
  "role_usage.pinned",
  "role_usage.last_used_at",
  "role_usage.use_count",
  "role_health.why as health_why",
  "role_health.reason as health_reason",
  "role_health.tested_at as health_tested_at",
] as const;

type RoleEntryRow = {
  id: string;
  role_name: string;
  display_name: string;
  color: string | null;
  default_region: string | null;
  external_id: string | null;
  account_color: string;
  account_region: string;
  pinned: number | null;
  last_used_at: string | null;
  health_why: string | null;
  health_reason: string | null;
  health_tested_at: string | null;
};


/** What both lists show of an entry: its own colour and region, else its account's; a failing
 * entry's last test (absent for working and untested ones). */
export function roleEntryFields(r: RoleEntryRow): Pick<MenuRole, "id" | "name" | "label" | "color" | "region" | "pinned" | "lastUsedAt" | "requiresExternalId" | "health"> {
  return {
    id: r.id,
    name: r.role_name,
    label: r.display_name,
    color: r.color ?? r.account_color,
    region: r.default_region ?? r.account_region,
    pinned: r.pinned === 1,
    lastUsedAt: r.last_used_at,
    requiresExternalId: r.external_id !== null,
    ...(r.health_tested_at ? { health: { why: r.health_why ?? "unknown", reason: r.health_reason ?? "", testedAt: r.health_tested_at } } : {}),
  };
}

/** Everything the Switch Role menu shows, for the roles this person may switch into. */
export async function getMenuData(actor: Actor): Promise<MenuData> {
  assertPermission(actor, "sessions.create");
  const db = await getDb();
  const now = nowIso();
  const rows = await usableRoleEntries(db, actor, now).select(ROLE_ENTRY_COLUMNS).select(accessEndsAt(actor, now)).orderBy("accounts.name").orderBy("roles.display_name").execute();

  const accounts: MenuAccount[] = [];
  const accountIndex = new Map<string, number>();
  const roles: MenuRole[] = [];
  let last: { id: string; at: string } | null = null;
  for (const r of rows) {
    let a = accountIndex.get(r.aws_account_id);
    if (a === undefined) {
      a = accounts.length;
      accountIndex.set(r.aws_account_id, a);
      accounts.push({ id: r.aws_account_id, name: r.account_name, alias: r.alias, environment: r.environment, color: r.account_color, partition: r.partition });
    }
    const ends = accessEndsOf(actor, r.access_ends_at);
    roles.push({ ...roleEntryFields(r), a, uses: r.use_count ?? 0, ...(ends ? { accessEndsAt: ends } : {}) });
    if (r.last_used_at && (!last || r.last_used_at > last.at)) last = { id: r.id, at: r.last_used_at };
  }

  const requestable: MenuRequestable[] = [];
  for (const r of await requestableRoleEntries(db, actor, now)) {
    let a = accountIndex.get(r.aws_account_id);
    if (a === undefined) {
      a = accounts.length;
      accountIndex.set(r.aws_account_id, a);
      accounts.push({ id: r.aws_account_id, name: r.account_name, alias: r.alias, environment: r.environment, color: r.account_color, partition: r.partition });
    }
    requestable.push({ id: r.id, a, name: r.role_name, label: r.display_name, color: r.color ?? r.account_color, ...(r.pending ? { pending: true as const } : {}) });
  }
  return { accounts, roles, ...(requestable.length ? { requestable } : {}), lastRoleId: last?.id ?? null };
}

/** The entries this person may ask for (issue 15 §2.1) and cannot use now: eligible by user id or
 * through one of their groups — the condition of lib/access/policy.ts `isEligible`, written here
 * as one query over role_eligibility rather than one call per entry — minus those usableBy them
 * (a grant in force, or an administrator's every entry), each with whether a request of theirs
 * for it is waiting. */
export async function requestableRoleEntries(db: Kysely<Database>, actor: Actor, now: string) {
  // Administrators may use every entry: nothing is left to ask for.
  if (hasPermission(actor, "roles.manage")) return [];
  const rows = await db
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select([
      "roles.id",
      "roles.role_name",
      "roles.display_name",
      "roles.color",
      "accounts.aws_account_id",
      "accounts.name as account_name",
      "accounts.alias",
      "accounts.environment",
      "accounts.color as account_color",
      "accounts.partition",
    ])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("role_eligibility")
          .select("role_eligibility.id")
          .whereRef("role_eligibility.role_id", "=", "roles.id")
          .where((e) => {
            const subjects = [e("role_eligibility.user_id", "=", actor.id)];
            if (actor.groups.length) subjects.push(e("role_eligibility.group_name", "in", actor.groups));
            return e.or(subjects);
          }),
      ),
    )
    .where((eb) => eb.not(usableBy(actor, now)(eb)))
    .orderBy("accounts.name")
    .orderBy("roles.display_name")
    .execute();
  if (rows.length === 0) return [];
  const waiting = await db
    .selectFrom("access_requests")
    .select("role_id")
    .where("requester_id", "=", actor.id)
    .where("status", "=", "pending")
    .where("role_id", "in", rows.map((r) => r.id))
    .execute();
  const pending = new Set(waiting.map((w) => w.role_id));
  return rows.map((r) => ({ ...r, pending: pending.has(r.id) }));
}

/** The header button's label: the role last used, if it is still usable. */
export async function getLastRole(actor: Actor): Promise<{ id: string; label: string; accountName: string; color: string } | null> {
  const db = await getDb();
  const row = await db
    .selectFrom("role_usage")
    .innerJoin("roles", "roles.id", "role_usage.role_id")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.id", "roles.display_name", "roles.color", "accounts.name", "accounts.color as account_color"])
    .where("role_usage.user_id", "=", actor.id)
    .where("role_usage.last_used_at", "is not", null)
    .where(usableBy(actor))
    .orderBy("role_usage.last_used_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, label: row.display_name, accountName: row.name, color: row.color ?? row.account_color } : null;
}

/** Pins a role entry to the top of this person's menu (or unpins it). */
export async function setPinned(actor: Actor, roleId: string, pinned: boolean): Promise<void> {
  assertPermission(actor, "sessions.create");
  const db = await getDb();
  const role = await db.selectFrom("roles").select("id").where("id", "=", roleId).where(usableBy(actor)).executeTakeFirst();
  if (!role) throw notFound("No such role in your menu.");
  await db
    .insertInto("role_usage")
    .values({ user_id: actor.id, role_id: roleId, pinned: pinned ? 1 : 0, use_count: 0, last_used_at: null, last_region: null })
    .onConflict((oc) => oc.columns(["user_id", "role_id"]).doUpdateSet({ pinned: pinned ? 1 : 0 }))
    .execute();
}

/** Counts a switch for the menu's recent list. */
export async function recordUsage(actor: Actor, roleId: string, region: string): Promise<void> {
  await upsertUsage(await getDb(), { userId: actor.id, roleId, now: new Date().toISOString(), region });
}

/** Every switch counts a use: built once (lib/db/prepared.ts). */
const upsertUsage = preparedQuery((db, arg) =>
  db
    .insertInto("role_usage")
    .values({ user_id: arg("userId"), role_id: arg("roleId"), pinned: 0, use_count: 1, last_used_at: arg("now"), last_region: arg("region") })
    .onConflict((oc) => oc.columns(["user_id", "role_id"]).doUpdateSet((eb) => ({ use_count: eb("role_usage.use_count", "+", 1), last_used_at: arg("now"), last_region: arg("region") }))),
);
