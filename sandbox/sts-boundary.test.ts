// AssumeRole and the caller's permissions boundary, against the sandbox with the real SDK.
// "If a user is listed as the principal in a role's trust policy but cannot assume the role,
// check the user's permissions boundary. If a permissions boundary is set for the user, then it
// must allow the sts:AssumeRole action."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, type IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminIam, awsPolicy, failure, PROD, roleArn, trustPolicy, trusting, userArn } from "./iam-test-support";
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

/** A user in Production, with `boundary` as its permissions boundary and no identity policy, and
 * a role in Production whose trust policy names that user directly. */
async function userTrustedByName(name: string, boundary?: string): Promise<{ creds: Creds; role: string }> {
  await admin.send(new CreateUserCommand({ UserName: name, ...(boundary && { PermissionsBoundary: boundary }) }));
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  await admin.send(new CreateRoleCommand({ RoleName: `${name}-target`, AssumeRolePolicyDocument: trustPolicy(trusting(userArn(PROD, name))) }));
  return { creds: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, role: roleArn(PROD, `${name}-target`) };
}

const assume = (creds: Creds, role: string) => t.sts(creds).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: "boundary-test" }));

describe("AssumeRole: a user named in the trust policy, within one account (Update a role trust policy)", () => {
  it("is allowed without any identity policy when the user has no permissions boundary", async () => {
    const { creds, role } = await userTrustedByName("unbounded");
    expect((await assume(creds, role)).AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/unbounded-target/boundary-test`);
  });

  it("is refused when the user's permissions boundary does not allow sts:AssumeRole", async () => {
    const { creds, role } = await userTrustedByName("s3-bounded", awsPolicy("AmazonS3ReadOnlyAccess"));
    const since = await t.admin.lastSeq();
    expect(await failure(assume(creds, role))).toEqual({
      name: "AccessDenied",
      message: `User: ${userArn(PROD, "s3-bounded")} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
      status: 403,
    });
    const [call] = await t.admin.calls({ since, action: "AssumeRole" });
    expect(call?.detail.denyMissing).toBe("boundary");
  });

  it("is allowed when the user's permissions boundary allows sts:AssumeRole", async () => {
    const { creds, role } = await userTrustedByName("power-bounded", awsPolicy("PowerUserAccess"));
    expect((await assume(creds, role)).AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/power-bounded-target/boundary-test`);
  });
});
