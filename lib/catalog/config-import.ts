// Reading the roles out of a configuration someone already has: an AWS Extend Switch Roles
// configuration or an AWS CLI config file (~/.aws/config), for the administrators' bulk import
// (lib/catalog/config-import-plan.ts). Shared: no server-only, no node: imports; the Roles page's
// import dialog and the API read the same answer. Each role comes with the line of its profile,
// and everything that is not imported with the line and a reason a person can act on.
//
// The two formats, as their own readers read them:
// - AWS CLI: botocore's configloader over Python's configparser (RawConfigParser defaults):
//   `[section]` headers, `key = value` or `key: value` split at the first delimiter, keys
//   lower-cased, whole-line `#`/`;` comments (never after a value), indented lines continuing
//   the value above (and `s3 =` followed by indented `key = value` lines a nested section),
//   `[default]` and `[profile name]` the only profiles (the name split as shlex does).
//   https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
//   https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
//   https://docs.python.org/3/library/configparser.html#supported-ini-file-structure
// - AWS Extend Switch Roles (its src/js/lib/load_aws_config.js and README "Configuration"):
//   `[name]` or `[profile name]`; `;` and `#` start a comment anywhere on a line; `role_arn`, or
//   `aws_account_id` and `role_name`; `color` (hex without #), `region`, `image`; a base account
//   (`aws_account_id` alone, optionally `aws_account_alias`, `target_role_name`, `target_region`)
//   and target roles naming it in `source_profile`.
//   https://github.com/tilfinltd/aws-extend-switch-roles#configuration
import { z } from "zod";
import type { Partition } from "@/lib/domain/partitions";
import { parseRoleArn } from "./role-dto";
import { accountNameField, awsAccountIdField, colorField, environmentField, externalIdField, regionField, roleArnField, roleNameField, rolePathField, sessionDurationField } from "./schemas";

export const CONFIG_IMPORT_FORMATS = ["aesr", "aws-config"] as const;
export type ConfigImportFormat = (typeof CONFIG_IMPORT_FORMATS)[number];

export const CONFIG_FORMAT_LABELS: Record<ConfigImportFormat, string> = {
  aesr: "AWS Extend Switch Roles",
  "aws-config": "AWS CLI config (~/.aws/config)",
};

/** A config file far larger than any team's (AESR keeps its whole configuration in browser sync
 * storage, a few hundred KiB at most): bounded so that a preview stays quick to read and draw. */
export const MAX_CONFIG_CHARS = 256 * 1024;
export const MAX_CONFIG_PROFILES = 2000;

/** One role the file names, ready to register. */
export type ImportedRole = {
  /** The profile's name, as the file spells it (the entry's display name). */
  profile: string;
  /** The line of the profile's [header] (1-based). */
  line: number;
  roleArn: string;
  partition: Partition;
  accountId: string;
  roleName: string;
  path: string;
  region: string | null;
  /** `#rrggbb`. */
  color: string | null;
  externalId: string | null;
  sessionDuration: number | null;
  /** The profiles it comes through: its source_profile, that one's, … (AWS CLI role chains), or
   * the AESR base account. */
  via: string[];
  /** What is not carried over, or worth knowing, in words. */
  notes: string[];
};

export type SkippedProfile = { profile: string; line: number; reason: string };
export type ConfigProblem = { line: number; reason: string; profile?: string };

export type ParsedConfig = {
  format: ConfigImportFormat;
  /** Whether the format was detected (true) or chosen. */
  detected: boolean;
  roles: ImportedRole[];
  skipped: SkippedProfile[];
  problems: ConfigProblem[];
  /** Every profile the file defines, imported or not. */
  profileCount: number;
};

// ---- The inputs of the import (the dialog's, the action's and the API's) ----------------------

export const configFormatField = z.enum(["auto", ...CONFIG_IMPORT_FORMATS], { error: `Format must be one of auto, ${CONFIG_IMPORT_FORMATS.join(", ")}` });

export const configTextField = z
  .string({ error: "Paste the configuration as text" })
  .max(MAX_CONFIG_CHARS, `The configuration is larger than ${MAX_CONFIG_CHARS / 1024} KiB; split it and import each part`)
  .refine((t) => t.trim() !== "", "Paste a configuration, or choose its file");

export const previewConfigImportInput = z.object({ text: configTextField, format: configFormatField.default("auto") }).strict();
export type PreviewConfigImportInput = z.infer<typeof previewConfigImportInput>;

/** What to register: the new accounts chosen (with the name and environment the administrator
 * set) and the new roles chosen, by role ARN as the preview gave it. Absent: everything new, with
 * the names and environments the preview suggested. */
export const applyConfigImportInput = previewConfigImportInput
  .extend({
    accounts: z
      .array(z.object({ accountId: awsAccountIdField, name: accountNameField, environment: environmentField }).strict())
      .max(MAX_CONFIG_PROFILES, `Choose at most ${MAX_CONFIG_PROFILES} accounts`)
      .optional(),
    roles: z.array(roleArnField).max(MAX_CONFIG_PROFILES, `Choose at most ${MAX_CONFIG_PROFILES} roles`).optional(),
  })
  .strict();
export type ApplyConfigImportInput = z.infer<typeof applyConfigImportInput>;

// ---- Reading ----------------------------------------------------------------------------------

/** Lines as Python's universal newlines and AESR's split(/\r\n|\r|\n/) see them, without a
 * leading byte-order mark (Windows editors write one; neither reader would skip it). */
function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
}

/** A section of the file and its settings, each with the line it is on. */
type Section = { header: string; line: number; values: Map<string, { value: string; line: number }> };

const AWS_CONFIG_ONLY = /^(sso_|credential_process$|credential_source$|external_id$|duration_seconds$|mfa_serial$|role_session_name$|aws_access_key_id$|aws_secret_access_key$|aws_session_token$|output$|web_identity_token_file$|cli_|s3$|endpoint_url$|ca_bundle$|retry_mode$|max_attempts$)/;
const AESR_ONLY = /^(aws_account_id|role_name|color|image|target_role_name|target_region|aws_account_alias)$/;

/** Which of the two formats the text looks like: the settings only one of them knows, and AESR's
 * bare `[name]` sections, counted. A file with only `[profile x]` and `role_arn` reads the same in
 * both. */
export function detectConfigFormat(text: string): ConfigImportFormat {
  let aesr = 0;
  let aws = 0;
  for (const raw of linesOf(text)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      if (/^(sso-session|services)\s/.test(name)) aws += 2;
      else if (!/^profile\s/.test(name) && name !== "default") aesr += 1;
      continue;
    }
    if (/^\s/.test(raw)) aws += 1; // a continuation line (s3 = … sub-sections)
    const at = line.search(/[=:]/);
    const key = at > 0 ? line.slice(0, at).trim().toLowerCase() : "";
    if (!key) continue;
    if (AESR_ONLY.test(key)) aesr += 2;
    else if (AWS_CONFIG_ONLY.test(key)) aws += 2;
  }
  return aesr > aws ? "aesr" : "aws-config";
}

/** Reads the text as the chosen format, or the one it looks like. */
export function parseConfig(text: string, format: ConfigImportFormat | "auto" = "auto"): ParsedConfig {
  const chosen = format === "auto" ? detectConfigFormat(text) : format;
  const parsed = chosen === "aesr" ? parseAesr(text) : parseAwsConfig(text);
  return { format: chosen, detected: format === "auto", ...parsed };
}

type Parsed = Omit<ParsedConfig, "format" | "detected">;

// ---- ~/.aws/config ----------------------------------------------------------------------------

/** configparser's reading of the file (Python 3's RawConfigParser with its defaults), line by
 * line; where configparser would refuse the whole file (a duplicate section or option, a line
 * that is nothing it knows), the line is reported and the rest still read. */
function readIni(text: string, problems: ConfigProblem[]): Section[] {
  const sections: Section[] = [];
  const byHeader = new Map<string, Section>();
  const twice = new Set<string>();
  let current: Section | null = null;
  /** The option a continuation line adds to, with its lines so far. */
  let option: { key: string; parts: string[]; line: number } | null = null;
  let indent = 0;
  const close = () => {
    if (current && option) current.values.set(option.key, { value: option.parts.join("\n").trimEnd(), line: option.line });
    option = null;
  };
  for (const [i, raw] of linesOf(text).entries()) {
    const n = i + 1;
    const stripped = raw.trim();
    const comment = stripped.startsWith("#") || stripped.startsWith(";");
    if (stripped === "" || comment) {
      // configparser keeps an empty line inside a value (not a comment line), then trims the end.
      if (!comment && option) option.parts.push("");
      continue;
    }
    const level = raw.length - raw.trimStart().length;
    if (current && option && level > indent) {
      option.parts.push(stripped);
      continue;
    }
    indent = level;
    // configparser's SECTCRE, matched at the start: `[` … the last `]`.
    const header = /^\[(.+)\]/.exec(stripped);
    if (header) {
      close();
      const name = header[1]!;
      const earlier = byHeader.get(name);
      if (earlier) {
        problems.push({ line: n, profile: name, reason: `[${name}] appears again (first at line ${earlier.line}); the AWS CLI refuses a file with a section twice. Merge the two.` });
        twice.add(name);
        current = { header: name, line: n, values: new Map() }; // read, then dropped
      } else {
        current = { header: name, line: n, values: new Map() };
        byHeader.set(name, current);
        sections.push(current);
      }
      continue;
    }
    if (!current) {
      problems.push({ line: n, reason: `A setting before any [section] header: put it under a [profile name] header (the AWS CLI refuses the file as it is).` });
      continue;
    }
    // configparser's OPTCRE: the name up to the first "=" or ":", then the value. (Found with
    // search, not a regular expression with two adjacent runs of spaces, which a long line of
    // spaces would make take quadratic time.)
    const at = stripped.search(/[=:]/);
    const name = at === -1 ? "" : stripped.slice(0, at).trimEnd();
    if (name === "") {
      close();
      problems.push({ line: n, profile: current.header, reason: at === -1 ? `Not a setting (key = value), a [section] header or a comment: “${clip(stripped)}”.` : `A setting with no name before its “${stripped[at]}”.` });
      continue;
    }
    close();
    const key = name.toLowerCase();
    const earlier = current.values.get(key);
    if (earlier) {
      problems.push({ line: n, profile: current.header, reason: `${key} is set twice in [${current.header}] (first at line ${earlier.line}); the AWS CLI refuses the file. The first is kept here.` });
      continue;
    }
    option = { key, parts: [stripped.slice(at + 1).trim()], line: n };
  }
  close();
  // A section that appeared twice is dropped as a whole: which of the two is meant is not ours
  // to guess.
  return sections.filter((s) => !twice.has(s.header));
}

/** botocore's `_parse_nested`: an `s3 =` value whose lines are `key = value`. */
function nestedProblem(section: Section): ConfigProblem | null {
  for (const [key, { value, line }] of section.values) {
    if (!value.startsWith("\n")) continue;
    const rows = value.split("\n");
    for (const [offset, row] of rows.entries()) {
      if (row.trim() !== "" && !row.includes("=")) {
        return { line: line + offset, profile: section.header, reason: `${key} = holds indented settings, and “${clip(row.trim())}” is not one (key = value); the AWS CLI refuses the file.` };
      }
    }
  }
  return null;
}

/** Python's shlex.split in POSIX mode, as far as a section name needs: whitespace-separated
 * words, '…' and "…" quoting, backslash escapes. Undefined where shlex raises (an open quote). */
function shlexSplit(s: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && next !== undefined && /["\\$`\n]/.test(next)) {
        word += next;
        i++;
      } else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      if (next === undefined) return undefined;
      word += next;
      inWord = true;
      i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

type AwsProfile = { name: string; section: Section; get: (key: string) => string | undefined; lineOf: (key: string) => number };

function parseAwsConfig(text: string): Parsed {
  const problems: ConfigProblem[] = [];
  const skipped: SkippedProfile[] = [];
  const sections = readIni(text, problems);
  const profiles = new Map<string, AwsProfile>();
  let profileCount = 0;
  for (const section of sections) {
    const nested = nestedProblem(section);
    if (nested) problems.push(nested);
    const header = section.header;
    // botocore's build_profile_map: "profile …" and "sso-session …" by prefix, then shlex.
    if (header.startsWith("sso-session")) {
      skipped.push({ profile: header, line: section.line, reason: "IAM Identity Center profile: not a role the console can assume (an sso-session holds the sign-in portal's settings)." });
      continue;
    }
    if (header.startsWith("services")) {
      skipped.push({ profile: header, line: section.line, reason: "Service endpoint settings ([services …]): not a profile." });
      continue;
    }
    let name: string | undefined;
    if (header === "default") name = "default";
    else if (header.startsWith("profile")) {
      const words = shlexSplit(header);
      if (words?.length === 2) name = words[1];
      else {
        profileCount++;
        skipped.push({ profile: header, line: section.line, reason: `The AWS CLI does not read [${header}] as a profile: write [profile name], with the name quoted if it has spaces.` });
        continue;
      }
    } else {
      skipped.push({
        profile: header,
        line: section.line,
        reason:
          header === "DEFAULT"
            ? "[DEFAULT] is not a profile: Python's configparser copies its settings into every section. Use [default]."
            : `Not a profile in ~/.aws/config: the AWS CLI reads only [default] and [profile ${header}] there. For an AWS Extend Switch Roles configuration, choose that format.`,
      });
      continue;
    }
    profileCount++;
    const earlier = profiles.get(name!);
    if (earlier) {
      problems.push({ line: section.line, profile: name, reason: `Profile ${name} is defined again (first at line ${earlier.section.line}, as [${earlier.section.header}]); the AWS CLI uses only the later one. Remove one of them.` });
      profiles.delete(name!);
    }
    profiles.set(name!, {
      name: name!,
      section,
      get: (key) => section.values.get(key)?.value,
      lineOf: (key) => section.values.get(key)?.line ?? section.line,
    });
  }

  const roles: ImportedRole[] = [];
  for (const p of [...profiles.values()].sort((a, b) => a.section.line - b.section.line)) {
    const roleArn = p.get("role_arn");
    const base = { profile: p.name, line: p.section.line };
    if (roleArn === undefined) {
      skipped.push({ ...base, reason: withoutRoleReason(p) });
      continue;
    }
    const arn = checkRoleArn(roleArn);
    if ("problem" in arn) {
      problems.push({ line: p.lineOf("role_arn"), profile: p.name, reason: arn.problem });
      continue;
    }
    const notes: string[] = [];
    const externalId = p.get("external_id");
    if (externalId !== undefined) {
      const checked = externalIdField.safeParse(externalId);
      if (!checked.success) {
        problems.push({ line: p.lineOf("external_id"), profile: p.name, reason: `external_id: ${firstIssue(checked.error)}. Fix it: without the right ExternalId every switch into the role fails.` });
        continue;
      }
    }
    const region = optional(p.get("region"), regionField, "region", notes, "the account's default region is used");
    const durationText = p.get("duration_seconds");
    let sessionDuration: number | null = null;
    if (durationText !== undefined) {
      const checked = sessionDurationField.safeParse(/^\d+$/.test(durationText) ? Number(durationText) : NaN);
      if (checked.success) sessionDuration = checked.data;
      else notes.push(`duration_seconds ${clip(durationText)} is not kept (${firstIssue(checked.error)}).`);
    }
    const via = chainOf(p, profiles);
    const source = p.get("source_profile");
    if (source !== undefined && !profiles.has(source)) notes.push(`Its source_profile ${clip(source)} is not in this file.`);
    if (via.cycle) notes.push(`Its source_profile chain loops (${via.names.join(" → ")}); the AWS CLI refuses it.`);
    if (p.get("mfa_serial") !== undefined) notes.push("The profile asks for MFA (mfa_serial). The console assumes the role as itself, with no one's MFA: if the role's trust policy requires MFA, the test after registering says so.");
    if (p.get("role_session_name") !== undefined) notes.push("role_session_name is not kept: the console names each session after the person switching.");
    roles.push({ ...base, ...arn, region, color: null, externalId: externalId ?? null, sessionDuration, via: via.names, notes });
  }
  return { roles: dedupe(roles, skipped), skipped: bySortedLine(skipped), problems: bySortedLine(problems), profileCount };
}

/** Why a profile without role_arn is not imported. */
function withoutRoleReason(p: AwsProfile): string {
  const has = (prefix: string) => [...p.section.values.keys()].some((k) => k.startsWith(prefix));
  if (has("sso_")) return "IAM Identity Center profile: not a role the console can assume.";
  if (p.get("credential_process") !== undefined) return "Gets its credentials from a program (credential_process): not a role the console can assume.";
  if (p.get("aws_access_key_id") !== undefined) return "Access keys, no role_arn: nothing to register (keys are never imported).";
  if (p.get("web_identity_token_file") !== undefined) return "A web identity token file with no role_arn: nothing to register.";
  const keys = [...p.section.values.keys()];
  return keys.length ? `No role_arn (only ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""}): nothing to register.` : "An empty profile: nothing to register.";
}

/** The profiles a role profile's credentials come through, following source_profile while the
 * source is itself a role profile (a role chain), then its base. */
function chainOf(p: AwsProfile, profiles: Map<string, AwsProfile>): { names: string[]; cycle: boolean } {
  const names: string[] = [];
  const seen = new Set([p.name]);
  for (let source = p.get("source_profile"); source !== undefined; ) {
    names.push(source);
    if (seen.has(source)) return { names, cycle: true };
    seen.add(source);
    const next = profiles.get(source);
    if (!next || next.get("role_arn") === undefined) break;
    source = next.get("source_profile");
  }
  if (names.length === 0) {
    const credentialSource = p.get("credential_source");
    if (credentialSource !== undefined) names.push(`credential_source ${clip(credentialSource, 40)}`);
    else if (p.get("web_identity_token_file") !== undefined) names.push("web_identity_token_file");
  }
  return { names, cycle: false };
}

// ---- AWS Extend Switch Roles ------------------------------------------------------------------

type AesrProfile = { name: string; line: number; values: Map<string, { value: string; line: number }> };

function parseAesr(text: string): Parsed {
  const problems: ConfigProblem[] = [];
  const skipped: SkippedProfile[] = [];
  const profiles: AesrProfile[] = [];
  let current: AesrProfile | null = null;
  for (const [i, raw] of linesOf(text).entries()) {
    const n = i + 1;
    // AESR drops everything from the first ; or # on, then trims.
    const line = raw.replace(/[;#].*$/, "").trim();
    if (line === "") continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = { name: header[1]!.trim().replace(/^profile\s+/i, ""), line: n, values: new Map() };
      profiles.push(current);
      continue;
    }
    if (line.startsWith("[")) {
      problems.push({ line: n, reason: `Not a section header: “${clip(line)}” (write [profile name] or [name]).` });
      current = null;
      continue;
    }
    if (!current) {
      problems.push({ line: n, reason: "A setting before any [profile] header: AWS Extend Switch Roles refuses it." });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq === -1) {
      problems.push({ line: n, profile: current.name, reason: `Not a setting (key = value): “${clip(line)}”.` });
      continue;
    }
    const key = line.slice(0, eq).trim();
    const earlier = current.values.get(key);
    if (earlier) {
      problems.push({ line: n, profile: current.name, reason: `${key} is set twice in [${current.name}] (first at line ${earlier.line}); AWS Extend Switch Roles refuses that. The first is kept here.` });
      continue;
    }
    current.values.set(key, { value: line.slice(eq + 1).trim(), line: n });
  }

  const byName = new Map<string, AesrProfile>();
  for (const p of profiles) {
    const earlier = byName.get(p.name);
    if (earlier) problems.push({ line: p.line, profile: p.name, reason: `Profile ${p.name} is defined again (first at line ${earlier.line}); each is read as written.` });
    else byName.set(p.name, p);
  }
  const targetOf = new Set(profiles.flatMap((p) => (p.values.has("source_profile") ? [p.values.get("source_profile")!.value] : [])));
  const roles: ImportedRole[] = [];
  for (const p of profiles) {
    const get = (key: string) => p.values.get(key)?.value;
    const lineOf = (key: string) => p.values.get(key)?.line ?? p.line;
    const base = { profile: p.name, line: p.line };
    const sourceName = get("source_profile");
    const source = sourceName !== undefined ? byName.get(sourceName) : undefined;
    const fromSource = (key: string) => source?.values.get(key)?.value;
    const roleArnText = get("role_arn");
    const accountText = get("aws_account_id");
    const roleNameText = get("role_name") ?? (roleArnText === undefined ? fromSource("target_role_name") : undefined);
    if (roleArnText === undefined && accountText !== undefined && roleNameText === undefined && sourceName !== undefined) {
      problems.push({ line: p.line, profile: p.name, reason: `No role_name, and its base account ${clip(sourceName)} sets no target_role_name: add role_name = <the role's name>.` });
      continue;
    }
    if (roleArnText === undefined && accountText !== undefined && roleNameText === undefined) {
      // A base account: where people sign in; AESR lists the target roles under it.
      const alias = get("aws_account_alias");
      skipped.push({
        ...base,
        reason: `Base account${alias ? ` (${clip(alias, 40)})` : ""}: where you sign in${targetOf.has(p.name) ? ", with target roles under it" : ""}; it has no role to register.`,
      });
      continue;
    }
    let arn: Pick<ImportedRole, "roleArn" | "partition" | "accountId" | "roleName" | "path">;
    if (roleArnText !== undefined) {
      const checked = checkRoleArn(roleArnText);
      if ("problem" in checked) {
        problems.push({ line: lineOf("role_arn"), profile: p.name, reason: checked.problem });
        continue;
      }
      arn = checked;
    } else if (accountText === undefined) {
      problems.push({ line: p.line, profile: p.name, reason: "No aws_account_id or role_arn: AWS Extend Switch Roles refuses a profile without an account." });
      continue;
    } else {
      if (!awsAccountIdField.safeParse(accountText).success) {
        problems.push({
          line: lineOf("aws_account_id"),
          profile: p.name,
          reason: /^\d+$/.test(accountText) ? `aws_account_id ${clip(accountText)} is not 12 digits.` : `aws_account_id ${clip(accountText)} is an account alias: the console needs the 12-digit account id. Write it instead, or a role_arn.`,
        });
        continue;
      }
      const named = checkRoleName(roleNameText!);
      if ("problem" in named) {
        problems.push({ line: get("role_name") !== undefined ? lineOf("role_name") : source!.values.get("target_role_name")!.line, profile: p.name, reason: named.problem });
        continue;
      }
      // AESR opens the AWS console (aws partition); a role in another partition needs a role_arn.
      arn = { roleArn: `arn:aws:iam::${accountText}:role${named.path}${named.roleName}`, partition: "aws", accountId: accountText, ...named };
    }
    const notes: string[] = [];
    const region = optional(get("region") ?? fromSource("target_region"), regionField, "region", notes, "the account's default region is used");
    const colorText = get("color");
    const color = colorText === undefined ? null : optional(`#${expandHex(colorText.replace(/^#/, ""))}`, colorField, "color", notes, "the account's colour is shown", colorText);
    if (get("image") !== undefined) notes.push("Its image is not kept: the console marks entries by colour.");
    if (sourceName !== undefined && !source) notes.push(`Its source_profile ${clip(sourceName)} is not in this file.`);
    roles.push({ ...base, ...arn, region, color, externalId: null, sessionDuration: null, via: sourceName !== undefined ? [sourceName] : [], notes });
  }
  return { roles: dedupe(roles, skipped), skipped: bySortedLine(skipped), problems: bySortedLine(problems), profileCount: profiles.length };
}

/** `fff` → `ffffff`, as CSS reads a three-digit colour (AESR puts `#` before the value). */
function expandHex(hex: string): string {
  return /^[0-9a-f]{3}$/i.test(hex) ? hex.replace(/./g, (c) => c + c) : hex;
}

// ---- Shared checks ----------------------------------------------------------------------------

/** A role ARN, or why it is not one: the catalog's own rule (schemas.ts roleArnField), with the
 * reason said for the part that is wrong. */
function checkRoleArn(text: string): Pick<ImportedRole, "roleArn" | "partition" | "accountId" | "roleName" | "path"> | { problem: string } {
  const value = text.trim();
  const parsed = roleArnField.safeParse(value).success ? parseRoleArn(value) : undefined;
  if (parsed) return { roleArn: value, ...parsed };
  const shown = clip(value, 120);
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return { problem: `role_arn ${shown} is not an ARN (arn:aws:iam::123456789012:role/Name).` };
  if (!/^aws(-cn|-us-gov|-eusc)?$/.test(parts[1]!)) return { problem: `role_arn ${shown}: ${clip(parts[1]!, 30)} is not an AWS partition (aws, aws-cn, aws-us-gov, aws-eusc).` };
  if (parts[2] !== "iam" || !parts.slice(5).join(":").startsWith("role/")) return { problem: `role_arn ${shown} is not an IAM role ARN: it should read arn:${parts[1]}:iam::<account>:role/<name>.` };
  if (!/^\d{12}$/.test(parts[4]!)) return { problem: `role_arn ${shown}: the account id ${clip(parts[4]!, 30)} is not 12 digits.` };
  const named = checkRoleName(parts.slice(5).join(":").slice("role/".length));
  return { problem: "problem" in named ? `role_arn ${shown}: ${named.problem}` : `role_arn ${shown} is not a valid role ARN.` };
}

/** A role name, possibly with its path (`team/ops/Name`, as AESR writes a role_arn's rest), by the
 * catalog's rules (IAM's: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
function checkRoleName(text: string): { roleName: string; path: string } | { problem: string } {
  const cut = text.lastIndexOf("/");
  const roleName = text.slice(cut + 1);
  const path = cut === -1 ? "/" : `/${text.slice(0, cut).replace(/^\//, "")}/`;
  const name = roleNameField.safeParse(roleName);
  if (!name.success) return { problem: `role name ${clip(roleName)}: ${firstIssue(name.error)}.` };
  const checkedPath = rolePathField.safeParse(path);
  if (!checkedPath.success) return { problem: `role path ${clip(path)}: ${firstIssue(checkedPath.error)}.` };
  return { roleName: name.data, path: checkedPath.data };
}

/** An optional setting checked by the catalog's field: its value, or null and a note. */
function optional(value: string | undefined, field: z.ZodType<string, string>, key: string, notes: string[], instead: string, shown = value): string | null {
  if (value === undefined) return null;
  const checked = field.safeParse(value);
  if (checked.success) return checked.data;
  notes.push(`${key} ${clip(shown ?? "")} is not kept (${firstIssue(checked.error)}); ${instead}.`);
  return null;
}

/** IAM role names are unique per account whatever their case and path: a role named twice (two
 * source profiles for one role is common) is registered once, from its first profile. */
function dedupe(roles: ImportedRole[], skipped: SkippedProfile[]): ImportedRole[] {
  const first = new Map<string, ImportedRole>();
  const kept: ImportedRole[] = [];
  for (const role of roles) {
    const key = `${role.accountId}:${role.roleName.toLowerCase()}`;
    const earlier = first.get(key);
    if (earlier) skipped.push({ profile: role.profile, line: role.line, reason: `The same role as profile ${earlier.profile} (line ${earlier.line}): it is registered once.` });
    else {
      first.set(key, role);
      kept.push(role);
    }
  }
  return kept;
}

function bySortedLine<T extends { line: number }>(items: T[]): T[] {
  return items.sort((a, b) => a.line - b.line);
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "not valid";
}

/** A piece of the file quoted in a message: one line, bounded. */
function clip(text: string, max = 60): string {
  const one = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
