import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import type { Rate } from "@/lib/config/schema";
import { claimDueRound, releaseLease, renewLease } from "@/lib/db/leases";
import type { Database } from "@/lib/db/schema";
import { logger } from "@/lib/log";
import { backgroundTest, HEALTH_CHECK_SESSION_NAME } from "./role-health-check";

// The background re-test (SWITCHBOARD_ROLE_HEALTH_INTERVAL): every interval, every role entry is
// tested again as the console itself (./role-health-check.ts), so that an entry broken outside
// the console — a trust policy edited in IAM, a role deleted — shows as broken before someone
// tries it. Started by lib/startup.ts; stopped when the process ends.
//
// - One instance per round: the instances sharing a store claim the round through a lease
//   (lib/db/leases.ts); the holder renews it as the round goes and gives it up when done.
// - Paced: at most SWITCHBOARD_ROLE_HEALTH_RATE tests start in any window, on top of the
//   console-wide STS budget that every AssumeRole spends (lib/ratelimit/sts.ts). When that budget
//   is spent the round waits it out: people's switches come first.
// - Entries tested in the last half interval (by an administrator, a registration or a switch)
//   are left out; the rest go oldest result first, never-tested first of all.

export const ROLE_HEALTH_JOB = "role-health";
/** How long a claim lasts without renewal: a holder that dies frees the job after this. */
export const LEASE_MS = 2 * 60_000;
/** The longest wait between two looks at whether a round is due. */
const MAX_LOOK_MS = 60_000;
/** The first look after start-up: soon, so that an upgraded console tests its entries. */
const FIRST_LOOK_MS = 60_000;
/** A round stops after this many tests in a row that could not reach AWS (it is down, or the
 * broker has no credentials): the next round tries again. */
const MAX_UNREACHABLE_IN_A_ROW = 3;
/** The longest the round waits for the STS budget at once. */
const MAX_BUDGET_WAIT_MS = 5 * 60_000;

export type RoundReport = { tested: number; working: number; failing: number; changed: number; inconclusive: number; stoppedEarly: boolean };

export type RoleHealthSchedule = {
  /** Looks once: runs a round if one is due and this instance gets the lease. */
  tick(): Promise<RoundReport | undefined>;
  /** Stops looking, ends a running round after its current test, and frees the lease. */
  stop(): Promise<void>;
  readonly holder: string;
};

export type ScheduleOptions = {
  db: () => Promise<Kysely<Database>>;
  intervalMs: number;
  rate: Rate;
  /** Look on a timer (the server); tests call tick() themselves. */
  timer?: boolean;
  firstLookMs?: number;
  holder?: string;
};

export function startRoleHealthSchedule(opts: ScheduleOptions): RoleHealthSchedule {
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const abort = new AbortController();
  let running: Promise<RoundReport | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const lookEveryMs = Math.min(opts.intervalMs, MAX_LOOK_MS);

  const tick = (): Promise<RoundReport | undefined> => {
    if (abort.signal.aborted) return Promise.resolve(undefined);
    running ??= (async () => {
      try {
        const db = await opts.db();
        if (!(await claimDueRound(db, ROLE_HEALTH_JOB, holder, { everyMs: opts.intervalMs, leaseMs: LEASE_MS }))) return undefined;
        return await runRound(db, holder, opts, abort.signal);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const schedule = (ms: number) => {
    if (abort.signal.aborted) return;
    // Jitter, so that instances started together do not look at the same moment.
    timer = setTimeout(() => {
      tick()
        .catch((err: unknown) => logger.error({ err, operation: "role.health" }, "the background re-test of role entries failed"))
        .finally(() => schedule(lookEveryMs * (0.9 + Math.random() * 0.2)));
    }, ms);
    timer.unref();
  };
  if (opts.timer !== false) schedule(Math.min(opts.firstLookMs ?? FIRST_LOOK_MS, opts.intervalMs));

  return {
    holder,
    tick,
    stop: async () => {
      abort.abort();
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** The entries due for a test: not tested in the last half interval, oldest result first. */
async function dueEntries(db: Kysely<Database>, intervalMs: number): Promise<string[]> {
  const freshSince = new Date(Date.now() - intervalMs / 2).toISOString();
  const rows = await db
    .selectFrom("roles")
    .leftJoin("role_health", "role_health.role_id", "roles.id")
    .select(["roles.id", "role_health.tested_at"])
    .where((eb) => eb.or([eb("role_health.tested_at", "is", null), eb("role_health.tested_at", "<", freshSince)]))
    .orderBy("role_health.tested_at")
    .orderBy("roles.id")
    .execute();
  // Never tested first (how each dialect orders nulls differs).
  return [...rows.filter((r) => r.tested_at === null), ...rows.filter((r) => r.tested_at !== null)].map((r) => r.id);
}

async function runRound(db: Kysely<Database>, holder: string, opts: ScheduleOptions, signal: AbortSignal): Promise<RoundReport> {
  const report: RoundReport = { tested: 0, working: 0, failing: 0, changed: 0, inconclusive: 0, stoppedEarly: false };
  const spacingMs = (opts.rate.seconds * 1000) / opts.rate.points;
  let renewedAt = Date.now();
  let lastStart = 0;
  let unreachable = 0;
  /** Renews the lease when a third of it has gone; false when another instance has taken the
   * job (this one stalled past its lease): it leaves that one the round. */
  const keepLease = async () => {
    if (Date.now() - renewedAt < LEASE_MS / 3) return true;
    if (!(await renewLease(db, ROLE_HEALTH_JOB, holder, LEASE_MS))) return false;
    renewedAt = Date.now();
    return true;
  };
  /** Waits (the pace, the STS budget) in slices, keeping the lease meanwhile. */
  const pause = async (ms: number) => {
    for (let left = ms; left > 0; left -= LEASE_MS / 3) {
      await sleep(Math.min(left, LEASE_MS / 3), undefined, { signal });
      if (!(await keepLease())) return false;
    }
    return true;
  };
  const lost = () => {
    report.stoppedEarly = true;
    logger.warn({ operation: "role.health", holder }, "the background re-test lost its lease to another instance; it stops here");
    return report;
  };
  try {
    const ids = await dueEntries(db, opts.intervalMs);
    for (let i = 0; i < ids.length; ) {
      if (signal.aborted) throw signal.reason;
      if (!(await keepLease()) || !(await pause(lastStart + spacingMs - Date.now()))) return lost();
      lastStart = Date.now();
      const outcome = await backgroundTest(db, ids[i]!);
      if (outcome.status === "inconclusive" && outcome.error?.code === "rate_limited") {
        // The console's STS budget is spent: people's switches come first. The same entry next.
        if (!(await pause(Math.min((outcome.retryAfter ?? 1) * 1000, MAX_BUDGET_WAIT_MS)))) return lost();
        continue;
      }
      i++;
      if (outcome.status === "gone") continue;
      report.tested++;
      if (outcome.changed) report.changed++;
      if (outcome.status === "ok") report.working++;
      if (outcome.status === "failing") report.failing++;
      if (outcome.status === "inconclusive") {
        report.inconclusive++;
        if (++unreachable >= MAX_UNREACHABLE_IN_A_ROW) {
          report.stoppedEarly = true;
          logger.warn({ operation: "role.health", reason: outcome.error?.message }, "the background re-test stops this round: AWS could not be reached for several entries in a row");
          break;
        }
      } else unreachable = 0;
    }
  } catch (err) {
    if (!signal.aborted) throw err;
    // Stopped (the process is ending): another instance may carry on at once.
    report.stoppedEarly = true;
    await releaseLease(db, ROLE_HEALTH_JOB, holder, false).catch(() => undefined);
    return report;
  }
  await releaseLease(db, ROLE_HEALTH_JOB, holder, true);
  await finishRound(db, report);
  return report;
}

async function finishRound(db: Kysely<Database>, report: RoundReport): Promise<void> {
  if (report.tested === 0) return;
  logger.info({ operation: "role.health", ...report }, "background re-test of role entries done");
  // One row per round, so the audit log shows the re-test ran; each entry whose result changed
  // has its own row (./role-health-check.ts).
  await recordAudit(
    {
      action: "role.test",
      outcome: "success",
      target: { type: "catalog", label: "Every role entry" },
      reason: report.stoppedEarly ? "Stopped early: AWS could not be reached" : undefined,
      details: { source: "background", sessionName: HEALTH_CHECK_SESSION_NAME, ...report },
    },
    db,
  ).catch((err: unknown) => logger.error({ err, operation: "role.health" }, "could not record the background re-test in the audit log"));
}
