import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument, type ScalarTag } from "yaml";
import { exportCloudFormation } from "./cloudformation";
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

/** A resource's properties without its policy documents (checked on their own: they must read
 * back exactly as the plan has them). */
function withoutDocuments(properties: Record<string, unknown>): Record<string, unknown> {
  const { AssumeRolePolicyDocument: _trust, Policies: _policies, PolicyDocument: _document, ...rest } = properties;
  return rest;
}

// What each case's template holds, written out by hand from the plans in ./testing (the full
// text is compared with ../__fixtures__/exports/*.cfn.yaml by index.test.ts).
type Expected = {
  resources: Record<string, string>;
  role: Record<string, unknown>;
  dependsOn?: string;
  others: Record<string, Record<string, unknown>>;
  outputs: Record<string, unknown>;
  sources: Array<{ Type: string; Properties: Record<string, unknown> }>;
};

const EXPECTED: Record<string, Expected> = {
  "delegate-read-my-bucket": {
    resources: { DelegateReadMyBucketRole: "AWS::IAM::Role" },
    role: {
      RoleName: "delegate_read_my_bucket",
      Path: "/",
      Description: "Lets the development account read productionapp",
      MaxSessionDuration: 3600,
      Tags: [{ Key: "owner", Value: "platform" }],
    },
    others: {},
    outputs: { RoleArn: { "Fn::GetAtt": ["DelegateReadMyBucketRole", "Arn"] } },
    sources: [
      // "any principal in 222222222222": a managed policy to attach to whoever should assume.
      { Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: "assume-delegate_read_my_bucket" } },
      // A role ARN with a path: the policy goes on the role, named without its path.
      { Type: "AWS::IAM::RolePolicy", Properties: { RoleName: "etl-runner", PolicyName: "assume-delegate_read_my_bucket" } },
    ],
  },
  "ec2-app-server": {
    resources: { AppServerRole: "AWS::IAM::Role", AppServerInstanceProfile: "AWS::IAM::InstanceProfile" },
    // No Description (the plan's is empty), no Tags, no inline Policies.
    role: {
      RoleName: "app-server",
      Path: "/ec2/",
      MaxSessionDuration: 3600,
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
    },
    others: { AppServerInstanceProfile: { InstanceProfileName: "app-server", Path: "/ec2/", Roles: [{ Ref: "AppServerRole" }] } },
    outputs: { RoleArn: { "Fn::GetAtt": ["AppServerRole", "Arn"] }, InstanceProfileArn: { "Fn::GetAtt": ["AppServerInstanceProfile", "Arn"] } },
    sources: [],
  },
  "github-deploy-web": {
    resources: { GithubDeployWebOidcProvider: "AWS::IAM::OIDCProvider", GithubDeployWebRole: "AWS::IAM::Role" },
    role: {
      RoleName: "github-deploy-web",
      Path: "/ci/",
      Description: "GitHub Actions: acme/web, environment production",
      MaxSessionDuration: 3600,
      Tags: [
        { Key: "repository", Value: "acme/web" },
        { Key: "managed-by", Value: "switchboard" },
      ],
    },
    // The trust policy names the provider, which must exist first.
    dependsOn: "GithubDeployWebOidcProvider",
    others: { GithubDeployWebOidcProvider: { Url: "https://token.actions.githubusercontent.com", ClientIdList: ["sts.amazonaws.com"] } },
    outputs: { RoleArn: { "Fn::GetAtt": ["GithubDeployWebRole", "Arn"] } },
    sources: [],
  },
  "govcloud-vendor-audit": {
    resources: { VendorAuditRole: "AWS::IAM::Role" },
    role: {
      RoleName: "vendor-audit",
      Path: "/third-party/",
      Description: "Read-only audit access for Example Corp",
      MaxSessionDuration: 43200,
      PermissionsBoundary: "arn:aws-us-gov:iam::666666666666:policy/ThirdPartyBoundary",
      ManagedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/SecurityAudit"],
      Tags: [
        { Key: "owner", Value: "security@example.com" },
        { Key: "cost-center", Value: "1234" }, // a string, not the number 1234
        { Key: "vendor", Value: "Example Corp" },
      ],
    },
    others: {},
    outputs: { RoleArn: { "Fn::GetAtt": ["VendorAuditRole", "Arn"] } },
    sources: [{ Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: "assume-vendor-audit" } }],
  },
  nasty: {
    resources: { NastyRole123XYRole: "AWS::IAM::Role", NastyRole123XYInstanceProfile: "AWS::IAM::InstanceProfile" },
    role: {
      RoleName: "Nasty+Role=1,2.3@x-y",
      Path: "/a'b\"c$d%e\\f{g}/",
      Description: 'He said "hi" & it\'s $HOME \\ ${aws:username} %{if x} `date` $(id)\nsecond line\ttab; Zürich #not-a-comment',
      MaxSessionDuration: 7200,
      ManagedPolicyArns: ["arn:aws:iam::888888888888:policy/team/ReadOnly", "arn:aws:iam::888888888888:policy/Read.Only", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      Tags: [
        { Key: "for", Value: "x" },
        { Key: "cost-center", Value: "a\"b'c$d\\e" },
        { Key: "Zürich", Value: "line1\nline2\r\n" },
        { Key: "${x}", Value: "%{y} $${z}" },
        { Key: "JSON", Value: "JSON" },
        { Key: "Re\u0301sume\u0301 👍🏽", Value: "ok" },
      ],
    },
    others: { NastyRole123XYInstanceProfile: { InstanceProfileName: "Nasty+Role=1,2.3@x-y", Path: "/a'b\"c$d%e\\f{g}/", Roles: [{ Ref: "NastyRole123XYRole" }] } },
    outputs: { RoleArn: { "Fn::GetAtt": ["NastyRole123XYRole", "Arn"] }, InstanceProfileArn: { "Fn::GetAtt": ["NastyRole123XYInstanceProfile", "Arn"] } },
    // A user ARN with a path: an inline policy on the user, named without its path.
    sources: [{ Type: "AWS::IAM::UserPolicy", Properties: { UserName: "first.last@example.com", PolicyName: "assume-Nasty+Role=1,2.3@x-y" } }],
  },
};

const CASES = EXPORT_CASES.map((c) => ({ ...c, expected: EXPECTED[c.name]! }));

describe("exportCloudFormation: parsed back with yaml", () => {
  it("has an expectation for every export case", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(EXPORT_CASES.map((c) => c.name).sort());
  });

  it.each(CASES)("$name: the resources, the role's properties and the outputs", ({ plan, expected }) => {
    const template = parse(exportCloudFormation(plan));
    expect(Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type]))).toEqual(expected.resources);
    const [[roleId, role]] = byType(template, "AWS::IAM::Role") as [[string, Template["Resources"][string]]];
    expect(withoutDocuments(role.Properties)).toEqual(expected.role);
    expect(role.DependsOn).toBe(expected.dependsOn);
    for (const [id, properties] of Object.entries(expected.others)) expect(template.Resources[id]!.Properties).toEqual(properties);
    expect(Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([key, output]) => [key, output.Value]))).toEqual(expected.outputs);
    expect(roleId).toMatch(/^[A-Za-z0-9]{1,255}$/);
  });

  it.each(CASES)("$name: the trust policy and the inline policies read back exactly as planned", ({ plan }) => {
    const template = parse(exportCloudFormation(plan));
    const [[, role]] = byType(template, "AWS::IAM::Role") as [[string, Template["Resources"][string]]];
    expect(role.Properties.AssumeRolePolicyDocument).toEqual(plan.trustPolicy);
    const policies = (role.Properties.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: unknown }>;
    expect(policies.map((p) => p.PolicyName)).toEqual(plan.inlinePolicies.map((p) => p.name));
    expect(policies.map((p) => p.PolicyDocument)).toEqual(plan.inlinePolicies.map((p) => p.document));
  });

  it.each(CASES)("$name: each source-side policy is a commented template for its own account", ({ plan, expected }) => {
    const text = exportCloudFormation(plan);
    const resources = sourceTemplates(text).map((t) => Object.values(parse(t).Resources));
    expect(resources.map((r) => r.length)).toEqual(expected.sources.map(() => 1));
    expect(resources.map(([r]) => ({ Type: r!.Type, Properties: withoutDocuments(r!.Properties) }))).toEqual(expected.sources);
    resources.forEach(([r], i) => expect(r!.Properties.PolicyDocument).toEqual(plan.sourcePolicies[i]!.document));
    for (const source of plan.sourcePolicies) expect(text).toContain(`# Source side in account ${source.accountId}, for ${source.principal}:`);
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
