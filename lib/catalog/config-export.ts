// The roles a person may switch into, as text for other tools: the AWS config file (three ways to
// get a role's credentials) and AWS Extend Switch Roles' configuration. Shared: no server-only, no
// node: imports; the tokens page renders these in the browser, and the command line's
// `switchboard config export` writes the same credential_process profiles (cli/aws-config.ts).
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
// https://github.com/tilfinltd/aws-extend-switch-roles#configuration

import { CREDENTIAL_SOURCES, CREDENTIAL_SOURCE_TEXT, profileNameFor, type CredentialSource } from "@/lib/aws/credential-formats";
import type { Partition } from "@/lib/domain/partitions";
import type { MenuData } from "./menu-types";

/** What a profile is made of: one role entry as the menu lists it. */
export type ExportEntry = {
  /** The role entry id (a ULID). */
  id: string;
  /** `account name/role label`. */
  path: string;
  accountId: string;
  accountName: string;
  /** IAM role name. */
  roleName: string;
  region: string;
};

/** One role the person may switch into, as the export page receives it: no ExternalId, only
 * whether the entry sends one. */
export type ExportRole = ExportEntry & {
  label: string;
  roleArn: string;
  partition: Partition;
  /** `#rrggbb`. */
  color: string;
  requiresExternalId: boolean;
};

export const BEGIN_MARKER = "# >>> switchboard (managed, do not edit) >>>";
export const END_MARKER = "# <<< switchboard <<<";

export type ExportedProfile<E extends ExportEntry = ExportEntry> = { name: string; entry: E };

/** The person's roles for the export: the menu's entries (what `switchboard config export` reads
 * from /api/v1/me/menu), each with its role ARN from the catalog; an entry whose ARN is not
 * there is left out. */
export function exportRolesOf(menu: MenuData, arns: ReadonlyMap<string, string>): ExportRole[] {
  const roles: ExportRole[] = [];
  for (const role of menu.roles) {
    const account = menu.accounts[role.a];
    const roleArn = arns.get(role.id);
    if (!account || !roleArn) continue;
    roles.push({
      id: role.id,
      path: `${account.name}/${role.label}`,
      accountId: account.id,
      accountName: account.name,
      roleName: role.name,
      label: role.label,
      region: role.region,
      roleArn,
      partition: account.partition,
      color: role.color,
      requiresExternalId: role.requiresExternalId,
    });
  }
  return roles;
}

/** One unique profile name per entry: `profileNameFor(account, role)`, then the account id for
 * a clash (the same account and role names in two accounts), then a counter. Never a name in
 * `taken` (profiles outside the managed block, or the source profile). */
export function profilesFor<E extends ExportEntry>(entries: E[], taken: ReadonlySet<string>): ExportedProfile<E>[] {
  const used = new Set(taken);
  const sorted = [...entries].sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
  const base = sorted.map((e) => profileNameFor(e.accountName, e.roleName));
  const count = new Map<string, number>();
  for (const name of base) count.set(name, (count.get(name) ?? 0) + 1);
  return sorted.map((entry, i) => {
    let name = base[i]!;
    if (count.get(name)! > 1 || used.has(name)) name = `${name}-${entry.accountId}`.slice(0, 64);
    for (let n = 2; used.has(name); n++) name = `${base[i]!.slice(0, 56)}-${n}`;
    used.add(name);
    return { name, entry };
  });
}

// What may go on an INI line unquoted: ids are ULIDs, regions and names come from the catalog,
// but a line break in a label must not become a line of config.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");

const checkId = (id: string) => {
  if (!/^[0-9A-Za-z_-]+$/.test(id)) throw new Error(`unexpected role entry id ${JSON.stringify(id)}`);
};

/** The credential_process profiles between the markers, as `switchboard config export` writes
 * them: the command line replaces this block when it is run later. */
export function managedBlock(profiles: ExportedProfile[], command = "switchboard"): string {
  const lines = [BEGIN_MARKER, "# Written by `switchboard config export`; it rewrites everything up to the end marker.", ""];
  for (const { name, entry } of profiles) {
    checkId(entry.id);
    lines.push(
      `# ${oneLine(entry.path)} (${entry.accountId})`,
      `[profile ${name}]`,
      `credential_process = ${command} credentials ${entry.id} --format credential-process`,
      `region = ${oneLine(entry.region)}`,
      "",
    );
  }
  lines.push(END_MARKER);
  return lines.join("\n");
}

export const CONFIG_STYLES = ["credential_process", "source_profile", "credential_source"] as const;
export type ConfigStyle = (typeof CONFIG_STYLES)[number];

/** Where the AWS CLI finds the credentials that assume the role, for `credential_source`: one
 * list, shared with the role wizard's export and the credentials dialog. */
export { CREDENTIAL_SOURCES, CREDENTIAL_SOURCE_TEXT, type CredentialSource };

export type ConfigOptions =
  | { style: "credential_process" }
  | { style: "source_profile"; sourceProfile: string; sessionName: string }
  | { style: "credential_source"; credentialSource: CredentialSource; sessionName: string };

/** A profile name the person may type for source_profile: what fits in `[profile …]` and on a
 * `key = value` line without changing either (no brackets, comment marks, spaces or line breaks). */
export const isProfileName = (text: string) => /^[0-9A-Za-z_.@+=,:-]{1,64}$/.test(text);

/** Why an entry is left out of a source_profile or credential_source export. */
export const EXTERNAL_ID_REASON = "its entry sends an ExternalId, which the console does not show; use the credential_process style for it";

export type ConfigExport = {
  text: string;
  /** Profiles written. */
  profiles: ExportedProfile<ExportRole>[];
  /** Entries written as a comment only, with why. */
  skipped: { entry: ExportRole; reason: string }[];
};

/** The AWS config file for these roles, in one of three styles. credential_process is exactly
 * what `switchboard config export` writes into an empty file. */
export function awsConfigExport(roles: ExportRole[], options: ConfigOptions): ConfigExport {
  if (options.style === "credential_process") {
    const profiles = profilesFor(roles, new Set());
    return { text: `${managedBlock(profiles)}\n`, profiles, skipped: [] };
  }
  const source = options.style === "source_profile" ? options.sourceProfile : options.credentialSource;
  if (options.style === "source_profile" && !isProfileName(source)) throw new Error(`unexpected source profile ${JSON.stringify(source)}`);
  if (options.style === "credential_source" && !CREDENTIAL_SOURCES.includes(source as CredentialSource)) throw new Error(`unexpected credential source ${JSON.stringify(source)}`);
  // A role session name is 2-64 of [\w+=,.@-] (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
  if (!/^[\w+=,.@-]{2,64}$/.test(options.sessionName)) throw new Error(`unexpected role session name ${JSON.stringify(options.sessionName)}`);
  // The source profile keeps its own name: no exported profile may take it (a profile that is its
  // own source_profile is a loop the AWS CLI refuses).
  const profiles = profilesFor(roles, options.style === "source_profile" ? new Set([source]) : new Set());
  const sourceLine = options.style === "source_profile" ? `source_profile = ${source}` : `credential_source = ${source}`;
  const how =
    options.style === "source_profile"
      ? `# Each profile assumes its role with the credentials of your profile "${source}".`
      : `# Each profile assumes its role with the credentials the AWS CLI finds in ${source}.`;
  const lines = ["# Your Switchboard roles, for the AWS config file (~/.aws/config).", how, ""];
  const written: ExportedProfile<ExportRole>[] = [];
  const skipped: ConfigExport["skipped"] = [];
  for (const profile of profiles) {
    const { name, entry } = profile;
    checkId(entry.id);
    if (entry.requiresExternalId) {
      skipped.push({ entry, reason: EXTERNAL_ID_REASON });
      lines.push(`# ${oneLine(entry.path)} (${entry.accountId}): not written: ${EXTERNAL_ID_REASON}.`, "");
      continue;
    }
    written.push(profile);
    lines.push(
      `# ${oneLine(entry.path)} (${entry.accountId})`,
      `[profile ${name}]`,
      `role_arn = ${oneLine(entry.roleArn)}`,
      sourceLine,
      `role_session_name = ${options.sessionName}`,
      `region = ${oneLine(entry.region)}`,
      "",
    );
  }
  return { text: `${lines.join("\n").replace(/\n+$/, "")}\n`, profiles: written, skipped };
}

/** Why an entry is left out of the AESR configuration, or null. The AWS console's Switch Role
 * page sends no ExternalId, and AESR switches on the standard console (aws partition) only. */
export function aesrSkipReason(role: ExportRole): string | null {
  if (role.partition !== "aws") return `its account is in the ${role.partition} partition; AWS Extend Switch Roles switches on the standard AWS console only`;
  if (role.requiresExternalId) return "its entry sends an ExternalId, and the AWS console's Switch Role cannot";
  return null;
}

// AESR's profile names are shown in its list: what cannot be part of `[…]` goes.
const aesrName = (text: string) => oneLine(text).replace(/[[\]]/g, "").trim() || "account";

/** AWS Extend Switch Roles' configuration: one profile per role, named after its account (and the
 * role's label where an account has several), with the role's colour (hex without `#`). A role
 * with a path is named with it, as the console's Switch Role page takes it. */
export function aesrExport(roles: ExportRole[]): ConfigExport {
  const sorted = [...roles].sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
  const usable = sorted.filter((r) => !aesrSkipReason(r));
  const perAccount = new Map<string, number>();
  for (const r of usable) perAccount.set(r.accountId, (perAccount.get(r.accountId) ?? 0) + 1);
  const used = new Set<string>();
  const lines = ["; Your Switchboard roles, for AWS Extend Switch Roles (paste into its Configuration).", ""];
  const profiles: ExportedProfile<ExportRole>[] = [];
  const skipped: ConfigExport["skipped"] = [];
  for (const entry of sorted) {
    const reason = aesrSkipReason(entry);
    if (reason) {
      skipped.push({ entry, reason });
      lines.push(`; ${oneLine(entry.path)} (${entry.accountId}): not written: ${reason}.`, "");
      continue;
    }
    const base = perAccount.get(entry.accountId)! > 1 ? `${aesrName(entry.accountName)} - ${aesrName(entry.label)}` : aesrName(entry.accountName);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} ${n}`;
    used.add(name);
    profiles.push({ name, entry });
    const arnPath = /:role(\/.*\/)?[^/]+$/.exec(entry.roleArn)?.[1] ?? "/";
    lines.push(
      `[profile ${name}]`,
      `aws_account_id = ${entry.accountId}`,
      `role_name = ${arnPath.slice(1)}${oneLine(entry.roleName)}`,
      `color = ${/^#[0-9a-fA-F]{6}$/.test(entry.color) ? entry.color.slice(1).toLowerCase() : "888888"}`,
      `region = ${oneLine(entry.region)}`,
      "",
    );
  }
  return { text: `${lines.join("\n").replace(/\n+$/, "")}\n`, profiles, skipped };
}
