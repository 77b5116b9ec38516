// Sign-in, lockout, the first administrator and user changes, against a real SQLite store.
import { withTempStore } from "@/lib/config/testing";
import { testActor } from "@/lib/auth/testing";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";

// The config (and so the store) is read from the environment on first use.
withTempStore("users");

const { getDb } = await import("@/lib/db/client");
const { signInWithPassword } = await import("@/lib/auth/local-sign-in");
const { setupFirstAdmin, unsafeHasUsers } = await import("./bootstrap");
const { setupToken } = await import("./setup-token");
const { createUser } = await import("./create-user");
const { updateUser } = await import("./update-user");
const { listUsers } = await import("./list-users");
const { AppError } = await import("@/lib/errors");

const meta = { requestId: "test-request-0001", ip: "203.0.113.9", userAgent: "vitest" };
let admin: Actor;

async function actionsOf(email: string) {
  const db = await getDb();
  return db.selectFrom("audit_events").select(["action", "outcome", "reason", "ip"]).where("actor_email", "=", email).orderBy("id").execute();
}

beforeAll(async () => {
  expect(await unsafeHasUsers()).toBe(false);
  // Without the token the server printed, nobody takes over a fresh install.
  await expect(setupFirstAdmin({ email: "intruder@example.com", name: "Intruder", password: "intruder-password", token: "guess" }, meta)).rejects.toMatchObject({ code: "forbidden" });
  expect(await unsafeHasUsers()).toBe(false);
  expect(await actionsOf("intruder@example.com")).toEqual([{ action: "auth.setup", outcome: "denied", reason: "Wrong setup token", ip: meta.ip }]);
  // Two setups racing: exactly one administrator is created.
  const token = setupToken();
  const results = await Promise.allSettled([
    setupFirstAdmin({ email: "first@example.com", name: "First", password: "first-admin-password", token }, meta),
    setupFirstAdmin({ email: "second@example.com", name: "Second", password: "second-admin-password", token }, meta),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(AppError);
  expect((refused.reason as InstanceType<typeof AppError>).message).toBe("Switchboard is already set up. Sign in instead.");
  const db = await getDb();
  const row = await db.selectFrom("users").selectAll().executeTakeFirstOrThrow();
  admin = testActor({ id: row.id, email: row.email, name: row.name, role: row.role });
  expect(row.role).toBe("admin");
});

describe("signing in with a password", () => {
  it("accepts the right password, case-insensitively for the email, and records it", async () => {
    const result = await signInWithPassword(admin.email.toUpperCase(), admin.email === "first@example.com" ? "first-admin-password" : "second-admin-password", meta);
    expect(result.ok).toBe(true);
    const events = await actionsOf(admin.email);
    expect(events.at(-1)).toEqual({ action: "auth.sign_in", outcome: "success", reason: null, ip: "203.0.113.9" });
  });

  it("after five wrong passwords makes each next attempt wait (1 s, then 2 s, …) instead of locking the account, and audits each try", async () => {
    // The clock stands still, so the waits are exact (lib/ratelimit/sign-in.test.ts has the whole sequence).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await createUser(admin, { email: "lock@example.com", name: "Lock", password: "lock-right-password", role: "operator" }, meta);
      for (let i = 1; i <= 5; i++) {
        expect(await signInWithPassword("lock@example.com", `wrong-${i}`, meta)).toEqual({ ok: false, code: "invalid" });
      }
      // Even the right password waits its turn; the refusal costs no failure.
      expect(await signInWithPassword("lock@example.com", "lock-right-password", meta)).toEqual({ ok: false, code: "rate_limited", retryAfter: 1 });
      vi.setSystemTime(Date.now() + 1000);
      expect(await signInWithPassword("lock@example.com", "wrong-6", meta)).toEqual({ ok: false, code: "invalid" });
      expect(await signInWithPassword("lock@example.com", "wrong-7", meta)).toEqual({ ok: false, code: "rate_limited", retryAfter: 2 });
    } finally {
      vi.useRealTimers();
    }
    const events = await actionsOf("lock@example.com");
    expect(events.filter((e) => e.action === "auth.sign_in").map((e) => [e.outcome, e.reason])).toEqual([
      ["failure", "Wrong password"],
      ["failure", "Wrong password"],
      ["failure", "Wrong password"],
      ["failure", "Wrong password"],
      ["failure", "Wrong password; the next attempt must wait 1 s"],
      ["denied", "Rate limited: this account's sign-ins are delayed after repeated failures (or another attempt is under way)"],
      ["failure", "Wrong password; the next attempt must wait 2 s"],
      ["denied", "Rate limited: this account's sign-ins are delayed after repeated failures (or another attempt is under way)"],
    ]);
  });

  it("lifts the lock when an administrator resets the password, and ends open sessions", async () => {
    const user = (await listUsers(admin)).find((u) => u.email === "lock@example.com")!;
    expect(user.failedSignIns).toBe(6);
    const db = await getDb();
    const before = await db.selectFrom("users").select("session_version").where("id", "=", user.id).executeTakeFirstOrThrow();
    const updated = await updateUser(admin, user.id, { password: "lock-new-password" }, meta);
    expect(updated.lockedUntil).toBeNull();
    const after = await db.selectFrom("users").select("session_version").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(after.session_version).toBe(before.session_version + 1);
    expect((await listUsers(admin)).find((u) => u.id === user.id)).toMatchObject({ lockedUntil: null, failedSignIns: 0 });
    expect((await signInWithPassword("lock@example.com", "lock-new-password", meta)).ok).toBe(true);
  });

  it("answers an unknown email like a wrong password and records the attempt", async () => {
    expect(await signInWithPassword("ghost@example.com", "whatever-it-is", meta)).toEqual({ ok: false, code: "invalid" });
    expect(await actionsOf("ghost@example.com")).toEqual([{ action: "auth.sign_in", outcome: "failure", reason: "No local account with this email", ip: "203.0.113.9" }]);
  });

  it("tells a disabled user so only after the right password", async () => {
    const user = await createUser(admin, { email: "off@example.com", name: "Off", password: "off-right-password", role: "auditor" }, meta);
    await updateUser(admin, user.id, { disabled: true }, meta);
    expect(await signInWithPassword("off@example.com", "wrong-password!", meta)).toEqual({ ok: false, code: "invalid" });
    expect(await signInWithPassword("off@example.com", "off-right-password", meta)).toEqual({ ok: false, code: "disabled" });
  });
});

describe("user changes", () => {
  it("refuses a duplicate email with a clear conflict", async () => {
    await expect(createUser(admin, { email: "lock@example.com", name: "Again", password: "another-password", role: "operator" }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "A user with the email lock@example.com already exists.",
    });
  });

  it("keeps at least one enabled administrator and stops administrators locking themselves out", async () => {
    await expect(updateUser(admin, admin.id, { role: "operator" }, meta)).rejects.toMatchObject({ code: "bad_request" });
    const other = await createUser(admin, { email: "admin2@example.com", name: "Admin Two", password: "admin-two-password", role: "admin" }, meta);
    const otherActor: Actor = testActor({ id: other.id, email: other.email, name: other.name, role: "admin" });
    // Demoting the first admin is fine while another remains…
    await updateUser(otherActor, admin.id, { role: "auditor" }, meta);
    // …but not the last one.
    await expect(updateUser({ ...admin, role: "admin" }, other.id, { disabled: true }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "This is the last enabled administrator; make someone else an administrator first.",
    });
    await updateUser(otherActor, admin.id, { role: "admin" }, meta);
  });

  it("is refused to anyone without users.manage", async () => {
    const operator: Actor = testActor({ id: "01JXXXXXXXXXXXXXXXXXXXXXXX", email: "op@example.com", name: "Op", role: "operator" });
    await expect(listUsers(operator)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createUser(operator, { email: "x@example.com", name: "X", password: "long-enough-pw", role: "admin" }, meta)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("records each change in the audit log without the password", async () => {
    const db = await getDb();
    const events = await db.selectFrom("audit_events").select(["action", "details", "target_label"]).where("action", "in", ["user.create", "user.update", "user.password_reset"]).execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["user.create", "user.update", "user.password_reset"]));
    const text = JSON.stringify(events);
    for (const secret of ["lock-new-password", "off-right-password", "lock-right-password", "scrypt$"]) expect(text).not.toContain(secret);
  });
});
