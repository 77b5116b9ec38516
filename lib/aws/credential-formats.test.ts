import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromProcess } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_EXTERNAL_ID } from "@/sandbox/core/seed";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { CREDENTIAL_FORMATS, CREDENTIAL_SOURCES, profileNameFor, renderCredentials, type CredentialContext, type CredentialFormatId } from "./credential-formats";

// Secrets and tokens as STS issues them: base64 with + / and = padding.
const CTX: CredentialContext = {
  credentials: {
    accessKeyId: "ASIAQEXAMPLE7KEY2ID",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def==",
    expiration: "2026-11-22T18:30:00Z",
  },
  region: "eu-west-1",
  profileName: "production-readonly",
  roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
  sessionName: "alice@example.com",
  sourceProfile: "default",
  durationSeconds: 3600,
};
const { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN } = CTX.credentials;
const NOTE = "Temporary credentials for arn:aws:iam::111111111111:role/ReadOnly, valid until 2026-11-22T18:30:00Z";

describe("CREDENTIAL_FORMATS", () => {
  it("lists every format once, in the order the dialog shows them", () => {
    expect(CREDENTIAL_FORMATS.map((f) => f.id)).toEqual(["bash", "fish", "powershell", "cmd", "credentials", "config", "credential_process", "dotenv"]);
    expect(CREDENTIAL_FORMATS.find((f) => f.id === "credentials")?.filename).toBe("~/.aws/credentials");
    expect(CREDENTIAL_FORMATS.find((f) => f.id === "config")?.filename).toBe("~/.aws/config");
    expect(CREDENTIAL_FORMATS.find((f) => f.id === "dotenv")?.filename).toBe(".env");
  });
});

describe("renderCredentials: golden outputs", () => {
  it.each<[CredentialFormatId, string]>([
    [
      "bash",
      `# ${NOTE}
export AWS_ACCESS_KEY_ID='${KEY}'
export AWS_SECRET_ACCESS_KEY='${SECRET}'
export AWS_SESSION_TOKEN='${TOKEN}'
export AWS_REGION='eu-west-1'
export AWS_DEFAULT_REGION='eu-west-1'
`,
    ],
    [
      "fish",
      `# ${NOTE}
set -gx AWS_ACCESS_KEY_ID '${KEY}'
set -gx AWS_SECRET_ACCESS_KEY '${SECRET}'
set -gx AWS_SESSION_TOKEN '${TOKEN}'
set -gx AWS_REGION 'eu-west-1'
set -gx AWS_DEFAULT_REGION 'eu-west-1'
`,
    ],
    [
      "powershell",
      `# ${NOTE}
$Env:AWS_ACCESS_KEY_ID='${KEY}'
$Env:AWS_SECRET_ACCESS_KEY='${SECRET}'
$Env:AWS_SESSION_TOKEN='${TOKEN}'
$Env:AWS_REGION='eu-west-1'
$Env:AWS_DEFAULT_REGION='eu-west-1'
`,
    ],
    [
      "cmd",
      `REM ${NOTE}
set AWS_ACCESS_KEY_ID=${KEY}
set AWS_SECRET_ACCESS_KEY=${SECRET}
set AWS_SESSION_TOKEN=${TOKEN}
set AWS_REGION=eu-west-1
set AWS_DEFAULT_REGION=eu-west-1
`,
    ],
    [
      "credentials",
      `# ${NOTE}
[production-readonly]
aws_access_key_id = ${KEY}
aws_secret_access_key = ${SECRET}
aws_session_token = ${TOKEN}
`,
    ],
    [
      "config",
      `# Assumes arn:aws:iam::111111111111:role/ReadOnly with the credentials of profile default
[profile production-readonly]
role_arn = arn:aws:iam::111111111111:role/ReadOnly
source_profile = default
role_session_name = alice@example.com
duration_seconds = 3600
region = eu-west-1
`,
    ],
    [
      "credential_process",
      `{
  "Version": 1,
  "AccessKeyId": "${KEY}",
  "SecretAccessKey": "${SECRET}",
  "SessionToken": "${TOKEN}",
  "Expiration": "2026-11-22T18:30:00Z"
}
`,
    ],
    [
      "dotenv",
      `# ${NOTE}
AWS_ACCESS_KEY_ID=${KEY}
AWS_SECRET_ACCESS_KEY=${SECRET}
AWS_SESSION_TOKEN=${TOKEN}
AWS_REGION=eu-west-1
AWS_DEFAULT_REGION=eu-west-1
`,
    ],
  ])("%s", (format, expected) => {
    expect(renderCredentials(format, CTX)).toBe(expected);
  });

  it("config: adds external_id when the entry has one, and uses [default] for the default profile", () => {
    const text = renderCredentials("config", { ...CTX, profileName: "default", externalId: "switchboard-demo-7f3a9c2e" });
    expect(text).toContain("\n[default]\n");
    expect(text).toContain("\nrole_session_name = alice@example.com\nexternal_id = switchboard-demo-7f3a9c2e\nduration_seconds = 3600\n");
  });

  it("config with credential_source: that line instead of source_profile, never both", () => {
    expect(renderCredentials("config", { ...CTX, credentialSource: "Ec2InstanceMetadata", externalId: "switchboard-demo-7f3a9c2e" })).toBe(
      `# Assumes arn:aws:iam::111111111111:role/ReadOnly with the credentials of the EC2 instance role (Ec2InstanceMetadata)
[profile production-readonly]
role_arn = arn:aws:iam::111111111111:role/ReadOnly
credential_source = Ec2InstanceMetadata
role_session_name = alice@example.com
external_id = switchboard-demo-7f3a9c2e
duration_seconds = 3600
region = eu-west-1
`,
    );
    for (const source of CREDENTIAL_SOURCES) {
      const text = renderCredentials("config", { ...CTX, credentialSource: source });
      expect(text).toContain(`\ncredential_source = ${source}\n`);
      expect(text).not.toContain("source_profile");
    }
  });

  it("config: carries no temporary credentials", () => {
    const text = renderCredentials("config", CTX);
    for (const value of [KEY, SECRET, TOKEN]) expect(text).not.toContain(value);
  });

  it("credential_process: prints the JSON the AWS CLI expects", () => {
    expect(JSON.parse(renderCredentials("credential_process", CTX))).toEqual({
      Version: 1,
      AccessKeyId: KEY,
      SecretAccessKey: SECRET,
      SessionToken: TOKEN,
      Expiration: "2026-11-22T18:30:00Z",
    });
  });
});

describe("renderCredentials: refuses values that could break out of a format", () => {
  const credentials = CTX.credentials;
  it.each<[string, Partial<CredentialContext>, string]>([
    ["a secret with a quote", { credentials: { ...credentials, secretAccessKey: "abc'; rm -rf ~; '" } }, "secretAccessKey"],
    ["a token with a newline", { credentials: { ...credentials, sessionToken: "abc\n[evil]" } }, "sessionToken"],
    ["a token with cmd's & and %", { credentials: { ...credentials, sessionToken: "a&calc%PATH%" } }, "sessionToken"],
    ["a lower-case key id", { credentials: { ...credentials, accessKeyId: "asia1234567890123" } }, "accessKeyId"],
    ["a non-ISO expiry", { credentials: { ...credentials, expiration: "Sun, 22 Nov 2026 18:30:00 GMT" } }, "expiration"],
    ["a region with a space", { region: "eu-west-1 x" }, "region"],
    ["a profile name with ]", { profileName: "prod]\n[evil" }, "profileName"],
    ["a source profile with a space", { sourceProfile: "my profile" }, "sourceProfile"],
    ["a credential source the AWS CLI does not know", { credentialSource: "Ec2InstanceMetadata\nsource_profile = x" as never }, "credentialSource"],
    ["a role ARN with a newline", { roleArn: "arn:aws:iam::111111111111:role/ReadOnly\nx = y" }, "roleArn"],
    ["a session name AWS would refuse", { sessionName: "alice smith" }, "sessionName"],
    ["an ExternalId AWS would refuse", { externalId: "a b" }, "externalId"],
    ["a duration under 900", { durationSeconds: 899 }, "durationSeconds"],
  ])("%s", (_name, change, field) => {
    for (const { id } of CREDENTIAL_FORMATS) {
      expect(() => renderCredentials(id, { ...CTX, ...change })).toThrow(new RegExp(`invalid ${field}$`));
    }
  });

  it("never puts a refused value in its message", () => {
    const secret = "leaky secret value";
    expect(() => renderCredentials("bash", { ...CTX, credentials: { ...credentials, secretAccessKey: secret } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});

describe("profileNameFor", () => {
  it.each([
    ["Production", "ReadOnly", "production-readonly"],
    ["Acme Dev", "delegate_read_my_bucket", "acme-dev-delegate-read-my-bucket"],
    ["Présentation", "Admin", "presentation-admin"],
    ["  ops / eu  ", "Role+Name=1", "ops-eu-role-name-1"],
    ["", "ReadOnly", "readonly"],
    ["???", "!!!", "switchboard"],
    ["a".repeat(60), "ReadOnly", `${"a".repeat(60)}-rea`],
    ["a".repeat(63), "ReadOnly", "a".repeat(63)],
  ])("%j + %j → %j", (account, role, expected) => {
    expect(profileNameFor(account, role)).toBe(expected);
  });

  it("is always a valid profile name for renderCredentials", () => {
    expect(() => renderCredentials("credentials", { ...CTX, profileName: profileNameFor("Prod (EU) ✓", "Admin/Path") })).not.toThrow();
  });
});

const installed = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

/** Runs a command with `input` on stdin; returns stdout. */
function run(command: string, args: string[], input: string): string {
  // No AWS_* variable from the test's own environment can leak into the result.
  const out = spawnSync(command, args, { input, encoding: "utf8", env: { NODE_ENV: "test", PATH: process.env.PATH } });
  expect(out.stderr).toBe("");
  expect(out.status).toBe(0);
  return out.stdout;
}

describe("renderCredentials: the text works where it is pasted", () => {
  const printAll = 'printf "%s|%s|%s|%s|%s" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_REGION" "$AWS_DEFAULT_REGION"';
  const expected = `${KEY}|${SECRET}|${TOKEN}|eu-west-1|eu-west-1`;

  // --norc: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are.
  it("bash: eval gives back the session token exactly", () => {
    expect(run("bash", ["--norc", "--noprofile", "-c", 'eval "$(cat)"; printf %s "$AWS_SESSION_TOKEN"'], renderCredentials("bash", CTX))).toBe(TOKEN);
    expect(run("bash", ["--norc", "--noprofile", "-c", `eval "$(cat)"; ${printAll}`], renderCredentials("bash", CTX))).toBe(expected);
  });

  it("sh (POSIX): eval gives back every value exactly", () => {
    expect(run("sh", ["-c", `eval "$(cat)"; ${printAll}`], renderCredentials("bash", CTX))).toBe(expected);
  });

  it.skipIf(!installed("fish"))("fish: source gives back the session token (skipped when fish is not installed)", () => {
    expect(run("fish", ["-c", "source; printf %s $AWS_SESSION_TOKEN"], renderCredentials("fish", CTX))).toBe(TOKEN);
  });

  it.skipIf(!installed("pwsh"))("PowerShell: the script sets the session token (skipped when pwsh is not installed)", () => {
    const script = `${renderCredentials("powershell", CTX)}[Console]::Out.Write($Env:AWS_SESSION_TOKEN)`;
    expect(run("pwsh", ["-NoProfile", "-NonInteractive", "-Command", script], "")).toBe(TOKEN);
  });

  it("dotenv: Node's --env-file reads every value exactly", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-dotenv-"));
    try {
      const file = join(dir, ".env");
      writeFileSync(file, renderCredentials("dotenv", CTX));
      const js = "const e = process.env; process.stdout.write([e.AWS_ACCESS_KEY_ID, e.AWS_SECRET_ACCESS_KEY, e.AWS_SESSION_TOKEN, e.AWS_REGION, e.AWS_DEFAULT_REGION].join('|'))";
      expect(run(process.execPath, [`--env-file=${file}`, "-e", js], "")).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("renderCredentials: the AWS SDK reads the files", () => {
  let t: TestSandbox;
  let dir: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), "switchboard-profiles-"));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const future = new Date(Date.now() + 3600_000).toISOString();
  const live = { ...CTX, credentials: { ...CTX.credentials, expiration: future } };

  it("credentials: the profile's keys and session token load as they were issued", async () => {
    const filepath = join(dir, "credentials");
    writeFileSync(filepath, renderCredentials("credentials", live));
    const creds = await fromIni({ profile: "production-readonly", filepath, configFilepath: join(dir, "none"), ignoreCache: true })();
    expect(creds).toMatchObject({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN });
  });

  it("credential_process: the SDK accepts the JSON as a process's output", async () => {
    const json = join(dir, "process.json");
    writeFileSync(json, renderCredentials("credential_process", live));
    const configFilepath = join(dir, "process-config");
    writeFileSync(configFilepath, `[profile printed]\ncredential_process = cat ${json}\n`);
    const creds = await fromProcess({ profile: "printed", configFilepath, filepath: join(dir, "none") })();
    expect(creds).toMatchObject({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN });
    expect(creds.expiration?.toISOString()).toBe(future);
  });

  it("config: the role profile assumes the role with its session name and ExternalId", async () => {
    const filepath = join(dir, "operator-credentials");
    writeFileSync(filepath, `[operator]\naws_access_key_id = ${t.broker.accessKeyId}\naws_secret_access_key = ${t.broker.secretAccessKey}\n`);
    const configFilepath = join(dir, "config");
    writeFileSync(
      configFilepath,
      renderCredentials("config", {
        ...live,
        profileName: "production-auditor",
        roleArn: "arn:aws:iam::111111111111:role/ThirdPartyAuditor",
        sourceProfile: "operator",
        externalId: SEED_EXTERNAL_ID,
      }),
    );
    const provider = fromIni({
      profile: "production-auditor",
      filepath,
      configFilepath,
      ignoreCache: true,
      clientConfig: { endpoint: t.url, region: "us-east-1" },
    });
    const sts = new STSClient({ endpoint: t.url, region: "us-east-1", credentials: provider, maxAttempts: 1 });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/alice@example.com");
    const [call] = (await t.admin.calls({ service: "sts", action: "AssumeRole" })).slice(-1);
    expect(call?.detail).toMatchObject({ ExternalId: SEED_EXTERNAL_ID, DurationSeconds: 3600, RoleSessionName: "alice@example.com" });
  });

  // The AWS CLI v1 (botocore) as a person runs it: the profile alone, the role's credentials from
  // the environment (a CI job's keys), STS reached at the sandbox through AWS_ENDPOINT_URL.
  it.skipIf(spawnSync("aws", ["--version"]).status !== 0)("config with credential_source = Environment: the AWS CLI assumes the role with the environment's keys (skipped without the aws command)", async () => {
    const configFilepath = join(dir, "environment-config");
    writeFileSync(
      configFilepath,
      renderCredentials("config", { ...live, profileName: "production-auditor", roleArn: "arn:aws:iam::111111111111:role/ThirdPartyAuditor", credentialSource: "Environment", externalId: SEED_EXTERNAL_ID }),
    );
    const env = {
      NODE_ENV: "test" as const,
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: configFilepath,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
      AWS_ACCESS_KEY_ID: t.broker.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.broker.secretAccessKey,
      AWS_ENDPOINT_URL: t.url,
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const source = spawnSync("aws", ["configure", "get", "credential_source", "--profile", "production-auditor"], { encoding: "utf8", env });
    expect(source.stdout.trim()).toBe("Environment");
    // Not spawnSync: the sandbox answers from this process's event loop.
    const me = await promisify(execFile)("aws", ["sts", "get-caller-identity", "--profile", "production-auditor", "--output", "json"], { encoding: "utf8", env });
    expect((JSON.parse(me.stdout) as { Arn: string }).Arn).toBe("arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/alice@example.com");
  });
});
