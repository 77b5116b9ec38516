// Source-side policies: which trusted principals get one, what it allows, when the console
// attaches it, and that together with the trust policy it lets the caller in across accounts.
import { describe, expect, it } from "vitest";
import { authorize, parsePolicy } from "@/lib/policy";
import type { RequestPrincipal } from "@/lib/policy/types";
import { anyPrincipalIn, buildSourcePolicies, sourcePolicyDocument, sourcePolicyName } from "./source-policy";
import { buildTrustPolicy } from "./trust";
import type { PlanContext, TrustedEntity, WizardDocument } from "./types";

const TARGET = "111111111111";
const OTHER = "222222222222";
const THIRD = "333333333333";
const ROLE_ARN = `arn:aws:iam::${TARGET}:role/Deployer`;

function doc(entities: TrustedEntity[], applySourcePolicies: string[] = [], roleName = "Deployer"): WizardDocument {
  return {
    target: { accountId: TARGET, roleName, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities, conditions: {} },
    permissions: { managedPolicyArns: [], inline: [] },
    applySourcePolicies,
  };
}

const accounts: PlanContext["accounts"] = [
  { accountId: TARGET, name: "Production", canProvision: true },
  { accountId: OTHER, name: "Development", canProvision: true },
  { accountId: THIRD, name: "Audit", canProvision: false },
];

const DOCUMENT = { Version: "2012-10-17", Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE_ARN }] };

describe("buildSourcePolicies", () => {
  it("gives each trusted account root and each principal of another account a policy, sorted", () => {
    const entities: TrustedEntity[] = [
      { kind: "principal", arn: `arn:aws:iam::${THIRD}:user/alice` },
      { kind: "account", accountId: OTHER },
      { kind: "principal", arn: `arn:aws:iam::${OTHER}:role/ci/Builder` },
    ];
    expect(buildSourcePolicies(doc(entities), { accounts }, ROLE_ARN)).toEqual([
      { accountId: OTHER, principal: "any principal in 222222222222", policyName: "AllowAssume-Deployer", document: DOCUMENT, apply: false },
      { accountId: OTHER, principal: `arn:aws:iam::${OTHER}:role/ci/Builder`, policyName: "AllowAssume-Deployer", document: DOCUMENT, apply: false },
      { accountId: THIRD, principal: `arn:aws:iam::${THIRD}:user/alice`, policyName: "AllowAssume-Deployer", document: DOCUMENT, apply: false },
    ]);
  });

  it("gives nothing to the broker, services, GitHub, OIDC or SAML", () => {
    const entities: TrustedEntity[] = [
      { kind: "broker" },
      { kind: "service", service: "ec2.amazonaws.com" },
      { kind: "github", owner: "o", repo: "r", ref: { type: "pull_request" } },
      { kind: "oidc", providerArn: `arn:aws:iam::${TARGET}:oidc-provider/oidc.example.com`, audience: "a" },
      { kind: "saml", providerArn: `arn:aws:iam::${TARGET}:saml-provider/IdP` },
    ];
    expect(buildSourcePolicies(doc(entities), { accounts }, ROLE_ARN)).toEqual([]);
  });

  it("skips a principal of the role's own account (the trust policy alone lets it in) but not the account's root", () => {
    const entities: TrustedEntity[] = [
      { kind: "principal", arn: `arn:aws:iam::${TARGET}:role/Ops` },
      { kind: "account", accountId: TARGET },
    ];
    expect(buildSourcePolicies(doc(entities), { accounts }, ROLE_ARN).map((p) => p.principal)).toEqual(["any principal in 111111111111"]);
  });

  it("drops duplicates", () => {
    const entities: TrustedEntity[] = [
      { kind: "account", accountId: OTHER },
      { kind: "account", accountId: OTHER },
    ];
    expect(buildSourcePolicies(doc(entities), { accounts }, ROLE_ARN)).toHaveLength(1);
  });

  it.each<[string, string[], string, boolean]>([
    ["chosen and provisionable", [OTHER], OTHER, true],
    ["not chosen", [], OTHER, false],
    ["chosen, but the console cannot provision there", [THIRD], THIRD, false],
    ["chosen, but not a registered account", ["444444444444"], "444444444444", false],
  ])("apply is set only when the account is chosen and provisionable: %s", (_, chosen, accountId, apply) => {
    const [policy] = buildSourcePolicies(doc([{ kind: "account", accountId }], chosen), { accounts }, ROLE_ARN);
    expect(policy?.apply).toBe(apply);
  });

  it("adds sts:SetSourceIdentity when the trust lets principals set one", () => {
    const [policy] = buildSourcePolicies(doc([{ kind: "account", accountId: OTHER }]), { accounts }, ROLE_ARN, { sourceIdentity: true });
    expect(policy?.document).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Resource: ROLE_ARN }],
    });
  });

  it("names the role's ARN with its path and partition", () => {
    const govArn = "arn:aws-us-gov:iam::111111111111:role/teams/data/Reader";
    expect(sourcePolicyDocument(govArn).Statement[0]?.Resource).toBe(govArn);
  });
});

describe("sourcePolicyName", () => {
  it.each([
    ["Deployer", "AllowAssume-Deployer"],
    ["delegate_read_my_bucket", "AllowAssume-delegate_read_my_bucket"],
    ["a+b=c,d.e@f", "AllowAssume-a+b=c,d.e@f"],
  ])("%s → %s", (roleName, name) => {
    expect(sourcePolicyName(roleName)).toBe(name);
  });

  it("stays a valid policy name for the longest role name", () => {
    const name = sourcePolicyName("R".repeat(64));
    expect(name).toMatch(/^[\w+=,.@-]{1,128}$/);
    expect(name).toHaveLength(76);
  });

  it("describes an account root", () => {
    expect(anyPrincipalIn(OTHER)).toBe("any principal in 222222222222");
  });
});

describe("the two halves together", () => {
  const alice: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${OTHER}:user/alice`, accountId: OTHER };

  function assume(wizard: WizardDocument, useSourcePolicy: boolean) {
    const trust = parsePolicy(buildTrustPolicy(wizard, { partition: "aws", broker: { arn: "arn:aws:iam::999999999999:user/b", accountId: "999999999999", temporary: false } }), "trust");
    if (!trust.ok) throw new Error(JSON.stringify(trust.errors));
    const [source] = buildSourcePolicies(wizard, { accounts }, ROLE_ARN);
    const identity = source && useSourcePolicy ? parsePolicy(source.document, "identity") : undefined;
    if (identity && !identity.ok) throw new Error(JSON.stringify(identity.errors));
    return authorize({
      identityPolicies: identity?.ok ? [{ name: source!.policyName, policy: identity.policy }] : [],
      resourcePolicy: { name: "trust", policy: trust.policy },
      resourcePolicyRequired: true,
      request: { principal: alice, action: "sts:AssumeRole", resource: ROLE_ARN, resourceAccount: TARGET, context: {} },
    });
  }

  it("lets a caller of a trusted account in only with its source policy", () => {
    const d = doc([{ kind: "account", accountId: OTHER }]);
    expect(assume(d, true).decision).toBe("Allow");
    const without = assume(d, false);
    expect(without.decision).toBe("ImplicitDeny");
    expect(without.missing).toEqual(["identity"]);
  });

  it("needs the source policy across accounts even when the trust names the caller's ARN", () => {
    const d = doc([{ kind: "principal", arn: alice.arn }]);
    expect(assume(d, true).decision).toBe("Allow");
    expect(assume(d, false).missing).toEqual(["identity"]);
  });
});
