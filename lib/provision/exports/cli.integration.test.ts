// The exported CLI script, run by the real AWS CLI (botocore: its own argument parsing,
// file:// handling and JSON parameters) against the sandbox; then the role read back with the
// SDK and compared with the plan.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  GetInstanceProfileCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS } from "@/sandbox/core/seed";
import { credsOf, startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import type { Plan } from "@/lib/provision/types";
import { exportCli } from "./cli";
import { ec2AppServer, githubDeploy, nasty } from "./testing";

const run = promisify(execFile);
const hasAws = await run("aws", ["--version"]).then(
  () => true,
  () => false,
);
if (!hasAws) console.warn("cli.integration.test: the AWS CLI (`aws`) is not installed; skipped");

/** The same plan in another account: every mention of the old account id replaced. */
function inAccount(plan: Plan, accountId: string): Plan {
  return JSON.parse(JSON.stringify(plan).replaceAll(plan.accountId, accountId)) as Plan;
}

const CASES: Array<[string, Plan]> = [
  ["an EC2 role with an instance profile", ec2AppServer],
  ["a GitHub Actions role with its OIDC provider", inAccount(githubDeploy, ACCOUNTS.test)],
  [
    "a role with quotes, $, backslashes and line breaks in its path and description",
    {
      ...inAccount(nasty, ACCOUNTS.test),
      // IAM refuses the nasty plan's tag characters and its customer-managed ARNs do not exist
      // in the sandbox; the rest of it stays.
      tags: [
        { key: "for", value: "x" },
        { key: "Zürich", value: "a b=c+d@e:/f" },
      ],
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    },
  ],
];

let t: TestSandbox;
let iam: IAMClient;
beforeAll(async () => {
  t = await startTestSandbox();
  const session = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNTS.test}:role/OrganizationAccountAccessRole`, RoleSessionName: "exports-test" }));
  iam = t.iam(credsOf(session));
});
afterAll(async () => {
  await t?.close();
});

describe.skipIf(!hasAws)("exportCli run by the AWS CLI against the sandbox", () => {
  it.each(CASES)("%s: creates exactly what the plan says", async (_name, plan) => {
    const script = join(t.dir, `${plan.roleName.replace(/\W/g, "_")}.sh`);
    writeFileSync(script, exportCli(plan));
    const env: NodeJS.ProcessEnv = { NODE_ENV: "test", PATH: process.env.PATH, HOME: t.dir, LC_ALL: "C.UTF-8" };
    // The sandbox's own config: profile test-admin assumes the test account's admin role, with
    // endpoint_url pointing at the sandbox.
    Object.assign(env, { AWS_CONFIG_FILE: t.sandbox.files.config, AWS_SHARED_CREDENTIALS_FILE: t.sandbox.files.credentials, AWS_PROFILE: "test-admin", AWS_EC2_METADATA_DISABLED: "true" });
    const { stdout } = await run("bash", ["--norc", script], { env, timeout: 120_000 });
    expect(stdout).toContain(`Created ${plan.roleArn}\n`);

    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: plan.roleName }));
    expect(role).toMatchObject({
      RoleName: plan.roleName,
      Path: plan.path,
      Arn: plan.roleArn,
      MaxSessionDuration: plan.maxSessionDuration,
      ...(plan.description ? { Description: plan.description } : {}),
    });
    expect(role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(plan.permissionsBoundaryArn ?? undefined);
    expect(JSON.parse(decodeURIComponent(role!.AssumeRolePolicyDocument!))).toEqual(plan.trustPolicy);

    const { Tags = [] } = await iam.send(new ListRoleTagsCommand({ RoleName: plan.roleName }));
    // IAM lists tags in an order of its own.
    const byKey = (a: { key?: string }, b: { key?: string }) => (a.key! < b.key! ? -1 : 1);
    expect(Tags.map((tag) => ({ key: tag.Key, value: tag.Value })).sort(byKey)).toEqual([...plan.tags].sort(byKey));

    const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: plan.roleName }));
    expect([...PolicyNames].sort()).toEqual(plan.inlinePolicies.map((p) => p.name).sort());
    for (const policy of plan.inlinePolicies) {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: plan.roleName, PolicyName: policy.name }));
      expect(JSON.parse(decodeURIComponent(PolicyDocument!))).toEqual(policy.document);
    }

    const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: plan.roleName }));
    expect(AttachedPolicies.map((p) => p.PolicyArn).sort()).toEqual([...plan.managedPolicyArns].sort());

    if (plan.instanceProfile) {
      const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: plan.instanceProfile.name }));
      expect(InstanceProfile?.Path).toBe(plan.instanceProfile.path);
      expect(InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual([plan.roleName]);
    }
    if (plan.oidcProvider) {
      const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: plan.oidcProvider.arn }));
      expect(provider.ClientIDList).toEqual(plan.oidcProvider.clientIds);
    }
  }, 180_000);
});
