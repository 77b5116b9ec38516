import { describe, expect, it } from "vitest";
import { EXTERNAL_ID_PLACEHOLDER, explainAssumeRoleFailure } from "@/lib/aws/explain-denial";
import { AppError } from "@/lib/errors";
import { addTrustStatement, isTrustFix, namesBroker, trustFixStatement, type TrustFixStatement } from "./trust-statement";

const BROKER = "arn:aws:iam::333333333333:user/switchboard";
const ROLE = "arn:aws:iam::444444444444:role/DevelopmentTesters";
const DENIED = { name: "AccessDenied", message: `User: ${BROKER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}` };
const TRUSTS_DEVELOPMENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }] });

/** What explain-denial suggests for a role that does not trust the broker. */
function suggested(request: { externalId?: string; sourceIdentity?: string } = {}) {
  const explanation = explainAssumeRoleFailure({ error: DENIED, roleArn: ROLE, broker: { arn: BROKER, accountId: "333333333333" }, request, trustPolicy: TRUSTS_DEVELOPMENT, roleExists: true, brokerKind: "long-term" });
  expect(explanation.kind).toBe("trust-policy");
  return explanation.fix!.statement;
}

describe("trustFixStatement", () => {
  it("accepts every statement explain-denial suggests for a trust policy", () => {
    expect(isTrustFix(suggested())).toBe(true);
    expect(isTrustFix(suggested({ sourceIdentity: "ada@example.com" }))).toBe(true);
    expect(isTrustFix(suggested({ externalId: "abc-123" }))).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a fix for the broker's identity policy (no Principal)", { Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE }],
    ["a Deny", { Effect: "Deny", Principal: { AWS: BROKER }, Action: "sts:AssumeRole" }],
    ["a wildcard principal", { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
    ["an account root", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }],
    ["a service principal", { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    ["an action other than sts", { Effect: "Allow", Principal: { AWS: BROKER }, Action: "iam:*" }],
    ["sts:*", { Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:*" }],
    ["a real ExternalId instead of the placeholder", { Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "guess" } } }],
    ["another condition", { Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
    ["an extra key", { Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:AssumeRole", NotResource: "*" }],
    ["not an object", "Allow the broker"],
  ])("refuses %s", (_name, statement) => {
    expect(isTrustFix(statement)).toBe(false);
  });
});

describe("namesBroker", () => {
  it.each<[string, string, boolean]>([
    [BROKER, BROKER, true],
    ["arn:aws:iam::333333333333:user/other", BROKER, false],
    ["arn:aws:iam::333333333333:role/SwitchboardBroker", "arn:aws:sts::333333333333:assumed-role/SwitchboardBroker/i-0abc", true],
    ["arn:aws:iam::333333333333:role/platform/SwitchboardBroker", "arn:aws:sts::333333333333:assumed-role/SwitchboardBroker/task", true],
    ["arn:aws:iam::999999999999:role/SwitchboardBroker", "arn:aws:sts::333333333333:assumed-role/SwitchboardBroker/task", false],
    ["arn:aws:iam::333333333333:role/Other", "arn:aws:sts::333333333333:assumed-role/SwitchboardBroker/task", false],
    ["arn:aws-us-gov:iam::333333333333:role/SwitchboardBroker", "arn:aws:sts::333333333333:assumed-role/SwitchboardBroker/task", false],
  ])("%s for %s: %s", (principal, broker, expected) => {
    expect(namesBroker(principal, broker)).toBe(expected);
  });
});

describe("addTrustStatement", () => {
  const statement = trustFixStatement.parse(suggested());

  it("appends the statement with a Sid, keeping the policy's own statements and order", () => {
    const { text, added } = addTrustStatement(TRUSTS_DEVELOPMENT, statement, null);
    expect(added).toBe(true);
    const policy = JSON.parse(text) as { Version: string; Statement: unknown[] };
    expect(Object.keys(policy)).toEqual(["Version", "Statement"]);
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" },
      // SetSourceIdentity too: the console's trust rules require it of the broker's statement.
      { Sid: "SwitchboardConsole", Effect: "Allow", Principal: { AWS: BROKER }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] },
    ]);
    // Formatted as the Edit trust page shows policies (2-space JSON).
    expect(text).toBe(JSON.stringify(policy, null, 2));
  });

  it("accepts a policy whose Statement is a single object, and one without statements", () => {
    const single = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" } });
    expect((JSON.parse(addTrustStatement(single, statement, null).text) as { Statement: unknown[] }).Statement).toHaveLength(2);
    expect((JSON.parse(addTrustStatement('{"Version":"2012-10-17"}', statement, null).text) as { Statement: unknown[] }).Statement).toHaveLength(1);
  });

  it("adds nothing when the same statement is there already, whatever its Sid or key order", () => {
    const first = addTrustStatement(TRUSTS_DEVELOPMENT, statement, null).text;
    const reordered = JSON.stringify({
      Version: "2012-10-17",
      Statement: [...(JSON.parse(TRUSTS_DEVELOPMENT) as { Statement: unknown[] }).Statement, { Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Principal: { AWS: BROKER }, Effect: "Allow", Sid: "Mine" }],
    });
    expect(addTrustStatement(first, statement, null)).toEqual({ text: first, added: false });
    expect(addTrustStatement(reordered, statement, null).added).toBe(false);
  });

  it("keeps TagSession when asked for, and leaves a statement without AssumeRole as it is", () => {
    const tagged = trustFixStatement.parse({ Effect: "Allow", Principal: { AWS: BROKER }, Action: ["sts:AssumeRole", "sts:TagSession"] });
    const added = (JSON.parse(addTrustStatement(TRUSTS_DEVELOPMENT, tagged, null).text) as { Statement: Array<{ Action: unknown }> }).Statement[1]!;
    expect(added.Action).toEqual(["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]);
    const sourceOnly = trustFixStatement.parse({ Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:SetSourceIdentity" });
    expect((JSON.parse(addTrustStatement(TRUSTS_DEVELOPMENT, sourceOnly, null).text) as { Statement: Array<{ Action: unknown }> }).Statement[1]!.Action).toBe("sts:SetSourceIdentity");
  });

  it("picks a Sid no other statement has", () => {
    const taken = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "SwitchboardConsole", Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }] });
    const policy = JSON.parse(addTrustStatement(taken, statement, null).text) as { Statement: Array<{ Sid?: string }> };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["SwitchboardConsole", "SwitchboardConsole2"]);
  });

  it("puts the entry's stored ExternalId where the suggestion has its placeholder, and refuses without one", () => {
    const withExternalId = trustFixStatement.parse(suggested({ externalId: "abc-123", sourceIdentity: "ada@example.com" })) as TrustFixStatement;
    expect(withExternalId.Condition?.StringEquals["sts:ExternalId"]).toBe(EXTERNAL_ID_PLACEHOLDER);
    const policy = JSON.parse(addTrustStatement(TRUSTS_DEVELOPMENT, withExternalId, "abc-123").text) as { Statement: unknown[] };
    expect(policy.Statement[1]).toEqual({
      Sid: "SwitchboardConsole",
      Effect: "Allow",
      Principal: { AWS: BROKER },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "sts:ExternalId": "abc-123" } },
    });
    expect(() => addTrustStatement(TRUSTS_DEVELOPMENT, withExternalId, null)).toThrow(/ExternalId, and none is stored/);
  });

  it("refuses a current policy it cannot read, with what to do instead", () => {
    for (const current of ["", "not json", "[]", "null"]) {
      const err = (() => {
        try {
          addTrustStatement(current, statement, null);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/Edit it on the Edit trust page/);
    }
  });
});
