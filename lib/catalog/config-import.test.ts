// Reading AWS Extend Switch Roles configurations and AWS CLI config files for the bulk import.
// The AWS config files are also read by botocore itself (boto3 is installed beside the AWS CLI
// v1), so that "the profiles we see" is checked against the AWS CLI's own reader, not against
// our idea of it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyConfigImportInput, detectConfigFormat, parseConfig, previewConfigImportInput, MAX_CONFIG_CHARS, type ParsedConfig } from "./config-import";

const roleOf = (parsed: ParsedConfig, profile: string) => parsed.roles.find((r) => r.profile === profile);
const skippedOf = (parsed: ParsedConfig, profile: string) => parsed.skipped.find((s) => s.profile === profile);

// ---- AWS Extend Switch Roles ------------------------------------------------------------------

/** The README's simple configuration, with a colour, a region and an image. */
const AESR_SIMPLE = `[profile marketingadmin]
role_arn = arn:aws:iam::123456789012:role/marketingadmin
color = ffaaee

[anotheraccount]
aws_account_id = 987654321987
role_name = anotherrole
region=ap-northeast-1

[athirdaccount]
aws_account_id = 987654321988
role_name = athirdrole
image = "https://via.placeholder.com/150"
`;

/** The README's complex configuration: base accounts, targets by source_profile, a base given
 * by its alias, target_role_name, and comments (whole-line and after a value). */
const AESR_COMPLEX = `[organization1]
aws_account_id = your-account-alias

[Org1-Account1-Role1]
role_arn = arn:aws:iam::123456789012:role/Role1
source_profile = organization1

[Org1-Account1-Role2]
aws_account_id = 123456789012
role_name = Role2
source_profile = organization1

[Org1-Account2-Role1]
aws_account_id = 210987654321
role_name = Role1
source_profile = organization1

[baseaccount2]
aws_account_id = 000000000000
aws_account_alias = base-two

[Base2-Role1]
role_arn = arn:aws:iam::234567890123:role/Role1
source_profile = baseaccount2

[AnotherRole]
role_name = SomeOtherRole
aws_account_id = account-3-alias

;
; target_role_name example
;
[Org2-BaseAccount]
aws_account_id = 222200000000
target_role_name = Developer
target_region = eu-west-1

[Org2-Account1-Developer]
aws_account_id = 222200001111
source_profile = Org2-BaseAccount
color = 0f0

[Org2-Account2-Manager]
aws_account_id = 222200002222
role_name = Manager ; overrides target role name
source_profile = Org2-BaseAccount
region = us-west-2 # its own
`;

describe("AWS Extend Switch Roles", () => {
  it("is detected from its keys and bare [name] sections", () => {
    expect(detectConfigFormat(AESR_SIMPLE)).toBe("aesr");
    expect(detectConfigFormat(AESR_COMPLEX)).toBe("aesr");
  });

  it("reads the simple configuration: role_arn or aws_account_id + role_name, colour, region; the image is not kept", () => {
    const parsed = parseConfig(AESR_SIMPLE);
    expect(parsed).toMatchObject({ format: "aesr", detected: true, problems: [], skipped: [], profileCount: 3 });
    expect(parsed.roles).toEqual([
      { profile: "marketingadmin", line: 1, roleArn: "arn:aws:iam::123456789012:role/marketingadmin", partition: "aws", accountId: "123456789012", roleName: "marketingadmin", path: "/", region: null, color: "#ffaaee", externalId: null, sessionDuration: null, via: [], notes: [] },
      { profile: "anotheraccount", line: 5, roleArn: "arn:aws:iam::987654321987:role/anotherrole", partition: "aws", accountId: "987654321987", roleName: "anotherrole", path: "/", region: "ap-northeast-1", color: null, externalId: null, sessionDuration: null, via: [], notes: [] },
      expect.objectContaining({ profile: "athirdaccount", line: 10, roleArn: "arn:aws:iam::987654321988:role/athirdrole", notes: ["Its image is not kept: the console marks entries by colour."] }),
    ]);
  });

  it("reads the complex configuration: base accounts skipped, targets through them, target_role_name and target_region, comments", () => {
    const parsed = parseConfig(AESR_COMPLEX);
    expect(parsed.roles.map((r) => [r.profile, r.roleArn, r.region, r.via])).toEqual([
      ["Org1-Account1-Role1", "arn:aws:iam::123456789012:role/Role1", null, ["organization1"]],
      ["Org1-Account1-Role2", "arn:aws:iam::123456789012:role/Role2", null, ["organization1"]],
      ["Org1-Account2-Role1", "arn:aws:iam::210987654321:role/Role1", null, ["organization1"]],
      ["Base2-Role1", "arn:aws:iam::234567890123:role/Role1", null, ["baseaccount2"]],
      ["Org2-Account1-Developer", "arn:aws:iam::222200001111:role/Developer", "eu-west-1", ["Org2-BaseAccount"]],
      // role_name's comment is dropped, and its own region wins over the base's target_region.
      ["Org2-Account2-Manager", "arn:aws:iam::222200002222:role/Manager", "us-west-2", ["Org2-BaseAccount"]],
    ]);
    expect(roleOf(parsed, "Org2-Account1-Developer")?.color).toBe("#00ff00");
    expect(parsed.skipped.map((s) => [s.line, s.profile])).toEqual([
      [1, "organization1"],
      [18, "baseaccount2"],
      [33, "Org2-BaseAccount"],
    ]);
    expect(skippedOf(parsed, "baseaccount2")?.reason).toBe("Base account (base-two): where you sign in, with target roles under it; it has no role to register.");
    // An alias is not an account id: said at its line.
    expect(parsed.problems).toEqual([
      { line: 28, profile: "AnotherRole", reason: "aws_account_id account-3-alias is an account alias: the console needs the 12-digit account id. Write it instead, or a role_arn." },
    ]);
  });

  it("reports malformed lines with their line numbers and keeps reading", () => {
    const text = [
      "region = us-east-1", // 1: before any profile
      "[good]", // 2
      "role_arn = arn:aws:iam::111111111111:role/Good", // 3
      "this line has no equals sign", // 4
      "color = nothex", // 5
      "[bad-arn]", // 6
      "role_arn = arn:aws:s3:::my-bucket", // 7
      "[bad-account]", // 8
      "aws_account_id = 12345", // 9
      "role_name = Admin", // 10
      "[bad-name]", // 11
      "aws_account_id = 111111111111", // 12
      "role_name = has space", // 13
      "[no-account]", // 14
      "role_name = Lonely", // 15
      "[dup-key]", // 16
      "role_arn = arn:aws:iam::111111111111:role/First", // 17
      "role_arn = arn:aws:iam::111111111111:role/Second", // 18
      "[target-without-role]", // 19
      "aws_account_id = 333333333333", // 20
      "source_profile = good", // 21
      "[broken header", // 22
    ].join("\n");
    const parsed = parseConfig(text, "aesr");
    expect(parsed.detected).toBe(false);
    expect(parsed.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, "A setting before any [profile] header: AWS Extend Switch Roles refuses it."],
      [4, "Not a setting (key = value): “this line has no equals sign”."],
      [7, "role_arn arn:aws:s3:::my-bucket is not an IAM role ARN: it should read arn:aws:iam::<account>:role/<name>."],
      [9, "aws_account_id 12345 is not 12 digits."],
      [13, "role name has space: A role name uses letters, digits and + = , . @ _ - only."],
      [14, "No aws_account_id or role_arn: AWS Extend Switch Roles refuses a profile without an account."],
      [18, "role_arn is set twice in [dup-key] (first at line 17); AWS Extend Switch Roles refuses that. The first is kept here."],
      [19, "No role_name, and its base account good sets no target_role_name: add role_name = <the role's name>."],
      [22, "Not a section header: “[broken header” (write [profile name] or [name])."],
    ]);
    expect(parsed.roles.map((r) => [r.profile, r.roleArn])).toEqual([
      ["good", "arn:aws:iam::111111111111:role/Good"],
      ["dup-key", "arn:aws:iam::111111111111:role/First"],
    ]);
    expect(roleOf(parsed, "good")?.notes).toEqual(["color nothex is not kept (Colour must be a hex colour like #2563eb); the account's colour is shown."]);
  });

  it("reads a role_name with a path, and other partitions from the ARN", () => {
    const parsed = parseConfig("[a]\naws_account_id = 111111111111\nrole_name = team/ops/Deployer\n[b]\nrole_arn = arn:aws-cn:iam::222222222222:role/China\n[c]\nrole_arn = arn:aws-us-gov:iam::333333333333:role/x/Gov\n", "aesr");
    expect(parsed.roles.map((r) => [r.roleArn, r.partition, r.path, r.roleName])).toEqual([
      ["arn:aws:iam::111111111111:role/team/ops/Deployer", "aws", "/team/ops/", "Deployer"],
      ["arn:aws-cn:iam::222222222222:role/China", "aws-cn", "/", "China"],
      ["arn:aws-us-gov:iam::333333333333:role/x/Gov", "aws-us-gov", "/x/", "Gov"],
    ]);
  });
});

// ---- ~/.aws/config ----------------------------------------------------------------------------

/** A real-world ~/.aws/config: comments, [default], access keys, role chains, credential_source,
 * external_id, MFA, SSO (legacy and sso-session), credential_process, an s3 sub-section, a
 * profile written without the prefix, and another partition. */
const AWS_CONFIG = `# Managed by hand. Do not share.
[default]
region = eu-west-1
output = json

; the account where people have IAM users
[profile identity]
aws_access_key_id = AKIAEXAMPLEEXAMPLE00
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = eu-west-1
s3 =
    max_concurrent_requests = 20
    addressing_style = path

[profile prod-admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = identity
mfa_serial = arn:aws:iam::999999999999:mfa/ada
region = eu-west-1
duration_seconds = 3600

[profile prod-readonly]
role_arn = arn:aws:iam::111111111111:role/team/ReadOnly
source_profile = identity
role_session_name = ada

# a chain: the break-glass role is reached through prod-admin
[profile prod-breakglass]
role_arn = arn:aws:iam::111111111111:role/BreakGlass
source_profile = prod-admin

[profile vendor]
role_arn = arn:aws:iam::222222222222:role/VendorAccess
external_id = a1b2c3d4-vendor-agreed
credential_source = Ec2InstanceMetadata
region = us-east-1

[profile "staging admin"]
role_arn = arn:aws:iam::333333333333:role/Admin
credential_source = Environment

[profile dev-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444444444444
sso_role_name = AdministratorAccess

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1

[profile dev-sso-session]
sso_session = corp
sso_account_id = 444444444444
sso_role_name = ReadOnly

[profile tool]
credential_process = /usr/local/bin/get-creds --profile tool

[prod-typo]
role_arn = arn:aws:iam::111111111111:role/Typo

[profile gov]
role_arn = arn:aws-us-gov:iam::555555555555:role/GovOps
credential_source = EcsContainer
region = us-gov-west-1

[profile prod-admin-again]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = identity
`;

describe("~/.aws/config", () => {
  it("is detected from its keys", () => {
    expect(detectConfigFormat(AWS_CONFIG)).toBe("aws-config");
    expect(detectConfigFormat("[profile x]\nrole_arn = arn:aws:iam::111111111111:role/X\n")).toBe("aws-config");
  });

  it("imports the role profiles, with chains, credential_source, ExternalId, duration and what is not kept", () => {
    const parsed = parseConfig(AWS_CONFIG);
    expect(parsed).toMatchObject({ format: "aws-config", detected: true, problems: [] });
    expect(parsed.roles.map((r) => [r.line, r.profile, r.roleArn, r.via])).toEqual([
      [15, "prod-admin", "arn:aws:iam::111111111111:role/Admin", ["identity"]],
      [22, "prod-readonly", "arn:aws:iam::111111111111:role/team/ReadOnly", ["identity"]],
      [28, "prod-breakglass", "arn:aws:iam::111111111111:role/BreakGlass", ["prod-admin", "identity"]],
      [32, "vendor", "arn:aws:iam::222222222222:role/VendorAccess", ["credential_source Ec2InstanceMetadata"]],
      [38, "staging admin", "arn:aws:iam::333333333333:role/Admin", ["credential_source Environment"]],
      [63, "gov", "arn:aws-us-gov:iam::555555555555:role/GovOps", ["credential_source EcsContainer"]],
    ]);
    expect(roleOf(parsed, "prod-admin")).toMatchObject({ region: "eu-west-1", sessionDuration: 3600, externalId: null });
    expect(roleOf(parsed, "prod-admin")?.notes).toEqual([expect.stringMatching(/^The profile asks for MFA \(mfa_serial\)/)]);
    expect(roleOf(parsed, "prod-readonly")).toMatchObject({ path: "/team/", roleName: "ReadOnly", notes: ["role_session_name is not kept: the console names each session after the person switching."] });
    expect(roleOf(parsed, "vendor")).toMatchObject({ externalId: "a1b2c3d4-vendor-agreed", region: "us-east-1" });
    expect(roleOf(parsed, "gov")).toMatchObject({ partition: "aws-us-gov", accountId: "555555555555", region: "us-gov-west-1" });
  });

  it("skips what is not a role, each with its reason", () => {
    const parsed = parseConfig(AWS_CONFIG);
    expect(parsed.skipped.map((s) => [s.line, s.profile, s.reason])).toEqual([
      [2, "default", "No role_arn (only region, output): nothing to register."],
      [7, "identity", "Access keys, no role_arn: nothing to register (keys are never imported)."],
      [42, "dev-sso", "IAM Identity Center profile: not a role the console can assume."],
      [48, "sso-session corp", "IAM Identity Center profile: not a role the console can assume (an sso-session holds the sign-in portal's settings)."],
      [52, "dev-sso-session", "IAM Identity Center profile: not a role the console can assume."],
      [57, "tool", "Gets its credentials from a program (credential_process): not a role the console can assume."],
      [60, "prod-typo", expect.stringContaining("Not a profile in ~/.aws/config: the AWS CLI reads only [default] and [profile prod-typo] there.")],
      [68, "prod-admin-again", "The same role as profile prod-admin (line 15): it is registered once."],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)));
  });

  it("reports malformed lines with their line numbers, as the AWS CLI would refuse them", () => {
    const text = [
      "role_arn = arn:aws:iam::111111111111:role/Orphan", // 1: before any section
      "[profile ok]", // 2
      "role_arn = arn:aws:iam::111111111111:role/Ok", // 3
      "just some words", // 4
      "[profile not-a-role]", // 5
      "role_arn = arn:aws:iam::111111111111:user/ada", // 6
      "[profile short-account]", // 7
      "role_arn = arn:aws:iam::11111:role/Short", // 8
      "[profile other-partition]", // 9
      "role_arn = arn:aws-mars:iam::111111111111:role/Mars", // 10
      "[profile not-arn]", // 11
      "role_arn = Admin", // 12
      "[profile twice]", // 13
      "region = us-east-1", // 14
      "region = us-west-2", // 15
      "role_arn = arn:aws:iam::111111111111:role/Twice", // 16
      "[profile bad-external-id]", // 17
      "role_arn = arn:aws:iam::111111111111:role/Vendor", // 18
      "external_id = has spaces in it", // 19
      "[profile ok]", // 20: the section again
      "[profile nested]", // 21
      "role_arn = arn:aws:iam::111111111111:role/Nested", // 22
      "s3 =", // 23
      "  addressing_style = path", // 24
      "  not a setting", // 25
      "[profile ]", // 26: no name
    ].join("\n");
    const parsed = parseConfig(text, "aws-config");
    expect(parsed.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, "A setting before any [section] header: put it under a [profile name] header (the AWS CLI refuses the file as it is)."],
      [4, "Not a setting (key = value), a [section] header or a comment: “just some words”."],
      [6, "role_arn arn:aws:iam::111111111111:user/ada is not an IAM role ARN: it should read arn:aws:iam::<account>:role/<name>."],
      [8, "role_arn arn:aws:iam::11111:role/Short: the account id 11111 is not 12 digits."],
      [10, "role_arn arn:aws-mars:iam::111111111111:role/Mars: aws-mars is not an AWS partition (aws, aws-cn, aws-us-gov, aws-eusc)."],
      [12, "role_arn Admin is not an ARN (arn:aws:iam::123456789012:role/Name)."],
      [15, "region is set twice in [profile twice] (first at line 14); the AWS CLI refuses the file. The first is kept here."],
      [19, "external_id: An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces). Fix it: without the right ExternalId every switch into the role fails."],
      [20, "[profile ok] appears again (first at line 2); the AWS CLI refuses a file with a section twice. Merge the two."],
      [25, "s3 = holds indented settings, and “not a setting” is not one (key = value); the AWS CLI refuses the file."],
    ]);
    expect(parsed.roles.map((r) => r.profile)).toEqual(["twice", "nested"]);
    expect(skippedOf(parsed, "profile ")?.reason).toBe("The AWS CLI does not read [profile ] as a profile: write [profile name], with the name quoted if it has spaces.");
  });

  it("keeps a value's text as botocore does: a comment after it is part of it", () => {
    const parsed = parseConfig("[profile p]\nrole_arn = arn:aws:iam::111111111111:role/P\nregion = eu-west-1 # Ireland\n", "aws-config");
    expect(roleOf(parsed, "p")?.region).toBeNull();
    expect(roleOf(parsed, "p")?.notes).toEqual(["region eu-west-1 # Ireland is not kept (Region must look like us-east-1 or eu-central-2); the account's default region is used."]);
  });

  it("reads Windows line endings and a byte-order mark like Unix text", () => {
    const unix = parseConfig(AWS_CONFIG);
    const windows = parseConfig(`\uFEFF${AWS_CONFIG.replace(/\n/g, "\r\n")}`);
    expect(windows).toEqual(unix);
    expect(parseConfig(`\uFEFF${AESR_COMPLEX.replace(/\n/g, "\r\n")}`)).toEqual(parseConfig(AESR_COMPLEX));
  });

  it("says a loop in source_profile and a source that is not in the file", () => {
    const parsed = parseConfig("[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n[profile c]\nrole_arn = arn:aws:iam::111111111111:role/C\nsource_profile = nowhere\n", "aws-config");
    expect(roleOf(parsed, "a")?.via).toEqual(["b", "a"]);
    expect(roleOf(parsed, "a")?.notes).toEqual(["Its source_profile chain loops (b → a); the AWS CLI refuses it."]);
    expect(roleOf(parsed, "c")?.notes).toEqual(["Its source_profile nowhere is not in this file."]);
  });
});

// ---- The same file through botocore -----------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "config-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** botocore's profiles for the file: name → its settings (what `aws configure get` reads). */
function botocoreProfiles(text: string): Record<string, Record<string, unknown>> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  const out = spawnSync("python3", ["-c", "import json,sys,botocore.configloader as c; print(json.dumps(c.load_config(sys.argv[1])['profiles']))", file], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`botocore could not read the file: ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, Record<string, unknown>>;
}

describe("the same ~/.aws/config through botocore (the AWS CLI's reader)", () => {
  it("sees the same profiles: each role profile imported with botocore's role_arn, the rest skipped", () => {
    const ours = parseConfig(AWS_CONFIG);
    const theirs = botocoreProfiles(AWS_CONFIG);
    const seen = new Set([...ours.roles.map((r) => r.profile), ...ours.skipped.filter((s) => !s.profile.startsWith("sso-session") && s.profile !== "prod-typo").map((s) => s.profile)]);
    expect([...seen].sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, settings] of Object.entries(theirs)) {
      const role = roleOf(ours, name);
      if (role) {
        expect(role.roleArn, name).toBe(settings.role_arn);
        expect(role.via[0], name).toBe(settings.source_profile ?? (settings.credential_source ? `credential_source ${String(settings.credential_source)}` : undefined));
        if (settings.region !== undefined) expect(role.region, name).toBe(settings.region);
        if (settings.external_id !== undefined) expect(role.externalId, name).toBe(settings.external_id);
      } else if (settings.role_arn !== undefined) {
        // A role named twice is imported once, from its first profile.
        expect(skippedOf(ours, name)?.reason, name).toMatch(/^The same role as profile/);
      } else {
        expect(skippedOf(ours, name), name).toBeDefined();
      }
    }
    // The s3 sub-section is botocore's nested dict; ours does not take it for a profile or a line.
    expect(theirs.identity?.s3).toEqual({ max_concurrent_requests: "20", addressing_style: "path" });
  });

  it("reads continuation lines, ':' delimiters, upper-case keys and indented comments as botocore does", () => {
    const text = [
      "[profile cont]",
      "Role_Arn: arn:aws:iam::111111111111:role/Cont",
      "region =",
      "  # an indented comment is a comment",
      "source_profile = base",
      "[profile base]",
      "aws_access_key_id = AKIAEXAMPLEEXAMPLE01",
      "[profile \"quoted name\"]",
      "role_arn=arn:aws:iam::111111111111:role/Quoted",
      "",
    ].join("\n");
    const theirs = botocoreProfiles(text);
    const ours = parseConfig(text, "aws-config");
    expect(ours.problems).toEqual([]);
    expect(Object.keys(theirs).sort()).toEqual(["base", "cont", "quoted name"]);
    expect(roleOf(ours, "cont")?.roleArn).toBe(theirs.cont?.role_arn);
    expect(roleOf(ours, "quoted name")?.roleArn).toBe(theirs["quoted name"]?.role_arn);
    expect(theirs.cont?.region).toBe("");
    expect(roleOf(ours, "cont")?.region).toBeNull();
  });

  it("reports a line wherever botocore refuses the file (a duplicate section or setting, a line before any section, a line that is not a setting)", () => {
    const texts = ["[profile a]\nregion = x\n[profile a]\n", "region = x\n[profile a]\n", "[profile a]\nno delimiter here\n", "[profile a]\nregion = x\nregion = y\n"];
    const files = texts.map((text, i) => {
      const file = join(dir, `bad-${i}`);
      writeFileSync(file, text);
      return file;
    });
    // One interpreter for all of them: each answers whether botocore read its file.
    const script = "import json,sys,botocore.configloader as c\ndef ok(f):\n  try:\n    c.load_config(f); return True\n  except Exception: return False\nprint(json.dumps([ok(f) for f in sys.argv[1:]]))";
    const out = spawnSync("python3", ["-c", script, ...files], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(texts.map(() => false));
    for (const text of texts) expect(parseConfig(text, "aws-config").problems.length, text).toBeGreaterThan(0);
  });
});

describe("hostile files", () => {
  it("reads the largest file allowed, made of lines built to make a parser backtrack, in well under a second", () => {
    const line = (fill: string) => `a${fill.repeat(MAX_CONFIG_CHARS / 2 - 4)}b`;
    for (const fill of [" ", "\t", "=", ":", "[", "a "]) {
      for (const format of ["aesr", "aws-config", "auto"] as const) {
        const started = performance.now();
        parseConfig(`[profile p]\n${line(fill)}\n[${line(fill)}\n`, format);
        expect(performance.now() - started, `${JSON.stringify(fill)} as ${format}`).toBeLessThan(1000);
      }
    }
  });

  it("quotes a piece of the file in a message on one line, and bounded", () => {
    const parsed = parseConfig(`[profile p]\nnot a setting \u001b[31m${"x".repeat(500)}\n`, "aws-config");
    expect(parsed.problems[0]?.reason).toMatch(/^Not a setting \(key = value\), a \[section\] header or a comment: “not a setting  \[31mx+…”\.$/);
    expect(parsed.problems[0]!.reason.length).toBeLessThan(140);
  });
});

describe("the import's inputs", () => {
  it("bound the text and say what to fix", () => {
    expect(previewConfigImportInput.safeParse({ text: "   " }).error?.issues[0]?.message).toBe("Paste a configuration, or choose its file");
    expect(previewConfigImportInput.safeParse({ text: "x".repeat(MAX_CONFIG_CHARS + 1) }).error?.issues[0]?.message).toBe("The configuration is larger than 256 KiB; split it and import each part");
    expect(previewConfigImportInput.safeParse({ text: "[a]", format: "yaml" }).error?.issues[0]?.message).toBe("Format must be one of auto, aesr, aws-config");
    expect(previewConfigImportInput.parse({ text: "[a]" }).format).toBe("auto");
    expect(applyConfigImportInput.safeParse({ text: "[a]", roles: ["arn:aws:iam::1:role/x"] }).success).toBe(false);
    expect(applyConfigImportInput.safeParse({ text: "[a]", accounts: [{ accountId: "111111111111", name: "", environment: "production" }] }).success).toBe(false);
  });
});
