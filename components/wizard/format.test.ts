import { describe, expect, it } from "vitest";
import type { LintFinding } from "@/lib/provision/types";
import { exportFile, groupFindings, hoursLabel, policyFileName, stepOfWhere, whereLabel } from "./format";

const accounts = [{ accountId: "222222222222", name: "Development", environment: "development", color: "#000000", partition: "aws", canProvision: true }];

describe("whereLabel", () => {
  it.each([
    ["trust", "Trust policy"],
    ["role", "Role"],
    ["inline:ReadBucket", "Inline policy ReadBucket"],
    ["managed:arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "Managed policy ViewOnlyAccess"],
    ["source:222222222222", "Source-side policy in Development (222222222222)"],
    ["source:999999999999", "Source-side policy in 999999999999"],
    ["something-new", "something-new"],
  ])("%s → %s", (where, label) => {
    expect(whereLabel(where, accounts)).toBe(label);
  });
});

describe("groupFindings", () => {
  it("groups by severity and keeps the server's order", () => {
    const f = (rule: string, severity: LintFinding["severity"]): LintFinding => ({ rule, severity, message: rule, where: "trust" });
    const groups = groupFindings([f("a", "warning"), f("b", "error"), f("c", "warning"), f("d", "info")]);
    expect(groups.error.map((x) => x.rule)).toEqual(["b"]);
    expect(groups.warning.map((x) => x.rule)).toEqual(["a", "c"]);
    expect(groups.info.map((x) => x.rule)).toEqual(["d"]);
  });
});

describe("formats", () => {
  it.each([
    [3600, "1 hour"],
    [43200, "12 hours"],
    [5400, "1.5 hours"],
  ])("hoursLabel(%i) → %s", (s, text) => {
    expect(hoursLabel(s)).toBe(text);
  });

  it.each([
    ["terraform", "", "read-bucket.tf"],
    ["cloudformation", '{"Resources":{}}', "read-bucket.cfn.json"],
    ["cloudformation", "Resources:\n", "read-bucket.cfn.yaml"],
    ["cli", "", "create-read-bucket.sh"],
    ["config", "", "read-bucket.aws-config"],
  ] as const)("names the %s download", (kind, text, name) => {
    expect(exportFile(kind, "Read_Bucket", text).name).toBe(name);
  });

  it("makes safe file names", () => {
    expect(exportFile("terraform", "a/b c", "").name).toBe("a-b-c.tf");
    expect(policyFileName("Read Bucket/1")).toBe("Read_Bucket_1.json");
    expect(policyFileName("///")).toBe("policy.json");
  });
});

describe("stepOfWhere", () => {
  it.each([
    ["trust", 2],
    ["inline:ReadBucket", 3],
    ["managed:arn:aws:iam::aws:policy/ReadOnlyAccess", 3],
    ["source:222222222222", null],
    ["role", null],
  ] as const)("%s → step %s", (where, step) => {
    expect(stepOfWhere(where)).toBe(step);
  });
});
