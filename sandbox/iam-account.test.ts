// IAM instance profiles, OpenID Connect providers, GetAccountSummary and ListAccountAliases
// against the sandbox with the real @aws-sdk/client-iam.
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteInstanceProfileCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  GetOpenIDConnectProviderCommand,
  ListAccountAliasesCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminIam,
  allow,
  BROKER_ARN,
  decoded,
  DEV,
  failure,
  notAuthorized,
  OPS,
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

const EC2_TRUST = trustPolicy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const createRole = (name: string, document = EC2_TRUST, client = admin) =>
  client.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: document }));
const profileArn = (name: string, path = "/") => `arn:aws:iam::${PROD}:instance-profile${path}${name}`;

describe("Instance profiles", () => {
  it("creates a profile, puts its role in, and shows the role inside it", async () => {
    const created = (
      await admin.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web", Path: "/ec2/", Tags: [{ Key: "tier", Value: "web" }] }))
    ).InstanceProfile!;
    expect(created).toMatchObject({ InstanceProfileName: "web", Path: "/ec2/", Arn: profileArn("web", "/ec2/"), Roles: [], Tags: [{ Key: "tier", Value: "web" }] });
    expect(created.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);

    await createRole("web-server");
    await admin.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "WEB", RoleName: "web-server" }));
    const profile = (await admin.send(new GetInstanceProfileCommand({ InstanceProfileName: "web" }))).InstanceProfile!;
    expect(profile.Roles?.map((r) => r.RoleName)).toEqual(["web-server"]);
    expect(decoded(profile.Roles?.[0]?.AssumeRolePolicyDocument)).toBe(EC2_TRUST);
    const forRole = (await admin.send(new ListInstanceProfilesForRoleCommand({ RoleName: "web-server" }))).InstanceProfiles;
    expect(forRole?.map((p) => p.InstanceProfileName)).toEqual(["web"]);
  });

  it("gives instances the profile's role (what EC2's metadata service hands out)", async () => {
    const creds = await t.admin.instanceCredentials(PROD, "web");
    const id = await t.sts(creds).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toMatch(new RegExp(`^arn:aws:sts::${PROD}:assumed-role/web-server/i-`));
  });

  it("holds one role at most", async () => {
    await createRole("second-role");
    expect(await failure(admin.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "second-role" })))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
      status: 409,
    });
  });

  it("refuses a duplicate name and answers NoSuchEntity for missing profiles and roles", async () => {
    expect(await failure(admin.send(new CreateInstanceProfileCommand({ InstanceProfileName: "Web" })))).toEqual({
      name: "EntityAlreadyExistsException",
      message: "Instance Profile Web already exists.",
      status: 409,
    });
    const missing = { name: "NoSuchEntityException", message: "Instance Profile ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new GetInstanceProfileCommand({ InstanceProfileName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ghost", RoleName: "second-role" })))).toEqual(missing);
    await admin.send(new CreateInstanceProfileCommand({ InstanceProfileName: "empty" }));
    expect(await failure(admin.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "empty", RoleName: "no-such-role" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The role with name no-such-role cannot be found.",
      status: 404,
    });
    expect(await failure(admin.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "empty", RoleName: "web-server" })))).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
    expect(await failure(admin.send(new ListInstanceProfilesForRoleCommand({ RoleName: "no-such-role" })))).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
  });

  it("deletes a profile only once its role is removed", async () => {
    expect(await failure(admin.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "web" })))).toEqual({
      name: "DeleteConflictException",
      message: "Cannot delete entity, must remove roles from instance profile first.",
      status: 409,
    });
    await admin.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "web-server" }));
    expect((await admin.send(new ListInstanceProfilesForRoleCommand({ RoleName: "web-server" }))).InstanceProfiles).toEqual([]);
    await admin.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "web" }));
    expect(await failure(admin.send(new GetInstanceProfileCommand({ InstanceProfileName: "web" })))).toMatchObject({ name: "NoSuchEntityException" });
  });

  it("lists profiles by path, a page at a time", async () => {
    for (const name of ["batch-1", "batch-2", "batch-3"]) {
      await admin.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: "/batch/" }));
    }
    const first = await admin.send(new ListInstanceProfilesCommand({ PathPrefix: "/batch/", MaxItems: 2 }));
    expect(first.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(["batch-1", "batch-2"]);
    expect(first.IsTruncated).toBe(true);
    const rest = await admin.send(new ListInstanceProfilesCommand({ PathPrefix: "/batch/", MaxItems: 2, Marker: first.Marker }));
    expect(rest.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(["batch-3"]);
    expect(rest.IsTruncated).toBe(false);
  });

  it("needs iam:PassRole on the role to put it in a profile", async () => {
    await createRole("profile-manager", trustPolicy(trusting(BROKER_ARN)));
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: "profile-manager",
        PolicyName: "profiles",
        PolicyDocument: policyDocument([allow(["iam:AddRoleToInstanceProfile", "iam:GetRole"])]),
      }),
    );
    const manager = t.iam(await session(t, roleArn(PROD, "profile-manager"), "manager"));
    expect(await failure(manager.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "empty", RoleName: "second-role" })))).toEqual(
      notAuthorized(sessionArn(PROD, "profile-manager", "manager"), "iam:PassRole", roleArn(PROD, "second-role")),
    );
  });
});

describe("OpenID Connect providers", () => {
  const GITHUB = "https://token.actions.githubusercontent.com";
  const GITHUB_ARN = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
  const THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1";

  it("creates a provider named after its issuer and reads it back", async () => {
    const out = await admin.send(
      new CreateOpenIDConnectProviderCommand({
        Url: GITHUB,
        ClientIDList: ["sts.amazonaws.com"],
        ThumbprintList: [THUMBPRINT],
        Tags: [{ Key: "ci", Value: "github" }],
      }),
    );
    expect(out.OpenIDConnectProviderArn).toBe(GITHUB_ARN);
    expect(out.Tags).toEqual([{ Key: "ci", Value: "github" }]);
    const got = await admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN }));
    expect(got).toMatchObject({
      Url: "token.actions.githubusercontent.com",
      ClientIDList: ["sts.amazonaws.com"],
      ThumbprintList: [THUMBPRINT],
      Tags: [{ Key: "ci", Value: "github" }],
    });
    expect(got.CreateDate).toBeInstanceOf(Date);
    expect((await admin.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: GITHUB_ARN }]);
  });

  it("refuses a second provider for the same issuer", async () => {
    expect(await failure(admin.send(new CreateOpenIDConnectProviderCommand({ Url: GITHUB, ClientIDList: ["sts.amazonaws.com"] })))).toEqual({
      name: "EntityAlreadyExistsException",
      message: `Provider with url ${GITHUB} already exists.`,
      status: 409,
    });
  });

  it("accepts only https URLs and 40-hex-character thumbprints, thumbprints being optional", async () => {
    const create = (Url: string, ThumbprintList?: string[]) => admin.send(new CreateOpenIDConnectProviderCommand({ Url, ThumbprintList }));
    expect(await failure(create("http://issuer.example.com"))).toMatchObject({ name: "InvalidInputException", status: 400 });
    expect(await failure(create("https://issuer.example.com:8443/"))).toMatchObject({ name: "InvalidInputException", status: 400 });
    expect(await failure(create("https://issuer.example.com", ["z".repeat(40)]))).toMatchObject({ name: "InvalidInputException", status: 400 });
    const short = await failure(create("https://issuer.example.com", ["abc"]));
    expect(short).toMatchObject({ name: "ValidationError", status: 400 });
    expect(short.message).toContain("Member must have length greater than or equal to 40");
    const out = await create("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/");
    expect(out.OpenIDConnectProviderArn).toBe(`arn:aws:iam::${PROD}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`);
  });

  it("lets a trust policy name a provider once it exists", async () => {
    const trust = (provider: string) =>
      trustPolicy({
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } },
      });
    const { Role: role } = await createRole("github-deploy", trust(GITHUB_ARN));
    expect(JSON.parse(decoded(role?.AssumeRolePolicyDocument)).Statement[0].Principal.Federated).toBe(GITHUB_ARN);
    const other = `arn:aws:iam::${PROD}:oidc-provider/gitlab.example.com`;
    expect(await failure(createRole("gitlab-deploy", trust(other)))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Federated principals must be valid domain names or SAML metadata ARNs",
      status: 400,
    });
  });

  it("deletes a provider, idempotently, and answers NoSuchEntity afterwards", async () => {
    await admin.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN }));
    await admin.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN }));
    expect(await failure(admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB_ARN })))).toEqual({
      name: "NoSuchEntityException",
      message: `OpenIDConnect Provider not found for arn ${GITHUB_ARN}`,
      status: 404,
    });
    expect(await failure(admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${PROD}:role/not-a-provider` })))).toMatchObject({
      name: "InvalidInputException",
      status: 400,
    });
  });

  it("is per account", async () => {
    expect((await (await adminIam(t, DEV)).send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([]);
  });
});

describe("GetAccountSummary", () => {
  it("reports IAM's default quotas", async () => {
    const summary = (await admin.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({
      RolesQuota: 1000,
      AssumeRolePolicySizeQuota: 2048,
      RolePolicySizeQuota: 10240,
      AttachedPoliciesPerRoleQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      PoliciesQuota: 1500,
      PolicySizeQuota: 6144,
      UsersQuota: 5000,
      UserPolicySizeQuota: 2048,
      InstanceProfilesQuota: 1000,
      AccessKeysPerUserQuota: 2,
      VersionsPerPolicyQuota: 5,
    });
  });

  it("counts the account's own entities", async () => {
    const summary = async (client = admin) => (await client.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    const before = await summary();
    const roles = (await admin.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles!;
    expect(before.Roles).toBe(roles.length);
    expect(before.InstanceProfiles).toBe((await admin.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.length);
    expect(before.Providers).toBe((await admin.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length);

    await createRole("counted");
    await admin.send(new CreateUserCommand({ UserName: "counted" }));
    await admin.send(new CreatePolicyCommand({ PolicyName: "counted", PolicyDocument: policyDocument([allow("s3:GetObject")]) }));
    const after = await summary();
    expect([after.Roles, after.Users, after.Policies]).toEqual([before.Roles! + 1, before.Users! + 1, before.Policies! + 1]);
    // Operations' broker has the sandbox's virtual MFA device.
    expect((await summary(await adminIam(t, OPS))).MFADevices).toBe(1);
  });

  it("is readable by a ReadOnly session and denied to a caller without IAM permissions", async () => {
    const readOnly = t.iam(await session(t, roleArn(PROD, "ReadOnly"), "reader"));
    expect((await readOnly.send(new GetAccountSummaryCommand({}))).SummaryMap?.RolesQuota).toBe(1000);
    expect(await failure(t.iam(t.broker).send(new GetAccountSummaryCommand({})))).toEqual(notAuthorized(BROKER_ARN, "iam:GetAccountSummary", "*"));
  });
});

describe("ListAccountAliases", () => {
  it("returns the account's alias", async () => {
    expect(await admin.send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: ["acme-production"], IsTruncated: false });
    expect((await (await adminIam(t, OPS)).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["acme-operations"]);
  });
});
