import { describe, expect, it } from "vitest";
import { entitiesFromTrustPolicy } from "./clone";
import { buildTrustPolicy } from "./trust";
import type { TrustedEntity } from "./types";

const BROKER = "arn:aws:sts::999999999999:assumed-role/SwitchboardBroker/console";
const policy = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });
const allow = (Principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal, Action: "sts:AssumeRole", ...extra });

describe("entitiesFromTrustPolicy", () => {
  it.each<[string, unknown, TrustedEntity[]]>([
    ["the broker by its role ARN", policy(allow({ AWS: "arn:aws:iam::999999999999:role/SwitchboardBroker" })), [{ kind: "broker" }]],
    ["the broker by its session ARN", policy(allow({ AWS: BROKER })), [{ kind: "broker" }]],
    ["an account root", policy(allow({ AWS: "arn:aws:iam::222222222222:root" })), [{ kind: "account", accountId: "222222222222" }]],
    ["a bare account id", policy(allow({ AWS: "222222222222" })), [{ kind: "account", accountId: "222222222222" }]],
    [
      "role and user ARNs",
      policy(allow({ AWS: ["arn:aws:iam::222222222222:user/developer", "arn:aws:iam::333333333333:role/ci/Jenkins"] })),
      [
        { kind: "principal", arn: "arn:aws:iam::222222222222:user/developer" },
        { kind: "principal", arn: "arn:aws:iam::333333333333:role/ci/Jenkins" },
      ],
    ],
    ["a service the wizard knows", policy(allow({ Service: "lambda.amazonaws.com" })), [{ kind: "service", service: "lambda.amazonaws.com" }]],
    ["EC2 in the China partition", policy(allow({ Service: "ec2.amazonaws.com.cn" })), [{ kind: "service", service: "ec2.amazonaws.com" }]],
    ["duplicates once", policy(allow({ AWS: "222222222222" }), allow({ AWS: "arn:aws:iam::222222222222:root" })), [{ kind: "account", accountId: "222222222222" }]],
  ])("%s", (_name, doc, expected) => {
    const out = entitiesFromTrustPolicy(doc, BROKER);
    expect(out.entities).toEqual(expected);
    expect(out.notices).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ["a wildcard principal", policy(allow({ AWS: "*" })), /AWS principal \* .* left out/],
    ["a service the wizard does not offer", policy(allow({ Service: "example.amazonaws.com" })), /example\.amazonaws\.com/],
    ["a federated provider", policy(allow({ Federated: "arn:aws:iam::111111111111:saml-provider/Okta" })), /Federated principal/],
    ["a Deny statement", policy({ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }), /denies access/],
    ["Principal: *", policy(allow("*")), /no principal the wizard can express/],
    ["an unreadable policy", "not a policy", /could not be read/],
    ["a condition the wizard has no field for", policy(allow({ AWS: "222222222222" }, { Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), /IpAddress aws:SourceIp/],
  ])("omits %s with a notice", (_name, doc, notice) => {
    const out = entitiesFromTrustPolicy(doc, BROKER);
    expect(out.notices.join("\n")).toMatch(notice);
  });

  it("reads back what the plan builder writes, conditions included", () => {
    const entities: TrustedEntity[] = [
      { kind: "broker" },
      { kind: "account", accountId: "222222222222" },
      { kind: "principal", arn: "arn:aws:iam::333333333333:role/Jenkins" },
      { kind: "service", service: "ec2.amazonaws.com" },
    ];
    const conditions = { externalId: "shared-secret-1", requireMfa: true, organizationId: "o-abcdefghij" };
    const doc = {
      target: { accountId: "111111111111", roleName: "r", path: "/", description: "", maxSessionDuration: 3600, tags: [] },
      trust: { entities, conditions },
      permissions: { managedPolicyArns: [], inline: [] },
      applySourcePolicies: [],
    };
    const out = entitiesFromTrustPolicy(buildTrustPolicy(doc, { partition: "aws", broker: { arn: BROKER, accountId: "999999999999", temporary: true } }), BROKER);
    expect(out.entities).toEqual(entities);
    expect(out.conditions).toEqual(conditions);
    expect(out.notices).toEqual([]);
  });
});
