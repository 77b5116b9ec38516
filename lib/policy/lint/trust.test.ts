import { describe, expect, it } from "vitest";
import { ACCOUNT, accountStatement, OTHER, policy, type S } from "./testing";
import { lintTrustPolicy } from "./trust";

describe("lintTrustPolicy", () => {
  it("lints JSON text without a plan; cross-account rules need the role's account", () => {
    const text = JSON.stringify(policy(accountStatement()));
    expect(lintTrustPolicy(text).map((f) => f.rule)).toEqual([]);
    expect(lintTrustPolicy(text, { accountId: ACCOUNT }).map((f) => f.rule)).toEqual(["cross-account-no-condition"]);
  });
});

// Issue 13: another account trusted without a condition is a third party's risk (ExternalId)
// only when the account is outside the organization; the registered accounts are the organization.
describe("cross-account trust: inside or outside the organization", () => {
  const organization = [{ accountId: OTHER, name: "Development" }];
  const lint = (condition?: S, principal = `arn:aws:iam::${OTHER}:root`) =>
    lintTrustPolicy(JSON.stringify(policy({ ...accountStatement(condition), Principal: { AWS: principal } })), { accountId: ACCOUNT, accounts: organization }).filter((f) => f.rule.startsWith("cross-account"));

  it("is information for a registered account, suggesting aws:PrincipalOrgID or MFA and no ExternalId", () => {
    const [hit, ...more] = lint();
    expect(more).toEqual([]);
    expect(hit).toMatchObject({ rule: "cross-account-in-organization", severity: "info" });
    expect(hit?.message).toContain("account 222222222222 (Development)");
    expect(hit?.message).toContain("no ExternalId is needed");
    expect(hit?.fix).toContain("aws:PrincipalOrgID");
    expect(hit?.fix).toContain("MFA");
  });

  it("is a warning for an unregistered account, asking for an ExternalId", () => {
    const [hit, ...more] = lint(undefined, "arn:aws:iam::555555555555:role/vendor");
    expect(more).toEqual([]);
    expect(hit).toMatchObject({ rule: "cross-account-no-condition", severity: "warning" });
    expect(hit?.message).toContain("treated as a third party");
    expect(hit?.fix).toMatch(/^Require an ExternalId/);
  });

  it.each<[string, S | undefined, string]>([
    ["an exact aws:PrincipalOrgID (registered account)", { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } }, `arn:aws:iam::${OTHER}:root`],
    ["an exact aws:PrincipalOrgID (unregistered account)", { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } }, "arn:aws:iam::555555555555:root"],
    ["an organization path", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-abc123def4/r-ab12/*" } }, "arn:aws:iam::555555555555:root"],
    ["MFA (registered account)", { Bool: { "aws:MultiFactorAuthPresent": "true" } }, `arn:aws:iam::${OTHER}:root`],
    ["an ExternalId (unregistered account)", { StringEquals: { "sts:ExternalId": "abc-123" } }, "arn:aws:iam::555555555555:root"],
  ])("says nothing with %s", (_name, condition, principal) => {
    expect(lint(condition, principal)).toEqual([]);
  });

  it("still warns when aws:PrincipalOrgID is a wildcard (it pins no organization)", () => {
    expect(lint({ StringLike: { "aws:PrincipalOrgID": "o-*" } }, "arn:aws:iam::555555555555:root").map((f) => f.rule)).toEqual(["cross-account-no-condition"]);
  });
});

// Issue 10: {"AWS": "*"} is public unless a condition pins the caller to an organization,
// account or principal with a value the caller cannot choose. Each bypass below passed before.
describe("trust-public: which conditions restrict {\"AWS\": \"*\"}", () => {
  const publicStatement = (condition: S): S => ({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: condition });
  const isPublic = (condition: S) => lintTrustPolicy(policy(publicStatement(condition))).some((f) => f.rule === "trust-public" && f.severity === "error");

  it.each<[string, S]>([
    ['StringLike aws:PrincipalArn "arn:*"', { StringLike: { "aws:PrincipalArn": "arn:*" } }],
    ['StringLike aws:PrincipalAccount "1*"', { StringLike: { "aws:PrincipalAccount": "1*" } }],
    ['StringEquals aws:SourceIdentity "x" (the caller picks it)', { StringEquals: { "aws:SourceIdentity": "x" } }],
    ['StringEquals sts:SourceIdentity "alice"', { StringEquals: { "sts:SourceIdentity": "alice" } }],
    ['StringEquals sts:RoleSessionName "deploy"', { StringEquals: { "sts:RoleSessionName": "deploy" } }],
    ["StringEquals aws:PrincipalTag/team", { StringEquals: { "aws:PrincipalTag/team": "platform" } }],
    ["StringEquals aws:RequestTag/team", { StringEquals: { "aws:RequestTag/team": "platform" } }],
    ["StringEquals aws:userid", { StringEquals: { "aws:userid": "AROAEXAMPLE:alice" } }],
    ['ArnLike aws:PrincipalArn "arn:aws:iam::*:role/x" (any account)', { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/x" } }],
    ['ArnLike aws:PrincipalArn "arn:aws:iam::1*" (a partial account)', { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1*" } }],
    ["ArnLike aws:PrincipalArn with ? in the account", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::11111111111?:role/ci" } }],
    ["ArnLike aws:PrincipalArn with a wildcard partition", { ArnLike: { "aws:PrincipalArn": "arn:*:iam::111111111111:role/ci" } }],
    ["aws:PrincipalArn from the caller's own context (a policy variable)", { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/ci" } }],
    ['StringLike aws:PrincipalOrgID "o-*"', { StringLike: { "aws:PrincipalOrgID": "o-*" } }],
    ['StringLike aws:SourceAccount "11111111111?"', { StringLike: { "aws:SourceAccount": "11111111111?" } }],
    ['StringLike aws:SourceOrgID "o-abc*"', { StringLike: { "aws:SourceOrgID": "o-abc*" } }],
    ['StringLike aws:PrincipalOrgPaths "o-*/r-ab12/*"', { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*/r-ab12/*" } }],
    ["one restricting value and one wildcard (values are ORed)", { StringLike: { "aws:PrincipalAccount": [ACCOUNT, "*"] } }],
    ["StringNotEquals aws:PrincipalAccount", { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } }],
    ["StringEqualsIfExists aws:PrincipalOrgID", { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123def4" } }],
    ["an ExternalId and a source identity only", { StringEquals: { "sts:ExternalId": "abc-123", "sts:SourceIdentity": "alice" } }],
  ])("public: %s", (_name, condition) => {
    expect(isPublic(condition)).toBe(true);
  });

  it.each<[string, S]>([
    ["StringEquals aws:PrincipalOrgID", { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } }],
    ["StringEquals aws:PrincipalAccount", { StringEquals: { "aws:PrincipalAccount": [ACCOUNT, OTHER] } }],
    ["StringEquals aws:SourceAccount", { StringEquals: { "aws:SourceAccount": ACCOUNT } }],
    ["StringEquals aws:SourceOrgID", { StringEquals: { "aws:SourceOrgID": "o-abc123def4" } }],
    ["ArnEquals aws:PrincipalArn, an exact role", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/ci` } }],
    ["ArnLike aws:PrincipalArn, roles of one account", { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/ci-*` } }],
    ["StringLike aws:PrincipalArn, any principal of one account", { StringLike: { "aws:PrincipalArn": `arn:aws-us-gov:iam::${ACCOUNT}:*` } }],
    ["ForAnyValue:StringLike aws:PrincipalOrgPaths under one organization", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-abc123def4/r-ab12/ou-ab12-11111111/*" } }],
    ["a caller-controlled key next to a restricting one", { StringEquals: { "sts:SourceIdentity": "alice", "aws:PrincipalOrgID": "o-abc123def4" } }],
  ])("restricted: %s", (_name, condition) => {
    expect(isPublic(condition)).toBe(false);
  });

  it("says why a caller-chosen key does not restrict", () => {
    const finding = lintTrustPolicy(policy(publicStatement({ StringEquals: { "sts:SourceIdentity": "alice" } }))).find((f) => f.rule === "trust-public");
    expect(finding?.message).toContain("sts:SourceIdentity");
    expect(finding?.message).toContain("the caller chooses");
  });
});
