// The broker's own identity (brokerProfile), against the sandbox over HTTP with the real SDK: a
// failure to read it is an AWS failure in words (never an internal error), many requests at
// once make one GetCallerIdentity call, and a failed refresh keeps the last answer.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { configureForSandbox } from "@/lib/config/testing";
import { AppError } from "@/lib/errors";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "broker-clients");

const { brokerProfile } = await import("./broker-clients");

const identityCalls = async (since: number) => (await t.admin.calls({ since, service: "sts", action: "GetCallerIdentity" })).length;

afterEach(async () => {
  vi.useRealTimers();
  await t.admin.clearFaults();
});
afterAll(() => vi.useRealTimers());

describe("brokerProfile", () => {
  it("says in words that AWS failed when the first look-up fails, as an AWS error (502), not an internal one", async () => {
    await t.admin.addFault({ service: "sts", action: "GetCallerIdentity", code: "ServiceUnavailable", status: 500, message: "STS is down.", count: 10 });
    const failure = await brokerProfile().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "upstream_error" });
    expect((failure as AppError).message).toMatch(/^Could not find the console's own AWS identity \(sts:GetCallerIdentity\)/);
  });

  it("answers many requests at once with one GetCallerIdentity call, then from memory", async () => {
    const since = await t.admin.lastSeq();
    const answers = await Promise.all(Array.from({ length: 8 }, () => brokerProfile()));
    expect(new Set(answers.map((a) => a.arn)).size).toBe(1);
    expect(answers[0]).toMatchObject({ accountId: "333333333333", kind: "long-term" });
    await brokerProfile();
    expect(await identityCalls(since)).toBe(1);
  });

  it("keeps the last answer when a later look-up fails, and looks again after the next interval", async () => {
    const { kind, arn, accountId } = await brokerProfile();
    const before = { kind, arn, accountId };
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * 60_000 });
    await t.admin.addFault({ service: "sts", action: "GetCallerIdentity", code: "ServiceUnavailable", status: 500, message: "STS is down.", count: 10 });
    const since = await t.admin.lastSeq();
    await expect(brokerProfile()).resolves.toMatchObject(before);
    expect(await identityCalls(since)).toBeGreaterThan(0);
    // Kept for another interval: no call on every request while AWS is failing.
    const afterFailure = await t.admin.lastSeq();
    await expect(brokerProfile()).resolves.toMatchObject(before);
    expect(await identityCalls(afterFailure)).toBe(0);
  });
});
