import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  actionMatches,
  arnLike,
  parseArn,
  patternText,
  resolveResource,
  resourceMatches,
  substituteVariables,
  variablesEnabled,
  wildcardMatch,
} from "./match";

describe("wildcardMatch", () => {
  it.each([
    ["*", "anything at all", true],
    ["*", "", true],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["*.internal", "db.internal", true],
    ["home/*", "home/alice\nnext-line", true],
    ["ABC", "abc", false],
    ["a**", "a", true],
  ])("%j against %j → %s", (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it("ignores case only when asked", () => {
    expect(wildcardMatch("Get*", "getobject", { ignoreCase: true })).toBe(true);
    expect(wildcardMatch("Get*", "getobject")).toBe(false);
  });

  it("agrees with an anchored regular expression on random inputs", () => {
    const alphabet = fc.constantFrom("a", "b", "*", "?", "\n");
    const toRegex = (p: string) =>
      new RegExp(`^${[...p].map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c)).join("")}$`);
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom("a", "b", "\n"), maxLength: 10 }), (p, v) => {
        expect(wildcardMatch(p, v)).toBe(toRegex(p).test(v));
      }),
    );
  });

  it("answers patterns that make backtracking regexes explode", () => {
    expect(wildcardMatch(`${"a*".repeat(30)}b`, "a".repeat(5000))).toBe(false);
    expect(wildcardMatch(`${"a*".repeat(30)}b`, `${"a".repeat(5000)}b`)).toBe(true);
  });
});

describe("actionMatches (actions are case-insensitive)", () => {
  it.each([
    ["s3:Get*", "s3:GetObject", true],
    ["s3:get*", "S3:GETOBJECT", true],
    ["iam:*AccessKey*", "iam:CreateAccessKey", true],
    ["s3:Get?bject", "s3:GetObject", true],
    ["s3:*", "s3express:CreateSession", false],
    ["ec2:Describe*", "ec2:RunInstances", false],
    ["*", "sts:AssumeRole", true],
  ])("%s covers %s → %s", (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe("parseArn", () => {
  it("splits the six parts and keeps colons in the resource", () => {
    expect(parseArn("arn:aws:logs:us-east-1:123456789012:log-group:app:*")).toEqual({
      partition: "aws",
      service: "logs",
      region: "us-east-1",
      account: "123456789012",
      resource: "log-group:app:*",
    });
    expect(parseArn("arn:aws:iam::123456789012:role/ops/Admin")).toMatchObject({ region: "", resource: "role/ops/Admin" });
  });

  it.each(["not-an-arn", "arn:aws:s3", "urn:aws:s3:::bucket", "*"])("rejects %j", (value) => {
    expect(parseArn(value)).toBeUndefined();
  });
});

describe("arnLike (segment by segment, case-sensitive)", () => {
  it.each([
    ["arn:aws:sns:*:123456789012:topic-*", "arn:aws:sns:us-east-1:123456789012:topic-a", true],
    ["arn:aws:sns:*:*:topic-a", "arn:aws:sns:eu-west-1:210987654321:topic-a", true],
    ["arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/ops/Admin", true],
    ["arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", false],
    // The AWS documentation's own example: StringLike would match, ArnLike must not, because the
    // region wildcard cannot run into the account and resource.
    [
      "arn:aws:someservice:*:111122223333:finance/*",
      "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
      false,
    ],
    ["*", "arn:aws:s3:::anything", true],
    ["arn:aws:s3:::bucket", "not-an-arn", false],
  ])("%s ~ %s → %s", (pattern, arn, expected) => {
    expect(arnLike(pattern, arn)).toBe(expected);
  });
});

describe("resource matching with policy variables", () => {
  const context = { "aws:username": "alice" };

  it.each([
    ["arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice/notes.txt", true],
    ["arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/bob/notes.txt", false],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true],
    ["*", "*", true],
    ["arn:aws:s3:::*", "*", false],
  ])("%s covers %s → %s", (value, resource, expected) => {
    const pattern = resolveResource(value, context, true);
    expect(pattern && resourceMatches(pattern, resource)).toBe(expected);
  });

  it("substitutes only in the resource part, after the fifth colon", () => {
    const pattern = resolveResource("arn:aws:iam::${aws:username}:user/${aws:username}", context, true);
    expect(pattern && patternText(pattern)).toBe("arn:aws:iam::${aws:username}:user/alice");
  });

  it("leaves variables alone in version 2008-10-17 documents", () => {
    expect(variablesEnabled("2008-10-17")).toBe(false);
    expect(variablesEnabled(undefined)).toBe(false);
    expect(variablesEnabled("2012-10-17")).toBe(true);
    const pattern = resolveResource("arn:aws:s3:::bucket/${aws:username}", context, false);
    expect(pattern && resourceMatches(pattern, "arn:aws:s3:::bucket/alice")).toBe(false);
    expect(pattern && resourceMatches(pattern, "arn:aws:s3:::bucket/${aws:username}")).toBe(true);
  });
});

describe("substituteVariables", () => {
  const context = { "aws:username": "alice", "aws:PrincipalTag/team": "blue", "aws:TagKeys": ["a", "b"] };

  it.each([
    ["home/${aws:username}/", "home/alice/"],
    ["home/${AWS:UserName}/", "home/alice/"],
    ["${aws:PrincipalTag/team, 'company-wide'}", "blue"],
    ["${aws:PrincipalTag/dept, 'company-wide'}", "company-wide"],
    ["${aws:PrincipalTag/dept,'it''s'}", "it's"],
    ["${*}${?}${$}", "*?$"],
  ])("%s → %s", (value, expected) => {
    const pattern = substituteVariables(value, context);
    expect(pattern && patternText(pattern)).toBe(expected);
  });

  it("marks substituted text as literal, so ${*} is an asterisk and not a wildcard", () => {
    const pattern = substituteVariables("a${*}", context);
    expect(pattern && wildcardMatch(pattern, "a*")).toBe(true);
    expect(pattern && wildcardMatch(pattern, "abc")).toBe(false);
  });

  it.each([
    ["a key missing from the context", "${aws:PrincipalTag/dept}"],
    ["a multivalued key", "${aws:TagKeys}"],
  ])("leaves %s unresolved", (_label, value) => {
    expect(substituteVariables(value, context)).toBeUndefined();
  });
});
