import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument, type ScalarTag } from "yaml";
import type { Plan } from "@/lib/provision/types";
import { exportCloudFormation } from "./cloudformation";
import { providerUrl, sourcePolicyTarget } from "./shared";
import { EXPORT_CASES, githubDeploy } from "./testing";

const installed = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const CFN_LINT = installed("cfn-lint");
if (!CFN_LINT) console.warn("cfn-lint is not installed: skipping the CloudFormation lint check");

// The short-form intrinsic functions, read back as their long forms.
const CFN_TAGS: ScalarTag[] = [
  { tag: "!Ref", resolve: (value: string) => ({ Ref: value }) } as unknown as ScalarTag,
  { tag: "!GetAtt", resolve: (value: string) => ({ "Fn::GetAtt": value.split(".") }) } as unknown as ScalarTag,
];

type Template = { Resources: Record<string, { Type: string; DependsOn?: string; Properties: Record<string, unknown> }>; Outputs?: Record<string, { Value: unknown }> };

function parse(text: string): Template {
  const doc = parseDocument(text, { version: "1.1", customTags: CFN_TAGS });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  return doc.toJS() as Template;
}

function byType(template: Template, type: string): Array<[string, Template["Resources"][string]]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The commented templates for the trusted accounts, uncommented. */
function sourceTemplates(text: string): string[] {
  const templates: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("# AWSTemplateFormatVersion:")) current = [];
    if (!current) continue;
    if (line.startsWith("# ") || line === "#") {
      current.push(line.slice(2));
    } else {
      templates.push(current.join("\n"));
      current = undefined;
    }
  }
  if (current) templates.push(current.join("\n"));
  return templates;
}

function expectedRoleProperties(plan: Plan): Record<string, unknown> {
  return {
    RoleName: plan.roleName,
    Path: plan.path,
    ...(plan.description ? { Description: plan.description } : {}),
    MaxSessionDuration: plan.maxSessionDuration,
    ...(plan.permissionsBoundaryArn ? { PermissionsBoundary: plan.permissionsBoundaryArn } : {}),
    AssumeRolePolicyDocument: plan.trustPolicy,
    ...(plan.inlinePolicies.length > 0 ? { Policies: plan.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })) } : {}),
    ...(plan.managedPolicyArns.length > 0 ? { ManagedPolicyArns: plan.managedPolicyArns } : {}),
    ...(plan.tags.length > 0 ? { Tags: plan.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
  };
}

describe("exportCloudFormation: parsed back with yaml", () => {
  it.each(EXPORT_CASES)("$name: the role's properties deep-equal the plan, policies included", ({ plan }) => {
    const template = parse(exportCloudFormation(plan));
    const roles = byType(template, "AWS::IAM::Role");
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0]!;
    expect(role.Properties).toEqual(expectedRoleProperties(plan));
    expect(template.Outputs?.RoleArn?.Value).toEqual({ "Fn::GetAtt": [roleId, "Arn"] });
    for (const id of Object.keys(template.Resources)) expect(id).toMatch(/^[A-Za-z0-9]{1,255}$/);
  });

  it.each(EXPORT_CASES)("$name: instance profile and OIDC provider exactly when the plan has them", ({ plan }) => {
    const template = parse(exportCloudFormation(plan));
    const [[roleId, role]] = byType(template, "AWS::IAM::Role") as [[string, Template["Resources"][string]]];
    const profiles = byType(template, "AWS::IAM::InstanceProfile");
    const providers = byType(template, "AWS::IAM::OIDCProvider");
    expect(profiles.map(([, r]) => r.Properties)).toEqual(
      plan.instanceProfile ? [{ InstanceProfileName: plan.instanceProfile.name, Path: plan.instanceProfile.path, Roles: [{ Ref: roleId }] }] : [],
    );
    expect(providers.map(([, r]) => r.Properties)).toEqual(plan.oidcProvider ? [{ Url: providerUrl(plan.oidcProvider.url), ClientIdList: plan.oidcProvider.clientIds }] : []);
    expect(role.DependsOn).toBe(providers[0]?.[0]);
    expect(Object.keys(template.Resources)).toHaveLength(1 + profiles.length + providers.length);
  });

  it.each(EXPORT_CASES)("$name: each source-side policy is a commented template for its own account", ({ plan }) => {
    const text = exportCloudFormation(plan);
    const templates = sourceTemplates(text).map(parse);
    expect(templates).toHaveLength(plan.sourcePolicies.length);
    templates.forEach((template, i) => {
      const source = plan.sourcePolicies[i]!;
      const target = sourcePolicyTarget(source.principal);
      const [resource] = Object.values(template.Resources);
      expect(resource).toEqual(
        target.kind === "managed"
          ? { Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: source.policyName, PolicyDocument: source.document } }
          : target.kind === "role"
            ? { Type: "AWS::IAM::RolePolicy", Properties: { RoleName: target.name, PolicyName: source.policyName, PolicyDocument: source.document } }
            : { Type: "AWS::IAM::UserPolicy", Properties: { UserName: target.name, PolicyName: source.policyName, PolicyDocument: source.document } },
      );
      expect(text).toContain(`# Source side in account ${source.accountId}, for ${source.principal}:`);
    });
  });

  it("quotes what YAML 1.1 would read as another type, and writes the intrinsic functions short", () => {
    const text = exportCloudFormation(githubDeploy);
    expect(text).toContain('AWSTemplateFormatVersion: "2010-09-09"\n');
    expect(text).toContain('        Version: "2012-10-17"\n');
    expect(text).toContain("    DependsOn: GithubDeployWebOidcProvider\n");
    expect(text).toContain("    Value: !GetAtt GithubDeployWebRole.Arn\n");
    const yes = exportCloudFormation({ ...githubDeploy, description: "yes", tags: [{ key: "on", value: "012" }] });
    expect(yes).toContain('      Description: "yes"\n');
    expect(yes).toContain('        - Key: "on"\n          Value: "012"\n');
  });
});

describe("exportCloudFormation with cfn-lint", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.skipIf(!CFN_LINT)("cfn-lint finds no problem in any template (skipped when cfn-lint is not installed)", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-cfn-"));
    dirs.push(dir);
    const files: string[] = [];
    for (const { name, plan } of EXPORT_CASES) {
      const text = exportCloudFormation(plan);
      [text, ...sourceTemplates(text)].forEach((template, i) => {
        const file = join(dir, `${name}-${i}.yaml`);
        writeFileSync(file, template);
        files.push(file);
      });
    }
    // E3031: the nasty plan's tags hold characters IAM refuses in tags (on purpose, to test the
    // escaping); everything else must pass.
    const result = spawnSync("cfn-lint", ["--ignore-checks", "E3031", "--", ...files], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  }, 120_000);
});
