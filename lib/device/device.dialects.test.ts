// The device sign-in on both stores, through the functions the routes and the page call: a
// request started, polled, approved and answered with one token even when two polls race (the
// claim is one conditional UPDATE inside the token's transaction), slow_down remembered in the
// row, a denial, and the rate limits on the store's own backend (memory with SQLite, the
// switchboard_rate_limits table with Postgres). device.test.ts covers the rest on SQLite.
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";

type Modules = {
  db: Kysely<Database>;
  device: typeof import("./device");
  limits: typeof import("@/lib/ratelimit/limiters");
  closeDb: () => Promise<void>;
};

/** Points the configuration at `url` and loads the modules afresh (configuration, store client
 * and limiters are read once per module instance). */
async function load(url: string): Promise<Modules> {
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
  vi.resetModules();
  const client = await import("@/lib/db/client");
  const limits = await import("@/lib/ratelimit/limiters");
  await limits.closeRateLimiters();
  return { db: await client.getDb(), device: await import("./device"), limits, closeDb: client.closeDb };
}

const saved = { ...process.env };
afterAll(() => {
  for (const key of ["DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const meta = (ip: string) => ({ requestId: "req-device-dialects", ip, userAgent: "switchboard-cli/0.1.0" });
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: device sign-in", (_, store) => {
  let m: Modules;
  let operator: Actor;

  beforeAll(async () => {
    if (store.skip) return;
    const { config } = await store.create();
    m = await load(config.dialect === "postgres" ? config.url : `file:${config.path}`);
    const now = new Date().toISOString();
    await m.db.insertInto("users").values({ id: "u-op", email: "otto@example.com", name: "Otto", role: "operator", password_hash: null, aws_identity: "otto@example.com", created_at: now, updated_at: now }).execute();
    operator = testActor({ id: "u-op", email: "otto@example.com", name: "Otto", role: "operator" });
  });

  afterAll(async () => {
    if (store.skip) return;
    await m.limits.closeRateLimiters();
    await m.closeDb();
  });

  const start = (ip: string) => m.device.startDeviceAuthorization({ client_id: "switchboard-cli", description: "switchboard CLI on host box (linux)" }, meta(ip));
  const poll = (deviceCode: string, now?: number) => m.device.pollDeviceAuthorization({ grant_type: GRANT, device_code: deviceCode, client_id: "switchboard-cli" }, meta("192.0.2.1"), now);
  const rfcError = (promise: Promise<unknown>) => promise.then(() => "answered", (err: { details?: { error?: string } }) => err.details?.error);
  const codeOf = (userCode: string) => userCode.replace("-", "");

  it.skipIf(store.skip)("starts, answers pending then slow_down, and after the approval gives one token even to two polls at once", async () => {
    const started = await start("192.0.2.10");
    const t0 = Date.now();
    expect(await rfcError(poll(started.device_code, t0))).toBe("authorization_pending");
    expect(await rfcError(poll(started.device_code, t0 + 1000))).toBe("slow_down");
    const row = await m.db.selectFrom("device_authorizations").select(["interval_seconds", "status"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ interval_seconds: 10, status: "pending" });

    await m.device.approveDeviceRequest(operator, codeOf(started.user_code), meta("192.0.2.20"));
    // Past the 10 s interval the slow_down set, all three at the same moment.
    const later = t0 + 20_000;
    const results = await Promise.allSettled([poll(started.device_code, later), poll(started.device_code, later), poll(started.device_code, later)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const tokens = await m.db.selectFrom("personal_tokens").select(["id", "created_via", "scope"]).where("user_id", "=", operator.id).execute();
    expect(tokens).toEqual([{ id: expect.any(String), created_via: "device", scope: "switch" }]);
    expect(await m.db.selectFrom("device_authorizations").select(["status", "token_id"]).executeTakeFirstOrThrow()).toEqual({ status: "consumed", token_id: tokens[0]!.id });
    expect(await rfcError(poll(started.device_code, t0 + 40_000))).toBe("invalid_grant");
  });

  it.skipIf(store.skip)("a denial reaches the poll as access_denied", async () => {
    const started = await start("192.0.2.11");
    await m.device.denyDeviceRequest(operator, codeOf(started.user_code), meta("192.0.2.21"));
    expect(await rfcError(poll(started.device_code))).toBe("access_denied");
  });

  it.skipIf(store.skip)("limits starts per address and wrong codes per person on the store's backend", async () => {
    for (let i = 0; i < m.limits.DEVICE_STARTS_PER_IP.points; i++) await start("192.0.2.12");
    await expect(start("192.0.2.12")).rejects.toMatchObject({ code: "rate_limited" });
    for (let i = 0; i < m.limits.DEVICE_GUESSES_PER_PERSON.points; i++) await expect(m.device.findDeviceRequest(operator, "ZZZZZZZZ", meta("192.0.2.22"))).rejects.toMatchObject({ code: "not_found" });
    await expect(m.device.findDeviceRequest(operator, "ZZZZZZZZ", meta("192.0.2.22"))).rejects.toMatchObject({ code: "rate_limited" });
    if (store.dialect === "postgres") {
      const { rows } = await (await import("kysely")).sql<{ n: number }>`select count(*)::int as n from switchboard_rate_limits where key like 'device_%'`.execute(m.db);
      expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
    }
  });
});
