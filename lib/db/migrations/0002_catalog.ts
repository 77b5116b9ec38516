import "server-only";
import { sql, type Kysely } from "kysely";
import { digits, flag, isoTimestamp, oneOf } from "./checks";

// The catalog: AWS accounts, the role entries in them, who may use which (grants), and each
// person's pins and recent roles.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("aws_account_id", "text", (c) => c.notNull().unique().check(digits("aws_account_id", 12)))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("alias", "text")
    .addColumn("environment", "text", (c) =>
      c.notNull().defaultTo("other").check(oneOf("environment", ["production", "staging", "development", "test", "operations", "sandbox", "other"])),
    )
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("default_region", "text", (c) => c.notNull().defaultTo("us-east-1"))
    .addColumn("partition", "text", (c) => c.notNull().defaultTo("aws").check(oneOf("partition", ["aws", "aws-us-gov", "aws-cn", "aws-eusc"])))
    .addColumn("provisioning_role_name", "text", (c) => c.notNull().defaultTo("OrganizationAccountAccessRole"))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) => c.notNull().defaultTo("manual").check(oneOf("source", ["manual", "organizations"])))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    .execute();

  await db.schema
    .createTable("roles")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("role_name", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull().defaultTo("/"))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("color", "text")
    .addColumn("default_region", "text")
    // AssumeRole's DurationSeconds range:
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
    .addColumn("session_duration", "integer", (c) => c.check(sql`${sql.ref("session_duration")} between 900 and 43200`))
    .addColumn("external_id", "text")
    .addColumn("set_source_identity", "integer", (c) => c.notNull().defaultTo(1).check(flag("set_source_identity")))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) => c.notNull().defaultTo("manual").check(oneOf("source", ["manual", "discovered", "wizard"])))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    // IAM role names are unique per account whatever their path. Its index, led by account_id,
    // also serves "the roles of an account" and the cascade from accounts.
    .addUniqueConstraint("roles_account_id_role_name_key", ["account_id", "role_name"])
    .execute();

  await db.schema
    .createTable("grants")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("group_name", "text")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addCheckConstraint("grants_one_grantee", sql`(${sql.ref("user_id")} is null) <> (${sql.ref("group_name")} is null)`)
    // Both indexes are led by role_id, so they also serve "who may use this role" and the
    // cascade from roles.
    .addUniqueConstraint("grants_role_id_user_id_key", ["role_id", "user_id"])
    .addUniqueConstraint("grants_role_id_group_name_key", ["role_id", "group_name"])
    .execute();
  await db.schema.createIndex("grants_user_id").on("grants").column("user_id").execute();
  await db.schema.createIndex("grants_group_name").on("grants").column("group_name").execute();
  // Deleting a user sets created_by to null: without an index that is a scan of every grant.
  await db.schema.createIndex("grants_created_by").on("grants").column("created_by").execute();

  await db.schema
    .createTable("role_usage")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id").onDelete("cascade"))
    .addColumn("pinned", "integer", (c) => c.notNull().defaultTo(0).check(flag("pinned")))
    .addColumn("use_count", "integer", (c) => c.notNull().defaultTo(0).check(sql`${sql.ref("use_count")} >= 0`))
    .addColumn("last_used_at", "text", (c) => c.check(isoTimestamp("last_used_at")))
    .addColumn("last_region", "text")
    .addPrimaryKeyConstraint("role_usage_pkey", ["user_id", "role_id"])
    .execute();
  // The primary key serves lookups by user; this one the cascade from roles.
  await db.schema.createIndex("role_usage_role_id").on("role_usage").column("role_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("role_usage").execute();
  await db.schema.dropTable("grants").execute();
  await db.schema.dropTable("roles").execute();
  await db.schema.dropTable("accounts").execute();
}
