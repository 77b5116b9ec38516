import "server-only";
import { sql, type Kysely } from "kysely";
import { flag, isoTimestamp, oneOf } from "./checks";

// Access on request (issue 15; lib/access/): besides standing grants, an administrator makes
// people or groups *eligible* for a role entry, under a request policy (who approves, how many
// approvals, the longest duration, reason and ticket, break-glass). A person asks; approvers
// decide; an approved request becomes a grant with an expiry (grants.access_request_id), so the
// grant check that every switch makes already ends the access on time, whatever else runs.
//
// What happens when access ends (the person's live AWS sessions in the role are revoked) is work
// for whichever instance claims it first: a lease per request (revocation_lease_until), taken by
// one conditional UPDATE, as lib/db/leases.ts does for whole jobs.

/** Part of this migration's history: add a value in a new migration. */
const KINDS = ["request", "break_glass", "extension"] as const;
const STATUSES = ["pending", "approved", "denied", "withdrawn", "ended", "expired"] as const;
const DECISIONS = ["approve", "deny"] as const;
const REVOCATION_STATES = ["none", "pending", "done", "failed"] as const;
const REVIEW_STATES = ["pending", "justified", "unjustified"] as const;
const WEBHOOK_KINDS = ["slack", "json"] as const;
const DELIVERY_STATES = ["pending", "delivered", "failed"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per role entry that people can ask for; without a row the defaults apply
  // (lib/access/policy.ts).
  await db.schema
    .createTable("request_policies")
    .addColumn("role_id", "text", (c) => c.primaryKey().notNull().references("roles.id").onDelete("cascade"))
    /** JSON arrays: user ids and identity-provider group names who may approve. */
    .addColumn("approver_users", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("approver_groups", "text", (c) => c.notNull().defaultTo("[]"))
    /** 1: every administrator may approve too. */
    .addColumn("any_admin", "integer", (c) => c.notNull().defaultTo(1).check(flag("any_admin")))
    .addColumn("approvals_required", "integer", (c) => c.notNull().defaultTo(1).check(sql`${sql.ref("approvals_required")} in (1, 2)`))
    /** 15 minutes to 12 hours (AWS's longest role session). */
    .addColumn("max_duration_seconds", "integer", (c) => c.notNull().check(sql`${sql.ref("max_duration_seconds")} between 900 and 43200`))
    .addColumn("reason_required", "integer", (c) => c.notNull().defaultTo(1).check(flag("reason_required")))
    /** A JavaScript regular expression a ticket reference must match; null: no ticket asked. */
    .addColumn("ticket_pattern", "text")
    .addColumn("break_glass", "integer", (c) => c.notNull().defaultTo(0).check(flag("break_glass")))
    /** 1: when access ends, the person's live AWS sessions in the role are revoked. */
    .addColumn("revoke_on_end", "integer", (c) => c.notNull().defaultTo(1).check(flag("revoke_on_end")))
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    .execute();

  // Who may ask for a role entry: one person, or everyone in one identity-provider group (as grants).
  await db.schema
    .createTable("role_eligibility")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("group_name", "text")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addCheckConstraint("role_eligibility_one_subject", sql`(${sql.ref("user_id")} is null) <> (${sql.ref("group_name")} is null)`)
    .addUniqueConstraint("role_eligibility_role_user_key", ["role_id", "user_id"])
    .addUniqueConstraint("role_eligibility_role_group_key", ["role_id", "group_name"])
    .execute();
  await db.schema.createIndex("role_eligibility_user_id").on("role_eligibility").column("user_id").execute();
  await db.schema.createIndex("role_eligibility_group_name").on("role_eligibility").column("group_name").execute();

  await db.schema
    .createTable("access_requests")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id").onDelete("cascade"))
    .addColumn("requester_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(oneOf("kind", KINDS)))
    /** An extension names the request whose access it extends. */
    .addColumn("extends_id", "text", (c) => c.references("access_requests.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().check(oneOf("status", STATUSES)))
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("ticket", "text")
    /** What was asked for, and (once approved) what was granted: never more than asked. */
    .addColumn("requested_seconds", "integer", (c) => c.notNull())
    .addColumn("granted_seconds", "integer")
    /** The policy as it was when the request was made: a later change does not move the goal posts. */
    .addColumn("approvals_required", "integer", (c) => c.notNull())
    .addColumn("revoke_on_end", "integer", (c) => c.notNull().check(flag("revoke_on_end")))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("decided_at", "text", (c) => c.check(isoTimestamp("decided_at")))
    .addColumn("starts_at", "text", (c) => c.check(isoTimestamp("starts_at")))
    .addColumn("ends_at", "text", (c) => c.check(isoTimestamp("ends_at")))
    .addColumn("ended_at", "text", (c) => c.check(isoTimestamp("ended_at")))
    .addColumn("ended_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("end_comment", "text")
    /** Revoking the person's live sessions once access ends: claimed per request by one instance. */
    .addColumn("revocation_state", "text", (c) => c.notNull().defaultTo("none").check(oneOf("revocation_state", REVOCATION_STATES)))
    .addColumn("revocation_lease_until", "text", (c) => c.check(isoTimestamp("revocation_lease_until")))
    .addColumn("revocation_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("revoked_at", "text", (c) => c.check(isoTimestamp("revoked_at")))
    /** The "ends soon" notice to the requester, sent once. */
    .addColumn("expiry_notified_at", "text", (c) => c.check(isoTimestamp("expiry_notified_at")))
    /** Break-glass only: the post-hoc review an approver must make. */
    .addColumn("review_state", "text", (c) => c.check(oneOf("review_state", REVIEW_STATES)))
    .addColumn("reviewed_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("reviewed_at", "text", (c) => c.check(isoTimestamp("reviewed_at")))
    .addColumn("review_comment", "text")
    .execute();
  await db.schema.createIndex("access_requests_requester").on("access_requests").columns(["requester_id", "status"]).execute();
  await db.schema.createIndex("access_requests_role").on("access_requests").columns(["role_id", "status"]).execute();
  await db.schema.createIndex("access_requests_status_ends").on("access_requests").columns(["status", "ends_at"]).execute();
  await db.schema.createIndex("access_requests_revocation").on("access_requests").column("revocation_state").execute();

  await db.schema
    .createTable("access_request_decisions")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("request_id", "text", (c) => c.notNull().references("access_requests.id").onDelete("cascade"))
    .addColumn("approver_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("approver_email", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull().check(oneOf("decision", DECISIONS)))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    /** An approval's duration: at most what was asked for. */
    .addColumn("granted_seconds", "integer")
    .addColumn("at", "text", (c) => c.notNull().check(isoTimestamp("at")))
    .addUniqueConstraint("access_request_decisions_one_each", ["request_id", "approver_id"])
    .execute();

  // Webhooks (lib/webhooks/): approvers are told of requests through a Slack-compatible incoming
  // webhook or a JSON webhook signed with HMAC-SHA256. Deliveries are queued in the same
  // transaction as the change they announce, and retried with backoff by whichever instance
  // claims them (delivery lease_until).
  await db.schema
    .createTable("webhooks")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(oneOf("kind", WEBHOOK_KINDS)))
    /** A Slack incoming-webhook URL holds its own secret: shown back only as its origin. */
    .addColumn("url", "text", (c) => c.notNull())
    /** The HMAC-SHA256 key of a JSON webhook (shown once, when made); null for Slack. */
    .addColumn("secret", "text")
    /** JSON array of event types it receives. */
    .addColumn("events", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1).check(flag("enabled")))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    .execute();
  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("webhook_id", "text", (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
    .addColumn("event_type", "text", (c) => c.notNull())
    /** The event's JSON, as sent (never a secret). */
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(oneOf("status", DELIVERY_STATES)))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.check(isoTimestamp("next_attempt_at")))
    .addColumn("lease_until", "text", (c) => c.check(isoTimestamp("lease_until")))
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("delivered_at", "text", (c) => c.check(isoTimestamp("delivered_at")))
    .execute();
  await db.schema.createIndex("webhook_deliveries_due").on("webhook_deliveries").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("webhook_deliveries_webhook").on("webhook_deliveries").columns(["webhook_id", "created_at"]).execute();

  // The grant an approved request made: ended with the request.
  await db.schema.alterTable("grants").addColumn("access_request_id", "text", (c) => c.references("access_requests.id").onDelete("set null")).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("grants").dropColumn("access_request_id").execute();
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhooks").execute();
  await db.schema.dropTable("access_request_decisions").execute();
  await db.schema.dropTable("access_requests").execute();
  await db.schema.dropTable("role_eligibility").execute();
  await db.schema.dropTable("request_policies").execute();
}
