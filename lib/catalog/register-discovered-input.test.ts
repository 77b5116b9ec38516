// Discover's register input at the edge: the chosen roles, each with the ExternalId its trust
// policy requires, bounded like every other ExternalId (lib/catalog/schemas.ts).
import { describe, expect, it } from "vitest";
import { registerDiscoveredInput } from "./schemas";

const ARN = "arn:aws:iam::111111111111:role/ThirdPartyAuditor";
const OTHER = "arn:aws:iam::111111111111:role/ReadOnly";

const issues = (value: unknown) => {
  const parsed = registerDiscoveredInput.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("registerDiscoveredInput", () => {
  it("takes roles alone, or with an ExternalId for some of them", () => {
    expect(registerDiscoveredInput.parse({ accountRef: "111111111111", roleArns: [OTHER] })).toEqual({ accountRef: "111111111111", roleArns: [OTHER] });
    expect(registerDiscoveredInput.parse({ accountRef: "111111111111", roleArns: [ARN, OTHER], externalIds: { [ARN]: " switchboard-demo-7f3a9c2e " } })).toEqual({
      accountRef: "111111111111",
      roleArns: [ARN, OTHER],
      externalIds: { [ARN]: "switchboard-demo-7f3a9c2e" },
    });
  });

  it.each([
    ["an ExternalId with a space", { [ARN]: "has space" }, `externalIds.${ARN}: An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)`],
    ["a one-character ExternalId", { [ARN]: "x" }, `externalIds.${ARN}: An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)`],
    ["an ExternalId over 1224 characters", { [ARN]: "a".repeat(1225) }, `externalIds.${ARN}: An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)`],
    ["an ExternalId for a role that is not chosen", { [OTHER]: "abc-123" }, "externalIds: An ExternalId is given for a role that is not chosen"],
  ])("refuses %s", (_, externalIds, message) => {
    expect(issues({ accountRef: "111111111111", roleArns: [ARN], externalIds })).toEqual([message]);
  });

  it("refuses a key that is not one of the chosen role ARNs", () => {
    expect(issues({ accountRef: "111111111111", roleArns: [ARN], externalIds: { "not-an-arn": "abc-123" } })).toEqual(["externalIds: An ExternalId is given for a role that is not chosen"]);
  });

  it("refuses fields it does not know and an empty choice", () => {
    expect(issues({ accountRef: "111111111111", roleArns: [ARN], extra: 1 }).join("\n")).toMatch(/extra/);
    expect(issues({ accountRef: "111111111111", roleArns: [] })).toEqual(["roleArns: Choose at least one role"]);
  });
});
