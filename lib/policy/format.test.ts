import { describe, expect, it } from "vitest";
import { countPolicyCharacters, formatPolicy } from "./format";
import { parsePolicy } from "./parse";
import type { Policy, PolicyKind } from "./types";

function parsed(input: string | object, kind: PolicyKind): Policy {
  const result = parsePolicy(input, kind);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

describe("formatPolicy", () => {
  it("writes single values as strings, in IAM's conventional key order", () => {
    const policy = parsed(
      {
        Statement: [
          {
            Condition: { StringEquals: { "sts:ExternalId": "abc-123" }, Bool: { "aws:MultiFactorAuthPresent": true } },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Principal: { Service: "ec2.amazonaws.com", AWS: "arn:aws:iam::111122223333:root" },
            Effect: "Allow",
            Sid: "Trust",
          },
        ],
        Id: "trust-1",
        Version: "2012-10-17",
      },
      "trust",
    );
    expect(formatPolicy(policy)).toBe(`{
  "Version": "2012-10-17",
  "Id": "trust-1",
  "Statement": [
    {
      "Sid": "Trust",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root",
        "Service": "ec2.amazonaws.com"
      },
      "Action": [
        "sts:AssumeRole",
        "sts:TagSession"
      ],
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "abc-123"
        },
        "Bool": {
          "aws:MultiFactorAuthPresent": "true"
        }
      }
    }
  ]
}`);
  });

  const roundTrips: Array<{ name: string; kind: PolicyKind; input: object }> = [
    {
      name: "an identity policy with NotAction, NotResource and variables",
      kind: "identity",
      input: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "Home", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::home/${aws:username}/*" },
          { Effect: "Deny", NotAction: "iam:*", NotResource: ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"], Condition: { "ForAnyValue:StringLike": { "aws:TagKeys": ["team*", "env"] } } },
        ],
      },
    },
    {
      name: "a bucket policy with a bare * and NotPrincipal",
      kind: "resource",
      input: {
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site/*" },
          { Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/Admin"] }, Action: "s3:*", Resource: "arn:aws:s3:::site/*" },
        ],
      },
    },
    {
      name: "a GitHub OIDC trust policy",
      kind: "trust",
      input: {
        Version: "2012-10-17",
        Statement: {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod"] },
            NumericLessThan: { "aws:MultiFactorAuthAge": 3600 },
          },
        },
      },
    },
  ];

  it.each(roundTrips)("round-trips $name", ({ kind, input }) => {
    const policy = parsed(input, kind);
    const text = formatPolicy(policy);
    expect(parsed(text, kind)).toEqual(policy);
    expect(formatPolicy(parsed(text, kind))).toBe(text);
  });
});

describe("countPolicyCharacters (IAM does not count whitespace)", () => {
  it.each([
    ['{"a":"b"}', 9],
    ['{ "a" : "b" }', 9],
    ['{\n\t"a": "b c"\r\n}', 10],
    ["", 0],
    ['{"name":"Zoë"}', 14],
  ])("%j has %i characters", (json, expected) => {
    expect(countPolicyCharacters(json)).toBe(expected);
  });

  it("gives the same count for pretty and minified forms of a policy", () => {
    const policy = parsed({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sts:AssumeRole" }] }, "trust");
    const pretty = formatPolicy(policy);
    const minified = JSON.stringify(JSON.parse(pretty));
    expect(countPolicyCharacters(pretty)).toBe(countPolicyCharacters(minified));
    expect(countPolicyCharacters(minified)).toBe(minified.length);
  });
});
