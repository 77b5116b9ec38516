// Deliveries against a real receiver and a real store (SQLite and Postgres): queued with the
// change or not at all, tried again on the backoff schedule (a clock the test moves), refused for
// good by a 4xx, Retry-After honoured, and claimed by exactly one of two workers on one Postgres.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessEvent } from "@/lib/access/events";
import { newId } from "@/lib/db/ids";
import { migrateToLatest } from "@/lib/db/migrate";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";
import { BACKOFF_JITTER, BACKOFF_SECONDS, IN_FLIGHT, MAX_ATTEMPTS, registerWorker, retryDelaySeconds, startWebhookWorker } from "./delivery";
import { enqueueWebhookEvent, kickWebhookDelivery } from "./enqueue";
import { newWebhookSecret, verifySignature } from "./format";
import { sampleEvent } from "./testing";

type Received = { path: string; headers: IncomingMessage["headers"]; body: string };
/** A receiver whose answers the test scripts per path: a list of statuses, the last repeated. */
let server: Server;
let base: string;
const received: Received[] = [];
/** Requests the receiver is answering now, and the most at once, per path prefix before its last "-". */
const inFlight = new Map<string, { now: number; most: number }>();
const script = new Map<string, { statuses: number[]; headers?: Record<string, string>; delayMs?: number }>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const plan = script.get(req.url ?? "") ?? { statuses: [200] };
      const status = plan.statuses.length > 1 ? plan.statuses.shift()! : plan.statuses[0]!;
      const group = (req.url ?? "").replace(/-[^-]*$/, "");
      const count = inFlight.get(group) ?? { now: 0, most: 0 };
      inFlight.set(group, { now: count.now + 1, most: Math.max(count.most, count.now + 1) });
      setTimeout(() => {
        inFlight.get(group)!.now--;
        res.writeHead(status, plan.headers);
        res.end("x".repeat(100_000));
      }, plan.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const T0 = Date.parse("2026-12-03T10:00:00.000Z");

async function addHook(db: Kysely<Database>, path: string, opts: { kind?: "json" | "slack"; events?: string[]; enabled?: 0 | 1 } = {}) {
  const id = newId();
  const secret = opts.kind === "slack" ? null : newWebhookSecret();
  const at = new Date().toISOString();
  await db
    .insertInto("webhooks")
    .values({ id, name: path, kind: opts.kind ?? "json", url: `${base}${path}`, secret, events: JSON.stringify(opts.events ?? ["access.requested"]), enabled: opts.enabled ?? 1, created_by: null, created_at: at, updated_at: at })
    .execute();
  return { id, secret };
}

async function queue(db: Kysely<Database>, event: AccessEvent, nextAt = T0) {
  await db.transaction().execute((trx) => enqueueWebhookEvent(trx, event));
  // Queued at the real time; the test's clock starts at T0.
  await db.updateTable("webhook_deliveries").set({ next_attempt_at: new Date(nextAt).toISOString() }).where("status", "=", "pending").where("attempts", "=", 0).execute();
}

const deliveries = (db: Kysely<Database>, hookId: string) => db.selectFrom("webhook_deliveries").selectAll().where("webhook_id", "=", hookId).orderBy("id").execute();
const hitsOn = (path: string) => received.filter((r) => r.path === path);

describe("the backoff", () => {
  it("waits 10 s, 1 min, 5 min, 30 min, 2 h, then gives up; Retry-After wins when given", () => {
    expect(BACKOFF_SECONDS).toEqual([10, 60, 300, 1800, 7200]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(n))).toEqual([10, 60, 300, 1800, 7200, null]);
    expect(MAX_ATTEMPTS).toBe(6);
    expect(retryDelaySeconds(1, 120)).toBe(120);
    expect(retryDelaySeconds(1, 0)).toBe(1);
    expect(retryDelaySeconds(2, 10 * 86400)).toBe(6 * 3600);
    expect(retryDelaySeconds(6, 30)).toBeNull();
  });

  it("stretches a scheduled wait by up to BACKOFF_JITTER at random, and keeps a Retry-After as it is", () => {
    expect(BACKOFF_JITTER).toBe(0.2);
    expect(retryDelaySeconds(1, undefined, 0.5)).toBeCloseTo(11);
    expect(retryDelaySeconds(3, undefined, 0.999)).toBeCloseTo(359.94);
    expect(retryDelaySeconds(1, 120, 0.9)).toBe(120);
    expect(retryDelaySeconds(6, undefined, 0.5)).toBeNull();
  });
});

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: webhook deliveries", (_, store) => {
  it.skipIf(store.skip)("queues with the caller's transaction only, and only for enabled webhooks subscribed to the type", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const yes = await addHook(db, "/q-yes");
    const other = await addHook(db, "/q-other", { events: ["access.approved"] });
    const off = await addHook(db, "/q-off", { enabled: 0 });
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueWebhookEvent(trx, sampleEvent());
        throw new Error("the change rolls back");
      }),
    ).rejects.toThrow("rolls back");
    expect(await db.selectFrom("webhook_deliveries").selectAll().execute()).toEqual([]);
    await db.transaction().execute((trx) => enqueueWebhookEvent(trx, sampleEvent()));
    expect((await deliveries(db, yes.id)).map((d) => [d.status, d.event_type, d.attempts])).toEqual([["pending", "access.requested", 0]]);
    expect(await deliveries(db, other.id)).toEqual([]);
    expect(await deliveries(db, off.id)).toEqual([]);
    // The payload is the event, without the webhook's secret.
    const [row] = await deliveries(db, yes.id);
    expect(JSON.parse(row!.payload)).toEqual(sampleEvent());
    expect(row!.payload).not.toContain(yes.secret!);
  });

  it.skipIf(store.skip)("a receiver that fails twice gets the third try, on the backoff schedule, signed each time", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const path = `/flaky-${store.dialect}`;
    script.set(path, { statuses: [500, 503, 200] });
    const hook = await addHook(db, path);
    await queue(db, sampleEvent());
    const worker = startWebhookWorker({ db: async () => db, allowPrivate: true, timer: false, random: () => 0 });
    try {
      expect(await worker.tick({ now: T0 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      let [d] = await deliveries(db, hook.id);
      expect(d).toMatchObject({ status: "pending", attempts: 1, last_status_code: 500, next_attempt_at: new Date(T0 + 10_000).toISOString(), lease_until: null });
      expect(d!.last_error).toBe("127.0.0.1 answered HTTP 500.");
      // Not due yet.
      expect(await worker.tick({ now: T0 + 9_999 })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(await worker.tick({ now: T0 + 10_000 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      [d] = await deliveries(db, hook.id);
      expect(d).toMatchObject({ status: "pending", attempts: 2, last_status_code: 503, next_attempt_at: new Date(T0 + 70_000).toISOString() });
      expect(await worker.tick({ now: T0 + 70_000 })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
      [d] = await deliveries(db, hook.id);
      expect(d).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 200, last_error: null, next_attempt_at: null, delivered_at: new Date(T0 + 70_000).toISOString() });
      const hits = hitsOn(path);
      expect(hits).toHaveLength(3);
      for (const hit of hits) {
        expect(hit.headers["x-switchboard-delivery"]).toBe(d!.id);
        expect(hit.headers["x-switchboard-event"]).toBe("access.requested");
        expect(verifySignature(hook.secret!, hit.headers["x-switchboard-timestamp"] as string, hit.body, hit.headers["x-switchboard-signature"] as string)).toBe(true);
        expect(verifySignature(newWebhookSecret(), hit.headers["x-switchboard-timestamp"] as string, hit.body, hit.headers["x-switchboard-signature"] as string)).toBe(false);
      }
    } finally {
      await worker.stop();
    }
  });

  it.skipIf(store.skip)("fails at once on a refusal (410), honours Retry-After on 429, and keeps a Slack URL out of its errors", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const gone = `/gone-${store.dialect}`;
    const busy = `/busy-${store.dialect}`;
    const slackPath = `/services/T000/B000/SLACKSECRET${store.dialect}`;
    script.set(gone, { statuses: [410] });
    script.set(busy, { statuses: [429], headers: { "Retry-After": "120" } });
    script.set(slackPath, { statuses: [500] });
    const g = await addHook(db, gone);
    const b = await addHook(db, busy);
    const s = await addHook(db, slackPath, { kind: "slack" });
    await queue(db, sampleEvent());
    const worker = startWebhookWorker({ db: async () => db, allowPrivate: true, timer: false, random: () => 0 });
    try {
      expect(await worker.tick({ now: T0 })).toEqual({ delivered: 0, retrying: 2, failed: 1 });
      expect(await deliveries(db, g.id)).toMatchObject([{ status: "failed", attempts: 1, last_status_code: 410, last_error: "127.0.0.1 refused the delivery: HTTP 410.", next_attempt_at: null }]);
      expect(await deliveries(db, b.id)).toMatchObject([{ status: "pending", attempts: 1, last_status_code: 429, next_attempt_at: new Date(T0 + 120_000).toISOString() }]);
      const [slack] = await deliveries(db, s.id);
      expect(slack!.last_error).not.toContain("SLACKSECRET");
      expect(slack!.last_error).not.toContain("/services/");
      // The Slack shape went out.
      expect(Object.keys(JSON.parse(hitsOn(slackPath)[0]!.body) as object)).toEqual(["text", "blocks"]);
      // After the sixth attempt it is failed for good.
      for (let i = 0; i < 6; i++) await worker.tick({ now: T0 + 10 * 86400_000 * (i + 1) });
      expect(await deliveries(db, s.id)).toMatchObject([{ status: "failed", attempts: MAX_ATTEMPTS }]);
    } finally {
      await worker.stop();
    }
  });

  it.skipIf(store.skip)("kickWebhookDelivery has this process's worker send at once, after the commit", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const path = `/kick-${store.dialect}`;
    await addHook(db, path);
    kickWebhookDelivery(); // no worker yet: nothing happens, nothing throws
    const worker = startWebhookWorker({ db: async () => db, allowPrivate: true, timer: false, random: () => 0 });
    registerWorker(worker);
    try {
      await db.transaction().execute((trx) => enqueueWebhookEvent(trx, sampleEvent()));
      kickWebhookDelivery();
      await expect.poll(() => hitsOn(path).length, { timeout: 5_000 }).toBe(1);
    } finally {
      registerWorker(undefined);
      await worker.stop();
    }
  });

  it.skipIf(store.skip)("spreads the retries of deliveries that failed together over the jitter window", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const group = `/outage-${store.dialect}`;
    const hooks = [];
    for (let i = 0; i < 8; i++) {
      script.set(`${group}-${i}`, { statuses: [503] });
      hooks.push(await addHook(db, `${group}-${i}`));
    }
    await queue(db, sampleEvent({ id: newId() }));
    // The worker's own randomness (Math.random), as on a server.
    const worker = startWebhookWorker({ db: async () => db, allowPrivate: true, timer: false });
    try {
      expect(await worker.tick({ now: T0 })).toEqual({ delivered: 0, retrying: 8, failed: 0 });
      const next = (await Promise.all(hooks.map((h) => deliveries(db, h.id)))).map(([d]) => Date.parse(d!.next_attempt_at!) - T0);
      for (const wait of next) {
        expect(wait).toBeGreaterThanOrEqual(10_000);
        expect(wait).toBeLessThanOrEqual(12_000);
      }
      // Eight draws of Math.random all landing on the same millisecond: about one chance in 10^24.
      expect(new Set(next).size).toBeGreaterThan(1);
    } finally {
      await worker.stop();
    }
  });

  it.skipIf(store.skip)("sends up to IN_FLIGHT deliveries at once, so one slow receiver does not hold back the others", async () => {
    const s = await store.create();
    await migrateToLatest(s.db);
    const group = `/fan-${store.dialect}`;
    const hooks = [];
    for (let i = 0; i < 6; i++) {
      script.set(`${group}-${i}`, { statuses: [200], delayMs: 200 });
      hooks.push(await addHook(s.db, `${group}-${i}`));
    }
    await queue(s.db, sampleEvent({ id: newId() }));
    const worker = startWebhookWorker({ db: async () => s.db, allowPrivate: true, timer: false, random: () => 0 });
    try {
      expect(await worker.tick({ now: T0 })).toEqual({ delivered: 6, retrying: 0, failed: 0 });
      // One at a time, the receiver would never answer two at once; never more than IN_FLIGHT.
      expect(inFlight.get(group)!.most).toBe(IN_FLIGHT);
      for (const hook of hooks) expect((await deliveries(s.db, hook.id)).map((d) => d.status)).toEqual(["delivered"]);
    } finally {
      await worker.stop();
    }
  });

  it.skipIf(store.skip)("two workers on one store never send the same delivery twice", async () => {
    const s = await store.create();
    await migrateToLatest(s.db);
    const path = `/race-${store.dialect}`;
    script.set(path, { statuses: [200], delayMs: 20 });
    const hook = await addHook(s.db, path);
    for (let i = 0; i < 12; i++) await queue(s.db, sampleEvent({ id: newId() }));
    const a = startWebhookWorker({ db: async () => s.db, allowPrivate: true, timer: false, random: () => 0, holder: "a" });
    const b = startWebhookWorker({ db: async () => s.connect(), allowPrivate: true, timer: false, random: () => 0, holder: "b" });
    try {
      const [ra, rb] = await Promise.all([a.tick({ now: T0 }), b.tick({ now: T0 })]);
      expect(ra.delivered + rb.delivered).toBe(12);
      if (store.dialect === "postgres") expect(Math.min(ra.delivered, rb.delivered), "both workers took part").toBeGreaterThan(0);
      const ids = hitsOn(path).map((h) => h.headers["x-switchboard-delivery"]);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect((await deliveries(s.db, hook.id)).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
