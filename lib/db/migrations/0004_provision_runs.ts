import "server-only";
import { sql, type Kysely } from "kysely";
import { isoTimestamp, oneOf } from "./checks";

// The role wizard's write-ahead log: a run is recorded before its first
// IAM call, and its journal (which steps are running, done, undone) is updated around every
// step. A console that dies halfway leaves a "running" run whose lease runs out; the next start,
// or the next apply on any instance, rolls it back. The idempotency key lets a client that lost
// the answer ask again and get the same result instead of a second attempt.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provision_runs")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    // No foreign keys: like audit events, a run outlives the user and account it names.
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("actor_email", "text", (c) => c.notNull())
    .addColumn("aws_account_id", "text", (c) => c.notNull())
    .addColumn("role_arn", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    .addColumn("state", "text", (c) => c.notNull().check(oneOf("state", ["running", "succeeded", "failed", "rolled_back", "rollback_incomplete"])))
    /** The Plan, as JSON: what the journal's step ids refer to. */
    .addColumn("plan", "text", (c) => c.notNull())
    /** JournalEntry[] as JSON. */
    .addColumn("journal", "text", (c) => c.notNull().defaultTo("[]"))
    /** The answer the client got (or would have got), as JSON; null while running. */
    .addColumn("result", "text")
    .addColumn("started_at", "text", (c) => c.notNull().check(isoTimestamp("started_at")))
    .addColumn("lease_until", "text", (c) => c.notNull().check(isoTimestamp("lease_until")))
    .addColumn("updated_at", "text", (c) => c.notNull().check(isoTimestamp("updated_at")))
    .addUniqueConstraint("provision_runs_actor_idempotency_key", ["actor_id", "idempotency_key"])
    .execute();
  // The reconciler's question: which runs are still "running" past their lease.
  await sql`create index provision_runs_state_lease on provision_runs (state, lease_until)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("provision_runs").execute();
}
