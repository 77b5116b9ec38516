import "server-only";
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/time";

/** The role entries a person may use: everything for those who manage the catalog (nothing is
 * granted by default except to administrators), otherwise what is granted to them or to one
 * of their identity-provider groups. Written as a condition on `roles` so that every query —
 * list, get, switch — carries the check itself. */
export function usableBy(actor: Actor, now?: string) {
  return (eb: ExpressionBuilder<Database, "roles">) => {
    if (hasPermission(actor, "roles.manage")) return eb.lit(true);
    return eb.exists(eb.selectFrom("grants").select("grants.id").whereRef("grants.role_id", "=", "roles.id").where(grantedTo(actor, now)));
  };
}

/** Grants that name the person or one of their identity-provider groups and have not expired.
 * `now` is the clock (ISO, as the store keeps timestamps; tests fake `Date`); the prepared grant
 * check passes a placeholder for it (lib/catalog/role-queries.ts). A grant gives access until
 * the instant before its `expires_at`, on every request, whatever else runs. */
export function grantedTo(actor: Actor, now: string = nowIso()) {
  return (g: ExpressionBuilder<Database, "grants">) => {
    const subjects = [g("grants.user_id", "=", actor.id)];
    if (actor.groups.length) subjects.push(g("grants.group_name", "in", actor.groups));
    return g.and([g.or(subjects), unexpired(now)(g)]);
  };
}

/** Grants still in force at `now`: no expiry, or one still ahead. */
export function unexpired(now: string) {
  return (g: ExpressionBuilder<Database, "grants">) => g.or([g("grants.expires_at", "is", null), g("grants.expires_at", ">", now)]);
}

/** Who can see (not necessarily use) the catalog: administrators and auditors see all of it;
 * operators see only the entries they may use. */
export function visibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database, "roles">) => (hasPermission(actor, "audit.read") ? eb.lit(true) : usableBy(actor)(eb));
}

export type Db = Kysely<Database>;

/** Standing access in accessEndsAt's maximum: after every real time. */
const NEVER = "9999-12-31T23:59:59.999Z";

/** When this person's access to the entry ends: the latest expiry among their grants in force
 * (a standing grant: never). Select it beside the entry's columns (the menu, "Your roles", the switch's grant check); read it
 * with `accessEndsOf`. */
export function accessEndsAt(actor: Actor, now: string) {
  return (eb: ExpressionBuilder<Database, "roles">) =>
    eb
      .selectFrom("grants")
      .select(sql<string | null>`max(coalesce(${sql.ref("grants.expires_at")}, ${NEVER}))`.as("ends"))
      .whereRef("grants.role_id", "=", "roles.id")
      .where(grantedTo(actor, now))
      .as("access_ends_at");
}

/** The time access ends, or undefined when it does not (standing grants; administrators, who may
 * use every entry whatever is granted). */
export function accessEndsOf(actor: Actor, value: string | null): string | undefined {
  if (!value || value === NEVER || hasPermission(actor, "roles.manage")) return undefined;
  return value;
}
