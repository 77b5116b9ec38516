// The one guard, with real session cookies: next-auth's own JWT encoding, a real
// SQLite store with console_sessions rows, and only the framework's request scope (next/headers)
// stood in for. Idle timeout, absolute lifetime, ended sessions, step-up, and audited refusals.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionJar, signedInTestEnv } from "./testing";

signedInTestEnv("authorize", { SWITCHBOARD_IDLE_MINUTES: "30", SWITCHBOARD_SESSION_HOURS: "8" });
vi.mock("next/headers", async () => (await import("./testing")).nextHeadersStub());

const { encode } = await import("next-auth/jwt");
const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { authorize } = await import("./authorize");
const { markSteppedUp } = await import("@/lib/auth/console-sessions");

const meta = { requestId: "test-authorize", ip: "203.0.113.20", userAgent: "vitest" };
const MIN = 60_000;
let user: { id: string; email: string };

/** A session cookie as next-auth would set it for a sign-in `ageMs` ago, with its row. */
async function signedIn(opts: { ageMs?: number; lastSeenAgoMs?: number; ended?: boolean; sv?: number; secret?: string; maxAge?: number } = {}) {
  const db = await getDb();
  const now = Date.now();
  const sid = newId();
  await db
    .insertInto("console_sessions")
    .values({
      id: sid,
      user_id: user.id,
      created_at: new Date(now - (opts.ageMs ?? 0)).toISOString(),
      last_seen_at: new Date(now - (opts.lastSeenAgoMs ?? 0)).toISOString(),
      ended_at: opts.ended ? new Date(now).toISOString() : null,
    })
    .execute();
  sessionJar.cookie = await encode({ token: { uid: user.id, sv: opts.sv ?? 1, sid, authAt: Math.floor((now - (opts.ageMs ?? 0)) / 1000) }, secret: opts.secret ?? process.env.NEXTAUTH_SECRET!, maxAge: opts.maxAge });
  return sid;
}

/** getActor is memoized per request (React cache); each call here is a new "request". */
async function attempt(requirement: Parameters<typeof authorize>[0]) {
  vi.resetModules();
  return authorize(requirement, { operation: "test op", meta });
}

async function deniedEvents() {
  const db = await getDb();
  return db.selectFrom("audit_events").select(["action", "outcome", "reason"]).where("actor_id", "=", user.id).where("outcome", "=", "denied").execute();
}

beforeAll(async () => {
  const db = await getDb();
  const now = new Date().toISOString();
  user = { id: newId(), email: "olga.operator@example.com" };
  await db.insertInto("users").values({ ...user, name: "Olga", role: "operator", password_hash: null, aws_identity: "olga.operator@example.com", created_at: now, updated_at: now }).execute();
});

beforeEach(() => {
  sessionJar.cookie = undefined;
});

describe("authorize", () => {
  it("lets a current session through with the person's fixed AWS identity and its session times", async () => {
    await signedIn({ ageMs: 5 * MIN });
    const actor = await attempt({ permission: "sessions.create" });
    expect(actor.id).toBe(user.id);
    expect(actor.awsIdentity).toBe("olga.operator@example.com");
    expect(actor.session.endsAt - actor.session.signedInAt).toBe(8 * 3600_000);
  });

  it("refuses without a cookie, and records nothing (there is no one to record)", async () => {
    const db = await getDb();
    const count = async () => Number((await db.selectFrom("audit_events").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    expect(await count()).toBe(before);
  });

  it("refuses a cookie sealed with another secret, and one from before the session version changed", async () => {
    await signedIn({ secret: "another-secret-that-is-long-enough-9876543210" });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
    // Signing out everywhere, disabling and password resets bump users.session_version.
    await signedIn({ sv: 0 });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refuses a token past its expiry (beyond the 15-second clock tolerance) and a token altered in transit", async () => {
    await signedIn({ maxAge: -60 });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
    await signedIn({ maxAge: 3600 });
    await expect(attempt({ permission: null })).resolves.toMatchObject({ id: user.id });
    // The ciphertext (the fourth of the JWE's five parts) with one character changed.
    const parts = sessionJar.cookie!.split(".");
    parts[3] = `${parts[3]!.startsWith("A") ? "B" : "A"}${parts[3]!.slice(1)}`;
    sessionJar.cookie = parts.join(".");
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refuses a disabled person's current session", async () => {
    const db = await getDb();
    await signedIn();
    await db.updateTable("users").set({ disabled_at: new Date().toISOString() }).where("id", "=", user.id).execute();
    try {
      await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
    } finally {
      await db.updateTable("users").set({ disabled_at: null }).where("id", "=", user.id).execute();
    }
    await expect(attempt({ permission: null })).resolves.toMatchObject({ id: user.id });
  });

  it("ends a session idle for longer than SWITCHBOARD_IDLE_MINUTES", async () => {
    await signedIn({ ageMs: 60 * MIN, lastSeenAgoMs: 31 * MIN });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
    await signedIn({ ageMs: 60 * MIN, lastSeenAgoMs: 29 * MIN });
    await expect(attempt({ permission: null })).resolves.toMatchObject({ id: user.id });
  });

  it("keeps an active session alive: each request moves last_seen_at on", async () => {
    const sid = await signedIn({ ageMs: 60 * MIN, lastSeenAgoMs: 20 * MIN });
    await attempt({ permission: null });
    const db = await getDb();
    const row = await db.selectFrom("console_sessions").select("last_seen_at").where("id", "=", sid).executeTakeFirstOrThrow();
    expect(Date.now() - Date.parse(row.last_seen_at)).toBeLessThan(MIN);
  });

  it("ends a session past its absolute lifetime however active, and one that was signed out", async () => {
    await signedIn({ ageMs: 8 * 3600_000 + MIN });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
    await signedIn({ ended: true });
    await expect(attempt({ permission: null })).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refuses a missing permission, audited once", async () => {
    await signedIn();
    const before = await deniedEvents();
    await expect(attempt({ permission: "users.manage" })).rejects.toMatchObject({ code: "forbidden", status: 403, audited: true });
    const after = await deniedEvents();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((e) => !before.some((b) => b.reason === e.reason))).toEqual([
      { action: "access.denied", outcome: "denied", reason: "Your console role (operator) does not allow this (users.manage)." },
    ]);
  });

  it("checks the permission before the step-up: a role that may not do it is refused, not asked to sign in again", async () => {
    await signedIn({ ageMs: 60 * MIN });
    await expect(attempt({ permission: "provisioning.manage", stepUp: true })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("asks for a step-up when the sign-in is older than 15 minutes, and not after one", async () => {
    const sid = await signedIn({ ageMs: 16 * MIN });
    await expect(attempt({ permission: null, stepUp: true })).rejects.toMatchObject({ code: "step_up_required", status: 401, details: { stepUp: "password" } });
    expect((await deniedEvents()).some((e) => e.reason?.startsWith("This changes IAM in your AWS accounts"))).toBe(true);
    await markSteppedUp(sid);
    await expect(attempt({ permission: null, stepUp: true })).resolves.toMatchObject({ id: user.id });
    await signedIn({ ageMs: 14 * MIN });
    await expect(attempt({ permission: null, stepUp: true })).resolves.toMatchObject({ id: user.id });
  });
});
