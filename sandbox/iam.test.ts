// IAM roles against the sandbox with the real @aws-sdk/client-iam over HTTP: creation and its
// validation, trust policies (grammar, size quota, principals that must exist, the unique-id
// rewrite), authorization of IAM calls, pagination and tags. Other IAM areas are in
// iam-policies, iam-users and iam-account.test.ts.
import {
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  AddRoleToInstanceProfileCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  type CreateRoleCommandInput,
  type IAMClient,
  type Role,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
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
  OPS,
  policyDocument,
  PROD,
  roleArn,
  session,
  sessionArn,
  TEST,
  trusting,
  trustPolicy,
  userArn,
} from "./iam-test-support";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
let admin: IAMClient;
beforeAll(async () => {
  t = await startTestSandbox();
  admin = await adminIam(t, PROD);
});
afterAll(async () => {
  await t?.close();
});

const BROKER_TRUST = trustPolicy(trusting(BROKER_ARN));
const createRole = (input: Partial<CreateRoleCommandInput> & { RoleName: string }, client = admin) =>
  client.send(new CreateRoleCommand({ AssumeRolePolicyDocument: BROKER_TRUST, ...input }));
const getRole = async (name: string, client = admin): Promise<Role> => (await client.send(new GetRoleCommand({ RoleName: name }))).Role!;
const assume = (creds: Creds, arn: string, sessionName = "alice") =>
  t.sts(creds).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: sessionName }));

describe("CreateRole and GetRole", () => {
  it("creates a role with AWS's defaults and returns the trust policy URL-encoded", async () => {
    const document = trustPolicy(trusting(BROKER_ARN));
    const { Role: created } = await createRole({ RoleName: "app-reader", AssumeRolePolicyDocument: document });
    expect(created).toMatchObject({ Path: "/", RoleName: "app-reader", Arn: roleArn(PROD, "app-reader"), MaxSessionDuration: 3600 });
    expect(created?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    // Encoded as RFC 3986 percent-encoding (what the AWS CLI decodes); byte-for-byte the document sent.
    expect(created?.AssumeRolePolicyDocument).toBe(encodeURIComponent(document));
    expect(created?.AssumeRolePolicyDocument).not.toContain("{");
    expect(decoded(created?.AssumeRolePolicyDocument)).toBe(document);

    const role = await getRole("app-reader");
    expect(role).toMatchObject({ RoleName: "app-reader", RoleId: created?.RoleId, Path: "/", MaxSessionDuration: 3600 });
    expect(decoded(role.AssumeRolePolicyDocument)).toBe(document);
    // Never assumed yet: GetRole has an empty RoleLastUsed, and no tags or boundary.
    expect(role.RoleLastUsed).toEqual({});
    expect(role.Tags).toBeUndefined();
    expect(role.PermissionsBoundary).toBeUndefined();
  });

  it("keeps path, description, session length, tags and permissions boundary", async () => {
    const { Role: created } = await createRole({
      RoleName: "deployer",
      Path: "/ci/github/",
      Description: "Deploys from CI",
      MaxSessionDuration: 43200,
      PermissionsBoundary: awsPolicy("PowerUserAccess"),
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(created?.Arn).toBe(roleArn(PROD, "deployer", "/ci/github/"));
    const role = await getRole("deployer");
    expect(role).toMatchObject({
      Path: "/ci/github/",
      Description: "Deploys from CI",
      MaxSessionDuration: 43200,
      PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: awsPolicy("PowerUserAccess") },
      Tags: [{ Key: "team", Value: "platform" }],
    });
  });

  it("treats role names case-insensitively: a second role differing only in case already exists", async () => {
    await createRole({ RoleName: "CaseRole" });
    expect(await failure(createRole({ RoleName: "caserole" }))).toEqual({
      name: "EntityAlreadyExistsException",
      message: "Role with name caserole already exists.",
      status: 409,
    });
    expect((await getRole("CASEROLE")).RoleName).toBe("CaseRole");
  });

  it("answers NoSuchEntity for a role that does not exist", async () => {
    expect(await failure(getRole("NoSuchRole"))).toEqual({
      name: "NoSuchEntityException",
      message: "The role with name NoSuchRole cannot be found.",
      status: 404,
    });
  });

  it("refuses a permissions boundary that does not exist", async () => {
    const boundary = `arn:aws:iam::${PROD}:policy/no-such-boundary`;
    expect(await failure(createRole({ RoleName: "bounded", PermissionsBoundary: boundary }))).toEqual({
      name: "NoSuchEntityException",
      message: `Scope ARN: ${boundary} does not exist or is not attachable.`,
      status: 404,
    });
  });

  it("validates names and MaxSessionDuration against the model, with AWS's messages", async () => {
    expect(await failure(createRole({ RoleName: "short", MaxSessionDuration: 900 }))).toEqual({
      name: "ValidationError",
      message:
        "1 validation error detected: Value '900' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      status: 400,
    });
    const bad = await failure(createRole({ RoleName: "has space" }));
    expect(bad.name).toBe("ValidationError");
    expect(bad.message).toContain("at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  });

  it("records RoleLastUsed once the role is assumed", async () => {
    await createRole({ RoleName: "used-role" });
    await assume(t.broker, roleArn(PROD, "used-role"));
    const role = await getRole("used-role");
    expect(role.RoleLastUsed?.Region).toBe("us-east-1");
    expect(role.RoleLastUsed?.LastUsedDate).toBeInstanceOf(Date);
  });
});

describe("Trust policies", () => {
  it("refuses documents that break the trust-policy grammar", async () => {
    const noPrincipal = policyDocument([{ Effect: "Allow", Action: "sts:AssumeRole" }]);
    expect(await failure(createRole({ RoleName: "t1", AssumeRolePolicyDocument: noPrincipal }))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Missing required field Principal",
      status: 400,
    });
    const withResource = policyDocument([{ ...trusting(BROKER_ARN), Resource: "*" }]);
    const err = await failure(createRole({ RoleName: "t1", AssumeRolePolicyDocument: withResource }));
    expect(err).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    expect(err.message).toMatch(/^Has prohibited field Resource/);
    const notJson = await failure(createRole({ RoleName: "t1", AssumeRolePolicyDocument: "{not json" }));
    expect(notJson).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    expect(notJson.message).toMatch(/^Syntax errors in policy\./);
  });

  it("enforces the 2,048-character trust policy quota, not counting whitespace", async () => {
    // A statement per account root: 11 statements of ~180 characters exceed 2,048.
    const roots = (n: number) => Array.from({ length: n }, (_, i) => trusting(`arn:aws:iam::${String(900000000000 + i)}:root`));
    const big = trustPolicy(...roots(30));
    expect(big.replace(/\s/g, "").length).toBeGreaterThan(2048);
    expect(await failure(createRole({ RoleName: "too-trusting", AssumeRolePolicyDocument: big }))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for ACLSizePerRole: 2048",
      status: 409,
    });
    // Under the quota once whitespace is ignored, though far longer as written.
    const small = trustPolicy(...roots(20));
    const padded = JSON.stringify(JSON.parse(small), null, 12);
    expect(small.length).toBeLessThanOrEqual(2048);
    expect(padded.length).toBeGreaterThan(2048);
    const { Role: role } = await createRole({ RoleName: "padded-trust", AssumeRolePolicyDocument: padded });
    expect(decoded(role?.AssumeRolePolicyDocument)).toBe(padded);
  });

  it("refuses an AWS principal that does not exist in an account the sandbox knows, with IAM's text", async () => {
    for (const principal of [roleArn(DEV, "NoSuchRole"), userArn(OPS, "nobody"), roleArn(PROD, "ReadOnly", "/wrong-path/")]) {
      expect(await failure(createRole({ RoleName: "bad-principal", AssumeRolePolicyDocument: trustPolicy(trusting(principal)) }))).toEqual({
        name: "MalformedPolicyDocumentException",
        message: `Invalid principal in policy: "AWS":"${principal}"`,
        status: 400,
      });
    }
    expect(await failure(getRole("bad-principal"))).toMatchObject({ name: "NoSuchEntityException" });
  });

  it("accepts principals that exist, account roots, and principals of accounts it cannot see", async () => {
    const principals = [
      roleArn(OPS, "JenkinsRole"),
      BROKER_ARN,
      `arn:aws:iam::${DEV}:root`,
      TEST,
      // Real AWS has accounts the sandbox does not hold; their principals cannot be checked.
      roleArn("999999999999", "Anything"),
      sessionArn(OPS, "JenkinsRole", "build-7"),
    ];
    const { Role: role } = await createRole({ RoleName: "many-principals", AssumeRolePolicyDocument: trustPolicy(trusting(principals)) });
    expect(JSON.parse(decoded(role?.AssumeRolePolicyDocument)).Statement[0].Principal.AWS).toEqual(principals);
  });

  it("refuses a Federated OIDC provider that the account does not have", async () => {
    const provider = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
    const document = trustPolicy({ Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity" });
    expect(await failure(createRole({ RoleName: "github-deploy", AssumeRolePolicyDocument: document }))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Federated principals must be valid domain names or SAML metadata ARNs",
      status: 400,
    });
  });

  it("UpdateAssumeRolePolicy replaces the trust policy, validated like CreateRole", async () => {
    await createRole({ RoleName: "retrusted" });
    const next = trustPolicy(trusting(`arn:aws:iam::${DEV}:root`));
    await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: "retrusted", PolicyDocument: next }));
    expect(decoded((await getRole("retrusted")).AssumeRolePolicyDocument)).toBe(next);

    const ghost = userArn(DEV, "ghost");
    expect(await failure(admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: "retrusted", PolicyDocument: trustPolicy(trusting(ghost)) })))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: `Invalid principal in policy: "AWS":"${ghost}"`,
      status: 400,
    });
    expect(await failure(admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: "nope", PolicyDocument: next })))).toEqual({
      name: "NoSuchEntityException",
      message: "The role with name nope cannot be found.",
      status: 404,
    });
  });

  it("makes a created role assumable by the principal its trust names, and not by another", async () => {
    await createRole({ RoleName: "broker-only" });
    const arn = roleArn(PROD, "broker-only");
    const out = await assume(t.broker, arn);
    expect(out.AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "broker-only", "alice"));

    // An Operations administrator may assume any role as far as its own policies go, but the
    // trust policy does not name it.
    const opsAdmin = await session(t, roleArn(OPS, "OrganizationAccountAccessRole"), "ops-admin");
    expect(await failure(assume(opsAdmin, arn))).toEqual({
      name: "AccessDenied",
      message: `User: ${sessionArn(OPS, "OrganizationAccountAccessRole", "ops-admin")} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      status: 403,
    });
    // Once the trust names that role, its sessions get in.
    await admin.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: "broker-only", PolicyDocument: trustPolicy(trusting(roleArn(OPS, "OrganizationAccountAccessRole"))) }),
    );
    expect((await assume(opsAdmin, arn)).AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "broker-only", "alice"));
  });

  it("rewrites a deleted trusted role to its unique id, so a new role of the same name is not trusted", async () => {
    const releaserPolicy = policyDocument([allow("sts:AssumeRole", roleArn(PROD, "protected"))]);
    const makeReleaser = async () => {
      const { Role: role } = await createRole({ RoleName: "Releaser" });
      await admin.send(new PutRolePolicyCommand({ RoleName: "Releaser", PolicyName: "assume-protected", PolicyDocument: releaserPolicy }));
      return role!;
    };
    const first = await makeReleaser();
    const releaserArn = roleArn(PROD, "Releaser");
    await createRole({ RoleName: "protected", AssumeRolePolicyDocument: trustPolicy(trusting([releaserArn, BROKER_ARN])) });
    const before = await session(t, releaserArn, "release-1");
    expect((await assume(before, roleArn(PROD, "protected"))).AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "protected", "alice"));

    await admin.send(new DeleteRolePolicyCommand({ RoleName: "Releaser", PolicyName: "assume-protected" }));
    await admin.send(new DeleteRoleCommand({ RoleName: "Releaser" }));
    const trust = JSON.parse(decoded((await getRole("protected")).AssumeRolePolicyDocument));
    expect(trust.Statement[0].Principal.AWS).toEqual([first.RoleId, BROKER_ARN]);

    // The rest of the trust policy keeps working.
    expect((await assume(t.broker, roleArn(PROD, "protected"))).AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "protected", "alice"));
    // A new role with the old name has a new id, which the trust policy does not name.
    const second = await makeReleaser();
    expect(second.RoleId).not.toBe(first.RoleId);
    const after = await session(t, releaserArn, "release-2");
    expect(await failure(assume(after, roleArn(PROD, "protected")))).toEqual({
      name: "AccessDenied",
      message: `User: ${sessionArn(PROD, "Releaser", "release-2")} is not authorized to perform: sts:AssumeRole on resource: ${roleArn(PROD, "protected")}`,
      status: 403,
    });
  });
});

describe("ListRoles", () => {
  const names = ["p-alpha", "p-Bravo", "p-charlie", "p-delta", "p-echo", "p-foxtrot", "p-golf"];
  beforeAll(async () => {
    for (const name of names) await createRole({ RoleName: name, Path: "/paging/", Tags: [{ Key: "k", Value: name }] });
  });

  it("walks every role under a path prefix with Marker and MaxItems", async () => {
    const pages: Array<{ names: string[]; truncated?: boolean }> = [];
    let marker: string | undefined;
    do {
      const out = await admin.send(new ListRolesCommand({ PathPrefix: "/paging/", MaxItems: 3, Marker: marker }));
      pages.push({ names: out.Roles!.map((r) => r.RoleName!), truncated: out.IsTruncated });
      marker = out.Marker;
      expect(marker === undefined).toBe(!out.IsTruncated);
    } while (marker);
    expect(pages.map((p) => p.names.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.truncated)).toEqual([true, true, false]);
    // Every role exactly once, in name order regardless of case.
    expect(pages.flatMap((p) => p.names)).toEqual(names);
  });

  it("omits Tags, PermissionsBoundary and RoleLastUsed, as AWS's ListRoles does", async () => {
    const out = await admin.send(new ListRolesCommand({ PathPrefix: "/ci/" }));
    expect(out.Roles?.map((r) => r.RoleName)).toEqual(["deployer"]);
    const [role] = out.Roles!;
    expect(role?.Tags).toBeUndefined();
    expect(role?.PermissionsBoundary).toBeUndefined();
    expect(role?.RoleLastUsed).toBeUndefined();
    expect(role).toMatchObject({ Description: "Deploys from CI", MaxSessionDuration: 43200 });
    expect(decoded(role?.AssumeRolePolicyDocument)).toBe(BROKER_TRUST);
  });

  it("lists only the caller's own account", async () => {
    const out = await admin.send(new ListRolesCommand({}));
    expect(out.Roles!.length).toBeGreaterThan(10);
    expect(out.Roles!.every((r) => r.Arn!.startsWith(`arn:aws:iam::${PROD}:role/`))).toBe(true);
  });

  it("rejects a marker it did not issue", async () => {
    const err = await failure(admin.send(new ListRolesCommand({ Marker: "not-a-marker" })));
    expect(err).toMatchObject({ name: "ValidationError", status: 400 });
  });
});

describe("UpdateRole and UpdateRoleDescription", () => {
  it("changes the description and the maximum session duration", async () => {
    await createRole({ RoleName: "tunable", Description: "before" });
    await admin.send(new UpdateRoleCommand({ RoleName: "tunable", Description: "after", MaxSessionDuration: 7200 }));
    expect(await getRole("tunable")).toMatchObject({ Description: "after", MaxSessionDuration: 7200 });
    // The new maximum applies to AssumeRole at once.
    const out = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(PROD, "tunable"), RoleSessionName: "long", DurationSeconds: 7200 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);

    const { Role: role } = await admin.send(new UpdateRoleDescriptionCommand({ RoleName: "tunable", Description: "described" }));
    expect(role).toMatchObject({ RoleName: "tunable", Description: "described", MaxSessionDuration: 7200 });
  });

  it("answers NoSuchEntity for a missing role", async () => {
    const missing = { name: "NoSuchEntityException", message: "The role with name ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new UpdateRoleCommand({ RoleName: "ghost", Description: "x" })))).toEqual(missing);
    expect(await failure(admin.send(new UpdateRoleDescriptionCommand({ RoleName: "ghost", Description: "x" })))).toEqual(missing);
  });
});

describe("DeleteRole", () => {
  it("refuses while the role has inline policies, attached policies or an instance profile", async () => {
    await createRole({ RoleName: "entangled" });
    await admin.send(new PutRolePolicyCommand({ RoleName: "entangled", PolicyName: "inline", PolicyDocument: policyDocument([allow("s3:ListBucket")]) }));
    await admin.send(new AttachRolePolicyCommand({ RoleName: "entangled", PolicyArn: awsPolicy("ReadOnlyAccess") }));
    await admin.send(new CreateInstanceProfileCommand({ InstanceProfileName: "entangled-profile" }));
    await admin.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "entangled-profile", RoleName: "entangled" }));
    const conflict = (message: string) => ({ name: "DeleteConflictException", message, status: 409 });
    const del = () => failure(admin.send(new DeleteRoleCommand({ RoleName: "entangled" })));

    expect(await del()).toEqual(conflict("Cannot delete entity, must remove roles from instance profile first."));
    await admin.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "entangled-profile", RoleName: "entangled" }));
    expect(await del()).toEqual(conflict("Cannot delete entity, must delete policies first."));
    await admin.send(new DeleteRolePolicyCommand({ RoleName: "entangled", PolicyName: "inline" }));
    expect(await del()).toEqual(conflict("Cannot delete entity, must detach all policies first."));
    await admin.send(new DetachRolePolicyCommand({ RoleName: "entangled", PolicyArn: awsPolicy("ReadOnlyAccess") }));

    await admin.send(new DeleteRoleCommand({ RoleName: "ENTANGLED" }));
    expect(await failure(getRole("entangled"))).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });

  it("answers NoSuchEntity for a missing role", async () => {
    expect(await failure(admin.send(new DeleteRoleCommand({ RoleName: "never-was" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The role with name never-was cannot be found.",
      status: 404,
    });
  });

  it("leaves the sessions of a deleted role without permissions", async () => {
    await createRole({ RoleName: "short-lived" });
    await admin.send(new AttachRolePolicyCommand({ RoleName: "short-lived", PolicyArn: awsPolicy("IAMReadOnlyAccess") }));
    const creds = credsOf(await assume(t.broker, roleArn(PROD, "short-lived"), "s1"));
    await t.iam(creds).send(new GetRoleCommand({ RoleName: "ReadOnly" }));
    await admin.send(new DetachRolePolicyCommand({ RoleName: "short-lived", PolicyArn: awsPolicy("IAMReadOnlyAccess") }));
    await admin.send(new DeleteRoleCommand({ RoleName: "short-lived" }));
    expect(await failure(t.iam(creds).send(new GetRoleCommand({ RoleName: "ReadOnly" })))).toEqual(
      notAuthorized(sessionArn(PROD, "short-lived", "s1"), "iam:GetRole", roleArn(PROD, "ReadOnly")),
    );
  });
});

describe("Permissions boundaries", () => {
  it("puts and deletes a role's permissions boundary", async () => {
    await createRole({ RoleName: "boundable" });
    await admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: "boundable", PermissionsBoundary: awsPolicy("ReadOnlyAccess") }));
    expect((await getRole("boundable")).PermissionsBoundary).toEqual({
      PermissionsBoundaryType: "Policy",
      PermissionsBoundaryArn: awsPolicy("ReadOnlyAccess"),
    });
    await admin.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "boundable" }));
    expect((await getRole("boundable")).PermissionsBoundary).toBeUndefined();
  });

  it("refuses a boundary policy that does not exist, and a missing role", async () => {
    const arn = awsPolicy("NoSuchPolicy");
    expect(await failure(admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: "boundable", PermissionsBoundary: arn })))).toEqual({
      name: "NoSuchEntityException",
      message: `Scope ARN: ${arn} does not exist or is not attachable.`,
      status: 404,
    });
    expect(await failure(admin.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "ghost" })))).toMatchObject({
      name: "NoSuchEntityException",
      message: "The role with name ghost cannot be found.",
    });
  });

  it("caps what the role's sessions may do", async () => {
    await createRole({ RoleName: "capped" });
    await admin.send(new AttachRolePolicyCommand({ RoleName: "capped", PolicyArn: awsPolicy("AdministratorAccess") }));
    await admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: "capped", PermissionsBoundary: awsPolicy("IAMReadOnlyAccess") }));
    const capped = t.iam(await session(t, roleArn(PROD, "capped"), "capped"));
    expect((await capped.send(new GetRoleCommand({ RoleName: "capped" }))).Role?.RoleName).toBe("capped");
    const err = await failure(createRole({ RoleName: "escape" }, capped));
    expect(err).toMatchObject({ name: "AccessDenied", status: 403 });
    expect(err.message).toMatch(/^User: .* is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::111111111111:role\/escape/);
  });
});

describe("Authorization of IAM calls", () => {
  it("lets a ReadOnly session read roles but not create them, with AWS's AccessDenied text", async () => {
    const readOnly = t.iam(await session(t, roleArn(PROD, "ReadOnly"), "reader"));
    expect((await readOnly.send(new GetRoleCommand({ RoleName: "ReadOnly" }))).Role?.Arn).toBe(roleArn(PROD, "ReadOnly"));
    expect((await readOnly.send(new ListRolesCommand({}))).Roles?.some((r) => r.RoleName === "ReadOnly")).toBe(true);
    expect(await failure(createRole({ RoleName: "sneaky" }, readOnly))).toEqual(
      notAuthorized(sessionArn(PROD, "ReadOnly", "reader"), "iam:CreateRole", roleArn(PROD, "sneaky")),
    );
    expect(await failure(readOnly.send(new DeleteRoleCommand({ RoleName: "ReadOnly" })))).toEqual(
      notAuthorized(sessionArn(PROD, "ReadOnly", "reader"), "iam:DeleteRole", roleArn(PROD, "ReadOnly")),
    );
    // Allowed to ask, so a missing role is NoSuchEntity …
    expect(await failure(readOnly.send(new GetRoleCommand({ RoleName: "absent" })))).toMatchObject({ name: "NoSuchEntityException" });
  });

  it("authorizes before it looks: a caller without IAM permissions learns nothing about existence", async () => {
    // … while the broker (no IAM permissions, in Operations) is denied either way.
    const broker = t.iam(t.broker);
    for (const name of ["absent", "JenkinsRole"]) {
      expect(await failure(broker.send(new GetRoleCommand({ RoleName: name })))).toEqual(notAuthorized(BROKER_ARN, "iam:GetRole", roleArn(OPS, name)));
    }
  });

  it("passes IAM's condition keys: iam:PermissionsBoundary, iam:PolicyARN, aws:RequestTag and aws:ResourceTag", async () => {
    const boundary = awsPolicy("PowerUserAccess");
    await createRole({ RoleName: "DelegatedAdmin" });
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: "DelegatedAdmin",
        PolicyName: "delegated",
        PolicyDocument: policyDocument([
          allow("iam:CreateRole", roleArn(PROD, "*", "/delegated/"), { StringEquals: { "iam:PermissionsBoundary": boundary } }),
          allow("iam:AttachRolePolicy", "*", { ArnEquals: { "iam:PolicyARN": awsPolicy("ReadOnlyAccess") } }),
          allow("iam:TagRole", "*", { StringEquals: { "aws:RequestTag/team": "platform" } }),
          allow("iam:GetRole", "*", { StringEquals: { "aws:ResourceTag/team": "platform" } }),
        ]),
      }),
    );
    const caller = sessionArn(PROD, "DelegatedAdmin", "delegate");
    const delegated = t.iam(await session(t, roleArn(PROD, "DelegatedAdmin"), "delegate"));

    expect(await failure(createRole({ RoleName: "unbounded", Path: "/delegated/" }, delegated))).toEqual(
      notAuthorized(caller, "iam:CreateRole", roleArn(PROD, "unbounded", "/delegated/")),
    );
    await createRole({ RoleName: "bounded", Path: "/delegated/", PermissionsBoundary: boundary }, delegated);

    await delegated.send(new AttachRolePolicyCommand({ RoleName: "bounded", PolicyArn: awsPolicy("ReadOnlyAccess") }));
    expect(await failure(delegated.send(new AttachRolePolicyCommand({ RoleName: "bounded", PolicyArn: awsPolicy("AdministratorAccess") })))).toEqual(
      notAuthorized(caller, "iam:AttachRolePolicy", roleArn(PROD, "bounded", "/delegated/")),
    );

    expect(await failure(delegated.send(new GetRoleCommand({ RoleName: "bounded" })))).toEqual(
      notAuthorized(caller, "iam:GetRole", roleArn(PROD, "bounded", "/delegated/")),
    );
    expect(await failure(delegated.send(new TagRoleCommand({ RoleName: "bounded", Tags: [{ Key: "team", Value: "data" }] })))).toEqual(
      notAuthorized(caller, "iam:TagRole", roleArn(PROD, "bounded", "/delegated/")),
    );
    await delegated.send(new TagRoleCommand({ RoleName: "bounded", Tags: [{ Key: "team", Value: "platform" }] }));
    expect((await delegated.send(new GetRoleCommand({ RoleName: "bounded" }))).Role?.Tags).toEqual([{ Key: "team", Value: "platform" }]);
  });

  it("acts on the caller's own account", async () => {
    const devAdmin = await adminIam(t, DEV);
    await createRole({ RoleName: "dev-only" }, devAdmin);
    expect((await getRole("dev-only", devAdmin)).Arn).toBe(roleArn(DEV, "dev-only"));
    expect(await failure(getRole("dev-only"))).toMatchObject({ name: "NoSuchEntityException" });
  });
});

describe("Role tags", () => {
  const tags = async (name: string) => (await admin.send(new ListRoleTagsCommand({ RoleName: name }))).Tags;

  it("adds tags, replaces a key given in another case, and removes keys case-insensitively", async () => {
    await createRole({ RoleName: "tagged", Tags: [{ Key: "Team", Value: "platform" }] });
    await admin.send(new TagRoleCommand({ RoleName: "tagged", Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "security" }] }));
    expect(await tags("tagged")).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "security" },
    ]);
    await admin.send(new UntagRoleCommand({ RoleName: "tagged", TagKeys: ["TEAM", "not-there"] }));
    expect(await tags("tagged")).toEqual([{ Key: "env", Value: "prod" }]);
    expect((await getRole("tagged")).Tags).toEqual([{ Key: "env", Value: "prod" }]);
  });

  it("pages through tags", async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await createRole({ RoleName: "tag-pages", Tags: many });
    const first = await admin.send(new ListRoleTagsCommand({ RoleName: "tag-pages", MaxItems: 3 }));
    expect(first).toMatchObject({ IsTruncated: true, Tags: many.slice(0, 3) });
    const rest = await admin.send(new ListRoleTagsCommand({ RoleName: "tag-pages", MaxItems: 3, Marker: first.Marker }));
    expect(rest.Tags).toEqual(many.slice(3));
    expect(rest.IsTruncated).toBe(false);
  });

  it("refuses duplicate keys in one request, reserved keys and more than 50 tags", async () => {
    await createRole({ RoleName: "tag-limits" });
    expect(await failure(admin.send(new TagRoleCommand({ RoleName: "tag-limits", Tags: [{ Key: "a", Value: "1" }, { Key: "A", Value: "2" }] })))).toEqual({
      name: "InvalidInputException",
      message: "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      status: 400,
    });
    expect(await failure(admin.send(new TagRoleCommand({ RoleName: "tag-limits", Tags: [{ Key: "aws:owner", Value: "x" }] })))).toMatchObject({
      name: "InvalidInputException",
      status: 400,
    });
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `key-${from + i}`, Value: "v" }));
    await admin.send(new TagRoleCommand({ RoleName: "tag-limits", Tags: batch(0, 30) }));
    expect(await failure(admin.send(new TagRoleCommand({ RoleName: "tag-limits", Tags: batch(30, 21) })))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for TagsPerRole: 50",
      status: 409,
    });
    await admin.send(new TagRoleCommand({ RoleName: "tag-limits", Tags: batch(30, 20) }));
    expect(await tags("tag-limits")).toHaveLength(50);
    const tooMany = await failure(createRole({ RoleName: "fifty-one", Tags: batch(0, 51) }));
    expect(tooMany).toMatchObject({ name: "ValidationError", status: 400 });
    expect(tooMany.message).toContain("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
  });

  it("answers NoSuchEntity for tag operations on a missing role", async () => {
    const missing = { name: "NoSuchEntityException", message: "The role with name ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new TagRoleCommand({ RoleName: "ghost", Tags: [{ Key: "a", Value: "b" }] })))).toEqual(missing);
    expect(await failure(admin.send(new UntagRoleCommand({ RoleName: "ghost", TagKeys: ["a"] })))).toEqual(missing);
    expect(await failure(admin.send(new ListRoleTagsCommand({ RoleName: "ghost" })))).toEqual(missing);
  });
});

describe("Roles quota", () => {
  it("refuses the 1,001st role of an account with LimitExceeded", async () => {
    // In the Test account, so the roles of the other tests are unaffected.
    const testAdmin = await adminIam(t, TEST);
    const summary = async () => (await testAdmin.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    const { Roles: existing = 0, RolesQuota } = await summary();
    expect(RolesQuota).toBe(1000);
    const names = Array.from({ length: 1000 - existing }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => createRole({ RoleName: name }, testAdmin)));
    }
    expect((await summary()).Roles).toBe(1000);
    expect(await failure(createRole({ RoleName: "one-too-many" }, testAdmin))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for RolesPerAccount: 1000",
      status: 409,
    });
    // The other accounts keep their own quota.
    await createRole({ RoleName: "still-room" });
  });
});

describe("Calls are logged with their resource", () => {
  it("records the role ARN an IAM call was authorized against", async () => {
    const since = await t.admin.lastSeq();
    await getRole("ReadOnly");
    const [call] = await t.admin.calls({ since, action: "GetRole" });
    expect(call).toMatchObject({ service: "iam", outcome: "Success", accountId: PROD, detail: { resource: roleArn(PROD, "ReadOnly") } });
  });
});
