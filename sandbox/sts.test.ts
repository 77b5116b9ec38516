// STS against the sandbox with the real @aws-sdk/client-sts over HTTP.
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

const PROD = "111111111111";
const DEV = "222222222222";
const OPS = "333333333333";
const TEST = "444444444444";
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const BROKER_ARN = `arn:aws:iam::${OPS}:user/switchboard`;
const DEVELOPER_ARN = `arn:aws:iam::${DEV}:user/developer`;
const MFA_SERIAL = `arn:aws:iam::${OPS}:mfa/switchboard`;

async function awsError(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

const assume = (creds: Creds, input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> & { RoleArn: string }) =>
  t.sts(creds).send(new AssumeRoleCommand({ RoleSessionName: "alice", ...input }));

const denial = (caller: string, roleArn: string, action = "sts:AssumeRole") =>
  `User: ${caller} is not authorized to perform: ${action} on resource: ${roleArn}`;

describe("GetCallerIdentity", () => {
  it("names the IAM user behind long-term keys", async () => {
    const id = await t.sts(t.broker).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(BROKER_ARN);
    expect(id.Account).toBe(OPS);
    expect(id.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it("names the role session behind temporary credentials", async () => {
    const out = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly") });
    const id = await t.sts(credsOf(out)).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/ReadOnly/alice`);
    expect(id.Account).toBe(PROD);
    expect(id.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId);
  });
});

describe("AssumeRole: credentials look like AWS's", () => {
  it("returns an ASIA key, secret, token, expiry and the assumed-role user", async () => {
    const before = Date.now();
    const out = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), DurationSeconds: 7200 });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const expiry = out.Credentials!.Expiration!.getTime();
    expect(expiry - before).toBeGreaterThan(7190_000);
    expect(expiry - before).toBeLessThan(7210_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/ReadOnly/alice`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:alice$/);
  });
});

describe("AssumeRole: both halves of a cross-account trust", () => {
  it("allows the Development user into delegate_read_my_bucket (trust and identity policy both allow)", async () => {
    const out = await assume(t.developer, { RoleArn: role(PROD, "delegate_read_my_bucket"), RoleSessionName: "dev" });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/delegate_read_my_bucket/dev`);
  });

  it("denies when the trust policy allows the account but the caller's identity policy does not", async () => {
    const since = await t.admin.lastSeq();
    const arn = role(TEST, "DevelopmentTesters");
    const err = await awsError(assume(t.developer, { RoleArn: arn }));
    expect(err).toEqual({ name: "AccessDenied", message: denial(DEVELOPER_ARN, arn), status: 403 });
    const [call] = await t.admin.calls({ since, action: "AssumeRole" });
    expect(call?.detail.denyMissing).toBe("identity");
  });

  it("denies when the caller's identity policy allows but the trust policy does not (the broker and the Test role)", async () => {
    const since = await t.admin.lastSeq();
    const arn = role(TEST, "DevelopmentTesters");
    const err = await awsError(assume(t.broker, { RoleArn: arn }));
    expect(err).toEqual({ name: "AccessDenied", message: denial(BROKER_ARN, arn), status: 403 });
    const [call] = await t.admin.calls({ since, action: "AssumeRole" });
    expect(call?.detail.denyMissing).toBe("resource");
  });

  it("denies a role that does not exist with AccessDenied, not NoSuchEntity", async () => {
    const arn = role(PROD, "NoSuchRole");
    const err = await awsError(assume(t.broker, { RoleArn: arn }));
    expect(err).toEqual({ name: "AccessDenied", message: denial(BROKER_ARN, arn), status: 403 });
  });

  it("denies a role ARN whose path does not match the role's", async () => {
    const arn = "arn:aws:iam::111111111111:role/team/ReadOnly";
    expect((await awsError(assume(t.broker, { RoleArn: arn }))).name).toBe("AccessDenied");
  });

  it("within one account, a trust policy naming the account root also needs the identity policy", async () => {
    // The Operations provisioning role trusts the Operations root; the broker (in Operations)
    // gets in only because its identity policy allows sts:AssumeRole.
    const out = await assume(t.broker, { RoleArn: role(OPS, "OrganizationAccountAccessRole") });
    expect(out.AssumedRoleUser?.Arn).toContain(`${OPS}:assumed-role/OrganizationAccountAccessRole/alice`);
  });
});

describe("AssumeRole: ExternalId", () => {
  const arn = role(PROD, "ThirdPartyAuditor");
  it("is denied without the ExternalId", async () => {
    expect(await awsError(assume(t.broker, { RoleArn: arn }))).toMatchObject({ name: "AccessDenied", message: denial(BROKER_ARN, arn) });
  });
  it("is denied with a wrong ExternalId", async () => {
    expect((await awsError(assume(t.broker, { RoleArn: arn, ExternalId: "wrong-value" }))).name).toBe("AccessDenied");
  });
  it("is allowed with the right ExternalId", async () => {
    const out = await assume(t.broker, { RoleArn: arn, ExternalId: "switchboard-demo-7f3a9c2e" });
    expect(out.AssumedRoleUser?.Arn).toContain("assumed-role/ThirdPartyAuditor/alice");
  });
  it("rejects an ExternalId that is too short, as AWS validates it", async () => {
    const err = await awsError(assume(t.broker, { RoleArn: arn, ExternalId: "x" }));
    expect(err.name).toBe("ValidationError");
    expect(err.message).toContain("'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2");
  });
});

describe("AssumeRole: MFA", () => {
  const arn = role(PROD, "BreakGlassAdmin");
  it("is denied without MFA", async () => {
    expect((await awsError(assume(t.broker, { RoleArn: arn }))).name).toBe("AccessDenied");
  });
  it("is allowed with the serial number and a current code, once per code", async () => {
    const code = await t.admin.totp(MFA_SERIAL);
    const out = await assume(t.broker, { RoleArn: arn, SerialNumber: MFA_SERIAL, TokenCode: code });
    expect(out.AssumedRoleUser?.Arn).toContain("assumed-role/BreakGlassAdmin/alice");
    const reused = await awsError(assume(t.broker, { RoleArn: arn, SerialNumber: MFA_SERIAL, TokenCode: code }));
    expect(reused).toMatchObject({ name: "AccessDenied", message: "MultiFactorAuthentication failed with invalid MFA one time pass code." });
  });
  it("explains a wrong code and a missing half", async () => {
    const wrong = await awsError(assume(t.broker, { RoleArn: arn, SerialNumber: MFA_SERIAL, TokenCode: "000000" }));
    // "000000" could in theory be the current code; the message is the same for any bad code.
    expect(wrong.message).toMatch(/^MultiFactorAuthentication failed/);
    const half = await awsError(assume(t.broker, { RoleArn: arn, SerialNumber: MFA_SERIAL }));
    expect(half.message).toBe("MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
  });
  it("carries MFA from GetSessionToken into AssumeRole", async () => {
    await t.admin.advanceClock(30); // a fresh TOTP step, so the code was not used above
    const code = await t.admin.totp(MFA_SERIAL);
    const session = await t.sts(t.broker).send(new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: code, DurationSeconds: 3600 }));
    expect(session.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const out = await assume(credsOf(session), { RoleArn: arn });
    expect(out.AssumedRoleUser?.Arn).toContain("BreakGlassAdmin");
    const id = await t.sts(credsOf(session)).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(BROKER_ARN);
  });
  it("refuses GetSessionToken with session credentials", async () => {
    const out = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly") });
    const err = await awsError(t.sts(credsOf(out)).send(new GetSessionTokenCommand({})));
    expect(err).toMatchObject({ name: "AccessDenied", message: "Cannot call GetSessionToken with session credentials" });
  });
});

describe("AssumeRole: durations and role chaining", () => {
  it("allows up to the role's MaxSessionDuration from long-term keys", async () => {
    const out = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), DurationSeconds: 43200 });
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(43000_000);
  });
  it("refuses more than the role's MaxSessionDuration", async () => {
    const err = await awsError(assume(t.broker, { RoleArn: role(DEV, "ReadOnly"), DurationSeconds: 20000 }));
    expect(err).toMatchObject({ name: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." });
  });
  it("refuses durations outside 900–43200 with AWS's validation message", async () => {
    const err = await awsError(assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), DurationSeconds: 899 }));
    expect(err.message).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });
  it("caps role chaining at one hour with AWS's text", async () => {
    const first = await assume(t.broker, { RoleArn: role(DEV, "PowerUser") });
    const chained = t.sts(credsOf(first));
    const err = await awsError(
      chained.send(new AssumeRoleCommand({ RoleArn: role(PROD, "delegate_read_my_bucket"), RoleSessionName: "chain", DurationSeconds: 3601 })),
    );
    expect(err).toEqual({
      name: "ValidationError",
      message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      status: 400,
    });
    const ok = await chained.send(new AssumeRoleCommand({ RoleArn: role(PROD, "delegate_read_my_bucket"), RoleSessionName: "chain", DurationSeconds: 3600 }));
    expect(ok.AssumedRoleUser?.Arn).toContain("delegate_read_my_bucket/chain");
  });
  it("does not treat EC2 instance-profile credentials as role chaining", async () => {
    const instance = await t.admin.instanceCredentials(OPS, "JenkinsRole");
    const out = await t.sts(instance).send(new AssumeRoleCommand({ RoleArn: role(PROD, "CA_ServiceDeployer"), RoleSessionName: "jenkins-build-42" }));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/CA_ServiceDeployer/jenkins-build-42`);
  });
  it("lets a role ARN in a trust policy match that role's sessions only", async () => {
    // CA_ServiceDeployer trusts Operations' JenkinsRole; a session of another Operations role is refused.
    const other = await assume(t.broker, { RoleArn: role(OPS, "OrganizationAccountAccessRole") });
    const err = await awsError(t.sts(credsOf(other)).send(new AssumeRoleCommand({ RoleArn: role(PROD, "CA_ServiceDeployer"), RoleSessionName: "x1" })));
    expect(err.name).toBe("AccessDenied");
  });
});

describe("AssumeRole: source identity and session tags", () => {
  // A role trusting Operations for sts:AssumeRole alone (the seeded provisioning roles allow
  // sts:SetSourceIdentity and sts:TagSession too, because the console sets a source identity).
  const ASSUME_ONLY = role(PROD, "AssumeOnly");
  beforeAll(async () => {
    const admin = credsOf(await assume(t.broker, { RoleArn: role(PROD, "OrganizationAccountAccessRole"), RoleSessionName: "setup" }));
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OPS}:root` }, Action: "sts:AssumeRole" }] };
    await t.iam(admin).send(new CreateRoleCommand({ RoleName: "AssumeOnly", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  });

  it("sets SourceIdentity when the trust policy allows sts:SetSourceIdentity", async () => {
    const out = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), SourceIdentity: "alice@example.com" });
    expect(out.SourceIdentity).toBe("alice@example.com");
  });
  it("denies SourceIdentity without sts:SetSourceIdentity in the trust policy", async () => {
    const arn = ASSUME_ONLY;
    const err = await awsError(assume(t.broker, { RoleArn: arn, SourceIdentity: "alice" }));
    expect(err).toMatchObject({ name: "AccessDenied", message: denial(BROKER_ARN, arn, "sts:SetSourceIdentity") });
  });
  it("carries the source identity through role chaining, where the next trust must allow it too", async () => {
    const first = await assume(t.broker, { RoleArn: role(DEV, "PowerUser"), SourceIdentity: "alice" });
    const chained = t.sts(credsOf(first));
    // delegate_read_my_bucket trusts Development for sts:AssumeRole only: the inherited source
    // identity makes sts:SetSourceIdentity necessary.
    const arn = role(PROD, "delegate_read_my_bucket");
    const err = await awsError(chained.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "chain" })));
    expect(err.message).toBe(denial(`arn:aws:sts::${DEV}:assumed-role/PowerUser/alice`, arn, "sts:SetSourceIdentity"));
  });
  it("refuses to change the source identity while chaining", async () => {
    const first = await assume(t.broker, { RoleArn: role(DEV, "PowerUser"), SourceIdentity: "alice" });
    const err = await awsError(
      t.sts(credsOf(first)).send(new AssumeRoleCommand({ RoleArn: role(PROD, "ReadOnly"), RoleSessionName: "chain", SourceIdentity: "mallory" })),
    );
    expect(err.name).toBe("ValidationError");
    expect(err.message).toContain("cannot be changed");
  });
  it("refuses a source identity starting with aws:", async () => {
    const err = await awsError(assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), SourceIdentity: "aws:alice" }));
    expect(err.name).toBe("ValidationError");
  });
  it("allows session tags only with sts:TagSession", async () => {
    const ok = await assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), Tags: [{ Key: "team", Value: "platform" }] });
    expect(ok.PackedPolicySize).toBeGreaterThan(0);
    const arn = ASSUME_ONLY;
    const err = await awsError(assume(t.broker, { RoleArn: arn, Tags: [{ Key: "team", Value: "platform" }] }));
    expect(err.message).toBe(denial(BROKER_ARN, arn, "sts:TagSession"));
  });
});

describe("AssumeRole: parameters validated as AWS does", () => {
  it.each([
    ["a space", "alice smith", "Member must satisfy regular expression pattern: [\\w+=,.@-]*"],
    ["too short", "a", "Member must have length greater than or equal to 2"],
    ["too long", "a".repeat(65), "Member must have length less than or equal to 64"],
  ])("rejects a RoleSessionName with %s", async (_label, name, message) => {
    const err = await awsError(assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), RoleSessionName: name }));
    expect(err.name).toBe("ValidationError");
    expect(err.message).toContain(`at 'roleSessionName' failed to satisfy constraint: ${message}`);
  });
  it("rejects a malformed role ARN", async () => {
    const err = await awsError(assume(t.broker, { RoleArn: "arn:aws:iam::12345:role/short-account" }));
    expect(err.name).toBe("ValidationError");
  });
  it("maps an access key to its account, for a caller whose policies allow sts:GetAccessKeyInfo (ReadOnlyAccess does)", async () => {
    const reader = credsOf(await assume(t.broker, { RoleArn: role(PROD, "ReadOnly") }));
    const out = await t.sts(reader).send(new GetAccessKeyInfoCommand({ AccessKeyId: t.broker.accessKeyId }));
    expect(out.Account).toBe(OPS);
  });
  it("refuses GetAccessKeyInfo to a caller whose policies do not allow it", async () => {
    const err = await awsError(t.sts(t.developer).send(new GetAccessKeyInfoCommand({ AccessKeyId: t.broker.accessKeyId })));
    expect(err).toEqual({
      name: "AccessDenied",
      message: `User: ${DEVELOPER_ARN} is not authorized to perform: sts:GetAccessKeyInfo on resource: * because no identity-based policy allows the sts:GetAccessKeyInfo action`,
      status: 403,
    });
  });
});

describe("Signatures and credentials", () => {
  it("rejects a bad signature", async () => {
    const err = await awsError(t.sts({ ...t.broker, secretAccessKey: "x".repeat(40) }).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe("SignatureDoesNotMatch");
    expect(err.status).toBe(403);
  });
  it("rejects an unknown key", async () => {
    const err = await awsError(t.sts({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x".repeat(40) }).send(new GetCallerIdentityCommand({})));
    expect(err).toEqual({ name: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403 });
  });
  it("rejects session credentials without their token or with another one", async () => {
    const out = credsOf(await assume(t.broker, { RoleArn: role(PROD, "ReadOnly") }));
    expect((await awsError(t.sts({ ...out, sessionToken: undefined }).send(new GetCallerIdentityCommand({})))).name).toBe("InvalidClientTokenId");
    expect((await awsError(t.sts({ ...out, sessionToken: `${out.sessionToken}x` }).send(new GetCallerIdentityCommand({})))).name).toBe(
      "InvalidClientTokenId",
    );
  });
  it("rejects an expired session token after the clock moves past its expiry", async () => {
    const out = credsOf(await assume(t.broker, { RoleArn: role(PROD, "ReadOnly"), DurationSeconds: 900 }));
    await t.sts(out).send(new GetCallerIdentityCommand({}));
    await t.admin.advanceClock(901);
    const err = await awsError(t.sts(out).send(new GetCallerIdentityCommand({})));
    expect(err).toEqual({ name: "ExpiredToken", message: "The security token included in the request is expired", status: 403 });
  });
});
