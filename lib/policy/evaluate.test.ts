// Expected results follow AWS's documented evaluation logic:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

import { describe, expect, it } from "vitest";
import { authorize, evaluatePolicies } from "./evaluate";
import { parsePolicy } from "./parse";
import type { AuthorizeInput, AuthzRequest, NamedPolicy, PolicyKind, RequestContext, RequestPrincipal } from "./types";

const ACCOUNT_A = "111111111111"; // owns the resources and roles
const ACCOUNT_B = "222222222222"; // another account

const alice: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`, accountId: ACCOUNT_A };
const bob: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${ACCOUNT_A}:user/bob`, accountId: ACCOUNT_A };
const carol: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${ACCOUNT_B}:user/carol`, accountId: ACCOUNT_B };
const rootA: RequestPrincipal = { type: "root", arn: `arn:aws:iam::${ACCOUNT_A}:root`, accountId: ACCOUNT_A };
const opsSession: RequestPrincipal = {
  type: "assumed-role",
  arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Ops/alice`,
  accountId: ACCOUNT_A,
  roleArn: `arn:aws:iam::${ACCOUNT_A}:role/teams/Ops`,
};
const devSession: RequestPrincipal = {
  type: "assumed-role",
  arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Dev/alice`,
  accountId: ACCOUNT_A,
  roleArn: `arn:aws:iam::${ACCOUNT_A}:role/Dev`,
};
const ec2: RequestPrincipal = { type: "service", service: "ec2.amazonaws.com" };
const github: RequestPrincipal = {
  type: "federated",
  provider: `arn:aws:iam::${ACCOUNT_A}:oidc-provider/token.actions.githubusercontent.com`,
};
const anonymous: RequestPrincipal = { type: "anonymous" };

/** Builds a policy through the parser, so every fixture is a valid document. */
function named(name: string, kind: PolicyKind, statements: object[], version: string | null = "2012-10-17"): NamedPolicy {
  const document = version === null ? { Statement: statements } : { Version: version, Statement: statements };
  const result = parsePolicy(JSON.stringify(document), kind);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
  return { name, policy: result.policy };
}

function request(principal: RequestPrincipal, action: string, resource: string, context: RequestContext = {}, resourceAccount?: string): AuthzRequest {
  return { principal, action, resource, context, ...(resourceAccount && { resourceAccount }) };
}

const BUCKET = "arn:aws:s3:::reports";

describe("evaluatePolicies — identity-based statements", () => {
  const cases: Array<{ name: string; statements: object[]; request: AuthzRequest; expected: string; version?: string | null }> = [
    {
      name: "an action wildcard covers the action",
      statements: [{ Effect: "Allow", Action: "s3:Get*", Resource: `${BUCKET}/*` }],
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`),
      expected: "Allow",
    },
    {
      name: "actions compare case-insensitively",
      statements: [{ Effect: "Allow", Action: "S3:getobject", Resource: `${BUCKET}/*` }],
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`),
      expected: "Allow",
    },
    {
      name: "an action wildcard does not cover another service",
      statements: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      request: request(alice, "s3express:CreateSession", "*"),
      expected: "ImplicitDeny",
    },
    {
      name: "a resource wildcard spans path segments",
      statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET}/*` }],
      request: request(alice, "s3:GetObject", `${BUCKET}/2024/q1/data.csv`),
      expected: "Allow",
    },
    {
      name: "resources compare case-sensitively",
      statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::Reports/*" }],
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`),
      expected: "ImplicitDeny",
    },
    {
      name: "? in a resource matches one character",
      statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET}/q?.csv` }],
      request: request(alice, "s3:GetObject", `${BUCKET}/q10.csv`),
      expected: "ImplicitDeny",
    },
    {
      name: "NotAction allows everything but the listed actions",
      statements: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }],
      request: request(alice, "s3:ListAllMyBuckets", "*"),
      expected: "Allow",
    },
    {
      name: "NotAction does not allow a listed action",
      statements: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }],
      request: request(alice, "iam:CreateUser", `arn:aws:iam::${ACCOUNT_A}:user/eve`),
      expected: "ImplicitDeny",
    },
    {
      name: "NotResource denies everything but the listed resources",
      statements: [
        { Effect: "Allow", Action: "s3:*", Resource: "*" },
        { Effect: "Deny", Action: "s3:*", NotResource: [BUCKET, `${BUCKET}/*`] },
      ],
      request: request(alice, "s3:GetObject", "arn:aws:s3:::payroll/salaries.csv"),
      expected: "ExplicitDeny",
    },
    {
      name: "NotResource leaves the listed resources alone",
      statements: [
        { Effect: "Allow", Action: "s3:*", Resource: "*" },
        { Effect: "Deny", Action: "s3:*", NotResource: [BUCKET, `${BUCKET}/*`] },
      ],
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`),
      expected: "Allow",
    },
    {
      name: "an explicit deny beats an allow",
      statements: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
      ],
      request: request(alice, "s3:DeleteObject", `${BUCKET}/q1.csv`),
      expected: "ExplicitDeny",
    },
    {
      name: "a statement whose condition fails does not apply",
      statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }],
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, { "aws:SecureTransport": "false" }),
      expected: "ImplicitDeny",
    },
    {
      name: "${aws:username} in a resource selects the caller's folder",
      statements: [{ Effect: "Allow", Action: "s3:*", Resource: `${BUCKET}/home/\${aws:username}/*` }],
      request: request(alice, "s3:PutObject", `${BUCKET}/home/alice/notes.txt`, { "aws:username": "alice" }),
      expected: "Allow",
    },
    {
      name: "${aws:username} in a resource does not open another user's folder",
      statements: [{ Effect: "Allow", Action: "s3:*", Resource: `${BUCKET}/home/\${aws:username}/*` }],
      request: request(alice, "s3:PutObject", `${BUCKET}/home/bob/notes.txt`, { "aws:username": "alice" }),
      expected: "ImplicitDeny",
    },
    {
      name: "without Version 2012-10-17 a variable is literal text",
      version: null,
      statements: [{ Effect: "Allow", Action: "s3:*", Resource: `${BUCKET}/home/\${aws:username}/*` }],
      request: request(alice, "s3:PutObject", `${BUCKET}/home/alice/notes.txt`, { "aws:username": "alice" }),
      expected: "ImplicitDeny",
    },
  ];

  it.each(cases)("$name → $expected", ({ statements, request: req, expected, version }) => {
    const policy = named("P", "identity", statements, version === undefined ? "2012-10-17" : version);
    expect(evaluatePolicies([policy], req, "identity").decision).toBe(expected);
  });

  it("lists every applying statement across policies", () => {
    const first = named("First", "identity", [
      { Sid: "ReadAll", Effect: "Allow", Action: "s3:Get*", Resource: "*" },
      { Effect: "Allow", Action: "ec2:*", Resource: "*" },
    ]);
    const second = named("Second", "identity", [{ Sid: "NoPayroll", Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::payroll/*" }]);
    const result = evaluatePolicies([first, second], request(alice, "s3:GetObject", "arn:aws:s3:::payroll/x"), "identity");
    expect(result).toEqual({
      decision: "ExplicitDeny",
      matched: [
        { policyName: "First", statementIndex: 0, sid: "ReadAll", effect: "Allow" },
        { policyName: "Second", statementIndex: 0, sid: "NoPayroll", effect: "Deny" },
      ],
    });
  });
});

describe("evaluatePolicies — resource-based principals", () => {
  const roleA = `arn:aws:iam::${ACCOUNT_A}:role/teams/Ops`;
  const cases: Array<{ name: string; principal: object; notPrincipal?: boolean; caller: RequestPrincipal; expected: string | undefined }> = [
    { name: '"*" matches an anonymous caller', principal: "*" as unknown as object, caller: anonymous, expected: "wildcard" },
    { name: '"*" matches a service', principal: "*" as unknown as object, caller: ec2, expected: "wildcard" },
    { name: '{"AWS":"*"} matches an IAM user of any account', principal: { AWS: "*" }, caller: carol, expected: "wildcard" },
    { name: '{"AWS":"*"} matches a role session', principal: { AWS: "*" }, caller: opsSession, expected: "wildcard" },
    { name: '{"AWS":"*"} does not match a service', principal: { AWS: "*" }, caller: ec2, expected: undefined },
    // "For anonymous users, the following elements are equivalent: "Principal": "*" and
    // "Principal" : { "AWS" : "*" }" — the Principal page, "All principals":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
    { name: '{"AWS":"*"} matches an anonymous caller, as "*" does (Principal page, All principals)', principal: { AWS: "*" }, caller: anonymous, expected: "wildcard" },
    { name: "an account ID matches the account's users", principal: { AWS: ACCOUNT_A }, caller: alice, expected: "account" },
    { name: "an account root ARN matches the account's role sessions", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, caller: opsSession, expected: "account" },
    { name: "an account root ARN matches the root user", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, caller: rootA, expected: "account" },
    { name: "an account does not match another account's users", principal: { AWS: ACCOUNT_A }, caller: carol, expected: undefined },
    { name: "a user ARN matches that user", principal: { AWS: alice.type === "user" ? alice.arn : "" }, caller: alice, expected: "exact" },
    { name: "a user ARN does not match another user", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }, caller: bob, expected: undefined },
    { name: "a role ARN matches its sessions", principal: { AWS: roleA }, caller: opsSession, expected: "role" },
    { name: "a role ARN does not match another role's sessions", principal: { AWS: roleA }, caller: devSession, expected: undefined },
    { name: "a session ARN matches that session", principal: { AWS: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Ops/alice` }, caller: opsSession, expected: "exact" },
    { name: "a unique id left by a deleted role matches nobody, not even its sessions", principal: { AWS: "AROAEXAMPLEDELETED0001" }, caller: opsSession, expected: undefined },
    { name: "the most specific match is reported", principal: { AWS: [ACCOUNT_A, `arn:aws:iam::${ACCOUNT_A}:user/alice`] }, caller: alice, expected: "exact" },
    // Values in a Principal element are ORed, so a role ARN listed beside "*" cannot make the
    // grant narrower than "*" alone.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    { name: 'a role ARN beside "*" reports the wildcard, the wider of the two', principal: { AWS: [roleA, "*"] }, caller: opsSession, expected: "wildcard" },
    { name: "a service principal matches case-insensitively", principal: { Service: "ec2.amazonaws.com" }, caller: { type: "service", service: "EC2.AmazonAWS.com" }, expected: "service" },
    { name: "a service principal does not match another service", principal: { Service: "lambda.amazonaws.com" }, caller: ec2, expected: undefined },
    { name: "a federated provider matches its users", principal: { Federated: github.type === "federated" ? github.provider : "" }, caller: github, expected: "federated" },
    { name: "NotPrincipal applies to callers it does not list", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/bob` }, notPrincipal: true, caller: alice, expected: "wildcard" },
    { name: "NotPrincipal excludes a listed user", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }, notPrincipal: true, caller: alice, expected: undefined },
    // "When you use NotPrincipal with Deny, you must also specify the account ARN of the
    // not-denied principal": the account ARN names the account, it does not exempt its users.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    { name: "NotPrincipal with only the account root still applies to the account's users (NotPrincipal page)", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, notPrincipal: true, caller: alice, expected: "wildcard" },
    { name: "NotPrincipal with only the account ID still applies to the account's role sessions (NotPrincipal page)", principal: { AWS: ACCOUNT_A }, notPrincipal: true, caller: opsSession, expected: "wildcard" },
    { name: "NotPrincipal with the account root excludes the root user", principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, notPrincipal: true, caller: rootA, expected: undefined },
    { name: "NotPrincipal with a user and its account excludes that user", principal: { AWS: [`arn:aws:iam::${ACCOUNT_A}:user/alice`, `arn:aws:iam::${ACCOUNT_A}:root`] }, notPrincipal: true, caller: alice, expected: undefined },
    { name: "NotPrincipal with a role ARN excludes its sessions", principal: { AWS: roleA }, notPrincipal: true, caller: opsSession, expected: undefined },
    { name: "NotPrincipal with a session ARN excludes that session", principal: { AWS: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Ops/alice` }, notPrincipal: true, caller: opsSession, expected: undefined },
  ];

  it.each(cases)("$name", ({ principal, notPrincipal, caller, expected }) => {
    const statement = { Effect: "Allow", [notPrincipal ? "NotPrincipal" : "Principal"]: principal, Action: "s3:GetObject", Resource: `${BUCKET}/*` };
    const result = evaluatePolicies([named("BucketPolicy", "resource", [statement])], request(caller, "s3:GetObject", `${BUCKET}/x`), "resource");
    expect(result.matched[0]?.principalMatch).toBe(expected);
    expect(result.decision).toBe(expected ? "Allow" : "ImplicitDeny");
  });
});

// Role trust policies (the resource policy of sts:AssumeRole).
const OPS_ROLE = `arn:aws:iam::${ACCOUNT_A}:role/teams/Ops`;
const assume = (principal: RequestPrincipal, context: RequestContext = {}): AuthzRequest =>
  request(principal, "sts:AssumeRole", OPS_ROLE, context, ACCOUNT_A);
const trust = (principal: object | string, extra: object = {}) =>
  named("OpsTrust", "trust", [{ Sid: "Trust", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra }]);
const canAssume = named("CallerPolicy", "identity", [{ Sid: "AssumeOps", Effect: "Allow", Action: "sts:AssumeRole", Resource: OPS_ROLE }]);
const denyAll = named("DenyAll", "identity", [{ Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" }]);

const githubTrust = named("GitHubTrust", "trust", [
  {
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::${ACCOUNT_A}:oidc-provider/token.actions.githubusercontent.com` },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
      StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" },
    },
  },
]);
const fromGitHub = (sub: string): AuthzRequest =>
  request(
    github,
    "sts:AssumeRoleWithWebIdentity",
    OPS_ROLE,
    { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub },
    ACCOUNT_A,
  );

type AuthorizeCase = { name: string; input: AuthorizeInput; decision: string; missing?: string[]; crossAccount?: boolean };

const authorizeCases: AuthorizeCase[] = [
  {
    name: "same account: a trust policy naming the caller's ARN suffices without an identity policy",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }), resourcePolicyRequired: true, request: assume(alice) },
    decision: "Allow",
  },
  {
    name: "same account: a trust policy naming the account root needs an identity policy",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }), resourcePolicyRequired: true, request: assume(alice) },
    decision: "ImplicitDeny",
    missing: ["identity"],
  },
  {
    name: "same account: account root in the trust policy plus an identity policy",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }), resourcePolicyRequired: true, request: assume(alice) },
    decision: "Allow",
  },
  {
    name: "same account: an identity policy alone never lets anyone assume a role",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/bob` }), resourcePolicyRequired: true, request: assume(alice) },
    decision: "ImplicitDeny",
    missing: ["resource"],
  },
  {
    name: "cross-account: trust without the caller's identity policy",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_B}:root` }), resourcePolicyRequired: true, request: assume(carol) },
    decision: "ImplicitDeny",
    missing: ["identity"],
    crossAccount: true,
  },
  {
    name: "cross-account: even a trust policy naming the caller needs the caller's identity policy",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_B}:user/carol` }), resourcePolicyRequired: true, request: assume(carol) },
    decision: "ImplicitDeny",
    missing: ["identity"],
    crossAccount: true,
  },
  {
    name: "cross-account: identity policy without trust",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }), resourcePolicyRequired: true, request: assume(carol) },
    decision: "ImplicitDeny",
    missing: ["resource"],
    crossAccount: true,
  },
  {
    name: "cross-account: neither half",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }), resourcePolicyRequired: true, request: assume(carol) },
    decision: "ImplicitDeny",
    missing: ["identity", "resource"],
    crossAccount: true,
  },
  {
    name: "cross-account: both halves",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_B}:root` }), resourcePolicyRequired: true, request: assume(carol) },
    decision: "Allow",
    crossAccount: true,
  },
  {
    name: "a trust policy naming a role ARN lets that role's sessions assume",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: OPS_ROLE }), resourcePolicyRequired: true, request: request(opsSession, "sts:AssumeRole", `arn:aws:iam::${ACCOUNT_A}:role/Target`, {}, ACCOUNT_A) },
    decision: "Allow",
  },
  {
    name: "a trust policy naming a role ARN does not admit another role's sessions",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: OPS_ROLE }), resourcePolicyRequired: true, request: request(devSession, "sts:AssumeRole", `arn:aws:iam::${ACCOUNT_A}:role/Target`, {}, ACCOUNT_A) },
    decision: "ImplicitDeny",
    missing: ["resource"],
  },
  {
    name: '{"AWS":"*"} does not admit an AWS service',
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: "*" }), resourcePolicyRequired: true, request: assume(ec2) },
    decision: "ImplicitDeny",
    missing: ["resource"],
  },
  {
    name: "a service principal is decided by the trust policy alone",
    input: { identityPolicies: [], resourcePolicy: trust({ Service: "ec2.amazonaws.com" }), resourcePolicyRequired: true, request: assume(ec2) },
    decision: "Allow",
  },
  {
    name: "GitHub OIDC from the trusted branch",
    input: { identityPolicies: [], resourcePolicy: githubTrust, resourcePolicyRequired: true, request: fromGitHub("repo:acme/app:ref:refs/heads/main") },
    decision: "Allow",
  },
  {
    name: "GitHub OIDC from another branch",
    input: { identityPolicies: [], resourcePolicy: githubTrust, resourcePolicyRequired: true, request: fromGitHub("repo:acme/app:ref:refs/heads/feature") },
    decision: "ImplicitDeny",
    missing: ["resource"],
  },
  {
    name: "trust conditions: the right ExternalId",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: ACCOUNT_B }, { Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), resourcePolicyRequired: true, request: assume(carol, { "sts:ExternalId": "abc-123" }) },
    decision: "Allow",
    crossAccount: true,
  },
  {
    name: "trust conditions: a wrong ExternalId",
    input: { identityPolicies: [canAssume], resourcePolicy: trust({ AWS: ACCOUNT_B }, { Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), resourcePolicyRequired: true, request: assume(carol, { "sts:ExternalId": "nope" }) },
    decision: "ImplicitDeny",
    missing: ["resource"],
    crossAccount: true,
  },
  {
    name: "trust conditions: the session name is the user's name (policy variable)",
    input: {
      identityPolicies: [canAssume],
      resourcePolicy: trust({ AWS: ACCOUNT_A }, { Condition: { StringEquals: { "sts:RoleSessionName": "${aws:username}" } } }),
      resourcePolicyRequired: true,
      request: assume(alice, { "aws:username": "alice", "sts:RoleSessionName": "alice" }),
    },
    decision: "Allow",
  },
  {
    name: "trust conditions: the session name is not the user's name (policy variable)",
    input: {
      identityPolicies: [canAssume],
      resourcePolicy: trust({ AWS: ACCOUNT_A }, { Condition: { StringEquals: { "sts:RoleSessionName": "${aws:username}" } } }),
      resourcePolicyRequired: true,
      request: assume(alice, { "aws:username": "alice", "sts:RoleSessionName": "bob" }),
    },
    decision: "ImplicitDeny",
    missing: ["resource"],
  },
  {
    name: "an explicit deny in an identity policy beats the trust policy",
    input: { identityPolicies: [denyAll], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }), resourcePolicyRequired: true, request: assume(alice) },
    decision: "ExplicitDeny",
  },
  {
    name: "an explicit deny in the resource policy beats an identity allow",
    input: {
      identityPolicies: [named("S3Admin", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }])],
      resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `${BUCKET}/*`, Condition: { Bool: { "aws:SecureTransport": "false" } } }]),
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, { "aws:SecureTransport": "false" }, ACCOUNT_A),
    },
    decision: "ExplicitDeny",
  },
  {
    name: "same account without a resource policy: the identity policy decides",
    input: { identityPolicies: [named("S3Read", "identity", [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }])], request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A) },
    decision: "Allow",
  },
  {
    name: "same account without any allow",
    input: { identityPolicies: [], request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A) },
    decision: "ImplicitDeny",
    missing: ["identity"],
  },
  {
    name: "same account: a silent bucket policy leaves the decision to the identity policy",
    input: {
      identityPolicies: [named("S3Read", "identity", [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }])],
      resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/bob` }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A),
    },
    decision: "Allow",
  },
  {
    name: "an identity allow outside the permissions boundary",
    input: {
      identityPolicies: [canAssume],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      resourcePolicy: trust({ AWS: ACCOUNT_A }),
      resourcePolicyRequired: true,
      request: assume(alice),
    },
    decision: "ImplicitDeny",
    missing: ["boundary"],
  },
  {
    name: "an explicit deny in the permissions boundary",
    input: {
      identityPolicies: [canAssume],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "sts:*", Resource: "*" }]),
      resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }),
      resourcePolicyRequired: true,
      request: assume(alice),
    },
    decision: "ExplicitDeny",
  },
  {
    name: "same account: a grant to a user ARN is not limited by the user's boundary",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }]),
      resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
      request: request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A),
    },
    decision: "Allow",
  },
  {
    name: "same account: a grant to a role ARN is limited by the role's boundary",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }]),
      resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: OPS_ROLE }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
      request: request(opsSession, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A),
    },
    decision: "ImplicitDeny",
    missing: ["boundary"],
  },
  {
    name: "same account: a grant to a role-session ARN is not limited by the boundary",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }]),
      resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: opsSession.type === "assumed-role" ? opsSession.arn : "" }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
      request: request(opsSession, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A),
    },
    decision: "Allow",
  },
  {
    name: 'an anonymous caller is admitted by "*"',
    input: { identityPolicies: [], resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET}/*` }]), request: request(anonymous, "s3:GetObject", `${BUCKET}/public.html`, {}, ACCOUNT_A) },
    decision: "Allow",
  },
  {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
    name: 'an anonymous caller is admitted by {"AWS":"*"} as by "*" (Principal page, All principals)',
    input: { identityPolicies: [], resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]), request: request(anonymous, "s3:GetObject", `${BUCKET}/public.html`, {}, ACCOUNT_A) },
    decision: "Allow",
  },
  {
    name: "the root user needs no identity policy in its own account",
    input: { identityPolicies: [], request: request(rootA, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A) },
    decision: "Allow",
  },
  // "If a user is listed as the principal in a role's trust policy but cannot assume the role,
  // check the user's permissions boundary. If a permissions boundary is set for the user, then
  // it must allow the sts:AssumeRole action."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
  {
    name: "same account: a user named in the trust policy still needs its permissions boundary to allow sts:AssumeRole (Update a role trust policy)",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }),
      resourcePolicyRequired: true,
      request: assume(alice),
    },
    decision: "ImplicitDeny",
    missing: ["boundary"],
  },
  {
    name: "same account: a user named in the trust policy whose boundary allows sts:AssumeRole needs no identity policy (Update a role trust policy)",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }]),
      resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` }),
      resourcePolicyRequired: true,
      request: assume(alice),
    },
    decision: "Allow",
  },
  {
    name: 'same account: a trust policy naming every AWS principal ({"AWS":"*"}) does not lift the caller\'s permissions boundary (Update a role trust policy)',
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      resourcePolicy: trust({ AWS: "*" }),
      resourcePolicyRequired: true,
      request: assume(alice),
    },
    decision: "ImplicitDeny",
    missing: ["boundary"],
  },
  // "You cannot use AWS account root user credentials to call AssumeRole. You must use
  // credentials for an IAM user or an IAM role to call AssumeRole."
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
  {
    name: "the account root user cannot call AssumeRole, even on a role that trusts its account (STS API reference, AssumeRole)",
    input: { identityPolicies: [], resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }), resourcePolicyRequired: true, request: assume(rootA) },
    decision: "ImplicitDeny",
  },
  {
    name: "the account root user cannot call AssumeRole across accounts either (STS API reference, AssumeRole)",
    input: {
      identityPolicies: [],
      resourcePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT_B}:root` }),
      resourcePolicyRequired: true,
      request: assume({ type: "root", arn: `arn:aws:iam::${ACCOUNT_B}:root`, accountId: ACCOUNT_B }),
    },
    decision: "ImplicitDeny",
    crossAccount: true,
  },
  // Principal values are ORed: listing a role ARN beside "*" grants what "*" alone grants.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  ...(["*", [OPS_ROLE, "*"]] as const).map(
    (aws): AuthorizeCase => ({
      name: `same account: a bucket policy granting ${JSON.stringify(aws)} is not limited by the role's boundary (values are ORed)`,
      input: {
        identityPolicies: [],
        permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }]),
        resourcePolicy: named("BucketPolicy", "resource", [{ Effect: "Allow", Principal: { AWS: aws }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
        request: request(opsSession, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A),
      },
      decision: "Allow",
    }),
  ),
];

// "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
// permissions boundary policy attached, regardless of the values specified in the NotPrincipal
// element." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
const ALICE_ARN = `arn:aws:iam::${ACCOUNT_A}:user/alice`;
const aliceOnlyBucket = named("BucketPolicy", "resource", [
  { Sid: "Alice", Effect: "Allow", Principal: { AWS: ALICE_ARN }, Action: "s3:GetObject", Resource: `${BUCKET}/*` },
  { Sid: "NobodyElse", Effect: "Deny", NotPrincipal: { AWS: [ALICE_ARN, `arn:aws:iam::${ACCOUNT_A}:root`] }, Action: "s3:*", Resource: `${BUCKET}/*` },
]);
const readAsAlice = request(alice, "s3:GetObject", `${BUCKET}/q1.csv`, {}, ACCOUNT_A);
authorizeCases.push(
  {
    name: "NotPrincipal with Deny exempts the user it names when the user has no permissions boundary",
    input: { identityPolicies: [], resourcePolicy: aliceOnlyBucket, request: readAsAlice },
    decision: "Allow",
  },
  {
    name: "NotPrincipal with Deny always denies a user with a permissions boundary, even one it names (NotPrincipal page)",
    input: {
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      resourcePolicy: aliceOnlyBucket,
      request: readAsAlice,
    },
    decision: "ExplicitDeny",
  },
);

describe("authorize", () => {
  it.each(authorizeCases)("$name → $decision", ({ input, decision, missing = [], crossAccount = false }) => {
    const result = authorize(input);
    expect(result.decision).toBe(decision);
    expect(result.missing).toEqual(missing);
    expect(result.crossAccount).toBe(crossAccount);
    if (decision !== "Allow") expect(result.decidingStatements.every((m) => m.effect === "Deny")).toBe(true);
    if (decision === "ImplicitDeny") expect(result.decidingStatements).toEqual([]);
  });

  it("names the denying statement", () => {
    const result = authorize({ identityPolicies: [denyAll], resourcePolicy: trust({ AWS: alice.type === "user" ? alice.arn : "" }), resourcePolicyRequired: true, request: assume(alice) });
    expect(result.reason).toBe("Explicitly denied by statement 0 (Sid DenyAll) of policy DenyAll");
    expect(result.decidingStatements).toEqual([{ policyName: "DenyAll", statementIndex: 0, sid: "DenyAll", effect: "Deny" }]);
  });

  it("says when the trust policy is the missing half", () => {
    const result = authorize({ identityPolicies: [canAssume], resourcePolicy: trust({ AWS: ACCOUNT_B }), resourcePolicyRequired: true, request: assume(alice) });
    expect(result.reason).toBe(`The role's trust policy does not allow arn:aws:iam::${ACCOUNT_A}:user/alice to perform sts:AssumeRole`);
  });

  it("says when the identity policy is the missing half", () => {
    const result = authorize({ identityPolicies: [], resourcePolicy: trust({ AWS: ACCOUNT_B }), resourcePolicyRequired: true, request: assume(carol) });
    expect(result.reason).toBe(
      `No identity-based policy allows arn:aws:iam::${ACCOUNT_B}:user/carol to perform sts:AssumeRole on ${OPS_ROLE} (cross-account access needs an allow on both sides)`,
    );
  });

  it("explains account-level trust within one account", () => {
    const result = authorize({ identityPolicies: [], resourcePolicy: trust({ AWS: ACCOUNT_A }), resourcePolicyRequired: true, request: assume(alice) });
    expect(result.reason).toBe(
      `No identity-based policy allows arn:aws:iam::${ACCOUNT_A}:user/alice to perform sts:AssumeRole on ${OPS_ROLE} (the role's trust policy trusts only the account, which leaves the decision to identity-based policies)`,
    );
  });

  it("lists the allowing statements of both halves for a cross-account allow", () => {
    const result = authorize({ identityPolicies: [canAssume], resourcePolicy: trust({ AWS: ACCOUNT_B }), resourcePolicyRequired: true, request: assume(carol) });
    expect(result.decidingStatements).toEqual([
      { policyName: "CallerPolicy", statementIndex: 0, sid: "AssumeOps", effect: "Allow" },
      { policyName: "OpsTrust", statementIndex: 0, sid: "Trust", effect: "Allow", principalMatch: "account" },
    ]);
    expect(result.reason).toBe("Allowed by statement 0 (Sid AssumeOps) of policy CallerPolicy and statement 0 (Sid Trust) of policy OpsTrust");
  });

  it("says why the root user is refused AssumeRole", () => {
    const result = authorize({ identityPolicies: [], resourcePolicy: trust({ AWS: ACCOUNT_A }), resourcePolicyRequired: true, request: assume(rootA) });
    expect(result.reason).toBe(
      `arn:aws:iam::${ACCOUNT_A}:root is the account root user, which cannot call sts:AssumeRole: AWS requires the credentials of an IAM user or role`,
    );
    expect(result.decidingStatements).toEqual([]);
  });

  it("names the NotPrincipal statement that denies a caller with a permissions boundary", () => {
    const result = authorize({
      identityPolicies: [],
      permissionsBoundary: named("Boundary", "identity", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      resourcePolicy: aliceOnlyBucket,
      request: readAsAlice,
    });
    expect(result.decidingStatements).toEqual([{ policyName: "BucketPolicy", statementIndex: 1, sid: "NobodyElse", effect: "Deny", principalMatch: "wildcard" }]);
  });

  it("lists only the trust statement when it names the caller directly", () => {
    const result = authorize({ identityPolicies: [canAssume], resourcePolicy: trust({ AWS: alice.type === "user" ? alice.arn : "" }), resourcePolicyRequired: true, request: assume(alice) });
    expect(result.decidingStatements).toEqual([{ policyName: "OpsTrust", statementIndex: 0, sid: "Trust", effect: "Allow", principalMatch: "exact" }]);
  });
});
