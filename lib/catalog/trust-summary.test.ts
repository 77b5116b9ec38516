// The Discover list's one line per role ("Trusts account 333333333333 (Operations) · requires an
// ExternalId") and whether the console's broker could assume the role, for representative
// trust policies.
import { describe, expect, it } from "vitest";
import { summarizeTrust, type BrokerAccess } from "./trust-summary";

const BROKER = { arn: "arn:aws:iam::333333333333:user/switchboard", accountId: "333333333333" };
const NAMES = new Map([
  ["111111111111", "Production"],
  ["222222222222", "Development"],
  ["333333333333", "Operations"],
]);

const policy = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra });
const deny = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Deny", Principal: principal, Action: "sts:AssumeRole", ...extra });

const OPS_ROOT = { AWS: "arn:aws:iam::333333333333:root" };
const EXTERNAL_ID = { StringEquals: { "sts:ExternalId": "switchboard-demo-7f3a9c2e" } };
const MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" } };

describe("summarizeTrust", () => {
  it.each<[string, string, string, BrokerAccess]>([
    ["the broker's account root", policy(allow(OPS_ROOT)), "Trusts account 333333333333 (Operations)", "allowed"],
    ["the broker's account as a bare id", policy(allow({ AWS: "333333333333" })), "Trusts account 333333333333 (Operations)", "allowed"],
    ["the broker itself, by ARN", policy(allow({ AWS: BROKER.arn })), "Trusts this console", "allowed"],
    ["another account's root", policy(allow({ AWS: "arn:aws:iam::222222222222:root" })), "Trusts account 222222222222 (Development)", "not-trusted"],
    ["an account the registry does not know", policy(allow({ AWS: "arn:aws:iam::999999999999:root" })), "Trusts account 999999999999", "not-trusted"],
    ["a specific role in the broker's account", policy(allow({ AWS: "arn:aws:iam::333333333333:role/JenkinsRole" })), "Trusts 333333333333:role/JenkinsRole", "not-trusted"],
    ["an AWS service", policy(allow({ Service: "ec2.amazonaws.com" })), "Trusts ec2.amazonaws.com", "not-trusted"],
    [
      "a federated OIDC provider",
      policy(allow({ Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, { Action: "sts:AssumeRoleWithWebIdentity" })),
      "Trusts OIDC token.actions.githubusercontent.com",
      "not-trusted",
    ],
    [
      "a SAML provider",
      policy(allow({ Federated: "arn:aws:iam::111111111111:saml-provider/Okta" }, { Action: "sts:AssumeRoleWithSAML" })),
      "Trusts SAML Okta",
      "not-trusted",
    ],
    ["the broker's account, with an ExternalId", policy(allow(OPS_ROOT, { Condition: EXTERNAL_ID })), "Trusts account 333333333333 (Operations) · requires an ExternalId", "needs-external-id"],
    [
      "the broker's account, with the condition key in another case (IAM keys are case-insensitive)",
      policy(allow(OPS_ROOT, { Condition: { StringEquals: { "STS:EXTERNALID": "abc123" } } })),
      "Trusts account 333333333333 (Operations) · requires an ExternalId",
      "needs-external-id",
    ],
    ["the broker's account, with MFA", policy(allow(OPS_ROOT, { Condition: MFA })), "Trusts account 333333333333 (Operations) · requires MFA", "needs-mfa"],
    [
      "MFA by age",
      policy(allow(OPS_ROOT, { Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } })),
      "Trusts account 333333333333 (Operations) · requires MFA",
      "needs-mfa",
    ],
    [
      "another account, with an ExternalId (a third party's role)",
      policy(allow({ AWS: "arn:aws:iam::222222222222:root" }, { Condition: EXTERNAL_ID })),
      "Trusts account 222222222222 (Development) · requires an ExternalId",
      "not-trusted",
    ],
    [
      "the broker's account, but only for web identity",
      policy(allow(OPS_ROOT, { Action: "sts:AssumeRoleWithWebIdentity" })),
      "Trusts account 333333333333 (Operations)",
      "not-trusted",
    ],
    [
      "two accounts, each listed once",
      policy(allow({ AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] }), allow({ AWS: "222222222222" })),
      "Trusts account 222222222222 (Development), account 333333333333 (Operations)",
      "allowed",
    ],
    ["a principal that was deleted (IAM shows its unique id)", policy(allow({ AWS: "AROA1234567890EXAMPLE" })), "Trusts a deleted principal (AROA1234567890EXAMPLE)", "not-trusted"],
    ["any AWS principal", policy(allow({ AWS: "*" })), "Trusts any AWS principal", "allowed"],
  ])("%s", (_, trust, summary, brokerAccess) => {
    expect(summarizeTrust(trust, BROKER, NAMES)).toMatchObject({ summary, brokerAccess });
  });

  it("lists the principals it names", () => {
    expect(
      summarizeTrust(policy(allow({ AWS: "arn:aws:iam::222222222222:root", Service: "lambda.amazonaws.com" }), allow({ AWS: BROKER.arn })), BROKER, NAMES).principals,
    ).toEqual(["account 222222222222 (Development)", "lambda.amazonaws.com", "this console"]);
  });

  it("notes a condition limiting the role to the organization", () => {
    expect(summarizeTrust(policy(allow({ AWS: "*" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } })), BROKER, NAMES).summary).toBe(
      "Trusts any AWS principal · only within the organization",
    );
  });

  it("works for a broker that runs on a role (ECS task, EKS) and in other partitions", () => {
    const task = { arn: "arn:aws:sts::333333333333:assumed-role/SwitchboardTask/ecs-1234", accountId: "333333333333" };
    expect(summarizeTrust(policy(allow({ AWS: "arn:aws:iam::333333333333:role/SwitchboardTask" })), task, NAMES)).toMatchObject({
      summary: "Trusts 333333333333:role/SwitchboardTask",
      brokerAccess: "allowed",
    });
    expect(summarizeTrust(policy(allow({ AWS: "arn:aws:iam::333333333333:role/OtherRole" })), task, NAMES).brokerAccess).toBe("not-trusted");
    const gov = { arn: "arn:aws-us-gov:iam::333333333333:user/switchboard", accountId: "333333333333" };
    expect(summarizeTrust(policy(allow({ AWS: "arn:aws-us-gov:iam::333333333333:root" })), gov, NAMES)).toMatchObject({
      summary: "Trusts account 333333333333 (Operations)",
      brokerAccess: "allowed",
    });
  });

  describe("Deny statements", () => {
    it("are not listed as trusted principals, and a Deny naming the broker wins over the Allow", () => {
      expect(summarizeTrust(policy(allow(OPS_ROOT), deny({ AWS: BROKER.arn })), BROKER, NAMES)).toEqual({
        summary: "Trusts account 333333333333 (Operations)",
        brokerAccess: "not-trusted",
        principals: ["account 333333333333 (Operations)"],
      });
    });

    it("a Deny for everyone else does not stop the broker", () => {
      expect(summarizeTrust(policy(allow(OPS_ROOT), deny({ AWS: "arn:aws:iam::222222222222:root" })), BROKER, NAMES).brokerAccess).toBe("allowed");
    });

    it("an unconditional Deny of the broker is not turned into 'send an ExternalId' or 'use MFA'", () => {
      // Sending an ExternalId (or using MFA) would not help: the Deny still applies.
      expect(summarizeTrust(policy(allow(OPS_ROOT, { Condition: EXTERNAL_ID }), deny({ AWS: BROKER.arn })), BROKER, NAMES).brokerAccess).toBe("not-trusted");
      expect(summarizeTrust(policy(allow(OPS_ROOT, { Condition: MFA }), deny({ AWS: "*" })), BROKER, NAMES).brokerAccess).toBe("not-trusted");
    });

    it("a Deny that applies only without an ExternalId still means: send one", () => {
      const trust = policy(allow(OPS_ROOT, { Condition: EXTERNAL_ID }), deny({ AWS: "*" }, { Condition: { Null: { "sts:ExternalId": "true" } } }));
      expect(summarizeTrust(trust, BROKER, NAMES)).toMatchObject({ summary: "Trusts account 333333333333 (Operations) · requires an ExternalId", brokerAccess: "needs-external-id" });
    });

    it("a policy of only Deny statements trusts no one", () => {
      expect(summarizeTrust(policy(deny({ AWS: "*" })), BROKER, NAMES)).toEqual({ summary: "Trusts no one", brokerAccess: "not-trusted", principals: [] });
    });
  });

  it.each([
    ["not JSON", "{not json"],
    ["no statements", JSON.stringify({ Version: "2012-10-17" })],
    ["a statement without a principal", policy({ Effect: "Allow", Action: "sts:AssumeRole" })],
    // IAM refuses "Principal": "*" in a trust policy.
    ["Principal \"*\"", policy(allow("*"))],
  ])("says when the trust policy cannot be read (%s)", (_, trust) => {
    expect(summarizeTrust(trust, BROKER, NAMES)).toEqual({ summary: "Trust policy could not be read", brokerAccess: "not-trusted", principals: [] });
  });
});
