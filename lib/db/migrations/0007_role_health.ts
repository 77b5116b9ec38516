import "server-only";
import type { Kysely } from "kysely";
import { flag, isoTimestamp, oneOf } from "./checks";

// Whether each role entry works, as the console last found out, so that a broken entry looks
// broken after a reload (in the catalog, the menu and the Grants dialog) and not only in the
// answer to the Test button:
// - role_health: the last conclusive AssumeRole of an entry — an administrator's Test, the test
//   made when the entry was registered, the background re-test, or a person's switch whose
//   outcome is about the entry itself (lib/sessions/role-health-check.ts decides which). One row
//   per entry, replaced by each new result; gone with the entry.
// - job_leases: which console instance runs a periodic job (the background re-test) and when its
//   last round started, so that several instances on one Postgres do not all run the same round
//   (lib/db/leases.ts).

/** Where a result came from. Part of this migration's history: add a value in a new migration. */
const SOURCES = ["manual", "background", "registered", "switch"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("role_health")
    .addColumn("role_id", "text", (c) => c.primaryKey().notNull().references("roles.id").onDelete("cascade"))
    .addColumn("ok", "integer", (c) => c.notNull().check(flag("ok")))
    /** "ok", or the error code the test answered with (e.g. aws_denied). */
    .addColumn("code", "text", (c) => c.notNull())
    /** Why it fails, as a short kind (not_trusted, no_such_role, external_id, scp, …); null when ok. */
    .addColumn("why", "text")
    /** The sentence the test said, for a person: what works, or what is wrong and where. */
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("tested_at", "text", (c) => c.notNull().check(isoTimestamp("tested_at")))
    .addColumn("source", "text", (c) => c.notNull().check(oneOf("source", SOURCES)))
    .execute();

  await db.schema
    .createTable("job_leases")
    .addColumn("name", "text", (c) => c.primaryKey().notNull())
    /** The instance running the job now (null: none). */
    .addColumn("holder", "text")
    /** The holder's claim ends here unless renewed; after it another instance may take over. */
    .addColumn("lease_until", "text", (c) => c.check(isoTimestamp("lease_until")))
    /** The last round's start: the next is due one interval later. */
    .addColumn("last_started_at", "text", (c) => c.check(isoTimestamp("last_started_at")))
    .addColumn("last_finished_at", "text", (c) => c.check(isoTimestamp("last_finished_at")))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("job_leases").execute();
  await db.schema.dropTable("role_health").execute();
}
