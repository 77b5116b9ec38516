import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Plan } from "@/lib/provision/types";
import { CREDENTIAL_SOURCES } from "@/lib/aws/credential-formats";
import { exportAwsConfig, type AwsConfigOptions } from "./aws-config";
import { EXPORT_CASES, delegateReadMyBucket, ec2AppServer, githubDeploy, govCloudVendorAudit, nasty } from "./testing";

const BOTOCORE = spawnSync("python3", ["-c", "import botocore"]).status === 0;
if (!BOTOCORE) console.warn("python3 with botocore is not installed: skipping the read-back through botocore");

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A config file of its own, in a folder removed after the tests. */
function configFile(config: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-config-"));
  dirs.push(dir);
  writeFileSync(join(dir, "config"), config);
  return { dir, path: join(dir, "config") };
}

/** The profile as botocore (the AWS CLI v1 and boto3) reads it from a config file. */
function readWithBotocore(config: string): { profile: string; values: Record<string, string> } {
  const { dir } = configFile(config);
  const script = [
    "import json, botocore.session",
    "s = botocore.session.Session()",
    "profiles = s.full_config['profiles']",
    "name = [p for p in profiles][0]",
    "print(json.dumps({'profile': name, 'values': profiles[name]}))",
  ].join("\n");
  const result = spawnSync("python3", ["-c", script], { encoding: "utf8", env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: join(dir, "config") } });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { profile: string; values: Record<string, string> };
}

describe("exportAwsConfig", () => {
  // What each fixture case's profile holds beyond role_arn, source_profile, role_session_name,
  // duration_seconds and region.
  const EXTRA: Record<string, Record<string, string>> = {
    "delegate-read-my-bucket": {},
    "ec2-app-server": {},
    "github-deploy-web": {},
    "govcloud-vendor-audit": { external_id: "ExampleCorp-7f3c9e21", mfa_serial: "arn:aws-us-gov:iam::777777777777:mfa/auditor" },
    nasty: { external_id: "a=b,c.d@e:f/g-h+i_j" },
  };

  it.skipIf(!BOTOCORE).each(EXPORT_CASES)("$name: botocore reads back every setting intact (skipped without python3 and botocore)", ({ name, plan, options }) => {
    const { profile, values } = readWithBotocore(exportAwsConfig(plan, options));
    expect(profile).toEqual(name === "nasty" ? "default" : expect.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/));
    expect(values).toEqual({
      role_arn: plan.roleArn,
      source_profile: expect.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
      role_session_name: expect.stringMatching(/^[\w+=,.@-]{2,64}$/),
      duration_seconds: String(plan.effectiveSessionSeconds),
      region: options.region ?? { aws: "us-east-1", "aws-us-gov": "us-gov-west-1", "aws-cn": "cn-north-1", "aws-eusc": "eusc-de-east-1" }[plan.partition],
      ...EXTRA[name],
    });
  });

  it("reads the ExternalId from the trust policy, and takes the MFA device when given", () => {
    const text = exportAwsConfig(govCloudVendorAudit, { mfaSerial: "arn:aws-us-gov:iam::777777777777:mfa/auditor" });
    expect(text).toBe(
      [
        "# Assumes arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit with the credentials of profile default.",
        "# The trust policy requires this ExternalId, so the console's Switch Role cannot use the role.",
        "[profile 666666666666-vendor-audit]",
        "role_arn = arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit",
        "source_profile = default",
        "role_session_name = switchboard",
        "duration_seconds = 3600",
        "external_id = ExampleCorp-7f3c9e21",
        "mfa_serial = arn:aws-us-gov:iam::777777777777:mfa/auditor",
        "region = us-gov-west-1",
        "",
      ].join("\n"),
    );
  });

  it("leaves a commented mfa_serial to fill in when the trust requires MFA and no device is given", () => {
    expect(exportAwsConfig(govCloudVendorAudit)).toContain(
      "# The trust policy requires MFA: uncomment and set your MFA device (the CLI then asks for a code).\n# mfa_serial = arn:aws-us-gov:iam::YOUR_ACCOUNT_ID:mfa/YOUR_DEVICE\n",
    );
    expect(exportAwsConfig(delegateReadMyBucket)).not.toContain("mfa_serial");
  });

  it("warns when the trust policy trusts no IAM user or role", () => {
    const warning = "# The trust policy trusts no IAM user or role (only a service or an identity provider): this profile cannot assume the role as it is.";
    expect(exportAwsConfig(ec2AppServer).split("\n")).toContain(warning);
    expect(exportAwsConfig(githubDeploy).split("\n")).toContain(warning);
    expect(exportAwsConfig(delegateReadMyBucket)).not.toContain("trusts no IAM");
  });

  it.each<[string, AwsConfigOptions, string]>([
    ["the Switch Role menu's name by default", { accountName: "Production" }, "[profile production-delegate-read-my-bucket]"],
    ["the account id without an account name", {}, "[profile 111111111111-delegate-read-my-bucket]"],
    ["a given name, its brackets and spaces replaced", { profileName: "my [prod]\nrole" }, "[profile my-prod-role]"],
    ["a name made only of unusable characters", { profileName: "[]]" }, "[profile switchboard]"],
    ["the default profile", { profileName: "default" }, "[default]"],
    ["a source profile with a space and a newline", { sourceProfile: "my dev\nprofile" }, "source_profile = my-dev-profile"],
    ["a session name with spaces", { sessionName: "Alice Smith" }, "role_session_name = Alice-Smith"],
    ["a one-character session name", { sessionName: "x" }, "role_session_name = switchboard"],
    ["an email session name", { sessionName: "alice@example.com" }, "role_session_name = alice@example.com"],
  ])("sanitizes %s", (_name, options, line) => {
    expect(exportAwsConfig(delegateReadMyBucket, options).split("\n")).toContain(line);
  });

  it.each<[string, Plan, AwsConfigOptions, string]>([
    ["a region of another partition", govCloudVendorAudit, { region: "us-east-1" }, "region"],
    ["something that is not a region", delegateReadMyBucket, { region: "eu-west-1\nx = y" }, "region"],
    ["an ExternalId STS would refuse", { ...nasty, trustPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Condition: { StringEquals: { "sts:ExternalId": "a b\n[x]" } } }] } }, {}, "externalId"],
    ["an MFA device that is not one", govCloudVendorAudit, { mfaSerial: "x\ny" }, "mfaSerial"],
    ["a role ARN with a line break", { ...delegateReadMyBucket, roleArn: "arn:aws:iam::111111111111:role/x\n[evil]" }, {}, "roleArn"],
    ["a session longer than STS allows", { ...delegateReadMyBucket, effectiveSessionSeconds: 43201 }, {}, "effectiveSessionSeconds"],
  ])("refuses %s, naming the field", (_name, plan, options, field) => {
    expect(() => exportAwsConfig(plan, options)).toThrow(new RegExp(`invalid ${field}$`));
  });
});

describe("exportAwsConfig with credential_source", () => {
  const AWS_CLI = spawnSync("aws", ["--version"]).status === 0;

  it("writes credential_source instead of source_profile, never both", () => {
    expect(exportAwsConfig(delegateReadMyBucket, { accountName: "Production", sourceProfile: "development", credentialSource: "Ec2InstanceMetadata", sessionName: "app" })).toBe(
      [
        "# Assumes arn:aws:iam::111111111111:role/delegate_read_my_bucket with the credentials of the EC2 instance role (Ec2InstanceMetadata).",
        "[profile production-delegate-read-my-bucket]",
        "role_arn = arn:aws:iam::111111111111:role/delegate_read_my_bucket",
        "credential_source = Ec2InstanceMetadata",
        "role_session_name = app",
        "duration_seconds = 3600",
        "region = us-east-1",
        "",
      ].join("\n"),
    );
  });

  it("keeps the ExternalId the trust policy requires, as the source_profile export does", () => {
    const text = exportAwsConfig(govCloudVendorAudit, { credentialSource: "Environment" });
    expect(text).toContain("\ncredential_source = Environment\nrole_session_name = switchboard\nduration_seconds = 3600\nexternal_id = ExampleCorp-7f3c9e21\n");
    expect(text).not.toContain("source_profile");
  });

  it("refuses a source the AWS CLI does not know, naming the field", () => {
    expect(() => exportAwsConfig(delegateReadMyBucket, { credentialSource: "Ec2InstanceMetadata\nsource_profile = x" as never })).toThrow(/invalid credentialSource$/);
  });

  it.skipIf(!BOTOCORE).each(CREDENTIAL_SOURCES)("%s: botocore reads role_arn and credential_source back, and no source_profile", (source) => {
    const { values } = readWithBotocore(exportAwsConfig(ec2AppServer, { credentialSource: source, profileName: "app" }));
    expect(values).toEqual({ role_arn: ec2AppServer.roleArn, credential_source: source, role_session_name: "switchboard", duration_seconds: String(ec2AppServer.effectiveSessionSeconds), region: "us-east-1" });
  });

  it.skipIf(!AWS_CLI)("the AWS CLI v1 reads credential_source from the downloaded file (skipped without the aws command)", () => {
    const { dir, path } = configFile(exportAwsConfig(delegateReadMyBucket, { accountName: "Production", credentialSource: "EcsContainer" }));
    const env = { NODE_ENV: "test" as const, PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") };
    const get = (key: string) => spawnSync("aws", ["configure", "get", key, "--profile", "production-delegate-read-my-bucket"], { encoding: "utf8", env });
    expect(get("credential_source").stdout.trim()).toBe("EcsContainer");
    expect(get("role_arn").stdout.trim()).toBe(delegateReadMyBucket.roleArn);
    expect(get("source_profile").status).not.toBe(0);
  });
});
