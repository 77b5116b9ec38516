import "server-only";
import { sql, type Kysely } from "kysely";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import type { ConsoleRole } from "@/lib/config/schema";
import { preparedQuery } from "@/lib/db/prepared";
import type { Database } from "@/lib/db/schema";
import { nowIso } from "@/lib/db/time";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { healthOf } from "./role-health";
import { roleArnOf, type RoleDto } from "./role-dto";
import { accessEndsAt, accessEndsOf, grantedTo, usableBy, visibleTo } from "./visibility";

const COLUMNS = [
  "roles.id",
  "roles.account_id",
  "roles.role_name",
  "roles.path",
  "roles.display_name",
  "roles.color",
  "roles.default_region",
  "roles.session_duration",
  "roles.role_max_session_duration",
  "roles.external_id",
  "roles.set_source_identity",
  "roles.description",
  "roles.source",
  "roles.created_at",
  "roles.updated_at",
  "accounts.aws_account_id",
  "accounts.name as account_name",
  "accounts.environment",
  "accounts.partition",
  "accounts.color as account_color",
  "accounts.default_region as account_region",
  "accounts.provisioning_role_name",
  // The entry's last test (lib/catalog/role-health.ts): one row per entry, by its primary key.
  "role_health.ok as health_ok",
  "role_health.code as health_code",
  "role_health.why as health_why",
  "role_health.reason as health_reason",
  "role_health.tested_at as health_tested_at",
  "role_health.source as health_source",
] as const;

function base(db: Kysely<Database>) {
  return db.selectFrom("roles").innerJoin("accounts", "accounts.id", "roles.account_id").leftJoin("role_health", "role_health.role_id", "roles.id").select(COLUMNS);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>["executeTakeFirstOrThrow"]>>;

export function toRoleDto(r: Row, actor: Actor): RoleDto {
  return rowToDto(r, hasPermission(actor, "roles.manage"));
}

function rowToDto(r: Row, withExternalId: boolean): RoleDto {
  return {
    id: r.id,
    accountRef: r.account_id,
    accountId: r.aws_account_id,
    accountName: r.account_name,
    environment: r.environment,
    partition: r.partition,
    roleName: r.role_name,
    path: r.path,
    roleArn: roleArnOf(r.partition, r.aws_account_id, r.path, r.role_name),
    displayName: r.display_name,
    color: r.color ?? r.account_color,
    ownColor: r.color,
    defaultRegion: r.default_region ?? r.account_region,
    ownDefaultRegion: r.default_region,
    sessionDuration: r.session_duration,
    roleMaxSessionDuration: r.role_max_session_duration,
    requiresExternalId: r.external_id !== null,
    ...(withExternalId ? { externalId: r.external_id } : {}),
    sourceIdentity: r.set_source_identity === 1,
    description: r.description,
    source: r.source,
    health: healthOf(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Role entries the caller may see, optionally in one account (registry id). */
export async function queryRoles(db: Kysely<Database>, actor: Actor, filter: { accountRef?: string } = {}): Promise<RoleDto[]> {
  let query = base(db).where(visibleTo(actor));
  if (filter.accountRef) query = query.where("roles.account_id", "=", filter.accountRef);
  const rows = await query.orderBy("accounts.name").orderBy("roles.display_name").execute();
  return rows.map((r) => toRoleDto(r, actor));
}

export async function findRole(db: Kysely<Database>, actor: Actor, id: string): Promise<RoleDto> {
  const row = await base(db).where("roles.id", "=", id).where(visibleTo(actor)).executeTakeFirst();
  if (!row) throw notFound("No such role entry.");
  return toRoleDto(row, actor);
}

/** What the grant check read that a switch's cached credentials depend on (see
 * lib/sessions/credential-cache.ts): the grants that give the caller this entry, and the latest
 * revocation in it that covers their sessions. Read in the same query as the check. */
export type SwitchFreshness = { grants: string; revokedBefore: string | null };

/** The switch's one query: built once per console role and number of identity-provider groups
 * (lib/db/prepared.ts), since every switch makes it. The actor it is built for stands in for the
 * caller, with placeholders for the values. */
const usableRoleQuery = preparedQuery((db, arg, shape: `${ConsoleRole}:${number}`) => {
  const [role, groupCount] = shape.split(":") as [ConsoleRole, string];
  const caller = { role, id: arg("actorId"), awsIdentity: arg("awsIdentity"), groups: Array.from({ length: Number(groupCount) }, (_, i) => arg(`group${i}`)) } as Actor;
  return base(db)
    .select((eb) => [
      // Grant ids are time-ordered and never reused: the count and the newest id change when a
      // grant giving access is removed or added. One text value, the same on both dialects.
      eb
        .selectFrom("grants")
        .select(sql<string | null>`count(*) || ':' || coalesce(max(grants.id), '')`.as("key"))
        .whereRef("grants.role_id", "=", "roles.id")
        .where(grantedTo(caller, arg("now")))
        .as("grant_key"),
      accessEndsAt(caller, arg("now"))(eb),
      eb
        .selectFrom("session_revocations")
        .select((r) => r.fn.max("session_revocations.revoked_before").as("before"))
        .whereRef("session_revocations.role_id", "=", "roles.id")
        .where((r) => r.or([r("session_revocations.session_name", "is", null), r("session_revocations.session_name", "=", caller.awsIdentity)]))
        .as("revoked_before"),
    ])
    .where("roles.id", "=", arg("roleId"))
    .where(usableBy(caller, arg("now")));
});

/** The entry with everything a switch needs, only if the caller may switch into it. An entry
 * that exists but is not granted is refused with 403 (ids are not secret; the grant is). */
export async function findUsableRole(db: Kysely<Database>, actor: Actor, id: string) {
  // The clock is read on every check: a grant's expiry ends access on the next request, cached
  // credentials or not (the cache is consulted only after this check).
  const now = nowIso();
  const args: Record<string, unknown> = { roleId: id, actorId: actor.id, awsIdentity: actor.awsIdentity, now };
  actor.groups.forEach((group, i) => (args[`group${i}`] = group));
  const [row] = await usableRoleQuery(db, args, `${actor.role}:${actor.groups.length}`);
  if (row) {
    const freshness: SwitchFreshness = { grants: row.grant_key ?? "", revokedBefore: row.revoked_before ?? null };
    // When the person's access ends, for the session not to outlive it (null: it does not).
    const ends = accessEndsOf(actor, row.access_ends_at);
    return { role: toRoleDto(row, actor), externalId: row.external_id, provisioningRoleName: row.provisioning_role_name, freshness, accessEndsAt: ends ? Date.parse(ends) : null };
  }
  const exists = await db.selectFrom("roles").select(["id", "display_name"]).where("id", "=", id).executeTakeFirst();
  if (exists) {
    // Only on a refusal: did a grant of theirs end? Then say so, and when.
    const ended = await db
      .selectFrom("grants")
      .select((eb) => eb.fn.max("grants.expires_at").as("at"))
      .where("grants.role_id", "=", id)
      .where((g) => {
        const subjects = [g("grants.user_id", "=", actor.id)];
        if (actor.groups.length) subjects.push(g("grants.group_name", "in", actor.groups));
        return g.or(subjects);
      })
      .where("grants.expires_at", "<=", now)
      .executeTakeFirst();
    if (ended?.at) throw new AppError("forbidden", `Your access to ${exists.display_name} ended at ${describeInstant(ended.at)}; ask an administrator.`, { details: { accessEndedAt: ended.at } });
    throw forbidden("This role is not granted to you. Ask an administrator for a grant.");
  }
  throw notFound("No such role entry.");
}

/** An instant as people read it in a message, in UTC (the server does not know their zone). */
function describeInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** An entry with what a test of it needs, whoever asks: for the console's own background
 * re-test, which runs for nobody. Unsafe: no caller is checked; what it tests is written only to
 * role_health and the audit log, never shown to anyone the catalog would not show it to.
 * Undefined when the entry is gone. */
export async function unsafeFindRoleForTest(db: Kysely<Database>, id: string) {
  const row = await base(db).where("roles.id", "=", id).executeTakeFirst();
  return row ? { role: rowToDto(row, false), externalId: row.external_id, provisioningRoleName: row.provisioning_role_name } : undefined;
}
