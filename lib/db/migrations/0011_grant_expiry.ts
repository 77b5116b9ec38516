import "server-only";
import type { Kysely } from "kysely";
import { isoTimestamp } from "./checks";

// Grants that end by themselves (issue 15 §1): every grant can carry an expiry, and the grant
// check (lib/catalog/visibility.ts `grantedTo`) compares it with the clock on every request, so
// access ends on time without any background job. Null: the grant does not expire. An expired
// grant is kept (administrators see it as expired and remove it) but gives no access.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("grants").addColumn("expires_at", "text", (c) => c.check(isoTimestamp("expires_at"))).execute();
  // The grant check reads grants by role and then by person or group (the existing unique
  // indexes); expires_at is compared on those few rows, so it needs no index there. This one
  // serves the Grants page's "expiring soon / expired" and a future job that notifies on expiry.
  await db.schema.createIndex("grants_expires_at").on("grants").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("grants_expires_at").execute();
  await db.schema.alterTable("grants").dropColumn("expires_at").execute();
}
