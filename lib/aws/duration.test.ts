import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consoleSessionDuration, sessionDuration, type BrokerKind, type SessionDurationInput, type SessionDurationResult } from "./duration";

describe("sessionDuration", () => {
  it.each<[string, SessionDurationInput, SessionDurationResult]>([
    ["AssumeRole's default of one hour when nothing is set", { brokerKind: "long-term" }, { seconds: 3600, cappedBy: [] }],
    ["the entry's duration when the operator asks for nothing", { entryDefault: 14400, brokerKind: "long-term" }, { seconds: 14400, cappedBy: [] }],
    ["a null entry duration counts as unset", { entryDefault: null, brokerKind: "long-term" }, { seconds: 3600, cappedBy: [] }],
    ["a request within the entry's duration", { requested: 7200, entryDefault: 14400, brokerKind: "long-term" }, { seconds: 7200, cappedBy: [] }],
    ["the entry's duration caps a longer request", { requested: 28800, entryDefault: 14400, brokerKind: "long-term" }, { seconds: 14400, cappedBy: ["entry"] }],
    ["the role's MaxSessionDuration caps", { requested: 28800, roleMax: 3600, brokerKind: "long-term" }, { seconds: 3600, cappedBy: ["role"] }],
    ["an entry longer than the role is capped by the role", { entryDefault: 43200, roleMax: 14400, brokerKind: "instance-profile" }, { seconds: 14400, cappedBy: ["role"] }],
    ["an instance profile is not role chaining", { requested: 43200, roleMax: 43200, brokerKind: "instance-profile" }, { seconds: 43200, cappedBy: [] }],
    ["temporary broker credentials cap at one hour (role chaining)", { requested: 7200, roleMax: 43200, brokerKind: "temporary" }, { seconds: 3600, cappedBy: ["chaining"] }],
    ["every limit below the request is named", { requested: 43200, entryDefault: 28800, roleMax: 14400, brokerKind: "temporary" }, { seconds: 3600, cappedBy: ["entry", "role", "chaining"] }],
    ["a short request is not capped by chaining", { requested: 1800, brokerKind: "temporary" }, { seconds: 1800, cappedBy: [] }],
    ["a request under AssumeRole's minimum is raised to 900", { requested: 60, brokerKind: "long-term" }, { seconds: 900, cappedBy: [] }],
    ["more than 12 hours is brought down to AssumeRole's maximum", { requested: 90000, brokerKind: "long-term" }, { seconds: 43200, cappedBy: [] }],
    ["fractions of a second are dropped", { requested: 1000.9, brokerKind: "long-term" }, { seconds: 1000, cappedBy: [] }],
    ["the access's end caps the session", { requested: 14400, accessRemaining: 5400, brokerKind: "long-term" }, { seconds: 5400, cappedBy: ["access"] }],
    ["access that ends in 5 minutes still gets AssumeRole's minimum", { accessRemaining: 300, brokerKind: "long-term" }, { seconds: 900, cappedBy: ["access"] }],
    ["access that ends after the session does not cap it", { requested: 3600, accessRemaining: 7200, brokerKind: "long-term" }, { seconds: 3600, cappedBy: [] }],
    ["a zero, negative or non-number request counts as none", { requested: Number.NaN, entryDefault: 7200, brokerKind: "long-term" }, { seconds: 7200, cappedBy: [] }],
  ])("%s", (_name, input, expected) => {
    expect(sessionDuration(input)).toEqual(expected);
  });

  const kind = fc.constantFrom<BrokerKind>("long-term", "instance-profile", "temporary");
  const input = fc.record(
    {
      requested: fc.oneof(fc.integer({ min: -10, max: 200_000 }), fc.double({ noNaN: false })),
      // An entry's duration is validated to AssumeRole's range when it is saved.
      entryDefault: fc.oneof(fc.constant(null), fc.integer({ min: 900, max: 43200 })),
      // IAM's MaxSessionDuration is 1–12 hours.
      roleMax: fc.integer({ min: 3600, max: 43200 }),
      brokerKind: kind,
    },
    { requiredKeys: ["brokerKind"] },
  );

  it("stays within AssumeRole's limits, the chaining cap, the role's maximum and the entry's duration", () => {
    fc.assert(
      fc.property(input, (i) => {
        const { seconds } = sessionDuration(i);
        expect(Number.isInteger(seconds)).toBe(true);
        expect(seconds).toBeGreaterThanOrEqual(900);
        expect(seconds).toBeLessThanOrEqual(43200);
        if (i.brokerKind === "temporary") expect(seconds).toBeLessThanOrEqual(3600);
        if (i.roleMax !== undefined) expect(seconds).toBeLessThanOrEqual(i.roleMax);
        if (typeof i.entryDefault === "number") expect(seconds).toBeLessThanOrEqual(i.entryDefault);
      }),
      { numRuns: 5000 },
    );
  });

  it("names a cap exactly when that limit is below what was asked for", () => {
    fc.assert(
      fc.property(input, (i) => {
        const { cappedBy } = sessionDuration(i);
        const requested = typeof i.requested === "number" && Number.isFinite(i.requested) && i.requested > 0 ? i.requested : undefined;
        const wanted = requested ?? i.entryDefault ?? 3600;
        expect(cappedBy.includes("entry")).toBe(typeof i.entryDefault === "number" && i.entryDefault < wanted);
        expect(cappedBy.includes("role")).toBe(i.roleMax !== undefined && i.roleMax < wanted);
        expect(cappedBy.includes("chaining")).toBe(i.brokerKind === "temporary" && wanted > 3600);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("consoleSessionDuration", () => {
  it.each<[number, BrokerKind, number | undefined]>([
    // AWS answers HTTP 400 to SessionDuration with role-chaining credentials.
    [3600, "temporary", undefined],
    [900, "temporary", undefined],
    [3600, "long-term", 3600],
    [43200, "instance-profile", 43200],
    [7273, "long-term", 7260],
    [14459, "long-term", 14400],
    [600, "long-term", 900],
    [50000, "long-term", 43200],
    [Number.NaN, "long-term", undefined],
  ])("%d s with a %s broker → %s", (seconds, kind, expected) => {
    expect(consoleSessionDuration(seconds, kind)).toBe(expected);
  });

  it("is whole minutes within 900–43200 whenever it is sent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom<BrokerKind>("long-term", "instance-profile"), (s, k) => {
        const out = consoleSessionDuration(s, k)!;
        return out % 60 === 0 && out >= 900 && out <= 43200;
      }),
      { numRuns: 1000 },
    );
  });
});
