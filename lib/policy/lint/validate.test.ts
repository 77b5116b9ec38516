// Live validation of typed JSON: positions of syntax errors, grammar errors at their JSON path,
// and the rules for the kind of policy.

import { describe, expect, it } from "vitest";
import { ACCOUNT, broker, brokerStatement, policy, readBucket, ROLE_ARN, tooManyStatements, V } from "./testing";
import { validatePolicyText } from "./validate";

describe("validatePolicyText", () => {
  it("gives JSON syntax errors a line and column", () => {
    const result = validatePolicyText('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}', "identity");
    expect(result.ok).toBe(false);
    expect(result.policy).toBeUndefined();
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: "policy-syntax", severity: "error", where: "inline", line: 3, column: 17, message: expect.stringContaining("at line 3, column 17") }),
    ]);
  });

  it("reports duplicate keys as syntax, with their position", () => {
    const result = validatePolicyText('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Action":"s3:*","Resource":"*"}}', "identity");
    expect(result.findings[0]).toMatchObject({ rule: "policy-syntax", path: "$.Statement.Action", line: 1, column: 79 });
  });

  it("accepts a valid identity policy and returns it normalised", () => {
    const result = validatePolicyText(JSON.stringify(readBucket, null, 2), "identity");
    expect(result).toEqual({ ok: true, policy: { Version: V, Statement: [{ Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::reports"] }, { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::reports/*"] }] }, findings: [] });
  });

  it("stays ok with warnings only", () => {
    const result = validatePolicyText(JSON.stringify(policy({ Effect: "Allow", Action: "*", Resource: "*" })), "identity", { where: "inline:admin" });
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([expect.objectContaining({ rule: "admin-wildcard", severity: "warning", where: "inline:admin" })]);
  });

  it("points grammar errors at their JSON path", () => {
    const result = validatePolicyText(JSON.stringify(policy({ Effect: "Allow", Action: "s3:GetObject" })), "identity");
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ rule: "policy-invalid", path: "$.Statement[0]", message: "At Statement[0]: Policy statement must contain resources." })]);
  });

  it("measures one identity policy against the inline quota", () => {
    const text = JSON.stringify(policy(...tooManyStatements));
    expect(validatePolicyText(text, "identity", { inlinePoliciesSize: 2048 }).findings.map((f) => f.rule)).toEqual(["inline-size"]);
    expect(validatePolicyText(text, "identity").findings).toEqual([]);
  });

  it("returns the rest of a trust policy that has a Resource, not ok", () => {
    const result = validatePolicyText(JSON.stringify(policy({ ...brokerStatement, Resource: ROLE_ARN })), "trust");
    expect(result.ok).toBe(false);
    expect(result.policy?.Statement[0]?.Resource).toBeUndefined();
    expect(result.findings).toEqual([expect.objectContaining({ rule: "trust-resource", path: "$.Statement[0].Resource", where: "trust" })]);
  });

  it("runs the trust rules for the target role", () => {
    const text = JSON.stringify(policy({ ...brokerStatement, Action: "sts:AssumeRole" }));
    const target = { accountId: ACCOUNT, partition: "aws" as const, roleArn: ROLE_ARN, broker: broker() };
    expect(validatePolicyText(text, "trust", { target }).findings.map((f) => f.rule)).toEqual(["broker-set-source-identity"]);
  });

  it("checks a trust policy's size against the target's quota", () => {
    const text = JSON.stringify(policy(brokerStatement));
    expect(validatePolicyText(text, "trust", { target: { trustPolicySize: 100 } }).findings.map((f) => [f.rule, f.severity])).toEqual([["trust-size", "error"]]);
  });
});
