// The lease that lets one console instance run a periodic round while others share the store:
// on SQLite and on Postgres, with several clients of one store claiming at the same moment as
// several instances would.
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { claimDueRound, releaseLease, renewLease } from "./leases";
import { migrateToLatest } from "./migrate";
import type { Database } from "./schema";
import { testDatabases } from "./testing";

const JOB = "role-health";
const HOUR = 3600_000;
const LEASE = 120_000;
const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const opts = (now: number) => ({ everyMs: HOUR, leaseMs: LEASE, now });

async function row(db: Kysely<Database>) {
  return db.selectFrom("job_leases").selectAll().where("name", "=", JOB).executeTakeFirstOrThrow();
}

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: job leases", (_, store) => {
  it.skipIf(store.skip)("gives a due round to exactly one of several instances asking at once", async () => {
    const s = await store.create();
    await migrateToLatest(s.db);
    const instances = [s.db, s.connect(), s.connect(), s.connect(), s.connect(), s.connect()];

    for (const round of [0, 1, 2]) {
      const now = T0 + round * HOUR;
      const claims = await Promise.all(instances.map((db, i) => claimDueRound(db, JOB, `instance-${i}`, opts(now))));
      expect(claims.filter(Boolean), `round ${round}`).toHaveLength(1);
      const winner = `instance-${claims.indexOf(true)}`;
      expect(await row(s.db)).toMatchObject({ holder: winner, last_started_at: new Date(now).toISOString(), lease_until: new Date(now + LEASE).toISOString() });
      // While its lease lasts nobody else gets it, even if a round were due at once.
      expect(await Promise.all(instances.map((db, i) => claimDueRound(db, JOB, `instance-${i}`, { everyMs: 0, leaseMs: LEASE, now: now + LEASE - 1 })))).toEqual(instances.map(() => false));
      await releaseLease(s.db, JOB, winner, true, now + 1000);
    }
  });

  it.skipIf(store.skip)("is not due again until the interval has passed since the last round started", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    expect(await claimDueRound(db, JOB, "a", opts(T0))).toBe(true);
    await releaseLease(db, JOB, "a", true, T0 + 5000);
    expect(await row(db)).toMatchObject({ holder: null, lease_until: null, last_finished_at: new Date(T0 + 5000).toISOString() });
    expect(await claimDueRound(db, JOB, "b", opts(T0 + HOUR - 1))).toBe(false);
    expect(await claimDueRound(db, JOB, "b", opts(T0 + HOUR))).toBe(true);
  });

  it.skipIf(store.skip)("lets another instance take over once the holder stops renewing, and then refuses the old holder", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    expect(await claimDueRound(db, JOB, "a", opts(T0))).toBe(true);
    expect(await renewLease(db, JOB, "a", LEASE, T0 + 60_000)).toBe(true);
    // Renewed: still a's a lease after the first would have ended.
    expect(await claimDueRound(db, JOB, "b", { everyMs: 0, leaseMs: LEASE, now: T0 + LEASE + 1 })).toBe(false);
    // a stops renewing (it died); once its lease has run out, b may start the next due round.
    expect(await claimDueRound(db, JOB, "b", { everyMs: 0, leaseMs: LEASE, now: T0 + 60_000 + LEASE })).toBe(true);
    expect(await renewLease(db, JOB, "a", LEASE, T0 + 60_000 + LEASE + 1)).toBe(false);
    // a's late release does not free b's lease.
    await releaseLease(db, JOB, "a", true);
    expect(await row(db)).toMatchObject({ holder: "b" });
  });

  it.skipIf(store.skip)("makes the round due again at once when its holder stops early", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    expect(await claimDueRound(db, JOB, "a", opts(T0))).toBe(true);
    await releaseLease(db, JOB, "a", false, T0 + 1000);
    expect(await row(db)).toMatchObject({ holder: null, last_started_at: null });
    expect(await claimDueRound(db, JOB, "b", opts(T0 + 2000))).toBe(true);
  });
});
