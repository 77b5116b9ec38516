import "server-only";
import { sql, type Kysely } from "kysely";
import { recordAudit, type AuditEvent } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { AppError, conflict } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import type { z } from "zod";
import { newAwsIdentity } from "./aws-identity";
import type { setupInput } from "./schemas";
import { isSetupToken } from "./setup-token";

/** Whether anyone can sign in yet. Unscoped on purpose: the sign-in and setup pages need it
 * before there is a caller, and it reveals only that the console is set up. */
export async function unsafeHasUsers(): Promise<boolean> {
  const db = await getDb();
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Creates the first administrator only while there are no users: a transaction that
 * re-checks inside (and on Postgres takes an advisory lock, so two setups cannot race), and
 * records the setup event in the same transaction. Returns undefined when the console was
 * already set up. */
async function createFirstAdmin(db: Kysely<Database>, admin: { email: string; name: string; password: string }, audit: Pick<AuditEvent, "request" | "details">): Promise<{ id: string } | undefined> {
  const hash = await hashPassword(admin.password);
  return db.transaction().execute(async (trx) => {
    if (getConfig().database.dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext('switchboard.first-admin'))`.execute(trx);
    }
    const existing = await trx.selectFrom("users").select("id").limit(1).executeTakeFirst();
    if (existing) return undefined;
    const now = new Date().toISOString();
    const id = newId();
    await trx
      .insertInto("users")
      .values({ id, email: admin.email, name: admin.name, role: "admin", password_hash: hash, auth_provider: "local", aws_identity: await newAwsIdentity(trx, admin.email, id), created_at: now, updated_at: now })
      .execute();
    await recordAudit({ action: "auth.setup", outcome: "success", actor: { id, email: admin.email }, ...audit }, trx);
    return { id };
  });
}

/** On start: the administrator from SWITCHBOARD_ADMIN_EMAIL/PASSWORD, if the store has no users. */
export async function ensureInitialAdmin(): Promise<"created" | "exists" | "not-configured"> {
  const admin = getConfig().initialAdmin;
  if (!admin) return "not-configured";
  const db = await getDb();
  const created = await createFirstAdmin(db, admin, { details: { via: "environment" } });
  return created ? "created" : "exists";
}

/** The one-time /setup page. */
export async function setupFirstAdmin(input: z.infer<typeof setupInput>, meta: RequestMeta): Promise<void> {
  if (!isSetupToken(input.token)) {
    await recordAudit({ action: "auth.setup", outcome: "denied", actorEmail: input.email, reason: "Wrong setup token", request: meta, details: { via: "setup page" } });
    throw new AppError("forbidden", "That setup token is not right. Copy it from the server's log (the line that starts with \"To create the first administrator\").", { fields: { token: "Not the token the server printed" } });
  }
  const db = await getDb();
  const created = await createFirstAdmin(db, input, { request: meta, details: { via: "setup page" } });
  if (!created) throw conflict("Switchboard is already set up. Sign in instead.");
}
