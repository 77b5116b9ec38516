// The review step's exports: what a plan will create, as Terraform, CloudFormation, an AWS CLI
// script, and the ~/.aws/config profile that uses the role afterwards. Every renderer is pure and
// stable (same plan, same text), so the page can render them in the browser and tests can compare
// them with fixture files.

import type { Plan } from "@/lib/provision/types";
import { exportAwsConfig, type AwsConfigOptions } from "./aws-config";
import { exportCli, type CliOptions } from "./cli";
import { exportCloudFormation } from "./cloudformation";
import { slug, trustsIamPrincipal } from "./shared";
import { exportTerraform } from "./terraform";

export { exportAwsConfig, exportCli, exportCloudFormation, exportTerraform, trustsIamPrincipal };
export type { AwsConfigOptions, CliOptions };

export type ExportFormatId = "terraform" | "cloudformation" | "cli" | "aws-config";

export type ExportFormat = {
  id: ExportFormatId;
  label: string;
  /** Syntax-highlighting hint for the page. */
  language: "hcl" | "yaml" | "bash" | "ini";
};

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  { id: "terraform", label: "Terraform", language: "hcl" },
  { id: "cloudformation", label: "CloudFormation", language: "yaml" },
  { id: "cli", label: "AWS CLI script", language: "bash" },
  { id: "aws-config", label: "~/.aws/config profile", language: "ini" },
];

export type ExportOptions = CliOptions & AwsConfigOptions;

/** One export of a plan, with the file name to save it as. */
export function exportFile(id: ExportFormatId, plan: Plan, options: ExportOptions = {}): { filename: string; text: string } {
  const name = slug(plan.roleName);
  switch (id) {
    case "terraform":
      return { filename: `${name}.tf`, text: exportTerraform(plan) };
    case "cloudformation":
      return { filename: `${name}.cfn.yaml`, text: exportCloudFormation(plan) };
    case "cli":
      return { filename: `create-${name}.sh`, text: exportCli(plan, options) };
    case "aws-config":
      // Meant to be appended to ~/.aws/config, not saved over it.
      return { filename: `${name}.aws-config`, text: exportAwsConfig(plan, options) };
  }
}
