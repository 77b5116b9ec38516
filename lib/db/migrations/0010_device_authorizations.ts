import "server-only";
import type { Kysely } from "kysely";
import { isoTimestamp, oneOf } from "./checks";

// Device sign-in for the command line (RFC 8628, the OAuth 2.0 Device Authorization Grant;
// lib/device/): `switchboard login <url>` starts a request here, a person approves it in the
// console, and the command line's next poll receives one personal access token.
//
// Neither code is stored as it is. The device code (256 random bits, the command line's proof
// that it started this request) is kept as its SHA-256, like a token. The user code (8 letters,
// what the person types) is kept as the SHA-256 of its normalised form: it has too little entropy
// for the hash to hide it from someone who reads the store, but it lives 10 minutes, and a
// backup or a log of the table never shows a live one.

/** Part of this migration's history: add a value in a new migration. */
const STATUSES = ["pending", "approved", "denied", "consumed"] as const;
const SCOPES = ["switch"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("device_authorizations")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    /** SHA-256 of the device code, lowercase hex. */
    .addColumn("device_code_hash", "text", (c) => c.notNull().unique())
    /** SHA-256 of the normalised user code (8 letters, no dash), lowercase hex. Not unique: an
     * expired request may share a code with a live one; a new code is never one a live request has. */
    .addColumn("user_code_hash", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(oneOf("status", STATUSES)))
    .addColumn("scope", "text", (c) => c.notNull().check(oneOf("scope", SCOPES)))
    /** What the command line says it is ("switchboard CLI on host … (linux)"), at most 64 characters. */
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("requester_ip", "text")
    .addColumn("requester_user_agent", "text")
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("expires_at", "text", (c) => c.notNull().check(isoTimestamp("expires_at")))
    /** The command line's last poll, and the interval it must keep (RFC 8628 §3.5: slow_down adds 5 s). */
    .addColumn("last_polled_at", "text", (c) => c.check(isoTimestamp("last_polled_at")))
    .addColumn("interval_seconds", "integer", (c) => c.notNull())
    /** Who approved or denied it, and when. */
    .addColumn("decided_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decided_at", "text", (c) => c.check(isoTimestamp("decided_at")))
    /** The token the command line received (status consumed). */
    .addColumn("token_id", "text", (c) => c.references("personal_tokens.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("device_authorizations_user_code").on("device_authorizations").columns(["user_code_hash", "created_at"]).execute();
  await db.schema.createIndex("device_authorizations_expires").on("device_authorizations").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("device_authorizations").execute();
}
