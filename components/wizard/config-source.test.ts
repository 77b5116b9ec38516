import { describe, expect, it } from "vitest";
import type { TrustedPrincipalCheck } from "@/lib/provision/trusted-principal-source";
import { defaultConfigSource } from "./config-source";

const role = (name: string, credentialSource: "Ec2InstanceMetadata" | "EcsContainer" | null): TrustedPrincipalCheck => ({
  principal: `arn:aws:iam::222222222222:role/${name}`,
  status: "checked",
  roleName: name,
  credentialSource,
  service: credentialSource === "Ec2InstanceMetadata" ? "ec2.amazonaws.com" : credentialSource === "EcsContainer" ? "ecs-tasks.amazonaws.com" : null,
});
const unchecked = (name: string): TrustedPrincipalCheck => ({ principal: `arn:aws:iam::444444444444:role/${name}`, status: "unchecked", roleName: name, reason: `Account 444444444444 is not registered in the console, so it could not check what role ${name} trusts.` });

describe("defaultConfigSource", () => {
  it("is source_profile without trusted roles, or when none is an instance or task role", () => {
    expect(defaultConfigSource([])).toEqual({ choice: "source_profile", reason: null, unchecked: [] });
    expect(defaultConfigSource([role("people", null)])).toEqual({ choice: "source_profile", reason: null, unchecked: [] });
  });

  it("takes the first instance or task role in the trust's order, and says why", () => {
    expect(defaultConfigSource([role("people", null), role("app-server", "Ec2InstanceMetadata"), role("batch", "EcsContainer")])).toEqual({
      choice: "Ec2InstanceMetadata",
      reason: "Role app-server is an EC2 instance role (it trusts ec2.amazonaws.com), so code using this profile runs there.",
      unchecked: [],
    });
    expect(defaultConfigSource([role("batch", "EcsContainer")]).reason).toBe("Role batch is an ECS task role (it trusts ecs-tasks.amazonaws.com), so code using this profile runs there.");
  });

  it("keeps source_profile when a role could not be checked, and says which", () => {
    expect(defaultConfigSource([unchecked("elsewhere")])).toEqual({
      choice: "source_profile",
      reason: null,
      unchecked: ["Account 444444444444 is not registered in the console, so it could not check what role elsewhere trusts."],
    });
  });
});
