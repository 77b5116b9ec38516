import { describe, expect, it } from "vitest";
import { managedBlock as cliManagedBlock, profilesFor as cliProfilesFor, withManagedBlock } from "../../cli/aws-config";
import { entriesOf } from "../../cli/role-match";
import { aesrExport, awsConfigExport, exportRolesOf, isProfileName, type ConfigOptions, type ExportRole } from "./config-export";
import type { MenuData } from "./menu-types";

const ID = (n: number) => `01J${String(n).padStart(23, "0")}`;

const menu: MenuData = {
  accounts: [
    { id: "111111111111", name: "Production", alias: null, environment: "production", color: "#DC2626", partition: "aws" },
    { id: "222222222222", name: "Staging", alias: null, environment: "staging", color: "#2563eb", partition: "aws" },
    // Same account name as the first, another account: the profile names must still differ.
    { id: "333333333333", name: "Production", alias: null, environment: "production", color: "#16a34a", partition: "aws" },
    { id: "444444444444", name: "GovCloud", alias: null, environment: "production", color: "#9333ea", partition: "aws-us-gov" },
  ],
  roles: [
    { id: ID(1), a: 0, name: "Admin", label: "Admin", color: "#dc2626", region: "eu-west-1", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: false },
    { id: ID(2), a: 0, name: "ReadOnly", label: "Read only", color: "#DC2626", region: "eu-west-1", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: false },
    { id: ID(3), a: 1, name: "Vendor", label: "Vendor access", color: "#2563eb", region: "us-east-1", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: true },
    { id: ID(4), a: 2, name: "Admin", label: "Admin (DR)", color: "#16a34a", region: "eu-central-1", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: false },
    { id: ID(5), a: 3, name: "Admin", label: "Admin", color: "#9333ea", region: "us-gov-west-1", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: false },
  ],
  lastRoleId: null,
};

const arns = new Map([
  [ID(1), "arn:aws:iam::111111111111:role/Admin"],
  [ID(2), "arn:aws:iam::111111111111:role/team/ops/ReadOnly"],
  [ID(3), "arn:aws:iam::222222222222:role/Vendor"],
  [ID(4), "arn:aws:iam::333333333333:role/Admin"],
  [ID(5), "arn:aws-us-gov:iam::444444444444:role/Admin"],
]);

const roles = exportRolesOf(menu, arns);
const SESSION = "pat.example.com-1a2b3c4d";

/** The AWS config file as the AWS CLI reads it (botocore's configloader over Python's
 * configparser): `[section]` headers, `key = value` or `key: value` split at the first delimiter,
 * keys lower-cased, whole-line `#` and `;` comments, and `[profile name]` naming profile "name"
 * (`[default]` the one without the prefix). A line that is none of these is an error, as it is
 * for configparser. */
function parseAwsConfig(text: string): Map<string, Record<string, string>> {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      const profile = /^profile\s+(.+)$/.exec(name)?.[1]?.trim() ?? name;
      if (profiles.has(profile)) throw new Error(`line ${n + 1}: section ${profile} twice`);
      current = {};
      profiles.set(profile, current);
      continue;
    }
    const option = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!option || !current) throw new Error(`line ${n + 1}: not INI: ${raw}`);
    current[option[1]!.toLowerCase()] = option[2]!;
  }
  return profiles;
}

const STYLES: { title: string; options: ConfigOptions; keys: string[]; line: string }[] = [
  { title: "credential_process", options: { style: "credential_process" }, keys: ["credential_process", "region"], line: "credential_process = switchboard credentials" },
  { title: "source_profile", options: { style: "source_profile", sourceProfile: "corp-sso", sessionName: SESSION }, keys: ["role_arn", "source_profile", "role_session_name", "region"], line: "source_profile = corp-sso" },
  {
    title: "credential_source",
    options: { style: "credential_source", credentialSource: "Ec2InstanceMetadata", sessionName: SESSION },
    keys: ["role_arn", "credential_source", "role_session_name", "region"],
    line: "credential_source = Ec2InstanceMetadata",
  },
];

describe("awsConfigExport", () => {
  it.each(STYLES)("$title: every profile has exactly the style's keys, as the AWS CLI parses it", ({ options, keys, line }) => {
    const out = awsConfigExport(roles, options);
    const parsed = parseAwsConfig(out.text);
    expect([...parsed.keys()]).toEqual(out.profiles.map((p) => p.name));
    for (const { name, entry } of out.profiles) {
      const profile = parsed.get(name)!;
      expect(Object.keys(profile).sort()).toEqual([...keys].sort());
      expect(profile.region).toBe(entry.region);
      if (profile.role_arn) expect(profile.role_arn).toBe(entry.roleArn);
      if (profile.role_session_name) expect(profile.role_session_name).toBe(SESSION);
      if (profile.credential_process) expect(profile.credential_process).toBe(`switchboard credentials ${entry.id} --format credential-process`);
    }
    expect(out.text).toContain(line);
    expect(out.text.endsWith("\n") && !out.text.endsWith("\n\n")).toBe(true);
  });

  it.each([
    { title: "credential_process", options: STYLES[0]!.options, written: 5, skipped: [] as string[] },
    { title: "source_profile", options: STYLES[1]!.options, written: 4, skipped: [ID(3)] },
    { title: "credential_source", options: STYLES[2]!.options, written: 4, skipped: [ID(3)] },
  ])("$title: ExternalId entries are a comment saying why, listed as skipped", ({ options, written, skipped }) => {
    const out = awsConfigExport(roles, options);
    expect(out.profiles).toHaveLength(written);
    expect(out.skipped.map((s) => s.entry.id)).toEqual(skipped);
    if (skipped.length) {
      expect(out.text).toContain("# Staging/Vendor access (222222222222): not written: its entry sends an ExternalId");
      expect(out.text).not.toContain("arn:aws:iam::222222222222:role/Vendor");
    }
  });

  it("names profiles uniquely: the same account and role names in two accounts get the account id", () => {
    const names = awsConfigExport(roles, { style: "credential_process" }).profiles.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(["govcloud-admin", "production-admin-111111111111", "production-admin-333333333333", "production-readonly", "staging-vendor"]);
  });

  it("never names a profile after the source profile", () => {
    const out = awsConfigExport(roles, { style: "source_profile", sourceProfile: "govcloud-admin", sessionName: SESSION });
    expect(out.profiles.map((p) => p.name)).toContain("govcloud-admin-444444444444");
    expect(parseAwsConfig(out.text).has("govcloud-admin")).toBe(false);
  });

  it("credential_process is byte for byte what `switchboard config export` writes into an empty file", () => {
    const cli = withManagedBlock("", cliManagedBlock(cliProfilesFor(entriesOf(menu), new Set())));
    expect(awsConfigExport(roles, { style: "credential_process" }).text).toBe(cli);
  });

  it.each(["", "two words", "x]\n[profile evil", "a#b", "a;b", "x".repeat(65)])("refuses the source profile %j", (sourceProfile) => {
    expect(isProfileName(sourceProfile)).toBe(false);
    expect(() => awsConfigExport(roles, { style: "source_profile", sourceProfile, sessionName: SESSION })).toThrow();
  });

  it.each(["default", "corp-sso", "team.admin@corp"])("accepts the source profile %j", (sourceProfile) => {
    expect(isProfileName(sourceProfile)).toBe(true);
  });

  it("keeps a label's line break out of the file", () => {
    const odd: ExportRole[] = [{ ...roles[0]!, path: "Production/Admin\n[profile injected]", label: "Admin\n[profile injected]" }];
    for (const options of STYLES.map((s) => s.options)) expect(parseAwsConfig(awsConfigExport(odd, options).text).has("injected")).toBe(false);
    expect(aesrExport(odd).text).not.toMatch(/^\[profile injected\]/m);
  });
});

describe("exportRolesOf", () => {
  it("leaves out an entry whose ARN the catalog did not give, and carries no ExternalId", () => {
    const some = exportRolesOf(menu, new Map([[ID(1), arns.get(ID(1))!]]));
    expect(some).toEqual([
      {
        id: ID(1),
        path: "Production/Admin",
        accountId: "111111111111",
        accountName: "Production",
        roleName: "Admin",
        label: "Admin",
        region: "eu-west-1",
        roleArn: "arn:aws:iam::111111111111:role/Admin",
        partition: "aws",
        color: "#dc2626",
        requiresExternalId: false,
      },
    ]);
  });
});

describe("aesrExport", () => {
  const out = aesrExport(roles);
  const parsed = parseAwsConfig(out.text);

  it("writes one profile per usable role with AESR's keys, named after the account", () => {
    expect([...parsed.keys()]).toEqual(["Production - Admin", "Production", "Production - Read only"]);
    for (const profile of parsed.values()) expect(Object.keys(profile).sort()).toEqual(["aws_account_id", "color", "region", "role_name"]);
  });

  it.each([
    { profile: "Production - Admin", account: "111111111111", role: "Admin", color: "dc2626", region: "eu-west-1" },
    // Upper-case hex and a path: lower-cased without "#", the role named with its path.
    { profile: "Production - Read only", account: "111111111111", role: "team/ops/ReadOnly", color: "dc2626", region: "eu-west-1" },
    { profile: "Production", account: "333333333333", role: "Admin", color: "16a34a", region: "eu-central-1" },
  ])("$profile", ({ profile, account, role, color, region }) => {
    expect(parsed.get(profile)).toEqual({ aws_account_id: account, role_name: role, color, region });
  });

  it.each([
    { id: ID(3), why: "ExternalId" },
    { id: ID(5), why: "aws-us-gov partition" },
  ])("skips $id with a comment ($why)", ({ id, why }) => {
    const skipped = out.skipped.find((s) => s.entry.id === id);
    expect(skipped?.reason).toContain(why);
    expect(out.text).toContain(`; ${skipped!.entry.path} (${skipped!.entry.accountId}): not written: `);
  });
});
