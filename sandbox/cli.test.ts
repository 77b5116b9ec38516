// Independent clients against the sandbox: the AWS CLI (botocore) and boto3. They sign, parse
// and assume roles with their own code, not ours.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLE_PROFILES } from "./core/files";
import { SEED_SCP } from "./core/seed";
import { adminIam, DEV as DEV_ACCOUNT, OPS, PROD, revocableRole, revocationDocument, roleArn, session, TEST } from "./iam-test-support";
import { credsOf, startTestSandbox, type TestSandbox } from "./testing";

const run = promisify(execFile);

async function has(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const hasAws = await has("aws", ["--version"]);
const hasBoto3 = await has("python3", ["-c", "import boto3"]);
if (!hasAws) console.log("cli.test: the AWS CLI (`aws`) is not installed; the CLI tests are skipped");
if (!hasBoto3) console.log("cli.test: python3 with boto3 is not installed; the boto3 test is skipped");

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

/** A clean environment: only what the test gives, never the developer's own AWS settings, and
 * a HOME of its own, because the CLI caches assumed-role credentials in ~/.aws/cli/cache. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(clean)) if (key.startsWith("AWS_")) delete clean[key];
  return { ...clean, HOME: t.dir, AWS_EC2_METADATA_DISABLED: "true", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", ...extra };
}

async function aws(args: string[], extra: Record<string, string>) {
  const { stdout } = await run("aws", [...args, "--output", "json"], { env: env(extra), timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe.skipIf(!hasAws)("AWS CLI", () => {
  it("assumes a role, and the exported credentials identify the assumed role", async () => {
    const brokerEnv = { AWS_ACCESS_KEY_ID: t.broker.accessKeyId, AWS_SECRET_ACCESS_KEY: t.broker.secretAccessKey };
    const out = (await aws(
      ["--endpoint-url", t.url, "sts", "assume-role", "--role-arn", "arn:aws:iam::111111111111:role/ReadOnly", "--role-session-name", "cli-user", "--duration-seconds", "7200"],
      brokerEnv,
    )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; AssumedRoleUser: { Arn: string } };
    expect(out.AssumedRoleUser.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/cli-user");
    const id = await aws(["--endpoint-url", t.url, "sts", "get-caller-identity"], {
      AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: out.Credentials.SessionToken,
    });
    expect(id.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/cli-user");
  });

  it("reports AWS's denial text to the CLI user", async () => {
    const err = await run("aws", ["--endpoint-url", t.url, "sts", "assume-role", "--role-arn", "arn:aws:iam::444444444444:role/DevelopmentTesters", "--role-session-name", "x1"], {
      env: env({ AWS_ACCESS_KEY_ID: t.broker.accessKeyId, AWS_SECRET_ACCESS_KEY: t.broker.secretAccessKey }),
    }).catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toContain(
      "An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::333333333333:user/switchboard is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role/DevelopmentTesters",
    );
  });

  it("reports the explicit deny to a CLI user whose session was revoked, and still answers get-caller-identity", async () => {
    const { arn } = await revocableRole(t, "CliRevoked");
    const alice = credsOf(await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "alice" })));
    const before = new Date((await t.admin.now()).getTime() + 1000);
    await (await adminIam(t, PROD)).send(
      new PutRolePolicyCommand({ RoleName: "CliRevoked", PolicyName: "revoke-alice", PolicyDocument: revocationDocument(before, { StringLike: { "aws:userid": "*:alice" } }) }),
    );
    const aliceEnv = { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey, AWS_SESSION_TOKEN: alice.sessionToken! };
    const err = await run("aws", ["--endpoint-url", t.url, "iam", "get-role", "--role-name", "CliRevoked"], { env: env(aliceEnv) }).catch(
      (e: { stderr: string }) => e,
    );
    expect((err as { stderr: string }).stderr).toContain(
      `An error occurred (AccessDenied) when calling the GetRole operation: User: arn:aws:sts::${PROD}:assumed-role/CliRevoked/alice is not authorized to perform: iam:GetRole on resource: ${arn} with an explicit deny in an identity-based policy`,
    );
    const id = await aws(["--endpoint-url", t.url, "sts", "get-caller-identity"], aliceEnv);
    expect(id.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/CliRevoked/alice`);
  });

  const files = () => ({ AWS_SHARED_CREDENTIALS_FILE: t.sandbox.files.credentials, AWS_CONFIG_FILE: t.sandbox.files.config });

  it.each(["switchboard", "developer"])("works with the user profile %s from .sandbox/credentials", async (profile) => {
    const id = await aws(["--endpoint-url", t.url, "--profile", profile, "sts", "get-caller-identity"], files());
    expect(id.Arn).toMatch(new RegExp(`:user/${profile}$`));
  });

  it.each(ROLE_PROFILES.map((p) => [p.profile, p.roleArn, p.source]))(
    "works with the role profile %s (role_arn + source_profile in .sandbox/config)",
    async (profile, roleArn, source) => {
      const id = await aws(["--endpoint-url", t.url, "--profile", profile, "sts", "get-caller-identity"], files());
      const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn)!;
      expect(id.Arn).toBe(`arn:aws:sts::${account}:assumed-role/${name}/${source}-cli`);
    },
  );

  it("writes profiles the CLI can use without --endpoint-url (endpoint_url in each profile)", async () => {
    const config = readFileSync(t.sandbox.files.config, "utf8");
    expect(config).toContain(`endpoint_url = ${t.url}`);
    const id = await aws(["--profile", "production-readonly", "sts", "get-caller-identity"], files());
    expect(id.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/switchboard-cli");
  });

  it("lists the organization's accounts through the JSON protocol", async () => {
    const out = (await aws(["--profile", "switchboard", "organizations", "list-accounts"], files())) as { Accounts: Array<{ Id: string }> };
    expect(out.Accounts.map((a) => a.Id)).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
  });
});

describe.skipIf(!hasAws)("AWS CLI: Organizations policies", () => {
  /** The management account's provisioning role: the broker itself may not list policies. */
  const orgAdminEnv = async () => {
    const c = await session(t, roleArn(OPS, "OrganizationAccountAccessRole"), "cli-org-admin");
    return { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken! };
  };

  it("lists the SCPs, and those attached to the Test account", async () => {
    const adminEnv = await orgAdminEnv();
    const out = (await aws(["--endpoint-url", t.url, "organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY"], adminEnv)) as {
      Policies: Array<{ Id: string; Name: string; AwsManaged: boolean; Type: string }>;
    };
    expect(out.Policies.map((p) => [p.Name, p.AwsManaged, p.Type])).toEqual([
      ["FullAWSAccess", true, "SERVICE_CONTROL_POLICY"],
      [SEED_SCP.name, false, "SERVICE_CONTROL_POLICY"],
    ]);
    const attached = (await aws(["--endpoint-url", t.url, "organizations", "list-policies-for-target", "--target-id", TEST, "--filter", "SERVICE_CONTROL_POLICY"], adminEnv)) as {
      Policies: Array<{ Id: string }>;
    };
    expect(attached.Policies.map((p) => p.Id)).toEqual(["p-FullAWSAccess", out.Policies[1]!.Id]);
  });

  it("reports AWS's refusals: a policy that cannot be detached, and the SCP's denial of a Test principal", async () => {
    const adminEnv = await orgAdminEnv();
    const err = await run("aws", ["--endpoint-url", t.url, "organizations", "detach-policy", "--policy-id", "p-RCPFullAWSAccess", "--target-id", TEST], { env: env(adminEnv) }).catch(
      (e: { stderr: string }) => e,
    );
    expect((err as { stderr: string }).stderr).toContain("An error occurred (InvalidInputException) when calling the DetachPolicy operation: You can't detach this AWS Managed Policy.");
    const tester = await session(t, roleArn(TEST, "OrganizationAccountAccessRole"), "cli-tester");
    const denied = await run("aws", ["--endpoint-url", t.url, "sts", "assume-role", "--role-arn", roleArn(PROD, "ReadOnly"), "--role-session-name", "cli-x"], {
      env: env({ AWS_ACCESS_KEY_ID: tester.accessKeyId, AWS_SECRET_ACCESS_KEY: tester.secretAccessKey, AWS_SESSION_TOKEN: tester.sessionToken! }),
    }).catch((e: { stderr: string }) => e);
    expect((denied as { stderr: string }).stderr).toContain(
      `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::${TEST}:assumed-role/OrganizationAccountAccessRole/cli-tester is not authorized to perform: sts:AssumeRole on resource: ${roleArn(PROD, "ReadOnly")} with an explicit deny in a service control policy`,
    );
  });
});

describe.skipIf(!hasBoto3)("boto3: Organizations errors", () => {
  it("parses the error code and its Reason", async () => {
    const c = await session(t, roleArn(OPS, "OrganizationAccountAccessRole"), "boto-org-admin");
    const script = `
import boto3, json, sys
org = boto3.client("organizations", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=sys.argv[2],
                   aws_secret_access_key=sys.argv[3], aws_session_token=sys.argv[4])
out = {}
for name, call in [("duplicate", lambda: org.attach_policy(PolicyId="p-FullAWSAccess", TargetId=sys.argv[5])),
                   ("last", lambda: org.detach_policy(PolicyId="p-FullAWSAccess", TargetId=sys.argv[5]))]:
    try:
        call()
        out[name] = None
    except org.exceptions.ClientError as e:
        out[name] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"], "reason": e.response.get("Reason"), "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
print(json.dumps(out))
`;
    const { stdout } = await run("python3", ["-c", script, t.url, c.accessKeyId, c.secretAccessKey, c.sessionToken!, DEV_ACCOUNT], { env: env({}), timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      duplicate: { code: "DuplicatePolicyAttachmentException", message: "The selected policy is already attached to the specified target.", reason: null, status: 400 },
      last: {
        code: "ConstraintViolationException",
        message: "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.",
        reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
        status: 400,
      },
    });
  });
});

describe.skipIf(!hasBoto3)("boto3", () => {
  it("assumes a role with a source identity and reads who it is", async () => {
    const script = `
import boto3, json, sys
s = boto3.session.Session(aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], region_name="us-east-1")
sts = s.client("sts", endpoint_url=sys.argv[1])
out = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/ReadOnly", RoleSessionName="boto", SourceIdentity="alice")
c = out["Credentials"]
who = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                   aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"]).get_caller_identity()
print(json.dumps({"arn": who["Arn"], "source": out.get("SourceIdentity"), "expires": c["Expiration"].isoformat()}))
`;
    const { stdout } = await run("python3", ["-c", script, t.url, t.broker.accessKeyId, t.broker.secretAccessKey], { env: env({}), timeout: 60_000 });
    const out = JSON.parse(stdout) as { arn: string; source: string; expires: string };
    expect(out.arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/boto");
    expect(out.source).toBe("alice");
    expect(Date.parse(out.expires)).toBeGreaterThan(Date.now());
  });
});
