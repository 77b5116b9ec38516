// Password sign-in under its rate limits, against a real SQLite store and the real password
// hashing (wrapped only to count the hashes): refusals come before any hash, the per-account wait
// doubles up to its cap and then ends by itself, unknown and known emails are refused alike, and
// the sign-in route answers a refusal with a real 429.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { testActor } from "@/lib/auth/testing";

// The config (and so the store and the limiters) is read from the environment on first use.
const dir = mkdtempSync(join(tmpdir(), "switchboard-signin-limits-"));
const savedEnv = { ...process.env };
Object.assign(process.env, {
  DATABASE_URL: `file:${join(dir, "store.db")}`,
  NEXTAUTH_URL: "https://switchboard.example.com",
  SWITCHBOARD_RATE_SIGNIN_IP: "5/5m",
  SWITCHBOARD_SIGNIN_DELAY_AFTER: "3",
  SWITCHBOARD_SIGNIN_MAX_DELAY_MINUTES: "1",
  // The route tests name their address in X-Forwarded-For, as a proxy in front would.
  SWITCHBOARD_TRUST_PROXY: "1",
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

// The real hashing, counted.
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/auth/password")>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword), dummyVerify: vi.fn(actual.dummyVerify) };
});

const { verifyPassword, dummyVerify } = await import("@/lib/auth/password");
const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { signInWithPassword } = await import("@/lib/auth/local-sign-in");
const { checkSignIn, signInDelay } = await import("./sign-in");
const { createUser } = await import("@/lib/users/create-user");
const { listUsers } = await import("@/lib/users/list-users");
const { clearSignInLock } = await import("@/lib/users/clear-sign-in-lock");
const { POST: authPost } = await import("@/app/api/auth/[...nextauth]/route");

const admin = testActor({ id: newId(), email: "admin@example.com", name: "Admin", role: "admin" });
const meta = { requestId: "req-signin-limits", userAgent: "vitest" };
let lastAddress = 0;
/** A request from an address of its own, so that only the per-account limit applies. */
const fresh = () => ({ ...meta, ip: `192.0.2.${++lastAddress}` });
const hashes = () => vi.mocked(verifyPassword).mock.calls.length + vi.mocked(dummyVerify).mock.calls.length;
const unknownEmail = () => `nobody-${newId().toLowerCase()}@example.com`;
const codeOf = (result: { ok: true } | { ok: false; code: string }) => (result.ok ? "ok" : result.code);

async function addUser(email: string, password: string) {
  return createUser(admin, { email, name: email.split("@")[0]!, password, role: "operator" }, meta);
}

async function deniedSignIns(email: string) {
  const db = await getDb();
  return db.selectFrom("audit_events").select(["actor_id", "reason", "outcome", "details"]).where("action", "=", "auth.sign_in").where("outcome", "=", "denied").where("actor_email", "=", email).orderBy("id").execute();
}

beforeAll(async () => {
  await getDb();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("per account: a progressive delay instead of a lock", () => {
  it("makes each attempt after the third failure wait 1, 2, 4, … s up to the cap, without hashing or counting refused attempts, and lets the right password in once the wait is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
    await addUser("delay@example.com", "delay-right-password");

    const waits: number[] = [];
    for (let failure = 1; failure <= 10; failure++) {
      const before = hashes();
      expect(await signInWithPassword("delay@example.com", `wrong-${failure}`, fresh())).toEqual({ ok: false, code: "invalid" });
      expect(hashes()).toBe(before + 1);
      const wait = (await signInDelay("delay@example.com")).delayedUntil;
      const seconds = wait ? Math.round((Date.parse(wait) - Date.now()) / 1000) : 0;
      waits.push(seconds);
      if (!seconds) continue;
      // During the wait even the right password is refused: no hash, and no failure counted.
      for (const password of ["delay-right-password", "another-guess"]) {
        expect(await signInWithPassword("delay@example.com", password, fresh())).toEqual({ ok: false, code: "rate_limited", retryAfter: seconds });
      }
      advance(seconds * 1000 - 1);
      expect(await signInWithPassword("delay@example.com", "delay-right-password", fresh())).toEqual({ ok: false, code: "rate_limited", retryAfter: 1 });
      expect(hashes()).toBe(before + 1);
      expect((await signInDelay("delay@example.com")).failures).toBe(failure);
      advance(1);
    }
    // SWITCHBOARD_SIGNIN_DELAY_AFTER=3, SWITCHBOARD_SIGNIN_MAX_DELAY_MINUTES=1.
    expect(waits).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);

    // The cap is the longest anyone can be kept out: the right password works when it ends,
    // and the count starts again.
    expect(await signInWithPassword("delay@example.com", "delay-right-password", fresh())).toMatchObject({ ok: true });
    expect(await signInDelay("delay@example.com")).toEqual({ failures: 0, delayedUntil: null });
    expect(await signInWithPassword("delay@example.com", "wrong-again", fresh())).toEqual({ ok: false, code: "invalid" });
    expect(await signInWithPassword("delay@example.com", "delay-right-password", fresh())).toMatchObject({ ok: true });
  });

  it("lets one attempt per account run at a time, so a burst cannot slip in before the first failure counts", async () => {
    await addUser("burst@example.com", "burst-right-password");
    const before = hashes();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => signInWithPassword("burst@example.com", `guess-${i}`, fresh())));
    expect(results.filter((r) => codeOf(r) === "invalid")).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === "rate_limited")).toHaveLength(7);
    expect(hashes()).toBe(before + 1);
    // The turn was given back: the next attempt runs.
    expect(await signInWithPassword("burst@example.com", "burst-right-password", fresh())).toMatchObject({ ok: true });
  });

  it("refuses an unknown email exactly as it refuses a known one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await addUser("known@example.com", "known-right-password");
    const unknown = unknownEmail();
    const refusals = [];
    for (const email of ["known@example.com", unknown]) {
      for (let i = 0; i < 3; i++) expect(await signInWithPassword(email, `wrong-${i}`, fresh())).toEqual({ ok: false, code: "invalid" });
      const result = await signInWithPassword(email, "known-right-password", fresh());
      const early = await checkSignIn(email, fresh()).catch((err: unknown) => err);
      refusals.push({ result, early: { ...(early as object), message: (early as Error).message } });
    }
    expect(refusals[0]).toEqual(refusals[1]);
    expect(refusals[0]!.result).toEqual({ ok: false, code: "rate_limited", retryAfter: 1 });
    expect(refusals[0]!.early).toMatchObject({ code: "rate_limited", retryAfter: 1, message: "Too many sign-in attempts for this account; wait 1 second and try again." });
    // And the audit log records both refusals alike: no actor, the same reason.
    const [known, other] = await Promise.all([deniedSignIns("known@example.com"), deniedSignIns(unknown)]);
    expect(known).toHaveLength(2);
    expect(known).toEqual(other);
    expect(known[0]).toMatchObject({ actor_id: null, reason: expect.stringMatching(/^Rate limited: /) });
  });

  it("can be cleared by an administrator, who sees the wait on the Users page", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const user = await addUser("cleared@example.com", "cleared-right-password");
    for (let i = 0; i < 3; i++) await signInWithPassword("cleared@example.com", `wrong-${i}`, fresh());
    const listed = (await listUsers(admin)).find((u) => u.id === user.id)!;
    expect(listed.failedSignIns).toBe(3);
    expect(Date.parse(listed.lockedUntil!) - Date.now()).toBeGreaterThan(0);

    const operator = testActor({ id: newId(), email: "op@example.com", name: "Op", role: "operator" });
    await expect(clearSignInLock(operator, user.id, meta)).rejects.toMatchObject({ code: "forbidden" });
    expect(codeOf(await signInWithPassword("cleared@example.com", "cleared-right-password", fresh()))).toBe("rate_limited");

    const cleared = await clearSignInLock(admin, user.id, meta);
    expect(cleared).toMatchObject({ lockedUntil: null, failedSignIns: 0 });
    expect(await signInWithPassword("cleared@example.com", "cleared-right-password", fresh())).toMatchObject({ ok: true });
    const db = await getDb();
    const event = await db.selectFrom("audit_events").selectAll().where("action", "=", "user.clear_sign_in_lock").where("target_id", "=", user.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: admin.id, outcome: "success", target_label: "cleared@example.com" });
    expect(JSON.parse(event.details)).toEqual({ failedSignIns: 3, wasWaiting: true });
  });
});

describe("per address", () => {
  it("refuses the attempts over the budget before any password hash, whatever the email or password", async () => {
    await addUser("flooded@example.com", "flooded-right-password");
    const from = { ...meta, ip: "203.0.113.50" };
    for (let i = 0; i < 5; i++) expect(await signInWithPassword(unknownEmail(), "guess", from)).toEqual({ ok: false, code: "invalid" });
    const before = hashes();
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await signInWithPassword(i % 2 ? unknownEmail() : "flooded@example.com", i % 3 ? "guess" : "flooded-right-password", from));
    expect(results.map(codeOf)).toEqual(Array(30).fill("rate_limited"));
    expect(hashes()).toBe(before);
    await expect(checkSignIn("flooded@example.com", from)).rejects.toMatchObject({ code: "rate_limited", message: expect.stringMatching(/^Too many sign-in attempts from your network address \(more than 5 in 5 minutes\); wait \d+ (minutes?|seconds?)/) });
    // The same person from another address is not affected.
    expect(await signInWithPassword("flooded@example.com", "flooded-right-password", fresh())).toMatchObject({ ok: true });
  });

  it("gives a successful sign-in's point back to its address", async () => {
    await addUser("office@example.com", "office-right-password");
    const from = { ...meta, ip: "203.0.113.60" };
    for (let i = 0; i < 4; i++) expect(codeOf(await signInWithPassword(unknownEmail(), "guess", from))).toBe("invalid");
    expect(await signInWithPassword("office@example.com", "office-right-password", from)).toMatchObject({ ok: true });
    expect(codeOf(await signInWithPassword(unknownEmail(), "guess", from))).toBe("invalid");
    expect(codeOf(await signInWithPassword(unknownEmail(), "guess", from))).toBe("rate_limited");
  });

  it("keys requests without an address together, as unknown", async () => {
    for (let i = 0; i < 5; i++) expect(codeOf(await signInWithPassword(unknownEmail(), "guess", meta))).toBe("invalid");
    expect(codeOf(await signInWithPassword(unknownEmail(), "guess", meta))).toBe("rate_limited");
  });
});

describe("the sign-in route", () => {
  const post = (email: string, ip: string) =>
    authPost(
      new NextRequest("https://switchboard.example.com/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
        body: new URLSearchParams({ email, password: "whatever-it-is", csrfToken: "token", json: "true" }).toString(),
      }),
      { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
    );

  it("answers a refused attempt with 429, Retry-After and the URL next-auth's client reads the error from, before any hash", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const email = unknownEmail();
    for (let i = 0; i < 3; i++) await signInWithPassword(email, `wrong-${i}`, fresh());
    const before = hashes();
    const res = await post(email.toUpperCase(), "198.51.100.20");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    const { url } = (await res.json()) as { url: string };
    expect(new URL(url).origin).toBe("https://switchboard.example.com");
    expect(new URL(url).pathname).toBe("/signin");
    expect(new URL(url).searchParams.get("error")).toBe("rate_limited:1");
    expect(hashes()).toBe(before);
  });

  it("answers 429 once the address has spent its attempts", async () => {
    for (let i = 0; i < 5; i++) await signInWithPassword(unknownEmail(), "guess", { ...meta, ip: "198.51.100.30" });
    const res = await post(unknownEmail(), "198.51.100.30");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(200);
    expect(new URL(((await res.json()) as { url: string }).url).searchParams.get("error")).toMatch(/^rate_limited:\d+$/);
  });
});
