// The limiters themselves: budgets in memory, the progressive sign-in wait, the wording of
// waits, and two console instances on one Postgres spending one budget.
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { testDatabases } from "@/lib/db/testing";
import { consumeOrRefuse, createRateLimiters, formatDuration, formatWindow, PROVISIONING_CHECKS, retryAfterSeconds, type RateLimiters, type RateLimitSettings } from "./limiters";
import { addressBucket, signInWaitSeconds } from "./sign-in";

const settings: RateLimitSettings = {
  switch: { points: 3, seconds: 60 },
  sts: { points: 5, seconds: 3600 },
  signInPerIp: { points: 4, seconds: 300 },
  signInDelayAfter: 5,
  signInMaxDelaySeconds: 900,
};

/** How many of `attempts` consumes the limiter allowed. */
async function allowed(limiter: RateLimiters["switch"], key: string, attempts: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < attempts; i++) if (!(await consumeOrRefuse(limiter, key))) ok++;
  return ok;
}

describe("in memory", () => {
  it("allows a key its points per window, refuses the rest with the time left, and keeps keys apart", async () => {
    const limiters = await createRateLimiters(settings, { kind: "memory" });
    expect(await allowed(limiters.switch, "alice", 10)).toBe(3);
    expect(await allowed(limiters.switch, "bob", 10)).toBe(3);
    const refused = await consumeOrRefuse(limiters.switch, "alice");
    expect(refused).toBeDefined();
    expect(retryAfterSeconds(refused!)).toBeGreaterThan(50);
    expect(retryAfterSeconds(refused!)).toBeLessThanOrEqual(60);
    // Each limiter has its own budget.
    expect(await allowed(limiters.sts, "alice", 10)).toBe(5);
  });

  it("gives a point back on reward, and forgets a key on delete", async () => {
    const limiters = await createRateLimiters(settings, { kind: "memory" });
    expect(await allowed(limiters.signInIp, "203.0.113.1", 4)).toBe(4);
    await limiters.signInIp.reward("203.0.113.1", 1);
    expect(await allowed(limiters.signInIp, "203.0.113.1", 3)).toBe(1);
    await limiters.signInIp.delete("203.0.113.1");
    expect(await allowed(limiters.signInIp, "203.0.113.1", 5)).toBe(4);
  });
});

describe("the progressive sign-in wait", () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 1],
    [6, 2],
    [7, 4],
    [8, 8],
    [14, 512],
    [15, 900],
    [16, 900],
    [500, 900],
  ])("after %i failures in a row the next attempt waits %i s", (failures, wait) => {
    expect(signInWaitSeconds(failures, settings)).toBe(wait);
  });

  it("follows the configured threshold and cap", () => {
    const waits = Array.from({ length: 12 }, (_, i) => signInWaitSeconds(i + 1, { signInDelayAfter: 2, signInMaxDelaySeconds: 60 }));
    expect(waits).toEqual([0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]);
  });
});

describe("address buckets", () => {
  it.each([
    [undefined, "unknown"],
    ["", "unknown"],
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002::abcd", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s is counted as %s", (ip, bucket) => {
    expect(addressBucket(ip)).toBe(bucket);
  });
});

describe("wording", () => {
  it.each([
    [1, "1 second"],
    [12, "12 seconds"],
    [60, "1 minute"],
    [125, "2 minutes 5 seconds"],
    [900, "15 minutes"],
    [3600, "1 hour"],
    [5400, "1 hour 30 minutes"],
  ])("%i s is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("names windows the way people say them", () => {
    expect([1, 60, 300, 3600].map(formatWindow)).toEqual(["the last second", "the last minute", "the last 5 minutes", "the last hour"]);
  });
});

const stores = testDatabases();
const postgres = stores.find((s) => s.dialect === "postgres")!;

describe(`${postgres.label}: several console instances`, () => {
  const opened: RateLimiters[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((l) => l.close()));
  });

  /** Two instances, each with its own pool, on one database; keys unique to this run. */
  async function twoInstances(): Promise<[RateLimiters, RateLimiters]> {
    const { config } = await postgres.create();
    if (config.dialect !== "postgres") throw new Error("expected Postgres");
    const namespace = `t${newId().toLowerCase()}_`;
    const a = await createRateLimiters(settings, { kind: "postgres", url: config.url }, namespace);
    const b = await createRateLimiters(settings, { kind: "postgres", url: config.url }, namespace);
    opened.push(a, b);
    return [a, b];
  }

  it.skipIf(postgres.skip)("share one budget: points spent through one instance are refused through the other", async () => {
    const [a, b] = await twoInstances();
    expect(await allowed(a.sts, "console", 3)).toBe(3);
    expect(await allowed(b.sts, "console", 5)).toBe(2);
    expect(await allowed(a.sts, "console", 1)).toBe(0);
    // Per-person budgets are shared the same way, and stay per person.
    expect(await allowed(b.switch, "alice", 2)).toBe(2);
    expect(await allowed(a.switch, "alice", 5)).toBe(1);
    expect(await allowed(a.switch, "bob", 5)).toBe(3);
    // The wizard's Review checks too: a loop spread over instances is still one person's budget.
    expect(await allowed(a.provisioningChecks, "alice", PROVISIONING_CHECKS.points - 1)).toBe(PROVISIONING_CHECKS.points - 1);
    expect(await allowed(b.provisioningChecks, "alice", 3)).toBe(1);
    expect(await allowed(b.provisioningChecks, "bob", 1)).toBe(1);
  });

  it.skipIf(postgres.skip)("share sign-in waits, rewards and clears", async () => {
    const [a, b] = await twoInstances();
    await a.signInTurn.block("account", 30);
    const refused = await consumeOrRefuse(b.signInTurn, "account");
    expect(refused && retryAfterSeconds(refused)).toBeGreaterThan(25);
    expect((await b.signInTurn.get("account"))?.consumedPoints).toBeGreaterThan(1);
    await b.signInTurn.delete("account");
    expect(await consumeOrRefuse(a.signInTurn, "account")).toBeUndefined();

    await a.signInFailures.penalty("account", 1);
    expect((await b.signInFailures.penalty("account", 1)).consumedPoints).toBe(2);
    expect((await a.signInFailures.get("account"))?.consumedPoints).toBe(2);

    expect(await allowed(a.signInIp, "198.51.100.7", 4)).toBe(4);
    await b.signInIp.reward("198.51.100.7", 1);
    expect(await allowed(a.signInIp, "198.51.100.7", 2)).toBe(1);
  });
});
