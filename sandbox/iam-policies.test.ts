// IAM policies against the sandbox with the real @aws-sdk/client-iam: inline role policies,
// customer-managed policies and their versions, AWS-managed policies, attachments and the
// quotas on all of them.
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  type IAMClient,
  type ListPoliciesCommandInput,
  type Policy,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminIam,
  allow,
  awsPolicy,
  BROKER_ARN,
  decoded,
  DEV,
  failure,
  notAuthorized,
  policyDocument,
  PROD,
  roleArn,
  session,
  sessionArn,
  trusting,
  trustPolicy,
} from "./iam-test-support";
import { startTestSandbox, type TestSandbox } from "./testing";

let t: TestSandbox;
let admin: IAMClient;
beforeAll(async () => {
  t = await startTestSandbox();
  admin = await adminIam(t, PROD);
});
afterAll(async () => {
  await t?.close();
});

const localPolicy = (name: string, path = "/") => `arn:aws:iam::${PROD}:policy${path}${name}`;
const createRole = (name: string) =>
  admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy(trusting(BROKER_ARN)) }));
const createPolicy = async (name: string, document = policyDocument([allow("s3:GetObject", "arn:aws:s3:::bucket/*")]), path?: string) =>
  (await admin.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document, Path: path }))).Policy!;
const getPolicy = async (arn: string, client = admin): Promise<Policy> => (await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;

/** A policy of about `size` characters, none of them whitespace. */
const policyOfSize = (size: number) => {
  const base = policyDocument([allow("s3:GetObject", "arn:aws:s3:::")]);
  return policyDocument([allow("s3:GetObject", `arn:aws:s3:::${"b".repeat(size - base.length)}`)]);
};

describe("Inline role policies", () => {
  beforeAll(async () => {
    await createRole("inline-holder");
  });

  it("puts, gets (URL-encoded), lists and deletes an inline policy", async () => {
    const document = JSON.stringify(JSON.parse(policyDocument([allow(["s3:ListBucket", "s3:GetObject"], ["arn:aws:s3:::a b", "arn:aws:s3:::a b/*"])])), null, 2);
    await admin.send(new PutRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "read-bucket", PolicyDocument: document }));
    const got = await admin.send(new GetRolePolicyCommand({ RoleName: "INLINE-HOLDER", PolicyName: "read-bucket" }));
    expect(got).toMatchObject({ RoleName: "inline-holder", PolicyName: "read-bucket" });
    expect(got.PolicyDocument).toBe(encodeURIComponent(document));
    expect(decoded(got.PolicyDocument)).toBe(document);
    expect((await admin.send(new ListRolePoliciesCommand({ RoleName: "inline-holder" }))).PolicyNames).toEqual(["read-bucket"]);

    await admin.send(new DeleteRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "read-bucket" }));
    expect((await admin.send(new ListRolePoliciesCommand({ RoleName: "inline-holder" }))).PolicyNames).toEqual([]);
    expect(await failure(admin.send(new GetRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "read-bucket" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The role policy with name read-bucket cannot be found.",
      status: 404,
    });
    expect(await failure(admin.send(new DeleteRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "read-bucket" })))).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
  });

  it("replaces a policy put again under the same name", async () => {
    const put = (document: string) => admin.send(new PutRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "same", PolicyDocument: document }));
    await put(policyDocument([allow("s3:GetObject")]));
    const second = policyDocument([allow("s3:PutObject")]);
    await put(second);
    const names = (await admin.send(new ListRolePoliciesCommand({ RoleName: "inline-holder" }))).PolicyNames;
    expect(names).toEqual(["same"]);
    expect(decoded((await admin.send(new GetRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "same" }))).PolicyDocument)).toBe(second);
  });

  it("grants what it says to the role's sessions", async () => {
    await createRole("lister");
    const lister = t.iam(await session(t, roleArn(PROD, "lister"), "lister"));
    expect(await failure(lister.send(new ListRolesCommand({})))).toEqual(notAuthorized(sessionArn(PROD, "lister", "lister"), "iam:ListRoles", `arn:aws:iam::${PROD}:role/`));
    await admin.send(new PutRolePolicyCommand({ RoleName: "lister", PolicyName: "list", PolicyDocument: policyDocument([allow("iam:ListRoles")]) }));
    expect((await lister.send(new ListRolesCommand({}))).Roles?.length).toBeGreaterThan(0);
  });

  it("refuses identity-policy documents that break the grammar", async () => {
    const put = (document: string) =>
      failure(admin.send(new PutRolePolicyCommand({ RoleName: "inline-holder", PolicyName: "bad", PolicyDocument: document })));
    expect(await put(policyDocument([{ ...allow("s3:GetObject"), Principal: { AWS: BROKER_ARN } }]))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Policy document should not specify a principal.",
      status: 400,
    });
    expect(await put(policyDocument([{ Effect: "Allow", Action: "s3:GetObject" }]))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Policy statement must contain resources.",
      status: 400,
    });
  });

  it("keeps all inline policies of a role within 10,240 characters, whitespace not counted", async () => {
    await createRole("inline-quota");
    const put = (name: string, document: string) =>
      admin.send(new PutRolePolicyCommand({ RoleName: "inline-quota", PolicyName: name, PolicyDocument: document }));
    await put("first", policyOfSize(6000));
    // Replacing a policy counts only its new version.
    await put("first", policyOfSize(6000));
    // Whitespace does not count: 6,000 + 4,200 characters fit, though 10,700 are sent.
    const spaced = `${" ".repeat(400)}${policyOfSize(4200)}\n${"\t".repeat(99)}`;
    await put("second", spaced);
    expect(await failure(put("third", policyOfSize(200)))).toEqual({
      name: "LimitExceededException",
      message: "Maximum policy size of 10240 bytes exceeded for role inline-quota",
      status: 409,
    });
  });

  it("answers NoSuchEntity for a missing role", async () => {
    const missing = { name: "NoSuchEntityException", message: "The role with name ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new PutRolePolicyCommand({ RoleName: "ghost", PolicyName: "p", PolicyDocument: policyDocument([allow("s3:*")]) })))).toEqual(
      missing,
    );
    expect(await failure(admin.send(new ListRolePoliciesCommand({ RoleName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new GetRolePolicyCommand({ RoleName: "ghost", PolicyName: "p" })))).toEqual(missing);
  });
});

describe("Customer-managed policies", () => {
  it("creates a policy and reads it back with GetPolicy", async () => {
    const created = (
      await admin.send(
        new CreatePolicyCommand({
          PolicyName: "s3-reader",
          Path: "/team/",
          Description: "Read the team bucket",
          PolicyDocument: policyDocument([allow("s3:GetObject", "arn:aws:s3:::team/*")]),
          Tags: [{ Key: "team", Value: "data" }],
        }),
      )
    ).Policy!;
    expect(created).toMatchObject({
      PolicyName: "s3-reader",
      Arn: localPolicy("s3-reader", "/team/"),
      Path: "/team/",
      DefaultVersionId: "v1",
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
    });
    expect(created.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(await getPolicy(created.Arn!)).toMatchObject({
      PolicyName: "s3-reader",
      PolicyId: created.PolicyId,
      Description: "Read the team bucket",
      Tags: [{ Key: "team", Value: "data" }],
      DefaultVersionId: "v1",
    });
  });

  it("refuses a second policy with the same name, whatever its path or case", async () => {
    await createPolicy("unique-name");
    expect(await failure(createPolicy("Unique-Name", undefined, "/other/"))).toEqual({
      name: "EntityAlreadyExistsException",
      message: "A policy called Unique-Name already exists. Duplicate names are not allowed.",
      status: 409,
    });
  });

  it("refuses malformed documents and documents over 6,144 characters", async () => {
    expect(await failure(createPolicy("malformed", policyDocument([{ Effect: "Allow", Action: "s3:GetObject" }])))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Policy statement must contain resources.",
      status: 400,
    });
    expect(await failure(createPolicy("too-big", policyOfSize(6145)))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for PolicySize: 6144",
      status: 409,
    });
    await createPolicy("just-fits", policyOfSize(6144));
  });

  it("answers NoSuchEntity for a policy that does not exist, or belongs to another account", async () => {
    for (const arn of [localPolicy("nope"), `arn:aws:iam::${DEV}:policy/s3-reader`]) {
      const missing = { name: "NoSuchEntityException", message: `Policy ${arn} was not found.`, status: 404 };
      expect(await failure(getPolicy(arn))).toEqual(missing);
      expect(await failure(admin.send(new ListPolicyVersionsCommand({ PolicyArn: arn })))).toEqual(missing);
      expect(await failure(admin.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })))).toEqual(missing);
      expect(await failure(admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDocument([allow("s3:*")]) })))).toEqual(missing);
      expect(await failure(admin.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })))).toEqual(missing);
    }
  });
});

describe("Policy versions", () => {
  const arn = localPolicy("versioned");
  const v = (n: number) => policyDocument([allow(`s3:GetObjectVersion${n}`)]);

  beforeAll(async () => {
    await createPolicy("versioned", v(1));
  });

  it("creates versions, optionally as the default, and reads each back", async () => {
    const v2 = (await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(2) }))).PolicyVersion;
    expect(v2).toMatchObject({ VersionId: "v2", IsDefaultVersion: false });
    const v3 = (await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(3), SetAsDefault: true }))).PolicyVersion;
    expect(v3).toMatchObject({ VersionId: "v3", IsDefaultVersion: true });
    expect((await getPolicy(arn)).DefaultVersionId).toBe("v3");

    const got = (await admin.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }))).PolicyVersion;
    expect(got).toMatchObject({ VersionId: "v1", IsDefaultVersion: false });
    expect(got?.Document).toBe(encodeURIComponent(v(1)));
    expect(decoded(got?.Document)).toBe(v(1));

    const listed = (await admin.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    expect(listed.map((x) => [x.VersionId, x.IsDefaultVersion])).toEqual([
      ["v1", false],
      ["v2", false],
      ["v3", true],
    ]);
    expect(listed.every((x) => x.Document === undefined)).toBe(true);
  });

  it("keeps at most five versions", async () => {
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(4) }));
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(5) }));
    expect(await failure(admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(6) })))).toEqual({
      name: "LimitExceededException",
      message: "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
      status: 409,
    });
  });

  it("deletes a version but never the default one", async () => {
    expect(await failure(admin.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" })))).toEqual({
      name: "DeleteConflictException",
      message: "Cannot delete the default version of a policy.",
      status: 409,
    });
    await admin.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    expect(await failure(admin.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })))).toEqual({
      name: "NoSuchEntityException",
      message: `Policy ${arn} version v1 does not exist or is not attachable.`,
      status: 404,
    });
    // Version numbers are not reused.
    const next = (await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v(6) }))).PolicyVersion;
    expect(next?.VersionId).toBe("v6");
  });

  it("applies the default version to the sessions of roles it is attached to", async () => {
    const arnOf = (await createPolicy("switchable", policyDocument([allow("iam:ListRoles")]))).Arn!;
    await createRole("switching");
    await admin.send(new AttachRolePolicyCommand({ RoleName: "switching", PolicyArn: arnOf }));
    const client = t.iam(await session(t, roleArn(PROD, "switching"), "switching"));
    await client.send(new ListRolesCommand({}));
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arnOf, PolicyDocument: policyDocument([allow("iam:GetRole")]), SetAsDefault: true }));
    expect(await failure(client.send(new ListRolesCommand({})))).toEqual(notAuthorized(sessionArn(PROD, "switching", "switching"), "iam:ListRoles", `arn:aws:iam::${PROD}:role/`));
  });
});

describe("Attaching managed policies to roles", () => {
  beforeAll(async () => {
    await createRole("attach-holder");
  });
  const attached = async (role: string, pathPrefix?: string) =>
    (await admin.send(new ListAttachedRolePoliciesCommand({ RoleName: role, PathPrefix: pathPrefix }))).AttachedPolicies;

  it("attaches AWS-managed and customer-managed policies, once each, and counts attachments per account", async () => {
    const mine = await createPolicy("attachable");
    for (const arn of [awsPolicy("job-function/ViewOnlyAccess"), mine.Arn!, mine.Arn!]) {
      await admin.send(new AttachRolePolicyCommand({ RoleName: "attach-holder", PolicyArn: arn }));
    }
    expect(await attached("attach-holder")).toEqual([
      { PolicyName: "attachable", PolicyArn: mine.Arn },
      { PolicyName: "ViewOnlyAccess", PolicyArn: awsPolicy("job-function/ViewOnlyAccess") },
    ]);
    expect(await attached("attach-holder", "/job-function/")).toEqual([
      { PolicyName: "ViewOnlyAccess", PolicyArn: awsPolicy("job-function/ViewOnlyAccess") },
    ]);
    expect((await getPolicy(mine.Arn!)).AttachmentCount).toBe(1);
    // AdministratorAccess: the seeded OrganizationAccountAccessRole and BreakGlassAdmin in
    // Production, only OrganizationAccountAccessRole in Development.
    expect((await getPolicy(awsPolicy("AdministratorAccess"))).AttachmentCount).toBe(2);
    expect((await getPolicy(awsPolicy("AdministratorAccess"), await adminIam(t, DEV))).AttachmentCount).toBe(1);
  });

  it("detaches, and answers NoSuchEntity for a policy that is not attached", async () => {
    const arn = awsPolicy("job-function/ViewOnlyAccess");
    await admin.send(new DetachRolePolicyCommand({ RoleName: "attach-holder", PolicyArn: arn }));
    expect((await attached("attach-holder"))?.map((p) => p.PolicyName)).toEqual(["attachable"]);
    expect(await failure(admin.send(new DetachRolePolicyCommand({ RoleName: "attach-holder", PolicyArn: arn })))).toEqual({
      name: "NoSuchEntityException",
      message: `Policy ${arn} was not found.`,
      status: 404,
    });
  });

  it("refuses a policy that does not exist or belongs to another account", async () => {
    const devAdmin = await adminIam(t, DEV);
    const foreign = (
      await devAdmin.send(new CreatePolicyCommand({ PolicyName: "dev-policy", PolicyDocument: policyDocument([allow("s3:GetObject")]) }))
    ).Policy!.Arn!;
    for (const arn of [awsPolicy("NoSuchManagedPolicy"), foreign]) {
      expect(await failure(admin.send(new AttachRolePolicyCommand({ RoleName: "attach-holder", PolicyArn: arn })))).toEqual({
        name: "NoSuchEntityException",
        message: `Policy ${arn} does not exist or is not attachable.`,
        status: 404,
      });
    }
  });

  it("attaches at most 10 managed policies to a role", async () => {
    await createRole("crowded");
    const names = ["AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "CloudWatchReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess", "AmazonRDSReadOnlyAccess"];
    const arns = [...names.map(awsPolicy)];
    for (let i = 0; i < 6; i++) arns.push((await createPolicy(`crowd-${i}`)).Arn!);
    for (const arn of arns.slice(0, 10)) await admin.send(new AttachRolePolicyCommand({ RoleName: "crowded", PolicyArn: arn }));
    expect(await failure(admin.send(new AttachRolePolicyCommand({ RoleName: "crowded", PolicyArn: arns[10] })))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for PoliciesPerRole: 10",
      status: 409,
    });
    // Attaching one that is already there is not an eleventh.
    await admin.send(new AttachRolePolicyCommand({ RoleName: "crowded", PolicyArn: arns[0] }));
    expect(await attached("crowded")).toHaveLength(10);
  });

  it("pages through attached policies", async () => {
    const first = await admin.send(new ListAttachedRolePoliciesCommand({ RoleName: "crowded", MaxItems: 4 }));
    const second = await admin.send(new ListAttachedRolePoliciesCommand({ RoleName: "crowded", MaxItems: 4, Marker: first.Marker }));
    const third = await admin.send(new ListAttachedRolePoliciesCommand({ RoleName: "crowded", MaxItems: 4, Marker: second.Marker }));
    expect([first.IsTruncated, second.IsTruncated, third.IsTruncated]).toEqual([true, true, false]);
    const all = [...first.AttachedPolicies!, ...second.AttachedPolicies!, ...third.AttachedPolicies!];
    expect(new Set(all.map((p) => p.PolicyArn)).size).toBe(10);
  });

  it("answers NoSuchEntity for a missing role", async () => {
    const missing = { name: "NoSuchEntityException", message: "The role with name ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new AttachRolePolicyCommand({ RoleName: "ghost", PolicyArn: awsPolicy("ReadOnlyAccess") })))).toEqual(missing);
    expect(await failure(admin.send(new DetachRolePolicyCommand({ RoleName: "ghost", PolicyArn: awsPolicy("ReadOnlyAccess") })))).toEqual(missing);
    expect(await failure(admin.send(new ListAttachedRolePoliciesCommand({ RoleName: "ghost" })))).toEqual(missing);
  });
});

describe("DeletePolicy", () => {
  it("refuses while the policy is attached or used as a permissions boundary", async () => {
    const arn = (await createPolicy("in-use")).Arn!;
    await createRole("user-of-policy");
    await admin.send(new AttachRolePolicyCommand({ RoleName: "user-of-policy", PolicyArn: arn }));
    const conflict = { name: "DeleteConflictException", message: "Cannot delete a policy attached to entities.", status: 409 };
    expect(await failure(admin.send(new DeletePolicyCommand({ PolicyArn: arn })))).toEqual(conflict);
    await admin.send(new DetachRolePolicyCommand({ RoleName: "user-of-policy", PolicyArn: arn }));
    await admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: "user-of-policy", PermissionsBoundary: arn }));
    expect((await getPolicy(arn)).PermissionsBoundaryUsageCount).toBe(1);
    expect(await failure(admin.send(new DeletePolicyCommand({ PolicyArn: arn })))).toEqual(conflict);
  });

  it("refuses while the policy has versions besides the default", async () => {
    const arn = (await createPolicy("multi-version")).Arn!;
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDocument([allow("s3:PutObject")]) }));
    expect(await failure(admin.send(new DeletePolicyCommand({ PolicyArn: arn })))).toEqual({
      name: "DeleteConflictException",
      message:
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      status: 409,
    });
    await admin.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    await admin.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await failure(getPolicy(arn))).toEqual({ name: "NoSuchEntityException", message: `Policy ${arn} was not found.`, status: 404 });
    expect(await failure(admin.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });

  it("never deletes or changes an AWS-managed policy, even for an administrator", async () => {
    const arn = awsPolicy("ReadOnlyAccess");
    const caller = sessionArn(PROD, "OrganizationAccountAccessRole", "admin");
    const refusal = (action: string) => ({
      name: "AccessDenied",
      message: `User: ${caller} is not authorized to perform: ${action} on resource: ${arn} because AWS managed policies cannot be changed`,
      status: 403,
    });
    expect(await failure(admin.send(new DeletePolicyCommand({ PolicyArn: arn })))).toEqual(refusal("iam:DeletePolicy"));
    expect(await failure(admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policyDocument([allow("*")]) })))).toEqual(
      refusal("iam:CreatePolicyVersion"),
    );
    expect(await failure(admin.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })))).toEqual(refusal("iam:DeletePolicyVersion"));
  });
});

describe("AWS-managed policies", () => {
  it("are visible to every account, with their single default version", async () => {
    const arn = awsPolicy("ReadOnlyAccess");
    const policy = await getPolicy(arn);
    expect(policy).toMatchObject({ PolicyName: "ReadOnlyAccess", Arn: arn, Path: "/", IsAttachable: true });
    const versions = (await admin.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions;
    expect(versions).toEqual([expect.objectContaining({ VersionId: policy.DefaultVersionId, IsDefaultVersion: true })]);
    const version = (await admin.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId! }))).PolicyVersion;
    expect(JSON.parse(decoded(version?.Document)).Statement[0].Action).toContain("iam:Get*");
  });
});

describe("ListPolicies", () => {
  const list = async (input: ListPoliciesCommandInput) => (await admin.send(new ListPoliciesCommand(input))).Policies!;

  it("filters by scope and path", async () => {
    const local = await list({ Scope: "Local" });
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((p) => p.Arn!.startsWith(`arn:aws:iam::${PROD}:policy/`))).toBe(true);
    const aws = await list({ Scope: "AWS", MaxItems: 1000 });
    expect(aws.every((p) => p.Arn!.startsWith("arn:aws:iam::aws:policy/"))).toBe(true);
    expect(aws.map((p) => p.PolicyName)).toContain("ReadOnlyAccess");
    expect((await list({ Scope: "AWS", PathPrefix: "/job-function/" })).map((p) => p.PolicyName)).toContain("ViewOnlyAccess");
    expect((await list({ Scope: "Local", PathPrefix: "/team/" })).map((p) => p.PolicyName)).toEqual(["s3-reader"]);
    // ListPolicies leaves out descriptions and tags.
    expect((await list({ Scope: "Local", PathPrefix: "/team/" }))[0]?.Description).toBeUndefined();
  });

  it("lists only policies in use with OnlyAttached, counting this account's attachments", async () => {
    const attached = await list({ Scope: "AWS", OnlyAttached: true });
    const counts = Object.fromEntries(attached.map((p) => [p.PolicyName, p.AttachmentCount]));
    expect(counts.AdministratorAccess).toBe(2);
    expect(counts.ReadOnlyAccess).toBeGreaterThanOrEqual(1);
    expect(counts.AmazonEC2FullAccess).toBeUndefined();
    const boundaries = await list({ Scope: "Local", OnlyAttached: true, PolicyUsageFilter: "PermissionsBoundary" });
    expect(boundaries.map((p) => p.PolicyName)).toEqual(["in-use"]);
  });

  it("pages through every AWS-managed policy", async () => {
    const all = await list({ Scope: "AWS", MaxItems: 1000 });
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await admin.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 10, Marker: marker }));
      seen.push(...out.Policies!.map((p) => p.Arn!));
      marker = out.Marker;
      pages++;
    } while (marker);
    expect(pages).toBe(Math.ceil(all.length / 10));
    expect(seen).toEqual(all.map((p) => p.Arn));
  });
});

describe("ListEntitiesForPolicy", () => {
  it("names the roles that use a policy, by use and entity type", async () => {
    const out = await admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: awsPolicy("AdministratorAccess") }));
    expect(out.PolicyRoles?.map((r) => r.RoleName).sort()).toEqual(["BreakGlassAdmin", "OrganizationAccountAccessRole"]);
    expect(out.PolicyRoles?.every((r) => r.RoleId?.startsWith("AROA"))).toBe(true);
    expect(out.PolicyUsers).toEqual([]);
    expect(out.PolicyGroups).toEqual([]);

    const boundary = localPolicy("in-use");
    const asBoundary = await admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary, PolicyUsageFilter: "PermissionsBoundary" }));
    expect(asBoundary.PolicyRoles?.map((r) => r.RoleName)).toEqual(["user-of-policy"]);
    const asPermissions = await admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary, PolicyUsageFilter: "PermissionsPolicy" }));
    expect(asPermissions.PolicyRoles).toEqual([]);
    const usersOnly = await admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: awsPolicy("AdministratorAccess"), EntityFilter: "User" }));
    expect(usersOnly.PolicyRoles).toEqual([]);
  });

  it("answers NoSuchEntity for a policy that does not exist", async () => {
    const arn = localPolicy("nope");
    expect(await failure(admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn })))).toEqual({
      name: "NoSuchEntityException",
      message: `Policy ${arn} was not found.`,
      status: 404,
    });
  });
});
