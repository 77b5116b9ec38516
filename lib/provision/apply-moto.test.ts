// The same apply path against moto_server (a second, independent IAM implementation), so the
// engine is not only shaped to our own sandbox: create, attach, instance profile, OIDC provider,
// a source-side policy, and rollback. moto is one account (123456789012) with any credentials.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import {
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan, type ApplyDeps } from "./apply";
import type { Plan, PolicyJson } from "./types";

const ACCOUNT = "123456789012";
const motoInstalled = spawnSync("moto_server", ["-h"], { stdio: "ignore" }).status === 0;
// CI installs moto: there, a missing moto_server is a failure, not a skip.
const skip = !motoInstalled && process.env.CI !== "true";
const title = (name: string) => (skip ? `${name} (skipped: moto_server is not installed)` : name);
const itMoto = it.skipIf(skip);

let moto: ChildProcess | undefined;
let iam: IAMClient;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

beforeAll(async () => {
  if (skip) return;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const exited = new Promise<never>((_, reject) => {
    moto!.once("error", (err) => reject(new Error(`moto_server could not be started: ${err.message}`)));
    moto!.once("exit", (code) => reject(new Error(`moto_server exited (${code}) before it answered`)));
  });
  exited.catch(() => {});
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${url}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${url} within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  iam = new IAMClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, maxAttempts: 1 });
  await iam.send(new CreateUserCommand({ UserName: "ci-bot" }));
  // moto loads AWS-managed policies only on request (MOTO_IAM_LOAD_MANAGED_POLICIES): a
  // customer-managed policy stands in for them.
  await iam.send(new CreatePolicyCommand({ PolicyName: "read-only", PolicyDocument: JSON.stringify(policy({ Effect: "Allow", Action: "s3:Get*", Resource: "*" })) }));
}, 30_000);

afterAll(async () => {
  iam?.destroy();
  const child = moto;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await gone;
  clearTimeout(timer);
});

const deps = (): ApplyDeps => ({ iamFor: async () => iam, retry: { attempts: 3, baseDelayMs: 1 } });
const policy = (...statements: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement: statements });
const READ_MY_BUCKET = policy(
  { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket" },
  { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" },
);
const CI_BOT = `arn:aws:iam::${ACCOUNT}:user/ci-bot`;
const READ_ONLY = `arn:aws:iam::${ACCOUNT}:policy/read-only`;
const decoded = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? ""));

function makePlan(roleName: string, parts: Partial<Plan> = {}): Plan {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/ops/${roleName}`;
  const provider = `oidc.example.com/${roleName}`;
  return {
    accountId: ACCOUNT,
    partition: "aws",
    roleName,
    path: "/ops/",
    roleArn,
    description: "Created by the role wizard",
    maxSessionDuration: 7200,
    tags: [{ key: "owner", value: "platform" }],
    permissionsBoundaryArn: null,
    trustPolicy: policy(
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { AWS: CI_BOT }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` }, Action: "sts:AssumeRoleWithWebIdentity" },
    ),
    inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }],
    managedPolicyArns: [READ_ONLY],
    instanceProfile: { name: roleName, path: "/ops/" },
    oidcProvider: { url: `https://${provider}`, clientIds: ["sts.amazonaws.com"], arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` },
    sourcePolicies: [
      {
        accountId: ACCOUNT,
        principal: CI_BOT,
        policyName: `assume-${roleName}`,
        document: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }),
        apply: true,
      },
    ],
    effectiveSessionSeconds: 3600,
    findings: [],
    ...parts,
  };
}

async function inventory() {
  return {
    roles: (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName).sort(),
    profiles: (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.map((p) => `${p.InstanceProfileName}:${(p.Roles ?? []).map((r) => r.RoleName).join(",")}`).sort(),
    providers: (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.map((p) => p.Arn).sort(),
    ciBot: (await iam.send(new ListUserPoliciesCommand({ UserName: "ci-bot" }))).PolicyNames!.sort(),
  };
}

describe("applying plans against moto_server", () => {
  itMoto(title("creates the provider, role, policies, instance profile and source-side policy"), async () => {
    const plan = makePlan("moto-app");
    const result = await applyPlan(plan, deps());
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ["oidc-provider", "done"],
      ["role", "done"],
      ["inline:read_my_bucket", "done"],
      [`managed:${READ_ONLY}`, "done"],
      ["instance-profile", "done"],
      ["instance-profile-role", "done"],
      [`source:${ACCOUNT}:assume-moto-app:${CI_BOT}`, "done"],
    ]);
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: "moto-app" }));
    expect(role).toMatchObject({ Path: "/ops/", Arn: plan.roleArn, Description: "Created by the role wizard", MaxSessionDuration: 7200, Tags: [{ Key: "owner", Value: "platform" }] });
    expect(decoded(role!.AssumeRolePolicyDocument)).toEqual(plan.trustPolicy);
    expect(decoded((await iam.send(new GetRolePolicyCommand({ RoleName: "moto-app", PolicyName: "read_my_bucket" }))).PolicyDocument)).toEqual(READ_MY_BUCKET);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "moto-app" }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual(["read-only"]);
    const { InstanceProfile: profile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "moto-app" }));
    expect(profile!.Roles!.map((r) => r.RoleName)).toEqual(["moto-app"]);
    expect((await inventory()).providers).toContain(plan.oidcProvider!.arn);
    expect(decoded((await iam.send(new GetUserPolicyCommand({ UserName: "ci-bot", PolicyName: "assume-moto-app" }))).PolicyDocument)).toEqual(plan.sourcePolicies[0]!.document);
  });

  itMoto(title("rolls everything back when a managed policy does not exist"), async () => {
    const before = await inventory();
    const missing = `arn:aws:iam::${ACCOUNT}:policy/does-not-exist`;
    const plan = makePlan("moto-broken", { managedPolicyArns: [READ_ONLY, missing] });
    const result = await applyPlan(plan, deps());
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ["oidc-provider", "rolled-back"],
      ["role", "rolled-back"],
      ["inline:read_my_bucket", "rolled-back"],
      [`managed:${READ_ONLY}`, "rolled-back"],
      [`managed:${missing}`, "failed"],
      ["instance-profile", "skipped"],
      ["instance-profile-role", "skipped"],
      [`source:${ACCOUNT}:assume-moto-broken:${CI_BOT}`, "skipped"],
    ]);
    expect(result.error).toBe(
      `The managed policy ${missing} does not exist in account ${ACCOUNT}, or cannot be attached to a role. Everything created before it was removed again.`,
    );
    expect(await inventory()).toEqual(before);
  });

  itMoto(title("rolls back what came before when the instance profile name is taken, and keeps the existing profile"), async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "moto-taken", Path: "/" }));
    const before = await inventory();
    const result = await applyPlan(makePlan("moto-taken"), deps());
    expect(result.ok).toBe(false);
    expect(result.steps.find((s) => s.id === "instance-profile")).toMatchObject({
      status: "failed",
      error: `An instance profile named moto-taken already exists in account ${ACCOUNT}. Choose another name, or remove the existing one first.`,
    });
    expect(result.steps.filter((s) => s.status === "rolled-back").map((s) => s.id)).toEqual([
      "oidc-provider",
      "role",
      "inline:read_my_bucket",
      `managed:${READ_ONLY}`,
    ]);
    expect(await inventory()).toEqual(before);
  });

  itMoto(title("reports a role name that is taken and deletes nothing that existed before"), async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: "moto-existing",
        Path: "/ops/",
        AssumeRolePolicyDocument: JSON.stringify(policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })),
      }),
    );
    const before = await inventory();
    const result = await applyPlan(makePlan("moto-existing"), deps());
    expect(result.error).toBe(
      `A role named moto-existing already exists in account ${ACCOUNT}. Choose another name, or remove the existing one first. Everything created before it was removed again.`,
    );
    expect(result.steps.slice(0, 2).map((s) => s.status)).toEqual(["rolled-back", "failed"]);
    expect(await inventory()).toEqual(before);
    expect((await iam.send(new GetRoleCommand({ RoleName: "moto-existing" }))).Role?.RoleName).toBe("moto-existing");
  });
});
