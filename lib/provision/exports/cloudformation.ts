// A plan as a CloudFormation template (YAML): the role with its inline and managed policies, the
// instance profile and the OIDC provider, and the role's ARN as an output. The source-side
// policies live in other accounts, so each is a commented template to deploy there.
// Resource reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
// PURE: no server-only, no node: imports.

import { Document, Scalar } from "yaml";
import type { Plan } from "@/lib/provision/types";
import { commentText, pascalCase, providerUrl, slug, sourcePolicyTarget, uniqueName } from "./shared";

// The `yaml` package does the quoting. YAML 1.1 rules quote more than 1.2 (`yes`, `no`, `on`,
// `off`, `1:20`, dates such as 2012-10-17), so no parser CloudFormation or its tools use reads
// a string as a boolean, number or date.
const STRINGIFY = { version: "1.1", lineWidth: 0 } as const;

/** The plan as a CloudFormation template. The output is stable (same plan, same text). */
export function exportCloudFormation(plan: Plan): string {
  const base = pascalCase(plan.roleName).slice(0, 200) || "Switchboard";
  const taken = new Set<string>();
  const ids = {
    role: uniqueName(`${base}Role`, taken, ""),
    instanceProfile: uniqueName(`${base}InstanceProfile`, taken, ""),
    oidcProvider: uniqueName(`${base}OidcProvider`, taken, ""),
  };
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {
    RoleArn: { Description: "ARN of the role", Value: tagged("!GetAtt", `${ids.role}.Arn`) },
  };

  if (plan.oidcProvider) {
    resources[ids.oidcProvider] = {
      Type: "AWS::IAM::OIDCProvider",
      Properties: { Url: providerUrl(plan.oidcProvider.url), ClientIdList: plan.oidcProvider.clientIds },
    };
  }

  resources[ids.role] = {
    Type: "AWS::IAM::Role",
    // The trust policy names the provider by ARN; IAM refuses a Federated principal that does not
    // exist yet ("Invalid principal in policy").
    ...(plan.oidcProvider ? { DependsOn: ids.oidcProvider } : {}),
    Properties: {
      RoleName: plan.roleName,
      Path: plan.path,
      ...(plan.description ? { Description: plan.description } : {}),
      MaxSessionDuration: plan.maxSessionDuration,
      ...(plan.permissionsBoundaryArn ? { PermissionsBoundary: plan.permissionsBoundaryArn } : {}),
      AssumeRolePolicyDocument: plan.trustPolicy,
      ...(plan.inlinePolicies.length > 0 ? { Policies: plan.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })) } : {}),
      ...(plan.managedPolicyArns.length > 0 ? { ManagedPolicyArns: plan.managedPolicyArns } : {}),
      ...(plan.tags.length > 0 ? { Tags: plan.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
    },
  };

  if (plan.instanceProfile) {
    resources[ids.instanceProfile] = {
      Type: "AWS::IAM::InstanceProfile",
      Properties: { InstanceProfileName: plan.instanceProfile.name, Path: plan.instanceProfile.path, Roles: [tagged("!Ref", ids.role)] },
    };
    outputs.InstanceProfileArn = { Description: "ARN of the instance profile", Value: tagged("!GetAtt", `${ids.instanceProfile}.Arn`) };
  }

  const doc = new Document(
    { AWSTemplateFormatVersion: "2010-09-09", Description: `IAM role ${plan.roleArn}, exported by Switchboard`, Resources: resources, Outputs: outputs },
    { version: "1.1" },
  );
  doc.commentBefore = [
    `Deploy in account ${plan.accountId} (partition ${plan.partition}). The role has a fixed name, so the stack needs CAPABILITY_NAMED_IAM:`,
    `  aws cloudformation deploy --template-file ${slug(plan.roleName)}.cfn.yaml --stack-name role-${slug(plan.roleName)} --capabilities CAPABILITY_NAMED_IAM`,
    ...(plan.oidcProvider ? [`Only one OIDC provider per URL can exist in an account: remove ${ids.oidcProvider} if the account already has it.`] : []),
  ]
    .map((line) => ` ${commentText(line)}`)
    .join("\n");
  if (plan.sourcePolicies.length > 0) doc.comment = plan.sourcePolicies.map(sourcePolicyComment).join("\n\n");
  return doc.toString(STRINGIFY);
}

/** A short-form intrinsic function (`!Ref Role`, `!GetAtt Role.Arn`), as CloudFormation users
 * write them. */
function tagged(tag: "!Ref" | "!GetAtt", value: string): Scalar {
  const node = new Scalar(value);
  node.tag = tag;
  return node;
}

/** A template for the trusted account, as comment lines (without the leading `#`). */
function sourcePolicyComment(source: Plan["sourcePolicies"][number]): string {
  const target = sourcePolicyTarget(source.principal);
  const resource =
    target.kind === "managed"
      ? { Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: source.policyName, PolicyDocument: source.document } }
      : target.kind === "role"
        ? { Type: "AWS::IAM::RolePolicy", Properties: { RoleName: target.name, PolicyName: source.policyName, PolicyDocument: source.document } }
        : { Type: "AWS::IAM::UserPolicy", Properties: { UserName: target.name, PolicyName: source.policyName, PolicyDocument: source.document } };
  const template = new Document(
    { AWSTemplateFormatVersion: "2010-09-09", Resources: { [`SourcePolicy${pascalCase(source.policyName).slice(0, 200)}`]: resource } },
    { version: "1.1" },
  ).toString(STRINGIFY);
  const intro = [
    `Source side in account ${source.accountId}, for ${source.principal}: the identity policy callers need to assume this role.`,
    `It lives in that account: deploy the template below there.`,
    target.kind === "managed" ? `Then attach the managed policy to the users, groups or roles there that should assume the role.` : undefined,
    source.apply
      ? `Switchboard attaches it when it creates the role; deploy it yourself only if this template creates the role.`
      : `Switchboard will not attach it (it cannot provision in that account, or was not asked to).`,
  ].filter((line) => line !== undefined);
  return [...intro.map((line) => ` ${commentText(line)}`), "", ...template.trimEnd().split("\n").map((line) => ` ${line}`)].join("\n");
}
