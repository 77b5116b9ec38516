// A plan as a bash script of AWS CLI calls (v1 and v2): the OIDC provider when missing, the role
// with its tags, inline and managed policies, and the instance profile. The source-side policies
// live in other accounts, so they are commented commands to run with a profile for each.
// Policy documents are written with single-quoted here-documents (nothing in them is expanded)
// to a temporary directory and passed as file://, as in the IAM docs' CLI examples.
// PURE: no server-only, no node: imports.

import type { Plan } from "@/lib/provision/types";
import { isRegion, partitionOfRegion } from "@/lib/aws/partitions";
import { HOME_REGION, commentText, integer, providerUrl, sourcePolicyTarget } from "./shared";

export type CliOptions = {
  /** Region for the CLI calls when AWS_REGION is not set; IAM is global within a partition, so
   * this only picks the partition's endpoints. Default: the partition's home region. */
  region?: string;
};

/** The plan as a bash script. The output is stable (same plan, same text). */
export function exportCli(plan: Plan, options: CliOptions = {}): string {
  const region = options.region ?? HOME_REGION[plan.partition];
  // The region is written inside "${AWS_REGION:-…}", where quoting would not help: only a region
  // code of the plan's partition may go there.
  if (!isRegion(region) || partitionOfRegion(region) !== plan.partition) throw new Error(`Cannot render the CLI script: ${JSON.stringify(region)} is not a region of ${plan.partition}`);
  const role = arg("--role-name", plan.roleName);
  const out: string[] = [
    "#!/usr/bin/env bash",
    ...comment([
      `Creates the IAM role ${plan.roleArn}. Exported by Switchboard.`,
      `Run it with credentials for account ${plan.accountId}, e.g. AWS_PROFILE=<profile> bash <this file>.`,
      `It stops at the first failing command; what it created before that stays.`,
    ]),
    "set -euo pipefail",
    "",
    `# IAM is global within a partition; the region only selects the ${commentText(plan.partition)} endpoints.`,
    `export AWS_REGION="\${AWS_REGION:-${region}}"`,
    `export AWS_DEFAULT_REGION="\${AWS_DEFAULT_REGION:-$AWS_REGION}"`,
    "# AWS CLI v2 would page the output of each command.",
    `export AWS_PAGER=""`,
    "",
    `expected=${sh(plan.accountId)}`,
    `account="$(aws sts get-caller-identity --query Account --output text)"`,
    `if [ "$account" != "$expected" ]; then`,
    `  echo "These credentials are for account $account, not $expected." >&2`,
    "  exit 1",
    "fi",
    "",
    `tmp="$(mktemp -d)"`,
    `trap 'rm -rf "$tmp"' EXIT`,
  ];

  if (plan.oidcProvider) {
    out.push(
      "",
      "# The OIDC provider, unless the account already has it (one per URL per account). No thumbprint:",
      "# IAM no longer needs one (CLI releases before late 2024 still ask for --thumbprint-list).",
      `if ! aws iam get-open-id-connect-provider ${arg("--open-id-connect-provider-arn", plan.oidcProvider.arn)} >/dev/null 2>&1; then`,
      ...command(["aws iam create-open-id-connect-provider", arg("--url", providerUrl(plan.oidcProvider.url)), arg("--client-id-list", json(plan.oidcProvider.clientIds, 0))], "  "),
      "fi",
    );
  }

  // A parameter value starting with file://, fileb://, http:// or https:// is read from that
  // file or URL by the CLI (paramfile.py), so such a description goes through a file itself.
  const description = plan.description;
  const viaFile = /^(?:file|fileb|https?):\/\//.test(description);
  out.push("", `# The role.`, ...heredoc("trust-policy.json", plan.trustPolicy));
  if (plan.tags.length > 0) out.push(...heredoc("tags.json", plan.tags.map((t) => ({ Key: t.key, Value: t.value }))));
  if (viaFile) out.push(`printf '%s' ${sh(description)} >"$tmp/description.txt"`);
  out.push(
    ...command([
      "aws iam create-role",
      role,
      arg("--path", plan.path),
      ...(description ? [viaFile ? `--description "file://$tmp/description.txt"` : arg("--description", description)] : []),
      `--max-session-duration ${integer(plan.maxSessionDuration, "maxSessionDuration")}`,
      ...(plan.permissionsBoundaryArn ? [arg("--permissions-boundary", plan.permissionsBoundaryArn)] : []),
      `--assume-role-policy-document "file://$tmp/trust-policy.json"`,
      // Tags go with create-role rather than a later tag-role, so the role never exists untagged
      // (and a policy that requires aws:RequestTag on iam:CreateRole is satisfied).
      ...(plan.tags.length > 0 ? [`--tags "file://$tmp/tags.json"`] : []),
    ]),
  );

  plan.inlinePolicies.forEach((policy, i) => {
    const file = `inline-policy-${i + 1}.json`;
    out.push(
      "",
      `# Inline policy: ${commentText(policy.name)}`,
      ...heredoc(file, policy.document),
      ...command(["aws iam put-role-policy", role, arg("--policy-name", policy.name), `--policy-document "file://$tmp/${file}"`]),
    );
  });

  if (plan.managedPolicyArns.length > 0) {
    out.push("", "# Managed policies.");
    for (const arn of plan.managedPolicyArns) out.push(`aws iam attach-role-policy ${role} ${arg("--policy-arn", arn)}`);
  }

  if (plan.instanceProfile) {
    const profile = arg("--instance-profile-name", plan.instanceProfile.name);
    out.push(
      "",
      "# The instance profile EC2 launches the role with.",
      `aws iam create-instance-profile ${profile} ${arg("--path", plan.instanceProfile.path)}`,
      `aws iam add-role-to-instance-profile ${profile} ${role}`,
    );
  }

  out.push("", `printf '%s\\n' ${sh(`Created ${plan.roleArn}`)}`);

  for (const source of plan.sourcePolicies) out.push("", ...sourcePolicyCommands(plan, source));
  return `${out.join("\n")}\n`;
}

/** `--flag 'value'`, or `--flag='-value'` for a value that starts with `-`: the CLI's argparse
 * would take such a value for another option ("expected one argument"). */
function arg(flag: string, value: string): string {
  return value.startsWith("-") ? `${flag}=${sh(value)}` : `${flag} ${sh(value)}`;
}

/** A POSIX shell word that stands for exactly `value`. Single quotes keep everything literal
 * except `'` itself (written `'\''`); a value with a line break or another control character
 * uses bash's `$'…'` instead, so every argument stays on one line (and inside a comment). */
export function sh(value: string): string {
  if (!/[\u0000-\u001f\u007f]/.test(value)) return `'${value.replace(/'/g, `'\\''`)}'`;
  const escaped = value.replace(/[\\'\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "'":
        return "\\'";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  });
  return `$'${escaped}'`;
}

/** JSON with everything outside printable ASCII as `\uXXXX`: the CLI reads file:// parameters in
 * the locale's encoding, and an escaped document means the same to IAM in any of them. */
function json(value: unknown, indent: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Writes `value` as JSON to $tmp/<file>. The delimiter can never occur alone on a line of the
 * document: pretty JSON lines are indented or a bracket, and strings keep their line breaks
 * escaped. */
function heredoc(file: string, value: unknown, into = `"$tmp/${file}"`): string[] {
  return [`cat >${into} <<'JSON'`, json(value, 2), "JSON"];
}

/** One argument per line for long commands, continued with backslashes. */
function command(parts: string[], indent = ""): string[] {
  return parts.map((part, i) => `${indent}${i === 0 ? "" : "  "}${part}${i < parts.length - 1 ? " \\" : ""}`);
}

function comment(lines: string[]): string[] {
  return lines.map((line) => `# ${commentText(line)}`);
}

/** The commands for one trusted account, commented out: they need that account's credentials.
 * `PROFILE_FOR_<account>` is a placeholder that fails loudly until replaced. */
function sourcePolicyCommands(plan: Plan, source: Plan["sourcePolicies"][number]): string[] {
  const target = sourcePolicyTarget(source.principal);
  const file = `source-policy-${source.accountId}.json`;
  const profile = `--profile PROFILE_FOR_${source.accountId}`;
  const policy = arg("--policy-name", source.policyName);
  const commands =
    target.kind === "managed"
      ? [
          `aws iam create-policy ${profile} ${policy} --policy-document file://${file}`,
          `aws iam attach-role-policy ${profile} --role-name ROLE_NAME ${arg("--policy-arn", `arn:${plan.partition}:iam::${source.accountId}:policy/${source.policyName}`)}`,
        ]
      : [`aws iam put-${target.kind}-policy ${profile} ${arg(`--${target.kind}-name`, target.name)} ${policy} --policy-document file://${file}`];
  return [
    ...comment([
      `Source side in account ${source.accountId}, for ${source.principal}: the identity policy callers need to assume this role.`,
      `It lives in that account: run these with a profile for it (replace PROFILE_FOR_${source.accountId}).`,
      ...(target.kind === "managed" ? [`Attach it to the users, groups or roles there that should assume the role (attach-user-policy, attach-group-policy or attach-role-policy).`] : []),
      source.apply
        ? `Switchboard attaches it when it creates the role; run these only if this script creates the role.`
        : `Switchboard will not attach it (it cannot provision in that account, or was not asked to).`,
    ]),
    "#",
    ...[...heredoc(file, source.document, file), ...commands].flatMap((line) => line.split("\n")).map((line) => `# ${line}`),
  ];
}
