import "server-only";
import type { Kysely } from "kysely";
import { isoTimestamp, oneOf } from "./checks";

// Personal access tokens: how the command line (and any script of a person's) calls the API as
// that person, with less than their console session can do (lib/tokens/). The token itself is
// never stored: only its SHA-256, which is enough for a secret of 238 random bits (no password
// stretching is needed, and the look-up is one indexed equality).

/** What a token may do. Part of this migration's history: add a value in a new migration. */
const SCOPES = ["read", "switch"] as const;
const ORIGINS = ["web", "device"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("personal_tokens")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull().check(oneOf("scope", SCOPES)))
    /** SHA-256 of the whole token, lowercase hex. */
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    /** The token's last four characters, so a person can tell their tokens apart. */
    .addColumn("hint", "text", (c) => c.notNull())
    /** Where it was made: the tokens page, or a device sign-in from the CLI. */
    .addColumn("created_via", "text", (c) => c.notNull().check(oneOf("created_via", ORIGINS)))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("expires_at", "text", (c) => c.notNull().check(isoTimestamp("expires_at")))
    .addColumn("last_used_at", "text", (c) => c.check(isoTimestamp("last_used_at")))
    .addColumn("last_used_ip", "text")
    .addColumn("revoked_at", "text", (c) => c.check(isoTimestamp("revoked_at")))
    /** Why it stopped working before its expiry, in words ("revoked by …", "the person was disabled"). */
    .addColumn("revoked_reason", "text")
    .execute();
  await db.schema.createIndex("personal_tokens_user").on("personal_tokens").columns(["user_id", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("personal_tokens").execute();
}
