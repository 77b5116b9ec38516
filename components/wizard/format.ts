// Small display helpers of the role wizard. Pure and browser-safe.
import { slug } from "@/lib/provision/exports/shared";
import type { LintFinding, Severity } from "@/lib/provision/types";
import type { WizardAccount, WizardExports } from "./types";

/** "Production (111111111111)", or the bare id of an account the console does not know. */
export function accountLabel(accountId: string, accounts: readonly WizardAccount[]): string {
  const account = accounts.find((a) => a.accountId === accountId);
  return account ? `${account.name} (${accountId})` : accountId;
}

/** Where a finding is, in words: "trust" → "Trust policy", "inline:ReadBucket" → "Inline policy ReadBucket". */
export function whereLabel(where: string, accounts: readonly WizardAccount[] = []): string {
  if (where === "trust") return "Trust policy";
  if (where === "role") return "Role";
  if (where === "inline") return "Inline policy";
  const colon = where.indexOf(":");
  if (colon < 0) return where;
  const kind = where.slice(0, colon);
  const rest = where.slice(colon + 1);
  if (kind === "inline") return `Inline policy ${rest}`;
  if (kind === "managed") return `Managed policy ${rest.split("/").pop() ?? rest}`;
  if (kind === "source") return `Source-side policy in ${accountLabel(rest, accounts)}`;
  return where;
}

/** The step where the person fixes what a finding is about, when there is one. */
export function stepOfWhere(where: string): 1 | 2 | 3 | null {
  if (where === "trust" || where.startsWith("trust:")) return 2;
  if (where === "inline" || where.startsWith("inline:") || where.startsWith("managed:")) return 3;
  return null;
}

export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"];

/** Findings by severity, each group in the order the server sent them. */
export function groupFindings<F extends LintFinding>(findings: readonly F[]): Record<Severity, F[]> {
  const groups: Record<Severity, F[]> = { error: [], warning: [], info: [] };
  for (const f of findings) (groups[f.severity] ?? groups.info).push(f);
  return groups;
}

/** 3600 → "1 hour", 43200 → "12 hours", 5400 → "1.5 hours". */
export function hoursLabel(seconds: number): string {
  const h = Math.round((seconds / 3600) * 100) / 100;
  return `${h} ${h === 1 ? "hour" : "hours"}`;
}

export type ExportKind = "terraform" | "cloudformation" | "cli" | "config";

export const EXPORT_TABS: ReadonlyArray<{ value: ExportKind; label: string }> = [
  { value: "terraform", label: "Terraform" },
  { value: "cloudformation", label: "CloudFormation" },
  { value: "cli", label: "AWS CLI" },
  { value: "config", label: "~/.aws/config" },
];

export function exportText(kind: ExportKind, exports: WizardExports): string {
  if (kind === "terraform") return exports.terraform;
  if (kind === "cloudformation") return exports.cloudformation;
  if (kind === "cli") return exports.cli;
  return exports.awsConfig;
}

/** A download's file name and type: the names the exports themselves mention (the CloudFormation
 * export's deploy command names `<slug>.cfn.yaml`), so that copying its instructions works. */
export function exportFile(kind: ExportKind, roleName: string, text: string): { name: string; type: string } {
  const base = slug(roleName);
  if (kind === "terraform") return { name: `${base}.tf`, type: "text/plain" };
  if (kind === "cloudformation") return text.trimStart().startsWith("{") ? { name: `${base}.cfn.json`, type: "application/json" } : { name: `${base}.cfn.yaml`, type: "application/yaml" };
  if (kind === "cli") return { name: `create-${base}.sh`, type: "text/x-shellscript" };
  // Meant to be appended to ~/.aws/config, not saved over it.
  return { name: `${base}.aws-config`, type: "text/plain" };
}

/** A file name for a policy document: letters, digits and - _ . only. */
export function policyFileName(name: string): string {
  return `${name.replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, "") || "policy"}.json`;
}
