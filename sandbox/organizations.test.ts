// AWS Organizations' tree and its service control and resource control policies, through the
// real SDK: the API's shapes and errors, who may call it, and how SCPs and RCPs take part in the
// decision on every call, as AWS's evaluation logic has it:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import { CreateRoleCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DeleteResourcePolicyCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  MoveAccountCommand,
  PutResourcePolicyCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetAccessKeyInfoCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_SCP } from "./core/seed";
import { adminIam, DEV, failure, OPS, PROD, roleArn, session, sessionArn, TEST, trusting, trustPolicy } from "./iam-test-support";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
/** AdministratorAccess in the management account (its provisioning role), which may call every
 * Organizations operation; the broker itself may only read. */
let orgAdmin: OrganizationsClient;
let rootId: string;
beforeAll(async () => {
  t = await startTestSandbox();
  orgAdmin = t.organizations(await session(t, roleArn(OPS, "OrganizationAccountAccessRole"), "org-admin"));
  rootId = t.seed.organization.rootId;
});
afterAll(async () => {
  await t?.close();
});

const scp = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ids = (list: Array<{ Id?: string }> | undefined) => (list ?? []).map((x) => x.Id);
const names = (list: Array<{ Name?: string }> | undefined) => (list ?? []).map((x) => x.Name);

async function createPolicy(name: string, type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY", content: string): Promise<string> {
  const out = await orgAdmin.send(new CreatePolicyCommand({ Name: name, Description: `${name} (test)`, Type: type, Content: content }));
  return out.Policy!.PolicySummary!.Id!;
}

const attach = (policyId: string, targetId: string) => orgAdmin.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
const detach = (policyId: string, targetId: string) => orgAdmin.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));

const denied = (caller: string, action: string, resource: string, why: string) => ({
  name: "AccessDenied",
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  status: 403,
});

/** A member account of its own (in the root, with the default policies, as one that joins) and
 * an AdministratorAccess session in it, so a test's policies touch no other test's accounts. */
async function memberAccount(id: string, name: string): Promise<{ id: string; admin: Creds; arn: string }> {
  await t.admin.request("POST", "accounts", { id, name });
  const admin = await session(t, roleArn(id, "OrganizationAccountAccessRole"), "member-admin");
  return { id, admin, arn: sessionArn(id, "OrganizationAccountAccessRole", "member-admin") };
}

describe("the seeded tree", () => {
  it("has one root with SCPs and RCPs enabled, the OUs Production and NonProduction, and Operations in the root", async () => {
    const { Roots } = await orgAdmin.send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      {
        Id: rootId,
        Arn: `arn:aws:organizations::${OPS}:root/${t.seed.organization.id}/${rootId}`,
        Name: "Root",
        PolicyTypes: [
          { Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" },
          { Type: "RESOURCE_CONTROL_POLICY", Status: "ENABLED" },
        ],
      },
    ]);
    expect(rootId).toMatch(/^r-[0-9a-z]{4}$/);
    const { OrganizationalUnits: ous } = await orgAdmin.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    expect(names(ous)).toEqual(["NonProduction", "Production"]);
    for (const ou of ous!) {
      expect(ou.Id).toMatch(new RegExp(`^ou-${rootId.slice(2)}-[0-9a-z]{8}$`));
      expect(ou.Path).toBe(`${t.seed.organization.id}/${rootId}/${ou.Id}/`);
    }
    const nonProduction = ous!.find((o) => o.Name === "NonProduction")!.Id!;
    const { Children } = await orgAdmin.send(new ListChildrenCommand({ ParentId: nonProduction, ChildType: "ACCOUNT" }));
    expect(Children).toEqual([
      { Id: DEV, Type: "ACCOUNT" },
      { Id: TEST, Type: "ACCOUNT" },
    ]);
    expect((await orgAdmin.send(new ListParentsCommand({ ChildId: TEST }))).Parents).toEqual([{ Id: nonProduction, Type: "ORGANIZATIONAL_UNIT" }]);
    expect((await orgAdmin.send(new ListParentsCommand({ ChildId: nonProduction }))).Parents).toEqual([{ Id: rootId, Type: "ROOT" }]);
    expect((await orgAdmin.send(new ListParentsCommand({ ChildId: OPS }))).Parents).toEqual([{ Id: rootId, Type: "ROOT" }]);
    const { OrganizationalUnit } = await orgAdmin.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: nonProduction }));
    expect(OrganizationalUnit?.Arn).toBe(`arn:aws:organizations::${OPS}:ou/${t.seed.organization.id}/${nonProduction}`);
    const org = await orgAdmin.send(new DescribeOrganizationCommand({}));
    expect(org.Organization?.AvailablePolicyTypes?.map((p) => p.Type)).toEqual(["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]);
  });

  it("lists FullAWSAccess and the seeded SCP, RCPFullAWSAccess, and what is attached where", async () => {
    const scps = (await orgAdmin.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }))).Policies!;
    expect(scps[0]).toEqual({
      Id: "p-FullAWSAccess",
      Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
      Name: "FullAWSAccess",
      Description: "Allows access to every operation",
      Type: "SERVICE_CONTROL_POLICY",
      AwsManaged: true,
    });
    const seeded = scps.find((p) => p.Name === SEED_SCP.name)!;
    expect(seeded.Id).toMatch(/^p-[0-9a-z]{10}$/);
    expect(seeded.Arn).toBe(`arn:aws:organizations::${OPS}:policy/${t.seed.organization.id}/service_control_policy/${seeded.Id}`);
    expect(seeded.AwsManaged).toBe(false);
    const rcps = (await orgAdmin.send(new ListPoliciesCommand({ Filter: "RESOURCE_CONTROL_POLICY" }))).Policies!;
    expect(ids(rcps)).toEqual(["p-RCPFullAWSAccess"]);
    expect(rcps[0]?.Arn).toBe("arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess");

    const onTest = await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: TEST, Filter: "SERVICE_CONTROL_POLICY" }));
    expect(names(onTest.Policies)).toEqual(["FullAWSAccess", SEED_SCP.name]);
    for (const target of [rootId, PROD, DEV, OPS]) {
      const out = await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: "SERVICE_CONTROL_POLICY" }));
      expect(names(out.Policies)).toEqual(["FullAWSAccess"]);
      const rcp = await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: "RESOURCE_CONTROL_POLICY" }));
      expect(names(rcp.Policies)).toEqual(["RCPFullAWSAccess"]);
    }
    const { Policy } = await orgAdmin.send(new DescribePolicyCommand({ PolicyId: seeded.Id }));
    expect(JSON.parse(Policy!.Content!)).toEqual(JSON.parse(SEED_SCP.content));
    const { Targets } = await orgAdmin.send(new ListTargetsForPolicyCommand({ PolicyId: seeded.Id }));
    expect(Targets).toEqual([{ TargetId: TEST, Arn: `arn:aws:organizations::${OPS}:account/${t.seed.organization.id}/${TEST}`, Name: "Test", Type: "ACCOUNT" }]);
  });
});

describe("the seeded SCP: principals in Test may not assume roles in Production", () => {
  it("refuses a Test principal with an explicit deny in a service control policy, and lets it into Development", async () => {
    const prod = await adminIam(t, PROD);
    await prod.send(new CreateRoleCommand({ RoleName: "ReachableFromTest", AssumeRolePolicyDocument: trustPolicy(trusting(`arn:aws:iam::${TEST}:root`)) }));
    const dev = await adminIam(t, DEV);
    await dev.send(new CreateRoleCommand({ RoleName: "ReachableFromTest", AssumeRolePolicyDocument: trustPolicy(trusting(`arn:aws:iam::${TEST}:root`)) }));
    const testAdmin = await session(t, roleArn(TEST, "OrganizationAccountAccessRole"), "tester");
    const since = await t.admin.lastSeq();
    expect(await failure(t.sts(testAdmin).send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, "ReachableFromTest"), RoleSessionName: "xt" })))).toEqual(
      denied(sessionArn(TEST, "OrganizationAccountAccessRole", "tester"), "sts:AssumeRole", roleArn(PROD, "ReachableFromTest"), "with an explicit deny in a service control policy"),
    );
    const [call] = await t.admin.calls({ since, action: "AssumeRole" });
    expect(call?.detail.denyOrganizationPolicy).toBe("SERVICE_CONTROL_POLICY");
    const into = await t.sts(testAdmin).send(new AssumeRoleCommand({ RoleArn: roleArn(DEV, "ReachableFromTest"), RoleSessionName: "xt" }));
    expect(into.AssumedRoleUser?.Arn).toBe(sessionArn(DEV, "ReachableFromTest", "xt"));
  });

  it("leaves Development's developer and the broker (in the management account) their ways into Production", async () => {
    const dev = await t.sts(t.developer).send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, "delegate_read_my_bucket"), RoleSessionName: "dev" }));
    expect(dev.AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "delegate_read_my_bucket", "dev"));
    const broker = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, "ReadOnly"), RoleSessionName: "ops" }));
    expect(broker.AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "ReadOnly", "ops"));
  });
});

describe("SCP evaluation", () => {
  it("needs an allow at every level: without one at the OU the call is refused, with an explicit deny too, and detaching restores it", async () => {
    const member = await memberAccount("555555555555", "ScpLevels");
    const iam = t.iam(member.admin);
    const listRoles = () => iam.send(new ListRolesCommand({}));
    // FullAWSAccess at the root and on the account: allowed.
    expect((await listRoles()).Roles?.map((r) => r.RoleName)).toContain("OrganizationAccountAccessRole");

    const { OrganizationalUnit: ou } = await orgAdmin.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "StsOnly" }));
    expect(names((await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: ou!.Id, Filter: "SERVICE_CONTROL_POLICY" }))).Policies)).toEqual(["FullAWSAccess"]);
    await orgAdmin.send(new MoveAccountCommand({ AccountId: member.id, SourceParentId: rootId, DestinationParentId: ou!.Id }));
    const stsOnly = await createPolicy("AllowStsOnly", "SERVICE_CONTROL_POLICY", scp({ Effect: "Allow", Action: "sts:*", Resource: "*" }));
    await attach(stsOnly, ou!.Id!);
    await detach("p-FullAWSAccess", ou!.Id!);
    expect(await failure(listRoles())).toEqual(
      denied(member.arn, "iam:ListRoles", `arn:aws:iam::${member.id}:role/`, "because no service control policy allows the iam:ListRoles action"),
    );
    // STS actions are allowed at every level: the root and the account by FullAWSAccess, the OU by AllowStsOnly.
    expect((await t.sts(member.admin).send(new GetAccessKeyInfoCommand({ AccessKeyId: member.admin.accessKeyId }))).Account).toBe(member.id);

    await attach("p-FullAWSAccess", ou!.Id!);
    expect((await listRoles()).Roles).toBeDefined();
    const denyList = await createPolicy("DenyListRoles", "SERVICE_CONTROL_POLICY", scp({ Sid: "NoListing", Effect: "Deny", Action: "iam:List*", Resource: "*" }));
    await attach(denyList, member.id);
    expect(await failure(listRoles())).toEqual(
      denied(member.arn, "iam:ListRoles", `arn:aws:iam::${member.id}:role/`, "with an explicit deny in a service control policy"),
    );
    await detach(denyList, member.id);
    expect((await listRoles()).Roles).toBeDefined();
  });

  it("does not apply to the management account: a deny of everything at the root stops member accounts, not the broker", async () => {
    const member = await memberAccount("555555555556", "ScpRoot");
    const denyAll = await createPolicy("DenyEverything", "SERVICE_CONTROL_POLICY", scp({ Effect: "Deny", Action: "*", Resource: "*" }));
    await attach(denyAll, rootId);
    try {
      const out = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, "ReadOnly"), RoleSessionName: "exempt" }));
      expect(out.AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "ReadOnly", "exempt"));
      expect((await t.iam(await session(t, roleArn(OPS, "OrganizationAccountAccessRole"))).send(new ListRolesCommand({}))).Roles).toBeDefined();
      expect(await failure(t.iam(member.admin).send(new ListRolesCommand({})))).toEqual(
        denied(member.arn, "iam:ListRoles", `arn:aws:iam::${member.id}:role/`, "with an explicit deny in a service control policy"),
      );
    } finally {
      await detach(denyAll, rootId);
    }
    expect((await t.iam(member.admin).send(new ListRolesCommand({}))).Roles).toBeDefined();
  });
});

describe("RCP evaluation", () => {
  it("is evaluated for the role's account: denies AssumeRole into a member account's role, even for the broker, never into the management account's", async () => {
    const member = await memberAccount("555555555557", "RcpTarget");
    const trustOps = trustPolicy(trusting(`arn:aws:iam::${OPS}:root`));
    await t.iam(member.admin).send(new CreateRoleCommand({ RoleName: "LockedRole", AssumeRolePolicyDocument: trustOps }));
    const opsIam = t.iam(await session(t, roleArn(OPS, "OrganizationAccountAccessRole")));
    await opsIam.send(new CreateRoleCommand({ RoleName: "LockedRole", AssumeRolePolicyDocument: trustOps }));
    const rcp = await createPolicy(
      "LockRoles",
      "RESOURCE_CONTROL_POLICY",
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "NoLockedRoles", Effect: "Deny", Principal: "*", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/Locked*" }] }),
    );
    await attach(rcp, rootId);
    const assume = (account: string) => t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(account, "LockedRole"), RoleSessionName: "rcp" }));
    try {
      expect(await failure(assume(member.id))).toEqual(
        denied(`arn:aws:iam::${OPS}:user/switchboard`, "sts:AssumeRole", roleArn(member.id, "LockedRole"), "with an explicit deny in a resource control policy"),
      );
      // Resources in the management account are outside RCPs.
      expect((await assume(OPS)).AssumedRoleUser?.Arn).toBe(sessionArn(OPS, "LockedRole", "rcp"));

      // Disabling RCPs detaches every RCP; enabling them again attaches only RCPFullAWSAccess.
      await orgAdmin.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: "RESOURCE_CONTROL_POLICY" }));
      expect((await assume(member.id)).AssumedRoleUser?.Arn).toBe(sessionArn(member.id, "LockedRole", "rcp"));
      expect(await failure(attach(rcp, rootId))).toEqual({
        name: "PolicyTypeNotEnabledException",
        message:
          "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
        status: 400,
      });
    } finally {
      const { Root } = await orgAdmin.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: "RESOURCE_CONTROL_POLICY" })).catch(async () => ({ Root: undefined }));
      if (Root) expect(Root.PolicyTypes?.map((p) => p.Type)).toContain("RESOURCE_CONTROL_POLICY");
    }
    expect(names((await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: member.id, Filter: "RESOURCE_CONTROL_POLICY" }))).Policies)).toEqual(["RCPFullAWSAccess"]);
    expect((await orgAdmin.send(new ListTargetsForPolicyCommand({ PolicyId: rcp }))).Targets).toEqual([]);
  });
});

describe("the API's refusals, in AWS's terms", () => {
  it("refuses a malformed SCP or RCP, a duplicate name, and an RCP that allows", async () => {
    const malformed = (type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY", content: string) =>
      failure(orgAdmin.send(new CreatePolicyCommand({ Name: `bad-${Math.random()}`, Description: "", Type: type, Content: content })));
    expect(await malformed("SERVICE_CONTROL_POLICY", "{not json")).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    expect(await malformed("SERVICE_CONTROL_POLICY", scp({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }))).toMatchObject({
      name: "MalformedPolicyDocumentException",
    });
    const allowRcp = await malformed("RESOURCE_CONTROL_POLICY", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] }));
    expect(allowRcp.name).toBe("MalformedPolicyDocumentException");
    expect(allowRcp.message).toMatch(/^The provided policy document doesn't meet the requirements of the specified policy type: an RCP may only deny/);
    await createPolicy("Unique", "SERVICE_CONTROL_POLICY", scp({ Effect: "Deny", Action: "s3:*", Resource: "*" }));
    expect(await failure(createPolicy("Unique", "SERVICE_CONTROL_POLICY", scp({ Effect: "Deny", Action: "s3:*", Resource: "*" })))).toEqual({
      name: "DuplicatePolicyException",
      message: "A policy with the same name already exists.",
      status: 400,
    });
  });

  it("refuses attachments that do not exist, are already there, or would leave no SCP", async () => {
    const deny = await createPolicy("DenyForErrors", "SERVICE_CONTROL_POLICY", scp({ Effect: "Deny", Action: "ec2:*", Resource: "*" }));
    expect(await failure(attach("p-doesnotexist", DEV))).toEqual({ name: "PolicyNotFoundException", message: "We can't find a policy with the PolicyId that you specified.", status: 400 });
    expect(await failure(attach(deny, "999999999999"))).toEqual({
      name: "TargetNotFoundException",
      message: "We can't find a root, OU, account, or policy with the TargetId that you specified.",
      status: 400,
    });
    expect(await failure(attach("p-FullAWSAccess", DEV))).toEqual({
      name: "DuplicatePolicyAttachmentException",
      message: "The selected policy is already attached to the specified target.",
      status: 400,
    });
    expect(await failure(detach(deny, DEV))).toEqual({ name: "PolicyNotAttachedException", message: "The policy isn't attached to the specified target in the specified root.", status: 400 });
    const last = await detach("p-FullAWSAccess", DEV).catch((e: Error & { Reason?: string }) => e);
    expect(last).toMatchObject({ name: "ConstraintViolationException", Reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" });
    const rcp = await detach("p-RCPFullAWSAccess", DEV).catch((e: Error & { Reason?: string }) => e);
    expect(rcp).toMatchObject({ name: "InvalidInputException", message: "You can't detach this AWS Managed Policy.", Reason: "NON_DETACHABLE_POLICY" });
    await attach(deny, DEV);
    expect(await failure(orgAdmin.send(new DeletePolicyCommand({ PolicyId: deny })))).toMatchObject({ name: "PolicyInUseException" });
    await detach(deny, DEV);
    await orgAdmin.send(new DeletePolicyCommand({ PolicyId: deny }));
    expect(await failure(orgAdmin.send(new DescribePolicyCommand({ PolicyId: deny })))).toMatchObject({ name: "PolicyNotFoundException" });
    expect(await failure(orgAdmin.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Production" })))).toEqual({
      name: "DuplicateOrganizationalUnitException",
      message: "An OU with the same name already exists.",
      status: 400,
    });
    expect(await failure(orgAdmin.send(new MoveAccountCommand({ AccountId: OPS, SourceParentId: rootId, DestinationParentId: rootId })))).toMatchObject({
      name: "DuplicateAccountException",
    });
  });

  it("lets only the management account, with the permission, manage policies; a member account reads only as a delegated administrator", async () => {
    const accessDenied = { name: "AccessDeniedException", message: "You don't have permissions to access this resource.", status: 400 };
    // The broker is in the management account but may only read accounts and policies.
    expect(await failure(t.organizations(t.broker).send(new CreatePolicyCommand({ Name: "x", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: scp({ Effect: "Deny", Action: "s3:*", Resource: "*" }) })))).toEqual(accessDenied);
    expect((await t.organizations(t.broker).send(new ListPoliciesForTargetCommand({ TargetId: TEST, Filter: "SERVICE_CONTROL_POLICY" }))).Policies).toHaveLength(2);
    // A member account, even with AdministratorAccess, until the delegation policy names it.
    const member = t.organizations(await session(t, roleArn(DEV, "OrganizationAccountAccessRole"), "delegate"));
    const read = () => member.send(new ListPoliciesForTargetCommand({ TargetId: TEST, Filter: "SERVICE_CONTROL_POLICY" }));
    expect(await failure(read())).toEqual(accessDenied);
    expect(await failure(member.send(new ListRootsCommand({})))).toEqual(accessDenied);
    await orgAdmin.send(
      new PutResourcePolicyCommand({
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "Readers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: ["organizations:Describe*", "organizations:List*"], Resource: "*" }],
        }),
      }),
    );
    try {
      expect(names((await read()).Policies)).toEqual(["FullAWSAccess", SEED_SCP.name]);
      expect(await failure(member.send(new CreatePolicyCommand({ Name: "y", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: scp({ Effect: "Deny", Action: "s3:*", Resource: "*" }) })))).toEqual(accessDenied);
      expect(await failure(member.send(new PutResourcePolicyCommand({ Content: "{}" })))).toEqual(accessDenied);
      // Test is named nowhere in the delegation policy.
      const test = t.organizations(await session(t, roleArn(TEST, "OrganizationAccountAccessRole"), "not-delegated"));
      expect(await failure(test.send(new ListRootsCommand({})))).toEqual(accessDenied);
    } finally {
      await orgAdmin.send(new DeleteResourcePolicyCommand({}));
    }
    expect(await failure(read())).toEqual(accessDenied);
  });
});

describe("accounts that join later", () => {
  it("land in the root with FullAWSAccess and RCPFullAWSAccess", async () => {
    const member = await memberAccount("555555555558", "Joiner");
    expect((await orgAdmin.send(new ListParentsCommand({ ChildId: member.id }))).Parents).toEqual([{ Id: rootId, Type: "ROOT" }]);
    const scps = await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: member.id, Filter: "SERVICE_CONTROL_POLICY" }));
    expect(names(scps.Policies)).toEqual(["FullAWSAccess"]);
    const rcps = await orgAdmin.send(new ListPoliciesForTargetCommand({ TargetId: member.id, Filter: "RESOURCE_CONTROL_POLICY" }));
    expect(names(rcps.Policies)).toEqual(["RCPFullAWSAccess"]);
    const creds = credsOf(await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(member.id, "OrganizationAccountAccessRole"), RoleSessionName: "joiner" })));
    expect((await t.iam(creds).send(new ListRolesCommand({}))).Roles).toBeDefined();
  });
});
