// A plan as Terraform (hashicorp/aws provider): the role, its inline and managed policies, the
// instance profile and the OIDC provider as resources; the source-side policies, which live in
// other accounts, as commented resources to apply with a provider for each of those accounts.
// Policies are `jsonencode({...})` of HCL objects, as in the provider's own examples
// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role).
// PURE: no server-only, no node: imports.

import type { Plan, PolicyJson } from "@/lib/provision/types";
import { hclAttributes, hclIdentifier, hclString, hclValue } from "./hcl";
import { arnName, commentText, integer, providerUrl, sourcePolicyTarget, uniqueName } from "./shared";

type Attribute = [key: string, expression: string] | null;

/** The plan as a Terraform file. The output is stable (same plan, same text) and already in
 * `terraform fmt` layout. */
export function exportTerraform(plan: Plan): string {
  // Resource names start with the role's, so exports of several roles can share a directory.
  const role = hclIdentifier(plan.roleName);
  const taken = new Set<string>([role]);
  const name = (suffix: string) => uniqueName(`${role}_${hclIdentifier(suffix)}`, taken);
  const roleRef = `aws_iam_role.${role}.name`;
  const blocks: string[] = [header(plan)];

  let oidcRef: string | undefined;
  if (plan.oidcProvider) {
    const id = name("oidc_provider");
    oidcRef = `aws_iam_openid_connect_provider.${id}`;
    blocks.push(
      [
        `# Only one provider per URL can exist in an account: if another configuration manages it, import or drop this one.`,
        `# No thumbprint_list: IAM verifies GitHub's certificate itself and computes a thumbprint for other providers;`,
        `# the argument is optional since hashicorp/aws 5.81 (terraform-provider-aws#37255).`,
        resource("aws_iam_openid_connect_provider", id, [
          ["url", hclString(providerUrl(plan.oidcProvider.url))],
          ["client_id_list", hclValue(plan.oidcProvider.clientIds, "  ")],
        ]),
      ].join("\n"),
    );
  }

  blocks.push(
    resource("aws_iam_role", role, [
      ["name", hclString(plan.roleName)],
      ["path", hclString(plan.path)],
      ...(plan.description ? [["description", hclString(plan.description)] as Attribute] : []),
      ["max_session_duration", integer(plan.maxSessionDuration, "maxSessionDuration")],
      ...(plan.permissionsBoundaryArn ? [["permissions_boundary", hclString(plan.permissionsBoundaryArn)] as Attribute] : []),
      null,
      ["assume_role_policy", jsonencode(plan.trustPolicy)],
      ...(plan.tags.length > 0 ? [null, ["tags", tagMap(plan.tags)] as Attribute] : []),
      // The trust policy names the provider by ARN, and IAM refuses a Federated principal that
      // does not exist yet ("Invalid principal in policy").
      ...(oidcRef ? [null, ["depends_on", `[${oidcRef}]`] as Attribute] : []),
    ]),
  );

  for (const policy of plan.inlinePolicies) {
    blocks.push(
      resource("aws_iam_role_policy", name(policy.name), [
        ["name", hclString(policy.name)],
        ["role", roleRef],
        ["policy", jsonencode(policy.document)],
      ]),
    );
  }

  for (const arn of plan.managedPolicyArns) {
    blocks.push(
      resource("aws_iam_role_policy_attachment", name(arnName(arn)), [
        ["role", roleRef],
        ["policy_arn", hclString(arn)],
      ]),
    );
  }

  if (plan.instanceProfile) {
    blocks.push(
      resource("aws_iam_instance_profile", name("instance_profile"), [
        ["name", hclString(plan.instanceProfile.name)],
        ["path", hclString(plan.instanceProfile.path)],
        ["role", roleRef],
      ]),
    );
  }

  const output = uniqueName(`${role}_arn`, taken);
  blocks.push(`output "${output}" {\n${hclAttributes([["value", `aws_iam_role.${role}.arn`]], "  ")}}\n`);

  for (const source of plan.sourcePolicies) blocks.push(sourcePolicyBlock(source, taken));
  return blocks.join("\n");
}

function header(plan: Plan): string {
  return (
    [
      `IAM role ${plan.roleArn}, exported by Switchboard.`,
      `Apply it with an AWS provider for account ${plan.accountId} (partition ${plan.partition}).`,
    ]
      .map((line) => `# ${commentText(line)}`)
      .join("\n") + "\n"
  );
}

function resource(type: string, name: string, attributes: Attribute[]): string {
  return `resource "${type}" "${name}" {\n${hclAttributes(attributes, "  ")}}\n`;
}

function jsonencode(document: PolicyJson): string {
  return `jsonencode(${hclValue(document, "  ")})`;
}

function tagMap(tags: Plan["tags"]): string {
  return hclValue(Object.fromEntries(tags.map(({ key, value }) => [key, value])), "  ");
}

/** A commented resource for the trusted account: it cannot be applied with the target account's
 * provider, and a live `provider = aws.<alias>` line would break the file until that alias is
 * configured. Uncomment it in a configuration that has the alias. */
function sourcePolicyBlock(source: Plan["sourcePolicies"][number], taken: Set<string>): string {
  const alias = `aws.account_${source.accountId}`;
  const target = sourcePolicyTarget(source.principal);
  const id = uniqueName(hclIdentifier(`source_${source.accountId}_${source.policyName}`), taken);
  const common: Attribute[] = [["provider", alias]];
  const block =
    target.kind === "managed"
      ? resource("aws_iam_policy", id, [...common, ["name", hclString(source.policyName)], ["policy", jsonencode(source.document)]])
      : resource(target.kind === "role" ? "aws_iam_role_policy" : "aws_iam_user_policy", id, [
          ...common,
          ["name", hclString(source.policyName)],
          [target.kind, hclString(target.name)],
          ["policy", jsonencode(source.document)],
        ]);
  const intro = [
    `Source side in account ${source.accountId}, for ${source.principal}: the identity policy callers need to assume this role.`,
    `It lives in that account: uncomment it where a provider with alias = "account_${source.accountId}" is configured.`,
    target.kind === "managed" ? `Then attach it to the users, groups or roles there that should assume the role.` : undefined,
    source.apply
      ? `Switchboard attaches it when it creates the role; apply it yourself only if this file creates the role.`
      : `Switchboard will not attach it (it cannot provision in that account, or was not asked to).`,
  ].filter((line) => line !== undefined);
  const lines = [...intro.map((line) => commentText(line)), "", ...block.trimEnd().split("\n")];
  return `${lines.map((line) => (line === "" ? "#" : `# ${line}`)).join("\n")}\n`;
}
