import { describe, expect, it } from "vitest";
import type { PolicyJson } from "@/lib/provision/types";
import { commentText, pascalCase, requiredExternalId, requiresMfa, slug, sourcePolicyTarget, uniqueName } from "./shared";

const trust = (...Statement: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement });
const aws = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" };

describe("requiredExternalId", () => {
  it.each<[string, PolicyJson, string | undefined]>([
    ["none", trust(aws), undefined],
    ["StringEquals string", trust({ ...aws, Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), "abc-123"],
    ["list, first value", trust({ ...aws, Condition: { StringEquals: { "sts:ExternalId": ["one", "two"] } } }), "one"],
    ["condition keys are case-insensitive", trust({ ...aws, Condition: { StringEquals: { "STS:externalid": "abc" } } }), "abc"],
    ["second statement", trust(aws, { ...aws, Condition: { StringEquals: { "sts:ExternalId": "x2" } } }), "x2"],
    ["StringLike is a pattern, not a value to send", trust({ ...aws, Condition: { StringLike: { "sts:ExternalId": "abc*" } } }), undefined],
    ["a Deny statement requires nothing", trust({ ...aws, Effect: "Deny", Condition: { StringEquals: { "sts:ExternalId": "abc" } } }), undefined],
  ])("%s", (_name, policy, expected) => {
    expect(requiredExternalId(policy)).toBe(expected);
  });
});

describe("requiresMfa", () => {
  it.each<[string, PolicyJson, boolean]>([
    ["none", trust(aws), false],
    ['Bool "true"', trust({ ...aws, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }), true],
    ["Bool true", trust({ ...aws, Condition: { Bool: { "aws:MultiFactorAuthPresent": true } } }), true],
    ['Bool "false" does not require MFA', trust({ ...aws, Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }), false],
    ["BoolIfExists lets non-MFA sessions through", trust({ ...aws, Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } }), false],
    ["MFA age", trust({ ...aws, Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": 3600 } } }), true],
  ])("%s", (_name, policy, expected) => {
    expect(requiresMfa(policy)).toBe(expected);
  });
});

describe("sourcePolicyTarget", () => {
  it.each([
    ["arn:aws:iam::333333333333:role/analytics/etl-runner", { kind: "role", name: "etl-runner" }],
    ["arn:aws:iam::333333333333:role/Admin", { kind: "role", name: "Admin" }],
    ["arn:aws-us-gov:iam::333333333333:user/ops/first.last@example.com", { kind: "user", name: "first.last@example.com" }],
    ["arn:aws:sts::333333333333:assumed-role/Deployer/ci-run-42", { kind: "role", name: "Deployer" }],
    ["any principal in 333333333333", { kind: "managed" }],
    ["arn:aws:iam::333333333333:root", { kind: "managed" }],
  ])("%s", (principal, expected) => {
    expect(sourcePolicyTarget(principal)).toEqual(expected);
  });
});

describe("names and comments", () => {
  it("commentText turns every line break and control character into a space", () => {
    expect(commentText("a\nb\rc\u2028d\u2029e\u0085f\tg\u0000h")).toBe("a b c d e f g h");
  });

  it("uniqueName numbers repeats, case-insensitively", () => {
    const taken = new Set<string>();
    expect([uniqueName("a", taken), uniqueName("A", taken), uniqueName("a", taken, "")]).toEqual(["a", "A_2", "a2"]);
  });

  it.each([
    ["delegate_read_my_bucket", "DelegateReadMyBucket", "delegate-read-my-bucket"],
    ["GitHubDeploy", "GitHubDeploy", "githubdeploy"],
    ["Nasty+Role=1,2.3@x-y", "NastyRole123XY", "nasty-role-1-2-3-x-y"],
    ["+++", "", "role"],
  ])("%s → %s, %s", (name, pascal, fileSlug) => {
    expect(pascalCase(name)).toBe(pascal);
    expect(slug(name)).toBe(fileSlug);
  });
});
