// IAM users against the sandbox with the real @aws-sdk/client-iam: users, their policies,
// access keys (usable at once), MFA devices, DeleteUser's conflicts and the unique-id rewrite
// of trust policies that named a deleted user.
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  type CreateUserCommandInput,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminIam,
  allow,
  awsPolicy,
  decoded,
  DEV,
  failure,
  notAuthorized,
  OPS,
  policyDocument,
  PROD,
  roleArn,
  sessionArn,
  trusting,
  trustPolicy,
  userArn,
} from "./iam-test-support";
import { startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
let admin: IAMClient;
beforeAll(async () => {
  t = await startTestSandbox();
  admin = await adminIam(t, PROD);
});
afterAll(async () => {
  await t?.close();
});

const createUser = async (input: Partial<CreateUserCommandInput> & { UserName: string }, client = admin) =>
  (await client.send(new CreateUserCommand(input))).User!;
const keyFor = async (userName: string, client = admin): Promise<Creds> => {
  const key = (await client.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
};
/** Lets a user manage itself: the `${aws:username}` policy variable names the caller's own user. */
const SELF_SERVICE = policyDocument([
  allow(["iam:GetUser", "iam:CreateAccessKey", "iam:ListAccessKeys", "iam:DeleteAccessKey", "iam:ListMFADevices"], `arn:aws:iam::${PROD}:user/\${aws:username}`),
]);

describe("CreateUser, GetUser and ListUsers", () => {
  it("creates a user and reads it back", async () => {
    const created = await createUser({
      UserName: "carol",
      Path: "/staff/",
      PermissionsBoundary: awsPolicy("PowerUserAccess"),
      Tags: [{ Key: "team", Value: "data" }],
    });
    expect(created).toMatchObject({ UserName: "carol", Path: "/staff/", Arn: userArn(PROD, "carol", "/staff/") });
    expect(created.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const user = (await admin.send(new GetUserCommand({ UserName: "CAROL" }))).User;
    expect(user).toMatchObject({
      UserName: "carol",
      UserId: created.UserId,
      PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: awsPolicy("PowerUserAccess") },
      Tags: [{ Key: "team", Value: "data" }],
    });
    const listed = (await admin.send(new ListUsersCommand({ PathPrefix: "/staff/" }))).Users;
    expect(listed?.map((u) => u.UserName)).toEqual(["carol"]);
    // ListUsers leaves out tags and the boundary, as AWS does.
    expect(listed?.[0]?.Tags).toBeUndefined();
    expect(listed?.[0]?.PermissionsBoundary).toBeUndefined();
  });

  it("treats user names case-insensitively and answers NoSuchEntity for a missing user", async () => {
    expect(await failure(createUser({ UserName: "Carol" }))).toEqual({
      name: "EntityAlreadyExistsException",
      message: "User with name Carol already exists.",
      status: 409,
    });
    expect(await failure(admin.send(new GetUserCommand({ UserName: "nobody" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The user with name nobody cannot be found.",
      status: 404,
    });
  });

  it("refuses a permissions boundary that does not exist", async () => {
    const arn = `arn:aws:iam::${PROD}:policy/missing-boundary`;
    expect(await failure(createUser({ UserName: "unbounded", PermissionsBoundary: arn }))).toEqual({
      name: "NoSuchEntityException",
      message: `Scope ARN: ${arn} does not exist or is not attachable.`,
      status: 404,
    });
  });

  it("pages through users", async () => {
    const names = ["u-a", "u-b", "u-c", "u-d", "u-e"];
    for (const name of names) await createUser({ UserName: name, Path: "/paging/" });
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const out = await admin.send(new ListUsersCommand({ PathPrefix: "/paging/", MaxItems: 2, Marker: marker }));
      expect(out.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...out.Users!.map((u) => u.UserName!));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    expect(seen).toEqual(names);
  });

  it("GetUser without a name returns the calling user, and a user may be allowed to read only itself", async () => {
    await createUser({ UserName: "alice" });
    await createUser({ UserName: "bob" });
    await admin.send(new PutUserPolicyCommand({ UserName: "alice", PolicyName: "self-service", PolicyDocument: SELF_SERVICE }));
    const alice = t.iam(await keyFor("alice"));
    expect((await alice.send(new GetUserCommand({}))).User).toMatchObject({ UserName: "alice", Arn: userArn(PROD, "alice") });
    expect(await failure(alice.send(new GetUserCommand({ UserName: "bob" })))).toEqual(
      notAuthorized(userArn(PROD, "alice"), "iam:GetUser", userArn(PROD, "bob")),
    );
  });

  it("GetUser without a name from a role session is a ValidationError, as in AWS", async () => {
    expect(await failure(admin.send(new GetUserCommand({})))).toEqual({
      name: "ValidationError",
      message: "Must specify userName when calling with non-User credentials",
      status: 400,
    });
  });
});

describe("Access keys", () => {
  it("creates a key that signs requests at once", async () => {
    await createUser({ UserName: "ci-bot" });
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: "ci-bot" }))).AccessKey!;
    expect(key).toMatchObject({ UserName: "ci-bot", Status: "Active" });
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    expect(key.CreateDate).toBeInstanceOf(Date);
    const id = await t.sts({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: PROD, Arn: userArn(PROD, "ci-bot") });
    expect(id.UserId).toMatch(/^AIDA/);
  });

  it("allows two keys per user", async () => {
    await admin.send(new CreateAccessKeyCommand({ UserName: "ci-bot" }));
    expect(await failure(admin.send(new CreateAccessKeyCommand({ UserName: "ci-bot" })))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for AccessKeysPerUser: 2",
      status: 409,
    });
    const keys = (await admin.send(new ListAccessKeysCommand({ UserName: "ci-bot" }))).AccessKeyMetadata!;
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.UserName === "ci-bot" && k.Status === "Active" && k.AccessKeyId?.startsWith("AKIA"))).toBe(true);
    expect(keys.some((k) => "SecretAccessKey" in k)).toBe(false);
  });

  it("lets a user manage its own keys without naming itself", async () => {
    await createUser({ UserName: "dana" });
    await admin.send(new PutUserPolicyCommand({ UserName: "dana", PolicyName: "self-service", PolicyDocument: SELF_SERVICE }));
    const first = await keyFor("dana");
    const dana = t.iam(first);
    const second = (await dana.send(new CreateAccessKeyCommand({}))).AccessKey!;
    expect(second.UserName).toBe("dana");
    expect((await dana.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.map((k) => k.AccessKeyId).sort()).toEqual(
      [first.accessKeyId, second.AccessKeyId].sort(),
    );
    // Rotating: delete the old key, keep working with the new one.
    await t.iam({ accessKeyId: second.AccessKeyId!, secretAccessKey: second.SecretAccessKey! }).send(new DeleteAccessKeyCommand({ AccessKeyId: first.accessKeyId }));
    expect(await failure(t.sts(first).send(new GetCallerIdentityCommand({})))).toEqual({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
  });

  it("answers NoSuchEntity for a key that does not exist or belongs to another user", async () => {
    const keyId = "AKIAIOSFODNN7EXAMPLE";
    const missing = (id: string) => ({ name: "NoSuchEntityException", message: `The Access Key with id ${id} cannot be found.`, status: 404 });
    expect(await failure(admin.send(new DeleteAccessKeyCommand({ UserName: "ci-bot", AccessKeyId: keyId })))).toEqual(missing(keyId));
    const ciKey = (await admin.send(new ListAccessKeysCommand({ UserName: "ci-bot" }))).AccessKeyMetadata![0]!.AccessKeyId!;
    expect(await failure(admin.send(new DeleteAccessKeyCommand({ UserName: "dana", AccessKeyId: ciKey })))).toEqual(missing(ciKey));
    expect(await failure(admin.send(new CreateAccessKeyCommand({ UserName: "nobody" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The user with name nobody cannot be found.",
      status: 404,
    });
  });

  it("needs a user name when called from a role session", async () => {
    const nonUser = { name: "ValidationError", message: "Must specify userName when calling with non-User credentials", status: 400 };
    expect(await failure(admin.send(new ListAccessKeysCommand({})))).toEqual(nonUser);
    expect(await failure(admin.send(new CreateAccessKeyCommand({})))).toEqual(nonUser);
  });
});

describe("User policies", () => {
  beforeAll(async () => {
    await createUser({ UserName: "policy-holder" });
  });

  it("puts, gets (URL-encoded), lists and deletes inline policies, which take effect", async () => {
    const creds = await keyFor("policy-holder");
    const holder = t.iam(creds);
    expect(await failure(holder.send(new ListUsersCommand({})))).toEqual(notAuthorized(userArn(PROD, "policy-holder"), "iam:ListUsers", `arn:aws:iam::${PROD}:user/`));

    const document = policyDocument([allow("iam:ListUsers")]);
    await admin.send(new PutUserPolicyCommand({ UserName: "policy-holder", PolicyName: "list-users", PolicyDocument: document }));
    expect((await holder.send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
    const got = await admin.send(new GetUserPolicyCommand({ UserName: "policy-holder", PolicyName: "list-users" }));
    expect(got).toMatchObject({ UserName: "policy-holder", PolicyName: "list-users", PolicyDocument: encodeURIComponent(document) });
    expect(decoded(got.PolicyDocument)).toBe(document);
    expect((await admin.send(new ListUserPoliciesCommand({ UserName: "policy-holder" }))).PolicyNames).toEqual(["list-users"]);

    await admin.send(new DeleteUserPolicyCommand({ UserName: "policy-holder", PolicyName: "list-users" }));
    expect(await failure(admin.send(new GetUserPolicyCommand({ UserName: "policy-holder", PolicyName: "list-users" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The user policy with name list-users cannot be found.",
      status: 404,
    });
    expect(await failure(holder.send(new ListUsersCommand({})))).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("keeps all inline policies of a user within 2,048 characters", async () => {
    const statement = (n: number) => allow("s3:GetObject", `arn:aws:s3:::${"x".repeat(n)}`);
    await admin.send(new PutUserPolicyCommand({ UserName: "policy-holder", PolicyName: "one", PolicyDocument: policyDocument([statement(900)]) }));
    expect(await failure(admin.send(new PutUserPolicyCommand({ UserName: "policy-holder", PolicyName: "two", PolicyDocument: policyDocument([statement(1100)]) })))).toEqual({
      name: "LimitExceededException",
      message: "Maximum policy size of 2048 bytes exceeded for user policy-holder",
      status: 409,
    });
    expect(await failure(admin.send(new PutUserPolicyCommand({ UserName: "policy-holder", PolicyName: "bad", PolicyDocument: policyDocument([{ Effect: "Allow", Action: "s3:*" }]) })))).toEqual({
      name: "MalformedPolicyDocumentException",
      message: "Policy statement must contain resources.",
      status: 400,
    });
    await admin.send(new DeleteUserPolicyCommand({ UserName: "policy-holder", PolicyName: "one" }));
  });

  it("attaches and detaches managed policies, at most 10", async () => {
    const names = [
      "ReadOnlyAccess",
      "SecurityAudit",
      "IAMReadOnlyAccess",
      "AmazonS3ReadOnlyAccess",
      "AmazonEC2ReadOnlyAccess",
      "CloudWatchReadOnlyAccess",
      "AmazonDynamoDBReadOnlyAccess",
      "AmazonRDSReadOnlyAccess",
      "AWSCloudFormationReadOnlyAccess",
      "AmazonVPCReadOnlyAccess",
      "AmazonSQSReadOnlyAccess",
    ];
    for (const name of names.slice(0, 10)) {
      await admin.send(new AttachUserPolicyCommand({ UserName: "policy-holder", PolicyArn: awsPolicy(name) }));
    }
    expect(await failure(admin.send(new AttachUserPolicyCommand({ UserName: "policy-holder", PolicyArn: awsPolicy(names[10]!) })))).toEqual({
      name: "LimitExceededException",
      message: "Cannot exceed quota for PoliciesPerUser: 10",
      status: 409,
    });
    const attached = (await admin.send(new ListAttachedUserPoliciesCommand({ UserName: "policy-holder" }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyName).sort()).toEqual(names.slice(0, 10).sort());
    // Users count in a policy's attachments and entities.
    expect((await admin.send(new GetPolicyCommand({ PolicyArn: awsPolicy("SecurityAudit") }))).Policy?.AttachmentCount).toBe(2);
    const entities = await admin.send(new ListEntitiesForPolicyCommand({ PolicyArn: awsPolicy("SecurityAudit") }));
    expect(entities.PolicyUsers?.map((u) => u.UserName)).toEqual(["policy-holder"]);
    expect(entities.PolicyRoles?.map((r) => r.RoleName)).toEqual(["ThirdPartyAuditor"]);

    for (const name of names.slice(0, 10)) {
      await admin.send(new DetachUserPolicyCommand({ UserName: "policy-holder", PolicyArn: awsPolicy(name) }));
    }
    expect((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: "policy-holder" }))).AttachedPolicies).toEqual([]);
    expect(await failure(admin.send(new DetachUserPolicyCommand({ UserName: "policy-holder", PolicyArn: awsPolicy("ReadOnlyAccess") })))).toEqual({
      name: "NoSuchEntityException",
      message: `Policy ${awsPolicy("ReadOnlyAccess")} was not found.`,
      status: 404,
    });
  });

  it("answers NoSuchEntity for a missing user", async () => {
    const missing = { name: "NoSuchEntityException", message: "The user with name ghost cannot be found.", status: 404 };
    expect(await failure(admin.send(new PutUserPolicyCommand({ UserName: "ghost", PolicyName: "p", PolicyDocument: policyDocument([allow("s3:*")]) })))).toEqual(
      missing,
    );
    expect(await failure(admin.send(new ListUserPoliciesCommand({ UserName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new AttachUserPolicyCommand({ UserName: "ghost", PolicyArn: awsPolicy("ReadOnlyAccess") })))).toEqual(missing);
    expect(await failure(admin.send(new ListAttachedUserPoliciesCommand({ UserName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new ListAccessKeysCommand({ UserName: "ghost" })))).toEqual(missing);
    expect(await failure(admin.send(new DeleteUserPolicyCommand({ UserName: "policy-holder", PolicyName: "never-put" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The user policy with name never-put cannot be found.",
      status: 404,
    });
  });
});

describe("DeleteUser", () => {
  it("refuses while the user has access keys, inline policies or attached policies", async () => {
    await createUser({ UserName: "leaver" });
    const key = await keyFor("leaver");
    await admin.send(new PutUserPolicyCommand({ UserName: "leaver", PolicyName: "inline", PolicyDocument: policyDocument([allow("s3:GetObject")]) }));
    await admin.send(new AttachUserPolicyCommand({ UserName: "leaver", PolicyArn: awsPolicy("ReadOnlyAccess") }));
    const conflict = (message: string) => ({ name: "DeleteConflictException", message, status: 409 });
    const del = () => failure(admin.send(new DeleteUserCommand({ UserName: "leaver" })));

    expect(await del()).toEqual(conflict("Cannot delete entity, must delete access keys first."));
    await admin.send(new DeleteAccessKeyCommand({ UserName: "leaver", AccessKeyId: key.accessKeyId }));
    expect(await del()).toEqual(conflict("Cannot delete entity, must delete policies first."));
    await admin.send(new DeleteUserPolicyCommand({ UserName: "leaver", PolicyName: "inline" }));
    expect(await del()).toEqual(conflict("Cannot delete entity, must detach all policies first."));
    await admin.send(new DetachUserPolicyCommand({ UserName: "leaver", PolicyArn: awsPolicy("ReadOnlyAccess") }));
    await admin.send(new DeleteUserCommand({ UserName: "leaver" }));
    expect(await failure(admin.send(new GetUserCommand({ UserName: "leaver" })))).toMatchObject({ name: "NoSuchEntityException", status: 404 });
    expect(await failure(admin.send(new DeleteUserCommand({ UserName: "leaver" })))).toEqual({
      name: "NoSuchEntityException",
      message: "The user with name leaver cannot be found.",
      status: 404,
    });
  });

  it("rewrites trust policies naming a deleted user (in any account) to its unique id", async () => {
    const devAdmin = await adminIam(t, DEV);
    const contractorArn = userArn(DEV, "contractor");
    const target = roleArn(PROD, "contractor-access");
    const hire = async () => {
      const user = await createUser({ UserName: "contractor" }, devAdmin);
      await devAdmin.send(new PutUserPolicyCommand({ UserName: "contractor", PolicyName: "assume", PolicyDocument: policyDocument([allow("sts:AssumeRole", target)]) }));
      return { user, key: await keyFor("contractor", devAdmin) };
    };
    const assume = (creds: Creds) => t.sts(creds).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "work" }));

    const first = await hire();
    await admin.send(new CreateRoleCommand({ RoleName: "contractor-access", AssumeRolePolicyDocument: trustPolicy(trusting(contractorArn)) }));
    expect((await assume(first.key)).AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "contractor-access", "work"));

    await devAdmin.send(new DeleteAccessKeyCommand({ UserName: "contractor", AccessKeyId: first.key.accessKeyId }));
    await devAdmin.send(new DeleteUserPolicyCommand({ UserName: "contractor", PolicyName: "assume" }));
    await devAdmin.send(new DeleteUserCommand({ UserName: "contractor" }));
    const trust = JSON.parse(decoded((await admin.send(new GetRoleCommand({ RoleName: "contractor-access" }))).Role?.AssumeRolePolicyDocument));
    expect(trust.Statement[0].Principal.AWS).toBe(first.user.UserId);

    const second = await hire();
    expect(second.user.UserId).not.toBe(first.user.UserId);
    expect(await failure(assume(second.key))).toEqual({
      name: "AccessDenied",
      message: `User: ${contractorArn} is not authorized to perform: sts:AssumeRole on resource: ${target}`,
      status: 403,
    });
  });
});

describe("ListMFADevices", () => {
  it("lists a user's virtual MFA devices", async () => {
    const opsAdmin = await adminIam(t, OPS);
    const devices = (await opsAdmin.send(new ListMFADevicesCommand({ UserName: "switchboard" }))).MFADevices;
    expect(devices).toEqual([{ UserName: "switchboard", SerialNumber: `arn:aws:iam::${OPS}:mfa/switchboard`, EnableDate: expect.any(Date) }]);
    expect((await admin.send(new ListMFADevicesCommand({ UserName: "carol" }))).MFADevices).toEqual([]);
  });

  it("lists the caller's own devices without a name, and needs one from a role session", async () => {
    const alice = t.iam(await keyFor("alice"));
    expect((await alice.send(new ListMFADevicesCommand({}))).MFADevices).toEqual([]);
    expect(await failure(admin.send(new ListMFADevicesCommand({})))).toEqual({
      name: "ValidationError",
      message: "Must specify userName when calling with non-User credentials",
      status: 400,
    });
    expect(await failure(admin.send(new ListMFADevicesCommand({ UserName: "ghost" })))).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });
});
