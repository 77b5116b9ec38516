import "server-only";
import { sql, type Kysely } from "kysely";
import { isoTimestamp, oneOf } from "./checks";

// People who can sign in, and the append-only audit log.
//
// A migration describes the schema as it was when it was written: it spells out its own values
// and never imports the current types or constants from ../schema.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    // Stored lower-cased, so that the unique index is a case-insensitive one on both dialects.
    .addColumn("email", "text", (c) => c.notNull().unique().check(sql`${sql.ref("email")} = lower(${sql.ref("email")})`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(oneOf("role", ["admin", "operator", "auditor"])))
    .addColumn("password_hash", "text")
    .addColumn("auth_provider", "text", (c) => c.notNull().defaultTo("local").check(oneOf("auth_provider", ["local", "oidc"])))
    // Unique when set: both dialects let any number of rows hold null in a unique column.
    .addColumn("oidc_subject", "text", (c) => c.unique())
    .addColumn("groups", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("disabled_at", "text", (c) => c.check(isoTimestamp("disabled_at")))
    .addColumn("session_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("failed_sign_ins", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "text", (c) => c.check(isoTimestamp("locked_until")))
    .addColumn("last_sign_in_at", "text", (c) => c.check(isoTimestamp("last_sign_in_at")))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    .execute();

  // No foreign keys: an event must outlive the user, account or role it names.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("at", "text", (c) => c.notNull().check(isoTimestamp("at")))
    .addColumn("actor_id", "text")
    .addColumn("actor_email", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(oneOf("outcome", ["success", "failure", "denied"])))
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("target_label", "text")
    .addColumn("aws_account_id", "text")
    .addColumn("reason", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("request_id", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();
  await db.schema.createIndex("audit_events_actor_id").on("audit_events").column("actor_id").execute();
  await db.schema.createIndex("audit_events_action").on("audit_events").column("action").execute();
  await db.schema.createIndex("audit_events_aws_account_id").on("audit_events").column("aws_account_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_events").execute();
  await db.schema.dropTable("users").execute();
}
