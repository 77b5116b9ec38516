import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Plan } from "@/lib/provision/types";
import { exportCli, sh } from "./cli";
import { providerUrl } from "./shared";
import { EXPORT_CASES, delegateReadMyBucket, githubDeploy, govCloudVendorAudit, nasty } from "./testing";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-cli-"));
  dirs.push(dir);
  return dir;
}

// Node's pipes are sockets, which bash takes for an rsh connection and reads ~/.bashrc for;
// --norc keeps the operator's shell setup out of the tests.
function bash(args: string[], input?: string) {
  return spawnSync("bash", ["--norc", ...args], { encoding: "utf8", input, env: { NODE_ENV: "test", PATH: process.env.PATH, LC_ALL: "C.UTF-8" } });
}

/** Every `cat >FILE <<'JSON' … JSON` in the script, live or commented, as file name → text. */
function heredocs(script: string): Map<string, string> {
  const found = new Map<string, string>();
  const uncommented = script.replace(/^# ?/gm, "");
  for (const m of uncommented.matchAll(/^ *cat >"?(?:\$tmp\/)?([\w.-]+)"? <<'JSON'\n([\s\S]*?)\nJSON$/gm)) found.set(m[1]!, m[2]!);
  return found;
}

// A stand-in for the AWS CLI: it appends each call's arguments (NUL-separated, a file://
// argument replaced by that file's content) to $AWS_LOG, and answers the two reads the script
// makes: the caller's account, and "no such OIDC provider".
const FAKE_AWS = `#!/usr/bin/env bash
{
  for arg in "$@"; do
    case "$arg" in
      file://*) printf 'FILE:'; cat -- "\${arg#file://}"; printf '\\0' ;;
      *) printf '%s\\0' "$arg" ;;
    esac
  done
  printf 'END\\0'
} >>"$AWS_LOG"
case "$1 $2" in
  "sts get-caller-identity") printf '%s\\n' "$FAKE_ACCOUNT" ;;
  "iam get-open-id-connect-provider") echo "NoSuchEntity" >&2; exit 254 ;;
esac
`;

type Call = Array<string | { file: unknown }>;

/** Runs the script with the fake CLI; returns its exit status, stderr and the calls it made. */
function runScript(script: string, account: string): { status: number | null; stderr: string; stdout: string; calls: Call[] } {
  const dir = tempDir();
  writeFileSync(join(dir, "aws"), FAKE_AWS);
  chmodSync(join(dir, "aws"), 0o755);
  writeFileSync(join(dir, "script.sh"), script);
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const result = spawnSync("bash", ["--norc", join(dir, "script.sh")], {
    encoding: "utf8",
    env: { NODE_ENV: "test", PATH: `${dir}:${process.env.PATH}`, AWS_LOG: log, FAKE_ACCOUNT: account, TMPDIR: dir, LC_ALL: "C.UTF-8" },
  });
  const calls: Call[] = [];
  let call: Call = [];
  for (const field of readFileSync(log, "utf8").split("\0").slice(0, -1)) {
    if (field === "END") {
      calls.push(call);
      call = [];
    } else if (field.startsWith("FILE:")) {
      // The description is text; every other file is JSON.
      call.push({ file: call.at(-1) === "--description" ? field.slice(5) : JSON.parse(field.slice(5)) });
    } else {
      call.push(field);
    }
  }
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, calls };
}

/** The calls the script should make for a plan, in order. */
function expectedCalls(plan: Plan): Call[] {
  const opt = (flag: string, value: string) => (value.startsWith("-") ? [`${flag}=${value}`] : [flag, value]);
  const role = opt("--role-name", plan.roleName);
  const description = /^(?:file|fileb|https?):\/\//.test(plan.description) ? ["--description", { file: plan.description }] : opt("--description", plan.description);
  return [
    ["sts", "get-caller-identity", "--query", "Account", "--output", "text"],
    ...(plan.oidcProvider
      ? [
          ["iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", plan.oidcProvider.arn],
          ["iam", "create-open-id-connect-provider", "--url", providerUrl(plan.oidcProvider.url), "--client-id-list", JSON.stringify(plan.oidcProvider.clientIds)],
        ]
      : []),
    [
      "iam",
      "create-role",
      ...role,
      ...opt("--path", plan.path),
      ...(plan.description ? description : []),
      "--max-session-duration",
      String(plan.maxSessionDuration),
      ...(plan.permissionsBoundaryArn ? ["--permissions-boundary", plan.permissionsBoundaryArn] : []),
      "--assume-role-policy-document",
      { file: plan.trustPolicy },
      ...(plan.tags.length > 0 ? ["--tags", { file: plan.tags.map((t) => ({ Key: t.key, Value: t.value })) }] : []),
    ],
    ...plan.inlinePolicies.map((p) => ["iam", "put-role-policy", ...role, ...opt("--policy-name", p.name), "--policy-document", { file: p.document }]),
    ...plan.managedPolicyArns.map((arn) => ["iam", "attach-role-policy", ...role, "--policy-arn", arn]),
    ...(plan.instanceProfile
      ? [
          ["iam", "create-instance-profile", ...opt("--instance-profile-name", plan.instanceProfile.name), ...opt("--path", plan.instanceProfile.path)],
          ["iam", "add-role-to-instance-profile", ...opt("--instance-profile-name", plan.instanceProfile.name), ...role],
        ]
      : []),
  ];
}

describe("exportCli: syntax", () => {
  it.each(EXPORT_CASES)("$name: bash -n accepts it, and it starts with set -euo pipefail", ({ plan }) => {
    const script = exportCli(plan);
    const result = bash(["-n"], script);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(script.split("\n").slice(0, 6)).toContain("set -euo pipefail");
  });

  it.each(EXPORT_CASES)("$name: every JSON here-document parses back to the plan's documents, source side included", ({ plan }) => {
    const docs = heredocs(exportCli(plan));
    const expected = new Map<string, unknown>([
      ["trust-policy.json", plan.trustPolicy],
      ...(plan.tags.length > 0 ? [["tags.json", plan.tags.map((t) => ({ Key: t.key, Value: t.value }))] as [string, unknown]] : []),
      ...plan.inlinePolicies.map((p, i): [string, unknown] => [`inline-policy-${i + 1}.json`, p.document]),
      ...plan.sourcePolicies.map((s): [string, unknown] => [`source-policy-${s.accountId}.json`, s.document]),
    ]);
    expect(new Map([...docs].map(([file, text]) => [file, JSON.parse(text)]))).toEqual(expected);
    // Printable ASCII only: the CLI reads file:// in the locale's encoding.
    for (const text of docs.values()) expect(text).toMatch(/^[\n\x20-\x7e]*$/);
  });

  it("comments out the source side, one command set per trusted account, with a placeholder profile", () => {
    const script = exportCli(delegateReadMyBucket);
    const live = script.split("\n").filter((line) => !line.startsWith("#"));
    expect(live.join("\n")).not.toMatch(/PROFILE_FOR_|source-policy/);
    expect(script).toContain(
      "# aws iam create-policy --profile PROFILE_FOR_222222222222 --policy-name 'assume-delegate_read_my_bucket' --policy-document file://source-policy-222222222222.json\n",
    );
    expect(script).toContain(
      "# aws iam put-role-policy --profile PROFILE_FOR_333333333333 --role-name 'etl-runner' --policy-name 'assume-delegate_read_my_bucket' --policy-document file://source-policy-333333333333.json\n",
    );
  });
});

describe("exportCli: run against a stand-in aws", () => {
  it.each(EXPORT_CASES)("$name: makes exactly the plan's calls, with every argument intact", ({ plan }) => {
    const { status, stderr, stdout, calls } = runScript(exportCli(plan), plan.accountId);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(calls).toEqual(expectedCalls(plan));
    expect(stdout).toBe(`Created ${plan.roleArn}\n`);
  });

  it("stops before creating anything when the credentials are for another account", () => {
    const { status, stderr, calls } = runScript(exportCli(githubDeploy), "999999999999");
    expect(status).toBe(1);
    expect(stderr).toBe("These credentials are for account 999999999999, not 555555555555.\n");
    expect(calls).toHaveLength(1);
  });

  it.each([
    ["a description the CLI would fetch as a URL", { description: "https://wiki.example.com/roles explains\nthis role" }],
    ["a description the CLI would read as a file", { description: "file:///etc/passwd" }],
    ["values the CLI's argparse would take for options", { description: "--help", roleName: "-x", path: "/" }],
  ])("passes %s through unchanged", (_name, change) => {
    const plan = { ...nasty, ...change };
    const { status, stderr, calls } = runScript(exportCli(plan), plan.accountId);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(calls).toEqual(expectedCalls(plan));
  });

  it.each([
    ["a region of another partition", "us-east-1"],
    ["a region that breaks out of its quotes", 'us-gov-west-1}"; id; "'],
    ["no region at all", ""],
  ])("refuses %s", (_name, region) => {
    expect(() => exportCli(govCloudVendorAudit, { region })).toThrow(/is not a region of aws-us-gov$/);
  });

  it("refuses a session duration that is not an integer", () => {
    expect(() => exportCli({ ...githubDeploy, maxSessionDuration: Number.NaN })).toThrow(/maxSessionDuration is not an integer/);
  });

  it("exports AWS_REGION for the partition unless one is set", () => {
    expect(exportCli({ ...githubDeploy, partition: "aws-us-gov" })).toContain('export AWS_REGION="${AWS_REGION:-us-gov-west-1}"\n');
    expect(exportCli({ ...githubDeploy, partition: "aws-cn" })).toContain('export AWS_REGION="${AWS_REGION:-cn-north-1}"\n');
    expect(exportCli(githubDeploy, { region: "eu-west-1" })).toContain('export AWS_REGION="${AWS_REGION:-eu-west-1}"\n');
  });
});

describe("sh", () => {
  it.each([
    ["plain", "'plain'"],
    ["it's", `'it'\\''s'`],
    ['"$HOME" `id` $(id) \\ ! * ?', `'"$HOME" \`id\` $(id) \\ ! * ?'`],
    ["", "''"],
    ["line1\nline2", "$'line1\\nline2'"],
    ["tab\there, it's \\ \u0001", "$'tab\\there, it\\'s \\\\ \\x01'"],
  ])("%j → %s", (value, expected) => {
    expect(sh(value)).toBe(expected);
  });

  it("gives back exactly the value in bash, whatever it holds", () => {
    const values = ["plain", "it's", '"$HOME" `id` $(id) \\ ! * ? ~ # ; & | < >', "", "line1\nline2\r\n\ttab", "Zürich 👍🏽", "\u0001\u001b[31m\u007f", "'", "\\'", "$'x'", "-n", "%s %d"];
    const script = values.map((v) => `printf '%s\\0' ${sh(v)}`).join("\n");
    const result = bash(["-c", script]);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(values);
  });
});
