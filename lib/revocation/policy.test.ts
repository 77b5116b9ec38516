import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authorize, countPolicyCharacters, lintPermissionPolicy, parsePolicy, type Decision, type Policy } from "@/lib/policy";
import {
  applyRevocation,
  compactRevocations,
  DEFAULT_REVOCATION_BUDGET,
  REVOCATION_POLICY_NAME,
  revocationBudget,
  type Revocation,
  type RevocationOptions,
  type RevocationResult,
} from "./policy";

const ACCOUNT = "111111111111";
const ROLE_ID = "AROAEXAMPLEROLEID0001";
const HOUR = 3_600_000;
const T0 = Date.parse("2025-03-01T09:00:00Z");
const at = (ms: number) => new Date(ms);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const allowAll: Policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }] };
const parsed = new Map<string, Policy>();

/** What AWS decides for one request of a session of the role, with the revocation policy next to
 * a policy that allows everything — evaluated by lib/policy, the evaluator the sandbox uses. */
function decide(document: string | null, session: { name: string; issuedAt: number; sourceIdentity?: string }): Decision {
  const identityPolicies = [{ name: "Work", policy: allowAll }];
  if (document !== null) {
    let policy = parsed.get(document);
    if (!policy) {
      const result = parsePolicy(document, "identity");
      if (!result.ok) throw new Error(`unparseable: ${JSON.stringify(result.errors)}`);
      policy = result.policy;
      if (parsed.size > 5000) parsed.clear();
      parsed.set(document, policy);
    }
    identityPolicies.push({ name: REVOCATION_POLICY_NAME, policy });
  }
  return authorize({
    identityPolicies,
    request: {
      principal: { type: "assumed-role", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/${session.name}`, accountId: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy` },
      action: "s3:GetObject",
      resource: "arn:aws:s3:::reports/q1.csv",
      resourceAccount: ACCOUNT,
      context: {
        "aws:TokenIssueTime": new Date(session.issuedAt).toISOString(),
        "aws:userid": `${ROLE_ID}:${session.name}`,
        ...(session.sourceIdentity !== undefined && { "aws:SourceIdentity": session.sourceIdentity }),
      },
    },
  }).decision;
}

type Ok = Extract<RevocationResult, { ok: true }>;
function ok(result: RevocationResult): Ok {
  if (!result.ok) throw new Error(`${result.error}: ${result.message}`);
  return result;
}

const options = (now: number, extra: Partial<RevocationOptions> = {}): RevocationOptions => ({ now: at(now), maxSessionSeconds: 3600, ...extra });
const person = (sessionName: string, sourceIdentity?: boolean): Revocation => ({ kind: "person", sessionName, ...(sourceIdentity !== undefined && { sourceIdentity }) });
const everyone: Revocation = { kind: "everyone" };

describe("applyRevocation", () => {
  it("writes one statement for the first person, in the canonical form", () => {
    const result = ok(applyRevocation(null, person("alice@example.com"), options(T0)));
    expect(JSON.parse(result.document!)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RevokePerson1",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { DateLessThan: { "aws:TokenIssueTime": "2025-03-01T09:00:00Z" }, StringLike: { "aws:userid": "*:alice@example.com" } },
        },
      ],
    });
    expect(result.summary).toMatchObject({ everyoneBefore: null, people: [{ sessionName: "alice@example.com", before: iso(T0), sourceIdentity: false }], folded: [] });
    expect(result.summary.size).toBe(countPolicyCharacters(result.document!));
    expect(decide(result.document, { name: "alice@example.com", issuedAt: T0 - 1 })).toBe("ExplicitDeny");
    expect(decide(result.document, { name: "alice@example.com", issuedAt: T0 })).toBe("Allow");
    expect(decide(result.document, { name: "bob@example.com", issuedAt: T0 - HOUR / 2 })).toBe("Allow");
    // The session name is matched whole: a name that merely ends the same way is not theirs.
    expect(decide(result.document, { name: "malice@example.com", issuedAt: T0 - 1 })).toBe("Allow");
  });

  it("rounds a time up to the whole second, so a session started in that second is caught", () => {
    const now = T0 + 250;
    const result = ok(applyRevocation(null, person("alice"), options(now)));
    expect(result.summary.people[0]!.before).toBe(iso(T0 + 1000));
    expect(decide(result.document, { name: "alice", issuedAt: now - 1 })).toBe("ExplicitDeny");
  });

  it("replaces a person's earlier revocation with the later one", () => {
    const first = ok(applyRevocation(null, person("alice"), options(T0)));
    const later = ok(applyRevocation(first.document, person("alice"), options(T0 + 10 * 60_000)));
    expect(later.summary.people).toEqual([{ sessionName: "alice", before: iso(T0 + 10 * 60_000), sourceIdentity: false }]);
    expect(JSON.parse(later.document!).Statement).toHaveLength(1);
    expect(decide(later.document, { name: "alice", issuedAt: T0 + 5 * 60_000 })).toBe("ExplicitDeny");
  });

  it("keeps people in session-name order, whatever order they were revoked in", () => {
    const bob = ok(applyRevocation(null, person("bob"), options(T0)));
    const both = ok(applyRevocation(bob.document, person("alice"), options(T0 + 60_000)));
    expect(both.summary.people.map((p) => p.sessionName)).toEqual(["alice", "bob"]);
    const sids = JSON.parse(both.document!).Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toEqual(["RevokePerson1", "RevokePerson2"]);
    expect(decide(both.document, { name: "bob", issuedAt: T0 - 1 })).toBe("ExplicitDeny");
    expect(decide(both.document, { name: "alice", issuedAt: T0 + 30_000 })).toBe("ExplicitDeny");
    expect(decide(both.document, { name: "carol", issuedAt: T0 - 1 })).toBe("Allow");
  });

  it("adds a SourceIdentity statement where the entry sets one, which catches chained sessions", () => {
    const result = ok(applyRevocation(null, person("alice", true), options(T0)));
    const statements = JSON.parse(result.document!).Statement;
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatchObject({ Sid: "RevokePerson1Source", Condition: { StringEquals: { "aws:SourceIdentity": "alice" } } });
    // A session of the role under another name, reached by role chaining from alice's session.
    expect(decide(result.document, { name: "renamed", sourceIdentity: "alice", issuedAt: T0 - 1 })).toBe("ExplicitDeny");
    expect(decide(result.document, { name: "renamed", sourceIdentity: "bob", issuedAt: T0 - 1 })).toBe("Allow");
    // Once written, a later revocation without it does not take it away.
    const later = ok(applyRevocation(result.document, person("alice"), options(T0 + 60_000)));
    expect(later.summary.people[0]!.sourceIdentity).toBe(true);
  });

  it("revokes everyone, dropping the people it covers", () => {
    let document = ok(applyRevocation(null, person("alice"), options(T0))).document;
    document = ok(applyRevocation(document, person("bob"), options(T0 + 20 * 60_000))).document;
    const result = ok(applyRevocation(document, everyone, options(T0 + 10 * 60_000)));
    expect(result.summary).toMatchObject({
      everyoneBefore: iso(T0 + 10 * 60_000),
      people: [{ sessionName: "bob", before: iso(T0 + 20 * 60_000) }],
      superseded: [{ sessionName: "alice", before: iso(T0) }],
    });
    expect(JSON.parse(result.document!).Statement[0]).toEqual({
      Sid: "RevokeEveryone",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { DateLessThan: { "aws:TokenIssueTime": iso(T0 + 10 * 60_000) } },
    });
    expect(decide(result.document, { name: "carol", issuedAt: T0 + 10 * 60_000 - 1 })).toBe("ExplicitDeny");
    expect(decide(result.document, { name: "carol", issuedAt: T0 + 10 * 60_000 })).toBe("Allow");
    expect(decide(result.document, { name: "bob", issuedAt: T0 + 15 * 60_000 })).toBe("ExplicitDeny");
  });

  it("drops statements older than the role's MaxSessionDuration (and a clock margin)", () => {
    const document = ok(applyRevocation(null, person("alice"), options(T0))).document;
    const soon = ok(applyRevocation(document, person("bob"), options(T0 + HOUR + 60_000)));
    expect(soon.summary.people.map((p) => p.sessionName)).toEqual(["alice", "bob"]);
    const later = ok(applyRevocation(soon.document, person("bob"), options(T0 + HOUR + 6 * 60_000)));
    expect(later.summary.people.map((p) => p.sessionName)).toEqual(["bob"]);
    expect(later.summary.expired).toEqual([{ sessionName: "alice", before: iso(T0) }]);
    // A 12-hour role keeps it.
    const long = ok(applyRevocation(soon.document, person("bob"), options(T0 + 11 * HOUR, { maxSessionSeconds: 43_200 })));
    expect(long.summary.people.map((p) => p.sessionName)).toEqual(["alice", "bob"]);
  });

  it("answers null when nothing is left in force, so the caller deletes the policy", () => {
    let document = ok(applyRevocation(null, person("alice", true), options(T0))).document;
    document = ok(applyRevocation(document, everyone, options(T0 + 60_000))).document;
    const result = ok(compactRevocations(document, options(T0 + 2 * HOUR)));
    expect(result.document).toBeNull();
    expect(result.summary).toMatchObject({ everyoneBefore: null, people: [], size: 0, expired: [{ sessionName: null, before: iso(T0 + 60_000) }] });
    expect(ok(compactRevocations(null, options(T0))).document).toBeNull();
    expect(ok(compactRevocations("", options(T0))).document).toBeNull();
  });

  it("leaves a live policy as it is when compacting finds nothing to drop", () => {
    const document = ok(applyRevocation(null, person("alice"), options(T0))).document;
    expect(ok(compactRevocations(document, options(T0 + 60_000))).document).toBe(document);
  });

  it("refuses an existing policy it cannot read, rather than overwrite a revocation", () => {
    for (const text of ["{not json", '{"Version":"2012-10-17"}', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}']) {
      const result = applyRevocation(text, person("alice"), options(T0));
      expect(result).toMatchObject({ ok: false, error: "unreadable_policy" });
    }
  });

  it("keeps statements Switchboard did not write, after its own, and avoids their Sids", () => {
    const handWritten = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "RevokePerson1", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
        // Our shape but a date IAM might read differently: not ours to expire.
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": "2024-01-01" } } },
      ],
    };
    const result = ok(applyRevocation(JSON.stringify(handWritten), person("alice"), options(T0)));
    const statements = JSON.parse(result.document!).Statement;
    expect(statements.map((s: { Sid?: string }) => s.Sid)).toEqual(["RevokePerson2", "RevokePerson1", undefined]);
    expect(statements[1]).toEqual(handWritten.Statement[0]);
    expect(statements[2].Condition.DateLessThan["aws:TokenIssueTime"]).toBe("2024-01-01");
    expect(result.summary.foreignStatements).toBe(2);
    // Years later, only the hand-written statements remain.
    const later = ok(compactRevocations(result.document, options(T0 + 400 * 24 * HOUR)));
    expect(JSON.parse(later.document!).Statement).toHaveLength(2);
  });

  it("reads back its own statements whatever their Sid, merging a person's two at the later time", () => {
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Old", Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": iso(T0) }, StringLike: { "aws:userid": "*:alice" } } },
        { Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { StringEquals: { "aws:SourceIdentity": "alice" }, DateLessThan: { "aws:TokenIssueTime": iso(T0 + 60_000) } } },
      ],
    });
    const result = ok(compactRevocations(document, options(T0 + 120_000)));
    expect(result.summary.people).toEqual([{ sessionName: "alice", before: iso(T0 + 60_000), sourceIdentity: true }]);
    expect(result.summary.foreignStatements).toBe(0);
  });

  it.each(["", "a", "a*b", "al?ce", "role:alice", "alice smith", "x".repeat(65), "ålice"])("refuses the session name %j", (name) => {
    expect(applyRevocation(null, person(name), options(T0))).toMatchObject({ ok: false, error: "invalid_session_name" });
  });

  it.each<[string, Partial<RevocationOptions>]>([
    ["an invalid date", { now: new Date(Number.NaN) }],
    ["a MaxSessionDuration under an hour", { maxSessionSeconds: 900 }],
    ["a MaxSessionDuration over 12 hours", { maxSessionSeconds: 43_201 }],
    ["a budget too small for anything", { budget: 100 }],
    ["a budget over the role's quota", { budget: 20_000 }],
  ])("refuses %s", (_name, extra) => {
    expect(applyRevocation(null, everyone, options(T0, extra))).toMatchObject({ ok: false, error: "invalid_options" });
  });

  it("passes the policy lint without errors", () => {
    let document: string | null = null;
    document = ok(applyRevocation(document, person("alice@example.com", true), options(T0))).document;
    document = ok(applyRevocation(document, person("bob_b+ops=1,x.y-z"), options(T0 + 1000))).document;
    document = ok(applyRevocation(document, everyone, options(T0 - 1000))).document;
    const findings = lintPermissionPolicy(JSON.parse(document!), `inline:${REVOCATION_POLICY_NAME}`);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("stays within the budget with 500 people revoked within an hour, folding the oldest into everyone", () => {
    const names = Array.from({ length: 500 }, (_, i) => `person-${String(i).padStart(3, "0")}-${"x".repeat(52)}@ex.co`.slice(0, 64));
    let document: string | null = null;
    const folded: string[] = [];
    const times = new Map<string, number>();
    names.forEach((name, i) => {
      const now = T0 + i * 7_000 + 123;
      const result = ok(applyRevocation(document, person(name, true), options(now)));
      expect(result.summary.size).toBeLessThanOrEqual(DEFAULT_REVOCATION_BUDGET);
      folded.push(...result.summary.folded.map((f) => f.sessionName));
      times.set(name, now);
      document = result.document;
    });
    const final = ok(compactRevocations(document, options(T0 + 500 * 7_000)));
    expect(final.summary.size).toBeLessThanOrEqual(DEFAULT_REVOCATION_BUDGET);
    expect(final.summary.people.length).toBeGreaterThan(0);
    expect(folded.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(decide(final.document, { name, issuedAt: times.get(name)! - 1 })).toBe("ExplicitDeny");
      expect(decide(final.document, { name: "someone-else", sourceIdentity: name, issuedAt: times.get(name)! - 1 })).toBe("ExplicitDeny");
    }
    const everyoneBefore = Date.parse(final.summary.everyoneBefore!);
    expect(decide(final.document, { name: "never-revoked", issuedAt: everyoneBefore })).toBe("Allow");
  });

  it("gives the room left on a role as the budget", () => {
    expect(revocationBudget(0)).toBe(DEFAULT_REVOCATION_BUDGET);
    expect(revocationBudget(8_000)).toBe(2_240);
    expect(revocationBudget(10_240)).toBe(512);
  });
});

describe("applyRevocation, over any sequence of revocations", () => {
  /** Names of every length AWS allows, in its whole alphabet. */
  const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-";
  const POOL = Array.from({ length: 600 }, (_, i) => {
    const length = 2 + ((i * 37) % 63);
    let name = `${i}-`;
    for (let j = 0; name.length < length; j++) name += ALPHABET[(i * 7 + j * 13) % ALPHABET.length];
    return name.slice(0, Math.max(length, `${i}-`.length));
  });
  const NEVER = "never-revoked@example.com";

  type Event = { everyone: boolean; name: number; source: boolean; advance: number };
  const event = fc.record({
    everyone: fc.nat(19).map((n) => n === 0),
    name: fc.nat(POOL.length - 1),
    source: fc.boolean(),
    // Bursts within seconds (which fill the budget) and gaps of hours (which expire statements).
    advance: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 10_000 }), weight: 8 }, { arbitrary: fc.integer({ min: 0, max: 3 * HOUR }), weight: 1 }),
  });
  const setting = fc.record({
    maxSessionSeconds: fc.constantFrom(3600, 14_400, 43_200),
    budget: fc.constantFrom(DEFAULT_REVOCATION_BUDGET, 512, 1500),
  });

  function run(events: Event[], { maxSessionSeconds, budget }: { maxSessionSeconds: number; budget: number }) {
    let document: string | null = null;
    let now = T0;
    let everFolded = false;
    let everExpired = false;
    const applied: Array<{ revocation: Revocation; now: number }> = [];
    events.forEach((e, i) => {
      now += e.advance;
      const revocation: Revocation = e.everyone ? everyone : person(POOL[e.name]!, e.source);
      const opts = options(now, { maxSessionSeconds, budget });
      const result = ok(applyRevocation(document, revocation, opts));
      // (a) size: within the budget after every step, as IAM counts it.
      expect(result.summary.size).toBeLessThanOrEqual(budget);
      expect(result.summary.size).toBe(result.document ? countPolicyCharacters(result.document) : 0);
      // (c) idempotence: the same revocation again at the same time changes nothing.
      if (i % 5 === 0 || i === events.length - 1) expect(ok(applyRevocation(result.document, revocation, opts)).document).toBe(result.document);
      everFolded ||= result.summary.folded.length > 0;
      everExpired ||= result.summary.expired.length > 0;
      applied.push({ revocation, now });
      document = result.document;
    });
    return { document, end: now, everFolded, everExpired, applied, summary: ok(compactRevocations(document, options(now, { maxSessionSeconds, budget }))).summary };
  }

  /** How many runs folded or expired something, so a generator that never reaches them fails. */
  const seen = { folded: 0, expired: 0 };

  function check(events: Event[], setting: { maxSessionSeconds: number; budget: number }) {
    const { document, end, everFolded, everExpired, applied, summary } = run(events, setting);
    if (everFolded) seen.folded++;
    if (everExpired) seen.expired++;
    const maxMs = setting.maxSessionSeconds * 1000;
    const alive = (issuedAt: number) => issuedAt + maxMs > end;
    const latest = new Map<string, number>();
    let lastEveryone: number | undefined;
    // (b) soundness: every session a revocation covered that has not expired is still denied.
    for (const { revocation, now } of applied) {
      const sessions = [now - 1, end - maxMs + 1].filter((issuedAt) => issuedAt < now && alive(issuedAt));
      for (const issuedAt of sessions) {
        if (revocation.kind === "everyone") {
          expect(decide(document, { name: NEVER, issuedAt })).toBe("ExplicitDeny");
        } else {
          expect(decide(document, { name: revocation.sessionName, issuedAt })).toBe("ExplicitDeny");
          if (revocation.sourceIdentity) expect(decide(document, { name: "chained", sourceIdentity: revocation.sessionName, issuedAt })).toBe("ExplicitDeny");
        }
      }
      if (revocation.kind === "everyone") lastEveryone = Math.ceil(now / 1000) * 1000;
      else latest.set(revocation.sessionName, Math.ceil(now / 1000) * 1000);
    }
    // (d) nobody else is cut off: a person never revoked, with a session issued at or after the
    // everyone time, is allowed; and without a fold that time is an everyone revocation's own.
    const everyoneBefore = summary.everyoneBefore === null ? undefined : Date.parse(summary.everyoneBefore);
    if (!everFolded && everyoneBefore !== undefined) expect(everyoneBefore).toBe(lastEveryone);
    expect(decide(document, { name: NEVER, issuedAt: everyoneBefore ?? end - maxMs })).toBe("Allow");
    expect(decide(document, { name: NEVER, issuedAt: Math.max(end, everyoneBefore ?? 0) })).toBe("Allow");
    // (e) nor is a revoked person's fresh session, started after their revocation.
    for (const [name, before] of latest) {
      expect(decide(document, { name, issuedAt: Math.max(before, everyoneBefore ?? 0) })).toBe("Allow");
    }
  }

  it("keeps size, soundness, idempotence and precision over short sequences", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), setting, (events, s) => check(events, s)),
      { numRuns: 300 },
    );
    expect(seen.folded).toBeGreaterThan(0);
  });

  it("keeps them over sequences of 500 and more revocations", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 500, maxLength: 600 }), setting, (events, s) => check(events, s)),
      { numRuns: 30 },
    );
    expect(seen.folded).toBeGreaterThan(0);
    expect(seen.expired).toBeGreaterThan(0);
  });

  it("accepts exactly the session names AWS allows", () => {
    const name = fc.string({ unit: fc.constantFrom(...`${ALPHABET}*?: åé\t`.split("")), maxLength: 70 });
    fc.assert(
      fc.property(name, (sessionName) => {
        const result = applyRevocation(null, person(sessionName), options(T0));
        expect(result.ok).toBe(/^[\w+=,.@-]{2,64}$/.test(sessionName));
      }),
      { numRuns: 500 },
    );
  });
});
