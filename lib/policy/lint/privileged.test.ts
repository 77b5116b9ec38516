// The privileged-trust guardrail on its own, for an existing role whose trust policy is being
// replaced; lib/provision/plan-lint.test.ts covers it as lintPlan runs it.

import { describe, expect, it } from "vitest";
import { lintPrivilegedTrust } from "./privileged";
import { ACCOUNT, accounts, accountStatement, broker, brokerStatement, policy, unregistered } from "./testing";

describe("lintPrivilegedTrust", () => {
  it("checks a new trust policy against an existing role's permissions", () => {
    const target = { accountId: ACCOUNT, accounts: accounts(), broker: broker() };
    const permissions = { managedPolicyArns: [], inlinePolicies: [{ name: "admin", document: JSON.stringify(policy({ Effect: "Allow", Action: "*", Resource: "*" })) }] };
    expect(lintPrivilegedTrust(JSON.stringify(policy(unregistered)), permissions, target, { allow: false })).toEqual([expect.objectContaining({ rule: "privileged-external-trust", severity: "error", where: "inline:admin" })]);
    expect(lintPrivilegedTrust(JSON.stringify(policy(brokerStatement, accountStatement())), permissions, target, { allow: false })).toEqual([]);
  });
});
