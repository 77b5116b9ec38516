import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AccessEvent } from "@/lib/access/events";
import type { Database } from "@/lib/db/schema";
import { logger } from "@/lib/log";
import { sendOnce, type AttemptResult } from "./send";

// The delivery worker. Every instance runs one (lib/startup.ts); deliveries are rows in
// webhook_deliveries, queued by ./enqueue.ts in the transaction of the change they announce.
//
// - Claimed one by one by a conditional UPDATE that sets lease_until only where it is unset or
//   run out: on one Postgres, two instances never hold the same delivery at once. Up to IN_FLIGHT
//   claimed deliveries are sent at once, so one slow receiver (up to the 10 s timeout) does not
//   hold back the approvers' other channels. A holder that
//   dies mid-attempt frees the row when its lease runs out, and another instance tries it again,
//   so a delivery may arrive twice (at least once): receivers de-duplicate by
//   X-Switchboard-Delivery or the event's id.
// - Tried again with exponential backoff (BACKOFF_SECONDS, stretched by up to BACKOFF_JITTER at
//   random) after a connection failure, a timeout,
//   408, 429 or 5xx, honouring Retry-After on 429 and 503; after MAX_ATTEMPTS it is `failed`.
//   A 2xx is `delivered`. A 3xx or another 4xx means the receiver refuses it (a revoked Slack
//   webhook answers 404 or 410): `failed` at once, since trying again would not help. So is an
//   address that may not be reached (./address.ts).
// - Looks every POLL_MS, and at once when kicked (kickWebhookDelivery, after a commit).

/** The waits after attempts 1…5: 10 s, 1 min, 5 min, 30 min, 2 h (about 2.6 hours in all). */
export const BACKOFF_SECONDS = [10, 60, 300, 1800, 7200] as const;
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;
/** A Retry-After longer than this is cut to it: the receiver still gets its retries within a day. */
const MAX_RETRY_AFTER_SECONDS = 6 * 3600;
/** Longer than an attempt can take (10 s), so a live holder never loses its claim. */
export const LEASE_MS = 60_000;
const POLL_MS = 5_000;
/** One look sends at most this many, so a long queue does not hold one instance for ever. */
const MAX_PER_TICK = 50;
/** Deliveries one instance sends at the same time. */
export const IN_FLIGHT = 4;
/** What the store keeps of an error. */
const MAX_ERROR_CHARS = 300;

/** The most a scheduled wait is stretched by at random (20%: 10 s becomes 10–12 s), so deliveries
 * that failed together (a receiver's outage) do not all come back in the same second — jitter, as
 * in https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/. A Retry-After is
 * the receiver's own word and is kept as it is. */
export const BACKOFF_JITTER = 0.2;

/** Seconds until the next attempt after `attempts` failed ones; null: no more attempts.
 * `random` in [0, 1) picks the jitter (0: the schedule itself). */
export function retryDelaySeconds(attempts: number, retryAfterSeconds?: number, random = 0): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const scheduled = BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length) - 1] ?? BACKOFF_SECONDS[0];
  if (retryAfterSeconds === undefined) return scheduled * (1 + BACKOFF_JITTER * Math.min(Math.max(random, 0), 1));
  return Math.min(Math.max(retryAfterSeconds, 1), MAX_RETRY_AFTER_SECONDS);
}

export type DeliveryOutcome = { id: string; status: "delivered" | "pending" | "failed"; attempts: number; result: AttemptResult };

export type WorkerOptions = {
  db: () => Promise<Kysely<Database>>;
  allowPrivate: boolean;
  /** Look on a timer (the server); tests call tick() themselves. */
  timer?: boolean;
  timeoutMs?: number;
  holder?: string;
  /** The jitter's random number in [0, 1) (BACKOFF_JITTER); tests pass () => 0 for the schedule itself. */
  random?: () => number;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Takes one delivery for this holder if it is due and nobody holds it: the conditional UPDATE
 * is the claim (one statement, so two instances cannot both win it). Returns the lease's end. */
export async function claimDelivery(db: Kysely<Database>, id: string, nowMs: number): Promise<string | null> {
  const now = iso(nowMs);
  const lease = iso(nowMs + LEASE_MS);
  const result = await db
    .updateTable("webhook_deliveries")
    .set({ lease_until: lease })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? lease : null;
}

/** Makes one attempt at a delivery this holder has claimed (`lease`), and records it. */
export async function attemptClaimed(db: Kysely<Database>, id: string, lease: string, opts: { nowMs?: number; allowPrivate: boolean; timeoutMs?: number; evenWhenOff?: boolean; random?: () => number }): Promise<DeliveryOutcome | null> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .innerJoin("webhooks", "webhooks.id", "webhook_deliveries.webhook_id")
    .select(["webhook_deliveries.id", "webhook_deliveries.payload", "webhook_deliveries.event_type", "webhook_deliveries.attempts", "webhooks.kind", "webhooks.url", "webhooks.secret", "webhooks.enabled", "webhooks.id as webhook_id"])
    .where("webhook_deliveries.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const result: AttemptResult = row.enabled || opts.evenWhenOff
    ? await sendOnce({ kind: row.kind, url: row.url, secret: row.secret }, row.payload, { type: row.event_type as AccessEvent["type"] }, row.id, { allowPrivate: opts.allowPrivate, timeoutMs: opts.timeoutMs })
    : { ok: false, status: null, error: "Not sent: the webhook was turned off.", permanent: true };
  const attempts = row.attempts + 1;
  // Scheduled from when the attempt ended (tests pass their own clock).
  const endedMs = opts.nowMs ?? Date.now();
  const delay = result.ok || result.permanent ? null : retryDelaySeconds(attempts, result.retryAfterSeconds, (opts.random ?? Math.random)());
  const status = result.ok ? "delivered" : delay === null ? "failed" : "pending";
  await db
    .updateTable("webhook_deliveries")
    .set({
      status,
      attempts,
      lease_until: null,
      last_status_code: result.status,
      last_error: result.ok ? null : result.error.slice(0, MAX_ERROR_CHARS),
      next_attempt_at: status === "pending" ? iso(endedMs + Math.round(delay! * 1000)) : null,
      delivered_at: result.ok ? iso(endedMs) : null,
    })
    .where("id", "=", id)
    .where("lease_until", "=", lease)
    .execute();
  const log = { operation: "webhook.deliver", webhookId: row.webhook_id, deliveryId: id, event: row.event_type, attempts, status, statusCode: result.status };
  if (status === "failed") logger.warn({ ...log, error: result.ok ? undefined : result.error }, "a webhook delivery failed for good");
  else logger.info(log, status === "delivered" ? "webhook delivered" : "webhook delivery will be tried again");
  return { id, status, attempts, result };
}

/** The ids of deliveries due now, oldest first. */
async function dueIds(db: Kysely<Database>, nowMs: number, limit: number): Promise<string[]> {
  const now = iso(nowMs);
  const rows = await db
    .selectFrom("webhook_deliveries")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export type TickReport = { delivered: number; retrying: number; failed: number };

export type WebhookWorker = {
  /** Sends what is due (at `now`, for tests), up to IN_FLIGHT deliveries at a time. */
  tick(opts?: { now?: number }): Promise<TickReport>;
  /** Looks now (or right after the look under way). */
  kick(): void;
  stop(): Promise<void>;
  readonly holder: string;
};

export function startWebhookWorker(opts: WorkerOptions): WebhookWorker {
  const holder = opts.holder ?? randomUUID().slice(0, 8);
  let stopped = false;
  let running: Promise<TickReport> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const runTick = async (now?: number): Promise<TickReport> => {
    const report: TickReport = { delivered: 0, retrying: 0, failed: 0 };
    const db = await opts.db();
    // Bounded: another instance taking every candidate first sends this one back to look again.
    for (let sent = 0, looks = 0; sent < MAX_PER_TICK && looks < 4 * MAX_PER_TICK && !stopped; looks++) {
      const at = now ?? Date.now();
      const due = await dueIds(db, at, 10);
      if (!due.length) break;
      const claimed: Array<{ id: string; lease: string }> = [];
      for (const id of due) {
        if (claimed.length >= Math.min(IN_FLIGHT, MAX_PER_TICK - sent)) break;
        const lease = await claimDelivery(db, id, at);
        if (lease) claimed.push({ id, lease });
      }
      if (!claimed.length) continue;
      const outcomes = await Promise.allSettled(claimed.map((c) => attemptClaimed(db, c.id, c.lease, { nowMs: now, allowPrivate: opts.allowPrivate, timeoutMs: opts.timeoutMs, random: opts.random })));
      sent += claimed.length;
      for (const settled of outcomes) {
        // A store error on one delivery: logged; its lease runs out and it is tried again.
        if (settled.status === "rejected") failed(settled.reason);
        else if (settled.value?.status === "delivered") report.delivered++;
        else if (settled.value?.status === "pending") report.retrying++;
        else if (settled.value?.status === "failed") report.failed++;
      }
    }
    return report;
  };

  const tick = (t?: { now?: number }): Promise<TickReport> => {
    if (stopped) return Promise.resolve({ delivered: 0, retrying: 0, failed: 0 });
    if (running) {
      again = true;
      return running;
    }
    running = runTick(t?.now).finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void tick().catch(failed);
      }
    });
    return running;
  };
  const failed = (err: unknown) => logger.error({ err, operation: "webhook.deliver" }, "the webhook delivery worker failed");

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch(failed)
        .finally(() => schedule(POLL_MS * (0.8 + Math.random() * 0.4)));
    }, ms);
    timer.unref();
  };
  if (opts.timer !== false) schedule(POLL_MS);

  return {
    holder,
    tick,
    kick: () => void tick().catch(failed),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

const WORKER = Symbol.for("switchboard.webhookWorker");
type WithWorker = typeof globalThis & { [WORKER]?: WebhookWorker };

/** This process's worker: on globalThis, since Next.js may load this module in several bundles. */
export function registerWorker(worker: WebhookWorker | undefined): void {
  (globalThis as WithWorker)[WORKER] = worker;
}

export function currentWorker(): WebhookWorker | undefined {
  return (globalThis as WithWorker)[WORKER];
}
