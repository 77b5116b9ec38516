import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Plan } from "@/lib/provision/types";
import { providerUrl, sourcePolicyTarget } from "./shared";
import { exportTerraform } from "./terraform";
import { EXPORT_CASES, delegateReadMyBucket, ec2AppServer, githubDeploy } from "./testing";

const installed = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const TERRAFORM = installed("terraform");
// A local copy of hashicorp/aws for `terraform validate` without network (a -plugin-dir layout).
const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";
const AWS_PROVIDER = TERRAFORM && existsSync(join(PLUGIN_DIR, "registry.terraform.io/hashicorp/aws"));
if (!TERRAFORM) console.warn("terraform is not installed: skipping terraform fmt -check, evaluation and validate");
else if (!AWS_PROVIDER) console.warn(`no hashicorp/aws provider in ${PLUGIN_DIR} (set TF_PLUGIN_DIR): skipping terraform validate`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-tf-"));
  dirs.push(dir);
  // An empty CLI configuration: no warnings about a missing ~/.terraformrc, no plugin cache.
  writeFileSync(join(dir, ".terraformrc"), "");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function terraform(dir: string, ...args: string[]) {
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: dir, TF_CLI_CONFIG_FILE: join(dir, ".terraformrc"), TF_IN_AUTOMATION: "1" },
  });
  if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The commented source-side resources, uncommented. */
function uncommentSources(hcl: string): string {
  const out: string[] = [];
  let inBlock = false;
  for (const line of hcl.split("\n")) {
    if (line.startsWith('# resource "')) inBlock = true;
    if (inBlock) out.push(line.slice(2));
    if (line === "# }") inBlock = false;
  }
  return out.join("\n");
}

/** Whether every bracket outside strings and comments is closed by its partner, and no string
 * runs past the end of its line. Returns what is wrong, or null. */
function bracketProblem(hcl: string): string | null {
  const stack: string[] = [];
  const pairs: Record<string, string> = { "}": "{", "]": "[", ")": "(" };
  for (let i = 0; i < hcl.length; i++) {
    const c = hcl[i]!;
    if (c === "#") {
      while (i < hcl.length && hcl[i] !== "\n") i++;
    } else if (c === '"') {
      for (i++; hcl[i] !== '"'; i++) {
        if (hcl[i] === "\\") i++;
        if (i >= hcl.length || hcl[i] === "\n") return `string runs past its line at ${i}`;
      }
    } else if ("{[(".includes(c)) {
      stack.push(c);
    } else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return `unbalanced ${c} at ${i}`;
    }
  }
  return stack.length > 0 ? `unclosed ${stack.join("")}` : null;
}

type Block = { type: string; name: string; body: string[] };

function resources(hcl: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const line of hcl.split("\n")) {
    const start = /^resource "([^"]+)" "([^"]+)" \{$/.exec(line);
    if (start) {
      current = { type: start[1]!, name: start[2]!, body: [] };
    } else if (current && line === "}") {
      blocks.push(current);
      current = undefined;
    } else {
      current?.body.push(line);
    }
  }
  return blocks;
}

/** What each resource's attributes should evaluate to, in the order the renderer writes them
 * (references to other resources and provider aliases left out). Policies are parsed JSON. */
function expectedResources(plan: Plan): Array<{ type: string; value: Record<string, unknown> }> {
  const optional = (key: string, value: unknown) => (value ? { [key]: value } : {});
  return [
    ...(plan.oidcProvider ? [{ type: "aws_iam_openid_connect_provider", value: { url: providerUrl(plan.oidcProvider.url), client_id_list: plan.oidcProvider.clientIds } }] : []),
    {
      type: "aws_iam_role",
      value: {
        name: plan.roleName,
        path: plan.path,
        ...optional("description", plan.description),
        max_session_duration: plan.maxSessionDuration,
        ...optional("permissions_boundary", plan.permissionsBoundaryArn),
        assume_role_policy: plan.trustPolicy,
        ...optional("tags", plan.tags.length > 0 && Object.fromEntries(plan.tags.map((t) => [t.key, t.value]))),
      },
    },
    ...plan.inlinePolicies.map((p) => ({ type: "aws_iam_role_policy", value: { name: p.name, policy: p.document } })),
    ...plan.managedPolicyArns.map((arn) => ({ type: "aws_iam_role_policy_attachment", value: { policy_arn: arn } })),
    ...(plan.instanceProfile ? [{ type: "aws_iam_instance_profile", value: { ...plan.instanceProfile } }] : []),
    ...plan.sourcePolicies.map((s) => {
      const target = sourcePolicyTarget(s.principal);
      if (target.kind === "managed") return { type: "aws_iam_policy", value: { name: s.policyName, policy: s.document } };
      return { type: `aws_iam_${target.kind}_policy`, value: { name: s.policyName, [target.kind]: target.name, policy: s.document } };
    }),
  ];
}

describe("exportTerraform: structure", () => {
  it.each(EXPORT_CASES)("$name: brackets balance and every string closes on its line, sources included", ({ plan }) => {
    const hcl = exportTerraform(plan);
    expect(bracketProblem(hcl)).toBeNull();
    expect(bracketProblem(uncommentSources(hcl))).toBeNull();
  });

  it.each(EXPORT_CASES)("$name: one resource per thing the plan creates, in order", ({ plan }) => {
    const hcl = exportTerraform(plan);
    const live = resources(hcl).map((b) => b.type);
    const sources = resources(uncommentSources(hcl)).map((b) => b.type);
    expect([...live, ...sources]).toEqual(expectedResources(plan).map((r) => r.type));
    // Resource names are valid identifiers and unique per type.
    const all = [...resources(hcl), ...resources(uncommentSources(hcl))];
    for (const block of all) expect(block.name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(new Set(all.map((b) => `${b.type}.${b.name}`)).size).toBe(all.length);
  });

  it("keeps the source-side policies out of the live configuration, each with its provider alias", () => {
    const hcl = exportTerraform(delegateReadMyBucket);
    expect(hcl).not.toMatch(/^resource "aws_iam_policy"/m);
    expect(hcl).toContain('# resource "aws_iam_policy" "source_222222222222_assume_delegate_read_my_bucket" {\n#   provider = aws.account_222222222222\n');
    expect(hcl).toContain('#   role     = "etl-runner"\n');
  });

  it("creates the OIDC provider before the role that trusts it, and the instance profile for EC2", () => {
    expect(exportTerraform(githubDeploy)).toContain("  depends_on = [aws_iam_openid_connect_provider.github_deploy_web_oidc_provider]\n");
    expect(exportTerraform(ec2AppServer)).toContain(
      'resource "aws_iam_instance_profile" "app_server_instance_profile" {\n  name = "app-server"\n  path = "/ec2/"\n  role = aws_iam_role.app_server.name\n}\n',
    );
  });
});

describe("exportTerraform: refusals", () => {
  it("refuses a session duration that is not an integer rather than write it unquoted", () => {
    expect(() => exportTerraform({ ...ec2AppServer, maxSessionDuration: 3600.5 })).toThrow(/maxSessionDuration is not an integer/);
  });
});

describe("exportTerraform with terraform", () => {
  it.skipIf(!TERRAFORM)("terraform fmt -check finds nothing to change (skipped when terraform is not installed)", () => {
    const files = Object.fromEntries(EXPORT_CASES.flatMap(({ name, plan }) => [[`${name}.tf`, exportTerraform(plan)], [`${name}-sources.tf`, uncommentSources(exportTerraform(plan))]]));
    const dir = workdir(files);
    expect(terraform(dir, "fmt", "-check", "-diff", "-no-color", ".")).toBe("");
  });

  it.skipIf(!TERRAFORM)("every attribute evaluates to the plan's value: strings, tags, policies (skipped when terraform is not installed)", () => {
    // Each resource body becomes an object-valued output (an attribute list is also valid object
    // syntax), minus the references to other resources; `terraform apply` with no resources only
    // evaluates outputs, without any provider.
    const outputs: string[] = [];
    const expected: Record<string, Record<string, unknown>> = {};
    EXPORT_CASES.forEach(({ plan }, c) => {
      const hcl = exportTerraform(plan);
      const blocks = [...resources(hcl), ...resources(uncommentSources(hcl))];
      const wanted = expectedResources(plan);
      blocks.forEach((block, r) => {
        const body = block.body.filter((line) => !/^ {2}\w+ += (?:\[?aws_|aws\.)/.test(line));
        outputs.push(`output "c${c}_r${r}" {\n  value = {\n${body.join("\n")}\n  }\n}\n`);
        expected[`c${c}_r${r}`] = wanted[r]!.value;
      });
    });
    const dir = workdir({ "outputs.tf": outputs.join("\n") });
    terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color");
    const values = JSON.parse(terraform(dir, "output", "-json")) as Record<string, { value: Record<string, unknown> }>;
    const actual = Object.fromEntries(
      Object.entries(values).map(([key, { value }]) => [
        key,
        Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "policy" || k === "assume_role_policy" ? JSON.parse(v as string) : v])),
      ]),
    );
    // Terraform (cty) keeps every string in Unicode NFC: `Re\u0301sume\u0301` comes back as `Résumé`,
    // escaped or not. HCL cannot say otherwise, so the plan's values are compared in NFC too.
    expect(actual).toEqual(JSON.parse(JSON.stringify(expected).normalize("NFC")));
  });

  it.skipIf(!AWS_PROVIDER)("terraform validate accepts every export, sources uncommented (skipped without terraform and a local hashicorp/aws)", () => {
    const aliases = [...new Set(EXPORT_CASES.flatMap(({ plan }) => plan.sourcePolicies.map((s) => s.accountId)))];
    const providers = [
      'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n',
      ...aliases.map((id) => `provider "aws" {\n  alias = "account_${id}"\n}\n`),
    ].join("\n");
    const files = Object.fromEntries(EXPORT_CASES.flatMap(({ name, plan }) => [[`${name}.tf`, exportTerraform(plan)], [`${name}-sources.tf`, uncommentSources(exportTerraform(plan))]]));
    const dir = workdir({ ...files, "providers.tf": providers });
    terraform(dir, "init", "-backend=false", "-input=false", "-no-color", `-plugin-dir=${PLUGIN_DIR}`);
    expect(terraform(dir, "validate", "-no-color")).toContain("Success!");
  }, 120_000);
});
