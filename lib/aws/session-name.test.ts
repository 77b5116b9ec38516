import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roleSessionName, sourceIdentity } from "./session-name";

// AssumeRole: RoleSessionName and SourceIdentity are 2–64 characters of [\w+=,.@-].
const VALID = /^[\w+=,.@-]{2,64}$/;
const sha16 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 16);

/** Any string, including astral characters, control characters and lone surrogates. */
const anyString = fc.string({ unit: "binary", maxLength: 200 });

describe("roleSessionName", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["bob.smith+ops@example.co.uk", "bob.smith+ops@example.co.uk"],
    ["first_last=1,2@x-y.io", "first_last=1,2@x-y.io"],
    ["Alice Smith <alice@example.com>", "Alice-Smith-alice@example.com-"],
    ["josé@example.com", "jos-@example.com"],
    ["a  /  b", "a-b"],
    ["a--b", "a-b"],
    ["x", "x-"],
    ["", "--"],
    ["ü", "--"],
  ])("%j → %j", (input, expected) => {
    expect(roleSessionName(input)).toBe(expected);
  });

  it("keeps a 64-character name as it is", () => {
    const name = `${"a".repeat(52)}@example.com`;
    expect(name).toHaveLength(64);
    expect(roleSessionName(name)).toBe(name);
  });

  it("shortens a longer name to a readable prefix and 16 hex digits of its SHA-256", () => {
    const name = `${"first.middle.last".repeat(4)}@example.com`;
    const out = roleSessionName(name);
    expect(out).toHaveLength(64);
    expect(out).toBe(`${name.slice(0, 47)}-${sha16(name)}`);
  });

  it("drops dashes at the end of the prefix so the hash reads as a suffix", () => {
    const name = `${"a".repeat(46)}${" ".repeat(30)}b`;
    expect(roleSessionName(name)).toBe(`${"a".repeat(46)}-${sha16(name)}`);
  });

  it("always returns 2–64 characters AWS accepts", () => {
    fc.assert(fc.property(anyString, (s) => VALID.test(roleSessionName(s))), { numRuns: 2000 });
  });

  it("is stable: the same input gives the same name", () => {
    fc.assert(fc.property(anyString, (s) => roleSessionName(s) === roleSessionName(String(s))), { numRuns: 500 });
  });

  it("gives distinct names to distinct inputs that share a 64-character prefix", () => {
    const prefix = fc.string({ unit: "binary-ascii", minLength: 64, maxLength: 64 });
    const tail = fc.string({ unit: "binary", maxLength: 40 });
    fc.assert(
      fc.property(prefix, tail, tail, (p, a, b) => {
        fc.pre(a !== b);
        return roleSessionName(p + a) !== roleSessionName(p + b);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps names apart when cleaning shortens one of them to exactly 64 characters", () => {
    const base = `${"a".repeat(63)}-`;
    expect(roleSessionName(base)).toBe(base);
    expect(roleSessionName(`${base} `)).not.toBe(roleSessionName(base));
    expect(roleSessionName(`${base}/`)).not.toBe(roleSessionName(`${base} `));
  });
});

describe("sourceIdentity", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["aws:alice", "aws-alice"],
    ["AWS:Admin", "AWS-Admin"],
    ["awsome@example.com", "awsome@example.com"],
  ])("%j → %j", (input, expected) => {
    expect(sourceIdentity(input)).toBe(expected);
  });

  it("always returns 2–64 characters AWS accepts, never starting with aws:", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, anyString.map((s) => `aws:${s}`), anyString.map((s) => `AwS:${s}`)), (s) => {
        const out = sourceIdentity(s);
        return VALID.test(out) && !out.toLowerCase().startsWith("aws:");
      }),
      { numRuns: 2000 },
    );
  });
});
