// A switch refused by the organization's SCPs or RCPs, explained by name, end to end below the
// UI: the real store (SQLite), the real sandbox over HTTP, the real SDK. The console's broker
// lives here in the Test account — a member account, so SCPs apply to it — and reads the
// organization as a delegated administrator (the management account's delegation policy).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs-policy-delegate.html
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeleteResourcePolicyCommand,
  DetachPolicyCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  PutResourcePolicyCommand,
} from "@aws-sdk/client-organizations";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { SEED_SCP } from "@/sandbox/core/seed";
import { DEV, OPS, PROD, roleArn, session, TEST } from "@/sandbox/iam-test-support";
import { startTestSandbox, type Creds } from "@/sandbox/testing";

const t = await startTestSandbox();
const BROKER_ARN = `arn:aws:iam::${TEST}:user/switchboard`;
const orgAdmin = t.organizations(await session(t, roleArn(OPS, "OrganizationAccountAccessRole"), "org-admin"));
const rootId = t.seed.organization.rootId;
const DELEGATION = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "ReadForTheConsole", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TEST}:root` }, Action: ["organizations:Describe*", "organizations:List*"], Resource: "*" }],
});

/** The broker as README's policy has it, in the Test account. */
async function testAccountBroker(): Promise<Creds> {
  const iam = t.iam(await session(t, roleArn(TEST, "OrganizationAccountAccessRole"), "setup"));
  await iam.send(new CreateUserCommand({ UserName: "switchboard" }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: "switchboard",
      PolicyName: "switchboard-broker",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], Resource: "arn:aws:iam::*:role/*" },
          {
            Effect: "Allow",
            Action: ["organizations:DescribeOrganization", "organizations:DescribeAccount", "organizations:ListParents", "organizations:DescribeOrganizationalUnit", "organizations:ListPoliciesForTarget", "organizations:DescribePolicy"],
            Resource: "*",
          },
        ],
      }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "switchboard" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** A role trusting the Test account's broker, as the console's trust statement reads. */
async function roleForTheBroker(account: string, name: string): Promise<void> {
  const iam = t.iam(await session(t, roleArn(account, "OrganizationAccountAccessRole"), "setup"));
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: BROKER_ARN }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] }] };
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
}

await orgAdmin.send(new PutResourcePolicyCommand({ Content: DELEGATION }));
const broker = await testAccountBroker();
await roleForTheBroker(PROD, "ForTestBroker");
await roleForTheBroker(DEV, "ForTestBroker");
await roleForTheBroker(DEV, "LockedForTestBroker");
configureForSandbox({ ...t, broker }, "explain-organization");
const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { testRole } = await import("./test-role");

const meta = { requestId: "req-explain-organization", ip: "198.51.100.7", userAgent: "vitest" };
let admin: Actor;
const roles = { production: "", development: "", locked: "" };

beforeAll(async () => {
  const db = await getDb();
  const id = newId();
  const now = new Date().toISOString();
  await db.insertInto("users").values({ id, email: "ada@example.com", name: "ada", role: "admin", password_hash: null, created_at: now, updated_at: now }).execute();
  admin = testActor({ id, email: "ada@example.com", name: "ada", role: "admin" });
  await createAccount(admin, { accountId: PROD, name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: DEV, name: "Development", environment: "development" }, meta);
  roles.production = (await registerRole(admin, { accountId: PROD, roleName: "ForTestBroker" }, meta)).id;
  roles.development = (await registerRole(admin, { accountId: DEV, roleName: "ForTestBroker" }, meta)).id;
  roles.locked = (await registerRole(admin, { accountId: DEV, roleName: "LockedForTestBroker" }, meta)).id;
});

async function refused(roleId: string) {
  const result = await testRole(admin, roleId, meta);
  if (result.ok) throw new Error("expected the switch to be refused");
  expect(result.code).toBe("aws_denied");
  expect(result.message).toBe(result.explanation?.summary);
  return result.explanation!;
}

async function policyId(name: string, filter: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY"): Promise<string> {
  const { Policies } = await orgAdmin.send(new ListPoliciesCommand({ Filter: filter }));
  return Policies!.find((p) => p.Name === name)!.Id!;
}

describe("a switch refused by a service control policy", () => {
  it("names the seeded SCP that keeps the Test account out of Production, and the account it is attached to", async () => {
    const explanation = await refused(roles.production);
    expect(explanation.kind).toBe("service-control-policy");
    expect(explanation.organizationPolicy).toEqual({
      type: "SERVICE_CONTROL_POLICY",
      target: { id: TEST, type: "ACCOUNT", name: "Test" },
      policy: { id: await policyId(SEED_SCP.name, "SERVICE_CONTROL_POLICY"), name: SEED_SCP.name, statement: "DenyAssumeRoleIntoProduction" },
    });
    expect(explanation.summary).toMatch(new RegExp(`^The service control policy ${SEED_SCP.name} \\(p-[0-9a-z]{10}\\), attached to the account Test \\(${TEST}\\), denies sts:AssumeRole on ${roleArn(PROD, "ForTestBroker")}`));
  });

  it("says at which OU no SCP allows the switch, and the statement that would", async () => {
    const { OrganizationalUnits } = await orgAdmin.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    const nonProduction = OrganizationalUnits!.find((ou) => ou.Name === "NonProduction")!.Id!;
    const { Policy } = await orgAdmin.send(
      // Reads only; the broker's own reads of the organization are capped by its SCPs too.
      new CreatePolicyCommand({
        Name: "AllowReadsOnly",
        Description: "",
        Type: "SERVICE_CONTROL_POLICY",
        Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sts:GetCallerIdentity", "organizations:Describe*", "organizations:List*"], Resource: "*" }] }),
      }),
    );
    await orgAdmin.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id, TargetId: nonProduction }));
    await orgAdmin.send(new DetachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: nonProduction }));
    try {
      const explanation = await refused(roles.development);
      expect(explanation.kind).toBe("service-control-policy");
      expect(explanation.organizationPolicy).toEqual({ type: "SERVICE_CONTROL_POLICY", target: { id: nonProduction, type: "ORGANIZATIONAL_UNIT", name: "NonProduction" } });
      expect(explanation.fix).toEqual({
        where: `a service control policy attached to the OU NonProduction (${nonProduction})`,
        statement: { Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn(DEV, "ForTestBroker") },
      });
    } finally {
      await orgAdmin.send(new AttachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: nonProduction }));
    }
    expect(await testRole(admin, roles.development, meta)).toMatchObject({ ok: true });
  });
});

describe("a switch refused by a resource control policy", () => {
  it("names the RCP on the role's account", async () => {
    const { Policy } = await orgAdmin.send(
      new CreatePolicyCommand({
        Name: "LockRoles",
        Description: "",
        Type: "RESOURCE_CONTROL_POLICY",
        Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "NoLockedRoles", Effect: "Deny", Principal: "*", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/Locked*" }] }),
      }),
    );
    await orgAdmin.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id, TargetId: DEV }));
    const explanation = await refused(roles.locked);
    expect(explanation.kind).toBe("resource-control-policy");
    expect(explanation.organizationPolicy).toEqual({
      type: "RESOURCE_CONTROL_POLICY",
      target: { id: DEV, type: "ACCOUNT", name: "Development" },
      policy: { id: Policy!.PolicySummary!.Id, name: "LockRoles", statement: "NoLockedRoles" },
    });
  });
});

describe("a broker that cannot read the organization", () => {
  it("gets the explanation it had before: nothing about SCPs is made up", async () => {
    await orgAdmin.send(new DeleteResourcePolicyCommand({}));
    const explanation = await refused(roles.production);
    expect(explanation.kind).not.toBe("service-control-policy");
    expect(explanation.organizationPolicy).toBeUndefined();
    expect(explanation.summary).not.toContain(SEED_SCP.name);
  });
});
