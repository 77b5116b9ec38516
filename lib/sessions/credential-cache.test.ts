// The cache's own rules, with a counting stand-in for AssumeRole (the switch path with the real
// store and the sandbox is in credential-cache.switch.test.ts): single-flight, people kept apart,
// versions, revocations, the refresh margin and the console session's end.
import { describe, expect, it } from "vitest";
import type { AssumedSession } from "./assume";
import { CredentialCache, REFRESH_MARGIN_MS, type CacheRules, type CacheSlot } from "./credential-cache";

const HOUR = 3600_000;

function clock(start = Date.parse("2026-12-03T10:00:00.000Z")) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A stand-in AssumeRole: counts calls, issues numbered credentials lasting `lifetime`. */
function sts(time: { now: () => number }, lifetime = HOUR) {
  let calls = 0;
  const assume = async (): Promise<AssumedSession> => {
    calls++;
    const n = calls;
    await new Promise((r) => setTimeout(r, 5));
    const issued = time.now();
    return {
      credentials: { accessKeyId: `ASIA${n}`, secretAccessKey: `secret-${n}`, sessionToken: `token-${n}`, expiration: new Date(issued + lifetime).toISOString() },
      issuedAt: new Date(issued).toISOString(),
      assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/ReadOnly/ada",
      sessionName: "ada",
      sourceIdentity: null,
      durationSeconds: lifetime / 1000,
      cappedBy: [],
      brokerKind: "long-term",
      broker: { arn: "arn:aws:iam::333333333333:user/switchboard", accountId: "333333333333" },
    };
  };
  return { assume, calls: () => calls };
}

const ada: CacheSlot = { userId: "user-ada", roleId: "role-1", requestedSeconds: undefined };
const rules = (time: { now: () => number }, over: Partial<CacheRules> = {}): CacheRules => ({ version: "v1", revokedBefore: null, minRemainingMs: 0, notAfter: time.now() + 12 * HOUR, ...over });

describe("the credential cache", () => {
  it("serves a repeat request from memory: one AssumeRole", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const first = await cache.get(ada, rules(time), aws.assume);
    time.advance(10 * 60_000);
    const second = await cache.get(ada, rules(time), aws.assume);
    expect([first.source, second.source]).toEqual(["miss", "hit"]);
    expect(second.session.credentials.accessKeyId).toBe(first.session.credentials.accessKeyId);
    expect(aws.calls()).toBe(1);
  });

  it("shares one AssumeRole among concurrent requests for the same person and entry (single-flight)", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const results = await Promise.all(Array.from({ length: 25 }, () => cache.get(ada, rules(time), aws.assume)));
    expect(aws.calls()).toBe(1);
    expect(new Set(results.map((r) => r.session.credentials.accessKeyId)).size).toBe(1);
    expect(results.filter((r) => r.source === "miss")).toHaveLength(1);
    expect(results.filter((r) => r.source === "shared")).toHaveLength(24);
  });

  it("never gives one person's credentials to another, even at the same moment in the same entry", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const bob: CacheSlot = { ...ada, userId: "user-bob" };
    const [a, b] = await Promise.all([cache.get(ada, rules(time), aws.assume), cache.get(bob, rules(time), aws.assume)]);
    expect(aws.calls()).toBe(2);
    expect(a.session.credentials.accessKeyId).not.toBe(b.session.credentials.accessKeyId);
    expect((await cache.get(bob, rules(time), aws.assume)).session.credentials.accessKeyId).toBe(b.session.credentials.accessKeyId);
  });

  it("keeps entries and requested durations apart", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    await cache.get(ada, rules(time), aws.assume);
    await cache.get({ ...ada, roleId: "role-2" }, rules(time), aws.assume);
    await cache.get({ ...ada, requestedSeconds: 900 }, rules(time), aws.assume);
    expect(aws.calls()).toBe(3);
  });

  it("drops an entry whose version changed (sign-in, grants or the entry's settings) and does not serve it again", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const old = await cache.get(ada, rules(time), aws.assume);
    const next = await cache.get(ada, rules(time, { version: "v2" }), aws.assume);
    expect(next.source).toBe("miss");
    expect(next.session.credentials.accessKeyId).not.toBe(old.session.credentials.accessKeyId);
    // Back to the old version (say, a grant removed and the same state restored): still not the old credentials.
    const back = await cache.get(ada, rules(time), aws.assume);
    expect(back.session.credentials.accessKeyId).not.toBe(old.session.credentials.accessKeyId);
    expect(aws.calls()).toBe(3);
  });

  it("does not serve credentials requested before a revocation covering them, and keeps serving ones issued after", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const before = await cache.get(ada, rules(time), aws.assume);
    time.advance(400);
    // Revoked at 10:00:00.400, written as "issued before 10:00:01".
    const revokedBefore = Date.parse("2026-12-03T10:00:01.000Z");
    time.advance(600);
    const after = await cache.get(ada, rules(time, { revokedBefore }), aws.assume);
    expect(after.source).toBe("miss");
    expect(after.session.credentials.accessKeyId).not.toBe(before.session.credentials.accessKeyId);
    time.advance(60_000);
    expect((await cache.get(ada, rules(time, { revokedBefore }), aws.assume)).source).toBe("hit");
  });

  it("stops serving 5 minutes before expiry, and a console sign-in needs 15 minutes left", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    await cache.get(ada, rules(time), aws.assume);
    time.advance(HOUR - 20 * 60_000);
    expect((await cache.get(ada, rules(time), aws.assume)).source).toBe("hit");
    expect((await cache.get(ada, rules(time, { minRemainingMs: 15 * 60_000 }), aws.assume)).source).toBe("hit");
    time.advance(6 * 60_000);
    // 14 minutes left: fine for credentials, too short for a console sign-in.
    expect((await cache.get(ada, rules(time, { minRemainingMs: 15 * 60_000 }), aws.assume)).source).toBe("miss");
    const fresh = aws.calls();
    time.advance(HOUR - REFRESH_MARGIN_MS + 1000);
    expect((await cache.get(ada, rules(time), aws.assume)).source).toBe("miss");
    expect(aws.calls()).toBe(fresh + 1);
  });

  it("does not serve credentials that would outlive the person's console session", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    await cache.get(ada, rules(time), aws.assume);
    const notAfter = time.now() + 30 * 60_000;
    expect((await cache.get(ada, rules(time, { notAfter }), aws.assume)).source).toBe("miss");
  });

  it("does not cache a failed AssumeRole; everyone waiting on it gets the failure", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    let calls = 0;
    const failing = async (): Promise<AssumedSession> => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      throw new Error("AccessDenied");
    };
    const results = await Promise.allSettled([cache.get(ada, rules(time), failing), cache.get(ada, rules(time), failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
    await expect(cache.get(ada, rules(time), failing)).rejects.toThrow("AccessDenied");
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("forgets one person, one entry, or one person in one entry", async () => {
    const time = clock();
    const cache = new CredentialCache(time.now);
    const aws = sts(time);
    const slots: CacheSlot[] = [ada, { ...ada, roleId: "role-2" }, { ...ada, userId: "user-bob" }, { ...ada, userId: "user-bob", roleId: "role-2" }];
    for (const slot of slots) await cache.get(slot, rules(time), aws.assume);
    expect(cache.size).toBe(4);
    cache.forgetRole("role-2", "user-bob");
    expect(cache.size).toBe(3);
    cache.forgetPerson("user-ada");
    expect(cache.size).toBe(1);
    cache.forgetRole("role-1");
    expect(cache.size).toBe(0);
  });
});
