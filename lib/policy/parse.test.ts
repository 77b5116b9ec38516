// Validation follows IAM's grammar and MalformedPolicyDocument messages:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_policy-validator-reference.html

import { describe, expect, it } from "vitest";
import { parsePolicy } from "./parse";
import type { PolicyKind } from "./types";

const V = "2012-10-17";
const ROLE = "arn:aws:iam::111122223333:role/Ops";
const s3Read = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" };
const trustAlice = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:user/alice" }, Action: "sts:AssumeRole" };

/** A document with one statement, written as JSON text. */
const doc = (statement: object, extra: object = {}) => JSON.stringify({ Version: V, ...extra, Statement: [statement] }, null, 2);

type ErrorCase = { name: string; kind: PolicyKind; input: string | object; path: string; message: string };

const errorCases: ErrorCase[] = [
  // Document structure
  { name: "JSON syntax error, with line and column", kind: "identity", input: '{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}', path: "$", message: "Syntax errors in policy. Unexpected character ','; expected a value at line 3, column 17." },
  { name: "unterminated document", kind: "identity", input: '{"Version": "2012-10-17"', path: "$", message: "Syntax errors in policy. Unexpected end of document; expected ',' or '}' at line 1, column 25." },
  { name: "top level is not an object", kind: "identity", input: "[]", path: "$", message: "Syntax errors in policy. The policy must be a JSON object." },
  { name: "unknown top-level field", kind: "identity", input: { Version: V, Statement: [s3Read], Statements: [] }, path: "$.Statements", message: 'Syntax errors in policy. Unknown field "Statements"; a policy may contain only Version, Id and Statement.' },
  { name: "missing Statement", kind: "identity", input: { Version: V }, path: "$", message: "Syntax errors in policy. Missing required field Statement." },
  { name: "empty Statement array", kind: "identity", input: { Version: V, Statement: [] }, path: "$.Statement", message: "Syntax errors in policy. Statement must be an object or a non-empty array of objects." },
  { name: "a statement that is not an object", kind: "identity", input: { Version: V, Statement: [s3Read, "Allow"] }, path: "$.Statement[1]", message: "Syntax errors in policy. Each statement must be a JSON object." },
  { name: "invalid Version", kind: "identity", input: { Version: "2012-10-18", Statement: [s3Read] }, path: "$.Version", message: "The policy must contain a valid version string" },
  { name: "Version as a number", kind: "identity", input: '{"Version": 2012, "Statement": []}', path: "$.Version", message: "The policy must contain a valid version string" },
  { name: "duplicate key", kind: "identity", input: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Action":"s3:*","Resource":"*"}}', path: "$.Statement.Action", message: 'Syntax errors in policy. Duplicate key "Action" at line 1, column 79; each key may appear only once.' },
  { name: "character outside IAM's set", kind: "identity", input: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::it\u2019s"}}', path: "$.Statement.Resource", message: "Character U+2019 at line 1, column 106 is not allowed; a policy may contain only TAB, LF, CR and characters U+0020 to U+00FF." },
  // Statement elements
  { name: "unknown statement field", kind: "identity", input: doc({ ...s3Read, Actions: "s3:*" }), path: "$.Statement[0].Actions", message: 'Syntax errors in policy. Unknown field "Actions" in a statement' },
  { name: "missing Effect", kind: "identity", input: doc({ Action: "s3:GetObject", Resource: "*" }), path: "$.Statement[0]", message: 'Syntax errors in policy. Missing required field Effect; use "Allow" or "Deny".' },
  { name: "Effect in the wrong case", kind: "identity", input: doc({ ...s3Read, Effect: "allow" }), path: "$.Statement[0].Effect", message: 'Syntax errors in policy. Invalid effect "allow"; Effect must be exactly "Allow" or "Deny".' },
  { name: "Sid with a space", kind: "identity", input: doc({ ...s3Read, Sid: "Read reports" }), path: "$.Statement[0].Sid", message: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*" },
  { name: "duplicate Sid", kind: "identity", input: { Version: V, Statement: [{ ...s3Read, Sid: "Read" }, { ...s3Read, Sid: "Read" }] }, path: "$.Statement[1].Sid", message: 'Statement IDs (SID) in a single policy must be unique. "Read" is also used at $.Statement[0].Sid.' },
  { name: "no Action or NotAction", kind: "identity", input: doc({ Effect: "Allow", Resource: "*" }), path: "$.Statement[0]", message: "Policy statement must contain actions." },
  { name: "empty Action array", kind: "identity", input: doc({ ...s3Read, Action: [] }), path: "$.Statement[0].Action", message: "Policy statement must contain actions." },
  { name: "both Action and NotAction", kind: "identity", input: doc({ ...s3Read, NotAction: "iam:*" }), path: "$.Statement[0]", message: "Syntax errors in policy. A statement can contain Action or NotAction, not both." },
  { name: "action without a vendor", kind: "identity", input: doc({ ...s3Read, Action: ["s3:GetObject", "GetObject"] }), path: "$.Statement[0].Action[1]", message: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. "GetObject" must look like service:Action, e.g. sts:AssumeRole.' },
  { name: "action with an empty name", kind: "identity", input: doc({ ...s3Read, Action: "sts:" }), path: "$.Statement[0].Action", message: 'Syntax errors in policy. Invalid action "sts:"' },
  { name: "action that is not a string", kind: "identity", input: doc({ ...s3Read, Action: ["s3:GetObject", 7] }), path: "$.Statement[0].Action[1]", message: "Syntax errors in policy. Expected a string." },
  { name: "resource that is not an ARN", kind: "identity", input: doc({ ...s3Read, Resource: "vpc-123" }), path: "$.Statement[0].Resource", message: 'Resource vpc-123 must be in ARN format or "*".' },
  { name: "resource ARN with too few parts", kind: "identity", input: doc({ ...s3Read, Resource: ["*", "arn:aws:s3:bucket"] }), path: "$.Statement[0].Resource[1]", message: 'Resource arn:aws:s3:bucket must be in ARN format or "*".' },
  // Policy kinds
  { name: "identity policy with a Principal", kind: "identity", input: doc({ ...s3Read, Principal: "*" }), path: "$.Statement[0].Principal", message: "Policy document should not specify a principal." },
  { name: "identity policy without Resource", kind: "identity", input: doc({ Effect: "Allow", Action: "s3:GetObject" }), path: "$.Statement[0]", message: "Policy statement must contain resources." },
  { name: "resource policy without Principal", kind: "resource", input: doc(s3Read), path: "$.Statement[0]", message: "Missing required field Principal" },
  { name: "resource policy without Resource", kind: "resource", input: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }), path: "$.Statement[0]", message: "Policy statement must contain resources." },
  { name: "trust policy without Principal", kind: "trust", input: doc({ Effect: "Allow", Action: "sts:AssumeRole" }), path: "$.Statement[0]", message: "Missing required field Principal" },
  { name: "trust policy with Resource", kind: "trust", input: doc({ ...trustAlice, Resource: ROLE }), path: "$.Statement[0].Resource", message: "Has prohibited field Resource" },
  { name: "trust policy with NotResource", kind: "trust", input: doc({ ...trustAlice, NotResource: ROLE }), path: "$.Statement[0].NotResource", message: "Has prohibited field NotResource" },
  { name: "trust policy with NotPrincipal", kind: "trust", input: doc({ Effect: "Allow", Principal: { AWS: "111122223333" }, NotPrincipal: { AWS: "444455556666" }, Action: "sts:AssumeRole" }), path: "$.Statement[0].NotPrincipal", message: "Has prohibited field NotPrincipal" },
  { name: 'trust policy with "Principal": "*"', kind: "trust", input: doc({ ...trustAlice, Principal: "*" }), path: "$.Statement[0].Principal", message: 'Invalid principal in policy: "*".' },
  // Principals
  { name: "AWS principal that is neither account nor ARN", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: "123" } }), path: "$.Statement[0].Principal.AWS", message: 'Invalid principal in policy: "AWS":"123"' },
  { name: "wildcard inside an AWS principal ARN", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: ["111122223333", "arn:aws:iam::111122223333:role/*"] } }), path: "$.Statement[0].Principal.AWS[1]", message: 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/*"' },
  { name: "AWS principal naming a policy, not a principal", kind: "resource", input: doc({ ...s3Read, Principal: { AWS: "arn:aws:iam::111122223333:policy/Read" } }), path: "$.Statement[0].Principal.AWS", message: 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:policy/Read"' },
  { name: "service principal without its domain", kind: "trust", input: doc({ ...trustAlice, Principal: { Service: "ec2" } }), path: "$.Statement[0].Principal.Service", message: 'Invalid principal in policy: "SERVICE":"ec2"' },
  { name: "federated principal given as an issuer host", kind: "trust", input: doc({ ...trustAlice, Principal: { Federated: "token.actions.githubusercontent.com" } }), path: "$.Statement[0].Principal.Federated", message: 'Invalid principal in policy: "FEDERATED":"token.actions.githubusercontent.com"' },
  { name: "unknown principal type", kind: "trust", input: doc({ ...trustAlice, Principal: { User: "alice" } }), path: "$.Statement[0].Principal.User", message: 'Syntax errors in policy. Unknown principal type "User"; use AWS, Service, Federated or CanonicalUser.' },
  { name: "empty principal list", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: [] } }), path: "$.Statement[0].Principal.AWS", message: "Syntax errors in policy. AWS principals must not be an empty array." },
  // Conditions
  { name: "unknown condition operator", kind: "trust", input: doc({ ...trustAlice, Condition: { StringEqualz: { "sts:ExternalId": "x" } } }), path: "$.Statement[0].Condition.StringEqualz", message: 'Invalid condition operator "StringEqualz".' },
  { name: "Null with IfExists", kind: "trust", input: doc({ ...trustAlice, Condition: { NullIfExists: { "aws:TokenIssueTime": "true" } } }), path: "$.Statement[0].Condition.NullIfExists", message: 'Invalid condition operator "NullIfExists": Null cannot take the IfExists suffix.' },
  { name: "condition key without a prefix", kind: "identity", input: doc({ ...s3Read, Condition: { IpAddress: { SourceIp: "203.0.113.0/24" } } }), path: "$.Statement[0].Condition.IpAddress.SourceIp", message: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc." },
  { name: "Bool with a value other than true/false", kind: "trust", input: doc({ ...trustAlice, Condition: { Bool: { "aws:MultiFactorAuthPresent": "yes" } } }), path: "$.Statement[0].Condition.Bool['aws:MultiFactorAuthPresent']", message: 'Bool needs "true" or "false"; "yes" is neither.' },
  { name: "Null with a value other than true/false", kind: "trust", input: doc({ ...trustAlice, Condition: { Null: { "aws:TokenIssueTime": "maybe" } } }), path: "$.Statement[0].Condition.Null['aws:TokenIssueTime']", message: 'Null needs "true" or "false"; "maybe" is neither.' },
  { name: "Numeric with a word", kind: "identity", input: doc({ ...s3Read, Condition: { NumericLessThan: { "s3:max-keys": ["10", "ten"] } } }), path: "$.Statement[0].Condition.NumericLessThan['s3:max-keys'][1]", message: 'NumericLessThan needs a number; "ten" is not one.' },
  { name: "Date that is not a date", kind: "identity", input: doc({ ...s3Read, Condition: { DateLessThan: { "aws:CurrentTime": "next tuesday" } } }), path: "$.Statement[0].Condition.DateLessThan['aws:CurrentTime']", message: "DateLessThan needs an ISO 8601 date" },
  { name: "IpAddress out of range", kind: "identity", input: doc({ ...s3Read, Condition: { IpAddress: { "aws:SourceIp": "300.1.1.1/24" } } }), path: "$.Statement[0].Condition.IpAddress['aws:SourceIp']", message: 'IpAddress needs an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24; "300.1.1.1/24" is not one.' },
  { name: "BinaryEquals that is not base64", kind: "identity", input: doc({ ...s3Read, Condition: { BinaryEquals: { "x:blob": "not base64!" } } }), path: "$.Statement[0].Condition.BinaryEquals['x:blob']", message: 'BinaryEquals needs a base64-encoded value; "not base64!" is not valid base64.' },
  { name: "condition value null", kind: "identity", input: doc({ ...s3Read, Condition: { StringEquals: { "aws:username": null } } }), path: "$.Statement[0].Condition.StringEquals['aws:username']", message: "Syntax errors in policy. A condition value must be a string, number or boolean." },
  { name: "empty condition value list", kind: "identity", input: doc({ ...s3Read, Condition: { StringEquals: { "aws:username": [] } } }), path: "$.Statement[0].Condition.StringEquals['aws:username']", message: "Syntax errors in policy. Condition values must not be an empty array." },
  { name: "operator mapped to a string", kind: "identity", input: doc({ ...s3Read, Condition: { StringEquals: "aws:username" } }), path: "$.Statement[0].Condition.StringEquals", message: "Syntax errors in policy. StringEquals must map condition keys to values" },
];

describe("parsePolicy rejects", () => {
  it.each(errorCases)("$name", ({ kind, input, path, message }) => {
    const result = parsePolicy(input, kind);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });
});

describe("parsePolicy collects", () => {
  it("every error in one pass, each at its own path", () => {
    const result = parsePolicy(
      {
        Version: V,
        Statement: [
          { Sid: "A-1", Effect: "Allow", Principal: { AWS: "alice" }, Action: "AssumeRole", Resource: ROLE },
          { Effect: "Permit", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "maybe" } } },
        ],
      },
      "trust",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      "$.Statement[0].Sid",
      "$.Statement[0].Principal.AWS",
      "$.Statement[0].Action",
      "$.Statement[0].Resource",
      "$.Statement[1].Effect",
      "$.Statement[1].Condition.Bool['aws:SecureTransport']",
    ]);
  });
});

describe("parsePolicy accepts", () => {
  const accepted: Array<{ name: string; kind: PolicyKind; input: string | object }> = [
    { name: "a single statement object", kind: "identity", input: { Version: V, Statement: s3Read } },
    { name: "a document without Version (2008-10-17 rules)", kind: "identity", input: { Statement: [s3Read] } },
    { name: "the 2008-10-17 version", kind: "identity", input: { Version: "2008-10-17", Statement: [s3Read] } },
    { name: "NotAction and NotResource", kind: "identity", input: doc({ Effect: "Deny", NotAction: "iam:*", NotResource: "arn:aws:iam::*:role/*" }) },
    { name: "actions written in upper case (actions are case-insensitive)", kind: "identity", input: doc({ ...s3Read, Action: "S3:GetObject" }) },
    { name: "a trust policy with {\"AWS\": \"*\"}", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }) },
    { name: "a trust policy with an account ID, a role path and a session", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: ["111122223333", "arn:aws:iam::111122223333:role/teams/dev/Ops", "arn:aws:sts::111122223333:assumed-role/Ops/alice"] } }) },
    { name: "a unique-id principal that IAM left after the trusted role was deleted", kind: "trust", input: doc({ ...trustAlice, Principal: { AWS: ["AROAEXAMPLEDELETED0001", "111122223333"] } }) },
    { name: "a service principal in China", kind: "trust", input: doc({ ...trustAlice, Principal: { Service: ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } }) },
    { name: "a SAML provider", kind: "trust", input: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:saml-provider/Okta" }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } }) },
    { name: "GitHub OIDC with provider-prefixed keys", kind: "trust", input: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } } }) },
    { name: "an EKS OIDC provider with a path", kind: "trust", input: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:app:web" } } }) },
    { name: "Cognito as a federated domain", kind: "trust", input: doc({ Effect: "Allow", Principal: { Federated: "cognito-identity.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity" }) },
    { name: "a resource policy Sid with spaces (S3 accepts them)", kind: "resource", input: doc({ ...s3Read, Sid: "Public read", Principal: "*" }) },
    { name: "every operator family with qualifiers and IfExists", kind: "identity", input: doc({ ...s3Read, Condition: { "ForAnyValue:StringLike": { "aws:TagKeys": "team*" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] }, StringNotEqualsIfExists: { "aws:PrincipalTag/env": "prod" }, NumericLessThanEquals: { "s3:max-keys": 10 }, DateGreaterThan: { "aws:CurrentTime": "2024-01-01T00:00:00Z" }, Bool: { "aws:SecureTransport": true }, BinaryEquals: { "x:blob": "QmluYXJ5" }, NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] }, ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:topic" }, Null: { "aws:TokenIssueTime": "true" } } }) },
    { name: "a Bool value that is a policy variable", kind: "identity", input: doc({ ...s3Read, Condition: { Bool: { "aws:SecureTransport": "${aws:ViaAWSService}" } } }) },
    { name: "a tag key with spaces and colons", kind: "identity", input: doc({ ...s3Read, Condition: { StringEquals: { "aws:ResourceTag/aws:cloudformation:stack-name": "app", "aws:PrincipalTag/Cost Center": "42" } } }) },
  ];

  it.each(accepted)("$name", ({ kind, input }) => {
    const result = parsePolicy(input, kind);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it("normalises single values to arrays and condition values to strings", () => {
    const result = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole",' +
        '"Condition":{"Bool":{"aws:MultiFactorAuthPresent":true},"NumericLessThan":{"aws:MultiFactorAuthAge":3600},"NumericEquals":{"x:ratio":[1.50]}}}}',
      "trust",
    );
    expect(result).toEqual({
      ok: true,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "A",
            Effect: "Allow",
            Principal: { AWS: ["111122223333"] },
            Action: ["sts:AssumeRole"],
            Condition: {
              Bool: { "aws:MultiFactorAuthPresent": ["true"] },
              NumericLessThan: { "aws:MultiFactorAuthAge": ["3600"] },
              NumericEquals: { "x:ratio": ["1.50"] },
            },
          },
        ],
      },
    });
  });

  it("keeps a bare \"*\" principal in resource policies", () => {
    const result = parsePolicy(doc({ ...s3Read, Principal: "*" }), "resource");
    expect(result.ok && result.policy.Statement[0]?.Principal).toBe("*");
  });
});
