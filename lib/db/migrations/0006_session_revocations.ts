import "server-only";
import { sql, type Kysely } from "kysely";
import { isoTimestamp } from "./checks";

// What the console has revoked, as the store's own record of the deny policies it wrote
// (lib/revocation/): one row per revocation in a role entry, for one person (by the session name
// the deny matches) or for everyone. The IAM policy is what AWS enforces; this table is what every
// console instance reads on the next switch, so that credentials it holds in memory from before a
// revocation are never handed out again (lib/sessions/credential-cache.ts), and what the Active
// sessions view marks as revoked — including people folded into "everyone before" when the
// policy had to be compacted.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("session_revocations")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id").onDelete("cascade"))
    /** The RoleSessionName/SourceIdentity the deny matches; null: every session of the role. */
    .addColumn("session_name", "text")
    /** Sessions issued before this time are denied (whole seconds, as the policy says). */
    .addColumn("revoked_before", "text", (c) => c.notNull().check(isoTimestamp("revoked_before")))
    .addColumn("actor_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .execute();
  // The switch's question: the latest revocation in this role for this person or for everyone.
  await sql`create index session_revocations_role on session_revocations (role_id, revoked_before)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("session_revocations").execute();
}
