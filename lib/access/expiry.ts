import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/http/request-meta";
import { logger } from "@/lib/log";
import { unsafeRevokePersonInRole } from "@/lib/revocation/revoke";
import { credentialCache } from "@/lib/sessions/credential-cache";
import { enqueueWebhookEvent, kickWebhookDelivery } from "@/lib/webhooks/enqueue";
import { accessAuditOf, accessEventOf, loadAccessRequestRow } from "./requests";

// What happens after access on request ends (issue 15 §2.7). The access itself has already ended:
// its grant expired, and the grant check compares expiry with the clock on every request. This
// job, on every instance, does the rest:
// - an approved request whose end has passed is marked expired, audited and announced — by one
//   instance: the UPDATE that marks it is conditional on it still being approved, so of several
//   instances exactly one changes the row and writes the event;
// - the person's live AWS sessions in the role are revoked (lib/revocation), when the policy says
//   so: each request's revocation is claimed by one conditional UPDATE of its lease
//   (revocation_lease_until), so two instances on one store never revoke twice; a holder that
//   dies lets the lease run out and another instance takes the work over. A failure is retried
//   with backoff, then given up as "failed" (shown on the request).
// Ending access early (an approver's "end now", the requester giving it up) revokes at once, in
// the request, through the same claim.

/** How long a claim on one revocation lasts: longer than a revocation takes (a few IAM calls). */
const REVOCATION_LEASE_MS = 2 * 60_000;
/** Attempts before a revocation is given up (then shown as failed on the request). */
const MAX_REVOCATION_ATTEMPTS = 6;
/** Wait before attempt n+1: 30 s, 1 min, 2 min, 4 min, 8 min. */
const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
const BATCH = 50;
/** A request nobody decided within a week is closed: an approval weeks later would grant access
 * for a need that has probably passed, and the inbox should show what is current. */
export const PENDING_LIFETIME_MS = 7 * 24 * 3600_000;

const SYSTEM_META: RequestMeta = { requestId: "access-expiry" };
const iso = (ms: number) => new Date(ms).toISOString();

export type ExpiryReport = { expired: number; revoked: number; nothingToRevoke: number; failed: number; busy: number };

export type RevocationOutcome = "revoked" | "nothing" | "failed" | "busy";

/** Takes one request's revocation (if nobody holds it and it is due) and does it. */
export async function revokeEndedAccess(requestId: string, by: Actor | null, meta: RequestMeta = SYSTEM_META): Promise<RevocationOutcome> {
  const db = await getDb();
  const now = Date.now();
  const claimed = await db
    .updateTable("access_requests")
    .set((eb) => ({ revocation_lease_until: iso(now + REVOCATION_LEASE_MS), revocation_attempts: eb("revocation_attempts", "+", 1) }))
    .where("id", "=", requestId)
    .where("revocation_state", "=", "pending")
    .where((eb) => eb.or([eb("revocation_lease_until", "is", null), eb("revocation_lease_until", "<=", iso(now))]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return "busy";
  const row = await loadAccessRequestRow(db, requestId);
  if (!row) return "nothing";
  credentialCache().forgetRole(row.role_id, row.requester_id);
  // Only sessions issued under this access can be alive and unwanted: without a switch into the
  // entry since it began there is nothing to deny, and no reason to write into the role.
  const switched = await db
    .selectFrom("audit_events")
    .select("id")
    .where("actor_id", "=", row.requester_id)
    .where("action", "in", ["session.console", "session.credentials"])
    .where("outcome", "=", "success")
    .where("target_type", "=", "role")
    .where("target_id", "=", row.role_id)
    .where("at", ">=", row.starts_at ?? row.created_at)
    .limit(1)
    .executeTakeFirst();
  if (!switched) {
    await db.updateTable("access_requests").set({ revocation_state: "done", revocation_lease_until: null }).where("id", "=", requestId).execute();
    return "nothing";
  }
  const result = await unsafeRevokePersonInRole(by, row.role_id, row.requester_id, meta, { accessRequestId: row.id });
  const attempts = row.revocation_attempts;
  if (result.ok) {
    await db.updateTable("access_requests").set({ revocation_state: "done", revoked_at: new Date().toISOString(), revocation_lease_until: null }).where("id", "=", requestId).execute();
    return "revoked";
  }
  const givingUp = attempts >= MAX_REVOCATION_ATTEMPTS;
  // The lease doubles as the time of the next attempt.
  await db
    .updateTable("access_requests")
    .set(givingUp ? { revocation_state: "failed", revocation_lease_until: null } : { revocation_lease_until: iso(Date.now() + backoffMs(attempts)) })
    .where("id", "=", requestId)
    .execute();
  logger.warn({ operation: "access.expiry", accessRequestId: requestId, attempts, givingUp }, `revoking the sessions of an ended access failed: ${result.message}`);
  return "failed";
}

/** Marks one approved request whose end has passed as expired, with its audit row and
 * announcement — if this caller is the one whose UPDATE changed it. */
async function expireOne(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await loadAccessRequestRow(trx, id);
    if (!row) return false;
    const changed = await trx
      .updateTable("access_requests")
      .set({ status: "expired", revocation_state: row.revoke_on_end ? "pending" : "none" })
      .where("id", "=", id)
      .where("status", "=", "approved")
      .where("ends_at", "<=", iso(now))
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return false;
    await trx.updateTable("access_requests").set({ status: "expired" }).where("extends_id", "=", id).where("status", "=", "approved").execute();
    await trx.updateTable("access_requests").set({ status: "withdrawn", decided_at: iso(now) }).where("extends_id", "=", id).where("status", "=", "pending").execute();
    await recordAudit(accessAuditOf(null, row, SYSTEM_META, { action: "access.expire", outcome: "success", details: { endedAt: row.ends_at, revokeSessions: row.revoke_on_end === 1 } }), trx);
    await enqueueWebhookEvent(trx, accessEventOf("access.expired", row, null, { status: "expired" }));
    return true;
  });
}

/** Closes a request that waited a week without a decision, once (the same conditional UPDATE). */
async function closeStale(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await loadAccessRequestRow(trx, id);
    if (!row) return false;
    const changed = await trx.updateTable("access_requests").set({ status: "expired", decided_at: iso(now) }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return false;
    await recordAudit(accessAuditOf(null, row, SYSTEM_META, { action: "access.expire", outcome: "success", reason: "Nobody decided within 7 days.", details: { undecided: true } }), trx);
    await enqueueWebhookEvent(trx, accessEventOf("access.expired", row, null, { status: "expired" }));
    return true;
  });
}

/** One look: expire what ended, then revoke what is due. */
export async function runExpiry(now = Date.now()): Promise<ExpiryReport> {
  const db = await getDb();
  const report: ExpiryReport = { expired: 0, revoked: 0, nothingToRevoke: 0, failed: 0, busy: 0 };
  const ended = await db
    .selectFrom("access_requests")
    .select("id")
    .where("status", "=", "approved")
    .where("kind", "!=", "extension")
    .where("ends_at", "<=", iso(now))
    .orderBy("ends_at")
    .limit(BATCH)
    .execute();
  for (const { id } of ended) if (await expireOne(db, id, now)) report.expired++;
  const stale = await db
    .selectFrom("access_requests")
    .select("id")
    .where("status", "=", "pending")
    .where("created_at", "<=", iso(now - PENDING_LIFETIME_MS))
    .orderBy("created_at")
    .limit(BATCH)
    .execute();
  for (const { id } of stale) if (await closeStale(db, id, now)) report.expired++;
  if (report.expired) kickWebhookDelivery();
  const due = await db
    .selectFrom("access_requests")
    .select("id")
    .where("revocation_state", "=", "pending")
    .where((eb) => eb.or([eb("revocation_lease_until", "is", null), eb("revocation_lease_until", "<=", iso(now))]))
    .orderBy("id")
    .limit(BATCH)
    .execute();
  for (const { id } of due) {
    const outcome = await revokeEndedAccess(id, null);
    if (outcome === "revoked") report.revoked++;
    else if (outcome === "nothing") report.nothingToRevoke++;
    else if (outcome === "failed") report.failed++;
    else report.busy++;
  }
  return report;
}

export type ExpirySchedule = { tick(): Promise<ExpiryReport | undefined>; stop(): Promise<void>; readonly holder: string };

/** Looks every `intervalMs` (with jitter, so that instances started together do not look at the
 * same moment). Every instance runs one; the per-request claims keep them from doing any piece
 * of work twice. */
export function startAccessExpiry(opts: { intervalMs: number; timer?: boolean }): ExpirySchedule {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let running: Promise<ExpiryReport | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return Promise.resolve(undefined);
    running ??= runExpiry().finally(() => (running = undefined));
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        tick()
          .catch((err: unknown) => logger.error({ err, operation: "access.expiry" }, "looking for access that expired failed"))
          .finally(schedule);
      },
      opts.intervalMs * (0.8 + Math.random() * 0.4),
    );
    timer.unref();
  };
  if (opts.timer !== false) schedule();
  return {
    holder,
    tick,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
