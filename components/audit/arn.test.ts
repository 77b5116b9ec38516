import { describe, expect, it } from "vitest";
import { shortArn, splitArns } from "./arn";

describe("shortArn", () => {
  it.each([
    ["arn:aws:iam::111111111111:role/ReadOnly", "role/ReadOnly"],
    ["arn:aws:iam::111111111111:role/team/platform/Deployer", "role/Deployer"],
    ["arn:aws:sts::111111111111:assumed-role/ReadOnly/ada@example.com", "assumed-role/ReadOnly/ada@example.com"],
    ["arn:aws-us-gov:iam::222222222222:user/ci", "user/ci"],
    ["arn:aws:iam::aws:policy/ReadOnlyAccess", "policy/ReadOnlyAccess"],
    ["arn:aws:s3:::my-bucket", "my-bucket"],
  ])("%s → %s", (arn, short) => expect(shortArn(arn)).toBe(short));
});

describe("splitArns", () => {
  it("finds the ARNs in a target and keeps the words around them", () => {
    expect(splitArns("arn:aws:iam::111111111111:role/ReadOnly → ada@example.com")).toEqual([
      { kind: "arn", arn: "arn:aws:iam::111111111111:role/ReadOnly", short: "role/ReadOnly", account: "111111111111" },
      { kind: "text", text: " → ada@example.com" },
    ]);
  });

  it("ends an ARN at a comma, a semicolon or a space", () => {
    const parts = splitArns("Denied by arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-123; attached to r-root");
    expect(parts.map((p) => (p.kind === "arn" ? `[${p.short}]` : p.text)).join("")).toBe("Denied by [policy/p-123]; attached to r-root");
  });

  it("leaves text without ARNs alone", () => {
    expect(splitArns("group platform-sre")).toEqual([{ kind: "text", text: "group platform-sre" }]);
    expect(splitArns("")).toEqual([]);
  });
});
