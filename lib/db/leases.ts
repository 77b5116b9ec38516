import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "./schema";

// Who runs a periodic job's round (the background re-test of role entries), when several console
// instances share one store. A row per job (job_leases, migration 0007) holds the instance that
// runs it and until when: a claim is one conditional UPDATE — "take the job if its round is due
// and nobody holds it, or the holder's lease ran out" — so of several instances asking at once
// exactly one gets it. On Postgres, a concurrent UPDATE of the same row waits for the first to
// commit and then re-checks its WHERE against the new row (READ COMMITTED,
// https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED); SQLite runs
// one write at a time. A row with an expiry rather than pg_try_advisory_lock: an advisory lock
// belongs to one pooled connection, and the same code serves SQLite.
//
// The holder renews its lease while the round runs; a holder that dies stops renewing, and once
// its lease has run out the next instance that looks may take the job once its round is due.

const iso = (ms: number) => new Date(ms).toISOString();

/** Takes `job` for `holder` if its last round started at least `everyMs` ago (or never) and
 * nobody holds it. True when this caller got it. */
export async function claimDueRound(db: Kysely<Database>, job: string, holder: string, opts: { everyMs: number; leaseMs: number; now?: number }): Promise<boolean> {
  const now = opts.now ?? Date.now();
  await db.insertInto("job_leases").values({ name: job, holder: null, lease_until: null, last_started_at: null, last_finished_at: null }).onConflict((oc) => oc.column("name").doNothing()).execute();
  const result = await db
    .updateTable("job_leases")
    .set({ holder, lease_until: iso(now + opts.leaseMs), last_started_at: iso(now) })
    .where("name", "=", job)
    .where((eb) => eb.or([eb("last_started_at", "is", null), eb("last_started_at", "<=", iso(now - opts.everyMs))]))
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", iso(now))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends the holder's lease. False when it is no longer the holder (its lease ran out and
 * another instance took the job): it must stop. */
export async function renewLease(db: Kysely<Database>, job: string, holder: string, leaseMs: number, now = Date.now()): Promise<boolean> {
  const result = await db.updateTable("job_leases").set({ lease_until: iso(now + leaseMs) }).where("name", "=", job).where("holder", "=", holder).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the job up: the round finished (`finished`), or the holder stops early (the process is
 * shutting down), in which case the round is due again at once for another instance (a round
 * skips what was tested recently, so it carries on where this one stopped). */
export async function releaseLease(db: Kysely<Database>, job: string, holder: string, finished: boolean, now = Date.now()): Promise<void> {
  await db
    .updateTable("job_leases")
    .set({ holder: null, lease_until: null, ...(finished ? { last_finished_at: iso(now) } : { last_started_at: null }) })
    .where("name", "=", job)
    .where("holder", "=", holder)
    .execute();
}
