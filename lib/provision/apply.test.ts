// Applying role-wizard plans end to end below the UI: the real sandbox over HTTP, the real SDK,
// IAM clients in each account through its provisioning role (assumed by the broker), as the
// console does. Faults are injected through the sandbox's test interface.
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  IAMClient,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DEV, OPS, PROD, TEST, awsPolicy, decoded, failure, roleArn, session, sessionArn, userArn } from "@/sandbox/iam-test-support";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "@/sandbox/testing";
import { applyPlan, applySteps, rollbackJournal, sourceTargetOf, type ApplyDeps, type JournalEntry } from "./apply";
import type { ApplyStep, Plan, PolicyJson } from "./types";

const t: TestSandbox = await startTestSandbox();

afterEach(async () => {
  await t.admin.clearFaults();
});

afterAll(async () => {
  await t.close();
});

const NAMES: Record<string, string> = { [PROD]: "Production", [DEV]: "Development", [OPS]: "Operations", [TEST]: "Test" };

/** The acting person's AWS identity: lib/aws/broker-clients names each provisioning session
 * after them (RoleSessionName and SourceIdentity). */
const ACTING = "ada@example.com";

/** A provisioning-role session, as lib/aws/broker-clients assumes it. */
async function provisioningSession(accountId: string): Promise<Creds> {
  return credsOf(await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(accountId, "OrganizationAccountAccessRole"), RoleSessionName: ACTING, SourceIdentity: ACTING })));
}

/** IAM in an account through its provisioning role, as lib/aws/broker-clients does it. */
async function provisioningIam(accountId: string, opts: { maxAttempts?: number } = {}): Promise<IAMClient> {
  return t.iam(await provisioningSession(accountId), opts);
}

const deps = (extra: Partial<ApplyDeps> = {}): ApplyDeps => ({
  iamFor: (accountId) => provisioningIam(accountId),
  retry: { attempts: 4, baseDelayMs: 2 },
  accountName: (id) => NAMES[id],
  ...extra,
});

const policy = (...statements: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement: statements });
const trustAws = (...principals: string[]) => ({ Effect: "Allow", Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: "sts:AssumeRole" });
const READ_MY_BUCKET = policy(
  { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket" },
  { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" },
);
const DEVELOPER = userArn(DEV, "developer");
const JENKINS = roleArn(OPS, "JenkinsRole");
const GITHUB = { url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"], arn: `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com` };

let counter = 0;
/** A plan as the plan builder would make it, for a fresh role name in Production. */
function makePlan(parts: Partial<Plan> & { roleName?: string } = {}): Plan {
  const roleName = parts.roleName ?? `wizard-role-${++counter}`;
  const path = parts.path ?? "/";
  const accountId = parts.accountId ?? PROD;
  return {
    accountId,
    partition: "aws",
    roleName,
    path,
    roleArn: roleArn(accountId, roleName, path),
    description: "Created by the role wizard",
    maxSessionDuration: 3600,
    tags: [],
    permissionsBoundaryArn: null,
    trustPolicy: policy(trustAws(DEVELOPER)),
    inlinePolicies: [],
    managedPolicyArns: [],
    instanceProfile: null,
    oidcProvider: null,
    sourcePolicies: [],
    effectiveSessionSeconds: 3600,
    findings: [],
    ...parts,
  };
}

const assumePolicy = (arn: string) => policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: arn });
const sourceFor = (plan: { roleName: string; path?: string }, principal: string, accountId: string, apply = true): Plan["sourcePolicies"][number] => ({
  accountId,
  principal,
  policyName: `assume-${plan.roleName}`,
  document: assumePolicy(roleArn(PROD, plan.roleName, plan.path ?? "/")),
  apply,
});

const statuses = (steps: ApplyStep[]) => Object.fromEntries(steps.map((s) => [s.id, s.status]));
const assume = (creds: Creds, arn: string) => t.sts(creds).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "apply-test" }));

/** What exists in an account that a plan could have created: roles, instance profiles, OIDC
 * providers, and the inline policies of the principals source-side policies go to. */
async function inventory(accountId: string) {
  const iam = await provisioningIam(accountId);
  const roles = (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => `${r.Path}${r.RoleName}`).sort();
  const profiles = (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.map((p) => `${p.InstanceProfileName}:${(p.Roles ?? []).map((r) => r.RoleName).join(",")}`);
  const providers = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.map((p) => p.Arn).sort();
  const developer = accountId === DEV ? (await iam.send(new ListUserPoliciesCommand({ UserName: "developer" }))).PolicyNames : undefined;
  const jenkins = accountId === OPS ? (await iam.send(new ListRolePoliciesCommand({ RoleName: "JenkinsRole" }))).PolicyNames : undefined;
  return { roles, profiles, providers, developer, jenkins };
}

describe("applying a plan", () => {
  it("creates a cross-account role with everything the plan lists, and the source-side policy that lets the trusted user in", async () => {
    const plan = makePlan({
      roleName: "bucket-reader",
      path: "/switchboard/",
      description: "Read my-bucket from Development",
      maxSessionDuration: 7200,
      tags: [
        { key: "owner", value: "platform" },
        { key: "created-by", value: "switchboard" },
      ],
      permissionsBoundaryArn: awsPolicy("PowerUserAccess"),
      inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }],
      managedPolicyArns: [awsPolicy("ReadOnlyAccess"), awsPolicy("AmazonS3ReadOnlyAccess")],
    });
    plan.sourcePolicies = [sourceFor(plan, DEVELOPER, DEV)];
    const progress: ApplyStep[][] = [];
    const since = await t.admin.lastSeq();

    const result = await applyPlan(plan, deps({ onProgress: (steps) => progress.push(steps) }));
    const calls = await t.admin.calls({ since, service: "iam" });

    expect(result).toEqual({ ok: true, steps: expect.any(Array) });
    expect(result.steps).toEqual([
      { id: "role", label: "Create role bucket-reader", status: "done" },
      { id: "inline:read_my_bucket", label: "Add inline policy read_my_bucket", status: "done" },
      { id: `managed:${awsPolicy("ReadOnlyAccess")}`, label: "Attach managed policy ReadOnlyAccess", status: "done" },
      { id: `managed:${awsPolicy("AmazonS3ReadOnlyAccess")}`, label: "Attach managed policy AmazonS3ReadOnlyAccess", status: "done" },
      {
        id: `source:${DEV}:assume-bucket-reader:${DEVELOPER}`,
        label: `Allow user developer in account ${DEV} to assume the role (policy assume-bucket-reader)`,
        status: "done",
      },
    ]);

    const prod = await provisioningIam(PROD);
    const { Role: role } = await prod.send(new GetRoleCommand({ RoleName: "bucket-reader" }));
    expect(role).toMatchObject({
      Path: "/switchboard/",
      Arn: plan.roleArn,
      Description: "Read my-bucket from Development",
      MaxSessionDuration: 7200,
      PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: awsPolicy("PowerUserAccess") },
      Tags: [
        { Key: "owner", Value: "platform" },
        { Key: "created-by", Value: "switchboard" },
      ],
    });
    expect(JSON.parse(decoded(role!.AssumeRolePolicyDocument))).toEqual(plan.trustPolicy);
    const inline = await prod.send(new GetRolePolicyCommand({ RoleName: "bucket-reader", PolicyName: "read_my_bucket" }));
    expect(JSON.parse(decoded(inline.PolicyDocument))).toEqual(READ_MY_BUCKET);
    const attached = await prod.send(new ListAttachedRolePoliciesCommand({ RoleName: "bucket-reader" }));
    expect(attached.AttachedPolicies!.map((p) => p.PolicyArn).sort()).toEqual([awsPolicy("AmazonS3ReadOnlyAccess"), awsPolicy("ReadOnlyAccess")]);
    const dev = await provisioningIam(DEV);
    const source = await dev.send(new GetUserPolicyCommand({ UserName: "developer", PolicyName: "assume-bucket-reader" }));
    expect(JSON.parse(decoded(source.PolicyDocument))).toEqual(assumePolicy(plan.roleArn));

    // Both halves are in place: the developer gets in, the broker (allowed by its own policy to
    // assume any role, but not trusted) does not.
    const out = await assume(t.developer, plan.roleArn);
    expect(out.AssumedRoleUser?.Arn).toBe(sessionArn(PROD, "bucket-reader", "apply-test"));
    expect(await failure(assume(t.broker, plan.roleArn))).toEqual({
      name: "AccessDenied",
      message: `User: ${userArn(OPS, "switchboard")} is not authorized to perform: sts:AssumeRole on resource: ${plan.roleArn}`,
      status: 403,
    });

    // Every call went through the provisioning role of the account it changed.
    expect(calls.map((c) => `${c.accountId} ${c.action}`)).toEqual([
      `${PROD} CreateRole`,
      `${PROD} PutRolePolicy`,
      `${PROD} AttachRolePolicy`,
      `${PROD} AttachRolePolicy`,
      `${DEV} GetUserPolicy`,
      `${DEV} PutUserPolicy`,
    ]);
    for (const call of calls) expect(call.caller).toContain(`:assumed-role/OrganizationAccountAccessRole/${ACTING}`);

    // Progress: every step went running → done, in order, each time as a fresh copy.
    expect(progress.map((steps) => steps.map((s) => s.status[0]).join(""))).toEqual([
      "rpppp",
      "dpppp",
      "drppp",
      "ddppp",
      "ddrpp",
      "dddpp",
      "dddrp",
      "ddddp",
      "ddddr",
      "ddddd",
    ]);
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress[0]![0]).not.toBe(progress[1]![0]);
    expect(progress.at(-1)).toEqual(result.steps);
  });

  it("without the source-side policy, the trusted account's user is denied: the trust policy alone is not enough across accounts", async () => {
    const plan = makePlan({ managedPolicyArns: [awsPolicy("ReadOnlyAccess")] });
    plan.sourcePolicies = [sourceFor(plan, DEVELOPER, DEV, false)];
    const result = await applyPlan(plan, deps());
    expect(result.ok).toBe(true);
    // A policy the console was not asked to attach is not a step.
    expect(result.steps.map((s) => s.id)).toEqual(["role", `managed:${awsPolicy("ReadOnlyAccess")}`]);
    expect(await failure(assume(t.developer, plan.roleArn))).toEqual({
      name: "AccessDenied",
      message: `User: ${DEVELOPER} is not authorized to perform: sts:AssumeRole on resource: ${plan.roleArn}`,
      status: 403,
    });
  });

  it("puts the source-side policy on a trusted role, and skips a trusted account root with what its admins must do", async () => {
    const plan = makePlan({ trustPolicy: policy(trustAws(JENKINS), trustAws(`arn:aws:iam::${TEST}:root`)) });
    plan.sourcePolicies = [sourceFor(plan, JENKINS, OPS), sourceFor(plan, `arn:aws:iam::${TEST}:root`, TEST)];
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps());

    expect(result.ok).toBe(true);
    expect(result.steps.slice(1)).toEqual([
      {
        id: `source:${OPS}:assume-${plan.roleName}:${JENKINS}`,
        label: `Allow role JenkinsRole in account ${OPS} to assume the role (policy assume-${plan.roleName})`,
        status: "done",
      },
      {
        id: `source:${TEST}:assume-${plan.roleName}:arn:aws:iam::${TEST}:root`,
        label: `Allow account ${TEST} to assume the role (policy assume-${plan.roleName})`,
        status: "skipped",
        error:
          `Test (${TEST}) is trusted as a whole, so there is no single principal to attach assume-${plan.roleName} to. ` +
          `Its administrators must attach it to the users or roles that will assume ${plan.roleName}.`,
      },
    ]);
    expect((await t.admin.calls({ since })).filter((c) => c.accountId === TEST)).toEqual([]);
    // Jenkins' instances (instance-profile credentials) can now assume the new role.
    const jenkins = await t.admin.instanceCredentials(OPS, "JenkinsRole");
    expect((await assume(jenkins, plan.roleArn)).AssumedRoleUser?.Arn).toBe(sessionArn(PROD, plan.roleName, "apply-test"));
  });

  it("gives an EC2 role its instance profile, which hands the role to instances", async () => {
    const plan = makePlan({
      roleName: "web-server",
      path: "/ec2/",
      trustPolicy: policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
      managedPolicyArns: [awsPolicy("AmazonS3ReadOnlyAccess")],
      instanceProfile: { name: "web-server", path: "/ec2/" },
    });
    const result = await applyPlan(plan, deps());
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.label, s.status])).toEqual([
      ["Create role web-server", "done"],
      ["Attach managed policy AmazonS3ReadOnlyAccess", "done"],
      ["Create instance profile web-server", "done"],
      ["Add role web-server to instance profile web-server", "done"],
    ]);
    const { InstanceProfile: profile } = await (await provisioningIam(PROD)).send(new GetInstanceProfileCommand({ InstanceProfileName: "web-server" }));
    expect(profile).toMatchObject({ Path: "/ec2/", Arn: `arn:aws:iam::${PROD}:instance-profile/ec2/web-server`, Roles: [expect.objectContaining({ RoleName: "web-server", Arn: plan.roleArn })] });
    const instance = await t.admin.instanceCredentials(PROD, "web-server");
    expect((await t.sts(instance).send(new GetCallerIdentityCommand({}))).Arn).toMatch(new RegExp(`^arn:aws:sts::${PROD}:assumed-role/web-server/i-`));
  });

  it("creates the GitHub OIDC provider first, and reuses it when it already exists", async () => {
    const github = (roleName: string) =>
      makePlan({
        roleName,
        oidcProvider: GITHUB,
        trustPolicy: policy({
          Effect: "Allow",
          Principal: { Federated: GITHUB.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } },
        }),
      });
    const first = await applyPlan(github("deploy-app"), deps());
    expect(first.ok).toBe(true);
    expect(first.steps[0]).toEqual({ id: "oidc-provider", label: "Create OIDC provider token.actions.githubusercontent.com", status: "done" });
    expect((await inventory(PROD)).providers).toEqual([GITHUB.arn]);

    const second = await applyPlan(github("deploy-site"), deps());
    expect(second.ok).toBe(true);
    expect(second.steps.map((s) => s.status)).toEqual(["skipped", "done"]);
    expect(second.steps[0]!.error).toBe(`The OIDC provider token.actions.githubusercontent.com already exists in Production (${PROD}); the role uses it.`);
  });

  it("is not stopped halfway by a progress listener that throws", async () => {
    const plan = makePlan({ managedPolicyArns: [awsPolicy("ReadOnlyAccess")] });
    const result = await applyPlan(plan, deps({ onProgress: () => { throw new Error("the page went away"); } }));
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.status)).toEqual(["done", "done"]);
  });

  it("lists the steps of a plan before applying it", () => {
    const plan = makePlan({ roleName: "preview", inlinePolicies: [{ name: "p", document: READ_MY_BUCKET }], instanceProfile: { name: "preview", path: "/" } });
    expect(applySteps(plan).map((s) => `${s.status} ${s.label}`)).toEqual([
      "pending Create role preview",
      "pending Add inline policy p",
      "pending Create instance profile preview",
      "pending Add role preview to instance profile preview",
    ]);
  });
});

describe("when a step fails", () => {
  /** A plan that touches everything: provider, role, two inline and two managed policies, an
   * instance profile, and the developer's source-side policy. */
  const everything = (roleName: string, url = "https://oidc.example.com/tenant") =>
    makePlan({
      roleName,
      oidcProvider: { url, clientIds: ["sts.amazonaws.com"], arn: `arn:aws:iam::${PROD}:oidc-provider/${url.slice(8)}` },
      trustPolicy: policy(trustAws(DEVELOPER), {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/${url.slice(8)}` },
        Action: "sts:AssumeRoleWithWebIdentity",
      }),
      inlinePolicies: [
        { name: "read_my_bucket", document: READ_MY_BUCKET },
        { name: "describe", document: policy({ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }) },
      ],
      managedPolicyArns: [awsPolicy("ReadOnlyAccess"), awsPolicy("AmazonS3ReadOnlyAccess")],
      instanceProfile: { name: roleName, path: "/" },
      sourcePolicies: [sourceFor({ roleName }, DEVELOPER, DEV)],
    });

  it("undoes everything when AttachRolePolicy is refused, and says which permission the provisioning role lacks", async () => {
    const before = { prod: await inventory(PROD), dev: await inventory(DEV) };
    const plan = everything("half-made");
    const refused = `User: ${sessionArn(PROD, "OrganizationAccountAccessRole", ACTING)} is not authorized to perform: iam:AttachRolePolicy on resource: ${plan.roleArn} because no identity-based policy allows the iam:AttachRolePolicy action`;
    await t.admin.addFault({ service: "iam", action: "AttachRolePolicy", code: "AccessDenied", status: 403, message: refused, count: 1 });
    const since = await t.admin.lastSeq();

    const result = await applyPlan(plan, deps());
    const calls = await t.admin.calls({ since, service: "iam" });

    const failed =
      `The provisioning role in Production (${PROD}) is not allowed to iam:AttachRolePolicy (needed for attaching managed policy ReadOnlyAccess to role half-made): ` +
      "no identity-based policy allows the iam:AttachRolePolicy action. Grant it iam:AttachRolePolicy, then try again.";
    expect(result).toEqual({ ok: false, steps: expect.any(Array), error: `${failed} Everything created before it was removed again.` });
    expect(result.steps.map((s) => [s.id, s.status, s.error])).toEqual([
      ["oidc-provider", "rolled-back", undefined],
      ["role", "rolled-back", undefined],
      ["inline:read_my_bucket", "rolled-back", undefined],
      ["inline:describe", "rolled-back", undefined],
      [`managed:${awsPolicy("ReadOnlyAccess")}`, "failed", failed],
      [`managed:${awsPolicy("AmazonS3ReadOnlyAccess")}`, "skipped", "Not attempted: an earlier step failed."],
      ["instance-profile", "skipped", "Not attempted: an earlier step failed."],
      ["instance-profile-role", "skipped", "Not attempted: an earlier step failed."],
      [`source:${DEV}:assume-half-made:${DEVELOPER}`, "skipped", "Not attempted: an earlier step failed."],
    ]);
    // No trace: same roles, profiles, providers and developer policies as before.
    expect({ prod: await inventory(PROD), dev: await inventory(DEV) }).toEqual(before);
    // AccessDenied is not retried; the undo ran newest first.
    expect(calls.map((c) => `${c.action} ${c.outcome}`)).toEqual([
      "CreateOpenIDConnectProvider Success",
      "CreateRole Success",
      "PutRolePolicy Success",
      "PutRolePolicy Success",
      "AttachRolePolicy AccessDenied",
      "DeleteRolePolicy Success",
      "DeleteRolePolicy Success",
      "DeleteRole Success",
      "DeleteOpenIDConnectProvider Success",
    ]);
  });

  it("undoes the instance profile, managed policies and source-side policies when the last step fails, and restores a policy it replaced", async () => {
    const dev = await provisioningIam(DEV);
    const plan = everything("late-failure", "https://oidc.example.com/late");
    const earlier = assumePolicy(roleArn(PROD, "an-older-role"));
    // The developer already has a policy of the name the plan uses: it is replaced, and on
    // rollback it comes back as it was.
    await dev.send(new PutUserPolicyCommand({ UserName: "developer", PolicyName: "assume-late-failure", PolicyDocument: JSON.stringify(earlier) }));
    plan.sourcePolicies.push(sourceFor(plan, JENKINS, OPS));
    plan.inlinePolicies = [];
    const before = { prod: await inventory(PROD), dev: await inventory(DEV), ops: await inventory(OPS) };
    // The only PutRolePolicy of this plan is Jenkins' source-side policy.
    await t.admin.addFault({ service: "iam", action: "PutRolePolicy", code: "LimitExceeded", status: 409, message: "Maximum policy size of 10240 bytes exceeded for role JenkinsRole", count: 1 });
    const since = await t.admin.lastSeq();

    const result = await applyPlan(plan, deps());
    const calls = (await t.admin.calls({ since, service: "iam" })).map((c) => `${c.accountId} ${c.action}`);

    const failed = `Operations (${OPS}) is at an IAM limit, so adding policy assume-late-failure to role JenkinsRole failed: Maximum policy size of 10240 bytes exceeded for role JenkinsRole. Remove something there first, or ask AWS to raise the quota.`;
    expect(result.error).toBe(`${failed} Everything created before it was removed again.`);
    expect(statuses(result.steps)).toEqual({
      "oidc-provider": "rolled-back",
      role: "rolled-back",
      [`managed:${awsPolicy("ReadOnlyAccess")}`]: "rolled-back",
      [`managed:${awsPolicy("AmazonS3ReadOnlyAccess")}`]: "rolled-back",
      "instance-profile": "rolled-back",
      "instance-profile-role": "rolled-back",
      [`source:${DEV}:assume-late-failure:${DEVELOPER}`]: "rolled-back",
      [`source:${OPS}:assume-late-failure:${JENKINS}`]: "failed",
    });
    expect({ prod: await inventory(PROD), dev: await inventory(DEV), ops: await inventory(OPS) }).toEqual(before);
    const restored = await dev.send(new GetUserPolicyCommand({ UserName: "developer", PolicyName: "assume-late-failure" }));
    expect(JSON.parse(decoded(restored.PolicyDocument))).toEqual(earlier);
    expect(calls.slice(calls.indexOf(`${OPS} PutRolePolicy`) + 1)).toEqual([
      `${DEV} PutUserPolicy`,
      `${PROD} RemoveRoleFromInstanceProfile`,
      `${PROD} DeleteInstanceProfile`,
      `${PROD} DetachRolePolicy`,
      `${PROD} DetachRolePolicy`,
      `${PROD} DeleteRole`,
      `${PROD} DeleteOpenIDConnectProvider`,
    ]);
  });

  it("reports a role name that is taken in plain words, and deletes nothing that existed before", async () => {
    const prod = await provisioningIam(PROD);
    const existing = (await prod.send(new GetRoleCommand({ RoleName: "ReadOnly" }))).Role;
    const before = await inventory(PROD);
    const since = await t.admin.lastSeq();
    const plan = makePlan({ roleName: "ReadOnly", oidcProvider: { url: "https://oidc.example.com/taken", clientIds: ["sts.amazonaws.com"], arn: `arn:aws:iam::${PROD}:oidc-provider/oidc.example.com/taken` } });

    const result = await applyPlan(plan, deps());

    const failed = `A role named ReadOnly already exists in Production (${PROD}). Choose another name, or remove the existing one first.`;
    expect(result.error).toBe(`${failed} Everything created before it was removed again.`);
    expect(result.steps).toEqual([
      { id: "oidc-provider", label: "Create OIDC provider oidc.example.com/taken", status: "rolled-back" },
      { id: "role", label: "Create role ReadOnly", status: "failed", error: failed },
    ]);
    expect(await inventory(PROD)).toEqual(before);
    expect((await prod.send(new GetRoleCommand({ RoleName: "ReadOnly" }))).Role).toEqual(existing);
    expect((await prod.send(new ListAttachedRolePoliciesCommand({ RoleName: "ReadOnly" }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual(["ReadOnlyAccess"]);
    const actions = (await t.admin.calls({ since, service: "iam" })).map((c) => c.action);
    expect(actions).not.toContain("DeleteRole");
    // Name clashes are not retried.
    expect(actions.filter((a) => a === "CreateRole")).toHaveLength(1);
  });

  it("keeps rolling back past an undo that fails, and reports what is left", async () => {
    const plan = makePlan({
      roleName: "sticky",
      oidcProvider: { url: "https://oidc.example.com/sticky", clientIds: ["sts.amazonaws.com"], arn: `arn:aws:iam::${PROD}:oidc-provider/oidc.example.com/sticky` },
      inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }],
      managedPolicyArns: [awsPolicy("ReadOnlyAccess")],
    });
    await t.admin.addFault({ service: "iam", action: "AttachRolePolicy", code: "AccessDenied", status: 403, message: "denied by test", count: 1 });
    await t.admin.addFault({ service: "iam", action: "DeleteRolePolicy", code: "AccessDenied", status: 403, message: "denied by test", count: 1 });

    const result = await applyPlan(plan, deps());

    const inlineProblem = `The provisioning role in Production (${PROD}) is not allowed to iam:DeleteRolePolicy (needed for deleting inline policy read_my_bucket of role sticky). Grant it iam:DeleteRolePolicy, then try again.`;
    const roleProblem = `IAM refused deleting role sticky in Production (${PROD}) because something still depends on it: Cannot delete entity, must delete policies first.`;
    expect(result.steps.map((s) => [s.id, s.status, s.error])).toEqual([
      ["oidc-provider", "rolled-back", undefined],
      ["role", "done", `Could not undo this, so it is still in Production (${PROD}): ${roleProblem} Remove it by hand.`],
      ["inline:read_my_bucket", "done", `Could not undo this, so it is still in Production (${PROD}): ${inlineProblem} Remove it by hand.`],
      [`managed:${awsPolicy("ReadOnlyAccess")}`, "failed", expect.stringMatching(/^The provisioning role in Production \(111111111111\) is not allowed to iam:AttachRolePolicy/)],
    ]);
    expect(result.error).toContain(" Rolling back was incomplete, so some of it is still there: ");
    expect(result.error).toContain(inlineProblem);
    expect(result.error).toContain(roleProblem);
    expect((await inventory(PROD)).providers).not.toContain(plan.oidcProvider!.arn);
    // What was left is really there, as the steps say; clean it up for the other tests.
    const prod = await provisioningIam(PROD);
    expect((await prod.send(new ListRolePoliciesCommand({ RoleName: "sticky" }))).PolicyNames).toEqual(["read_my_bucket"]);
    await prod.send(new DeleteRolePolicyCommand({ RoleName: "sticky", PolicyName: "read_my_bucket" }));
    await prod.send(new DeleteRoleCommand({ RoleName: "sticky" }));
  });

  it("fails a source-side policy for a user that does not exist, in plain words", async () => {
    const plan = makePlan({ trustPolicy: policy(trustAws(`arn:aws:iam::${DEV}:root`)) });
    plan.sourcePolicies = [sourceFor(plan, userArn(DEV, "ghost"), DEV)];
    const before = await inventory(PROD);
    const result = await applyPlan(plan, deps());
    expect(result.steps.map((s) => s.status)).toEqual(["rolled-back", "failed"]);
    expect(result.steps[1]!.error).toBe(`The user ghost does not exist in Development (${DEV}).`);
    expect(await inventory(PROD)).toEqual(before);
  });

  it("refuses a missing managed policy at once: it is not going to appear", async () => {
    const plan = makePlan({ managedPolicyArns: [awsPolicy("NoSuchPolicyAnywhere")] });
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps());
    expect(result.steps[1]!.error).toBe(`The managed policy ${awsPolicy("NoSuchPolicyAnywhere")} does not exist in Production (${PROD}), or cannot be attached to a role.`);
    expect((await t.admin.calls({ since, action: "AttachRolePolicy" })).length).toBe(1);
  });

  it("refuses a plan with blocking findings before any AWS call", async () => {
    const plan = makePlan({ findings: [{ rule: "trust-size", severity: "error", message: "The trust policy is too long.", where: "trust" }] });
    const since = await t.admin.lastSeq();
    let calls = 0;
    const result = await applyPlan(plan, deps({ iamFor: (id) => (calls++, provisioningIam(id)) }));
    expect(result).toEqual({ ok: false, steps: [{ id: "role", label: `Create role ${plan.roleName}`, status: "skipped" }], error: "Nothing was created: the plan has a blocking finding: The trust policy is too long." });
    expect(calls).toBe(0);
    expect(await t.admin.calls({ since })).toEqual([]);
  });

  it("explains an account whose provisioning role cannot be assumed", async () => {
    const plan = makePlan({ accountId: TEST });
    const result = await applyPlan(plan, deps({ iamFor: async (id) => t.iam(await session(t, roleArn(id, "OrgAccessRole"))) }));
    expect(result.ok).toBe(false);
    expect(result.steps[0]).toMatchObject({ status: "failed" });
    expect(result.error).toMatch(new RegExp(`^Could not reach Test \\(${TEST}\\) through its provisioning role: AccessDenied: User: ${userArn(OPS, "switchboard")} is not authorized to perform: sts:AssumeRole`));
  });
});

describe("IAM eventual consistency and throttling", () => {
  it("retries CreateRole while IAM does not yet know a principal it was just given", async () => {
    const plan = makePlan();
    await t.admin.addFault({ service: "iam", action: "CreateRole", code: "MalformedPolicyDocument", status: 400, message: `Invalid principal in policy: "AWS":"${DEVELOPER}"`, count: 2 });
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps());
    expect(result.ok).toBe(true);
    expect((await t.admin.calls({ since, action: "CreateRole" })).map((c) => c.outcome)).toEqual(["MalformedPolicyDocument", "MalformedPolicyDocument", "Success"]);
  });

  it("absorbs throttling, and a role or profile that is not visible yet right after it was created", async () => {
    const plan = makePlan({
      inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }],
      instanceProfile: { name: `profile-${counter}`, path: "/" },
    });
    await t.admin.addFault({ service: "iam", action: "PutRolePolicy", code: "Throttling", status: 400, message: "Rate exceeded", count: 2 });
    await t.admin.addFault({ service: "iam", action: "AddRoleToInstanceProfile", code: "NoSuchEntity", status: 404, message: `The role with name ${plan.roleName} cannot be found.`, count: 1 });
    const result = await applyPlan(plan, deps());
    expect(result.ok).toBe(true);
    expect(result.steps.every((s) => s.status === "done" && s.error === undefined)).toBe(true);
  });

  it("gives up after the configured attempts, says so, and rolls back", async () => {
    const plan = makePlan({ managedPolicyArns: [awsPolicy("ReadOnlyAccess")] });
    await t.admin.addFault({ service: "iam", action: "AttachRolePolicy", code: "Throttling", status: 400, message: "Rate exceeded", count: 50 });
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps({ retry: { attempts: 3, baseDelayMs: 1 } }));
    expect(result.error).toBe(
      `IAM in Production (${PROD}) kept throttling requests while attaching managed policy ReadOnlyAccess to role ${plan.roleName} (tried 3 times). Wait a minute and try again. Everything created before it was removed again.`,
    );
    expect(await t.admin.calls({ since, action: "AttachRolePolicy" })).toHaveLength(3);
    expect(statuses(result.steps)).toEqual({ role: "rolled-back", [`managed:${awsPolicy("ReadOnlyAccess")}`]: "failed" });
  });

  it("retries a principal IAM really does not know a bounded number of times, then says what to check", async () => {
    const ghost = userArn(DEV, "not-yet-created");
    const plan = makePlan({ trustPolicy: policy(trustAws(ghost)) });
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps({ retry: { attempts: 3, baseDelayMs: 1 } }));
    expect(result.error).toBe(
      `IAM does not accept a principal that the trust policy names (Invalid principal in policy: "AWS":"${ghost}") (tried 3 times). ` +
        "If it was created moments ago, try again in a minute; otherwise check that it exists. Nothing was left behind.",
    );
    expect(await t.admin.calls({ since, action: "CreateRole" })).toHaveLength(3);
  });

  it("keeps a role whose CreateRole answer was lost, and does not mistake it for a name clash", async () => {
    const plan = makePlan({ managedPolicyArns: [awsPolicy("ReadOnlyAccess")] });
    // The role is created, but the answer is lost on the way back (a 503 in its place): the
    // retry then finds the name taken, by this very run.
    const iamFor = async (id: string) => {
      const iam = await provisioningIam(id);
      let lost = false;
      iam.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === "CreateRoleCommand" && !lost) {
            lost = true;
            throw Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
          }
          return out;
        },
        { step: "initialize", name: "loseFirstCreateRoleAnswer" },
      );
      return iam;
    };
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps({ iamFor }));
    expect(result).toMatchObject({ ok: true });
    expect((await t.admin.calls({ since, action: "CreateRole" })).map((c) => c.outcome)).toEqual(["Success", "EntityAlreadyExists"]);
    expect((await inventory(PROD)).roles).toContain(`/${plan.roleName}`);
  });

  it("removes a role whose CreateRole timed out but was created anyway", async () => {
    const plan = makePlan();
    const before = await inventory(PROD);
    // The sandbox creates the role after 300 ms; the client gives up after 100 ms.
    await t.admin.addFault({ service: "iam", action: "CreateRole", latencyMs: 300, count: 1 });
    const iamFor = async (id: string) =>
      new IAMClient({
        endpoint: t.url,
        region: "us-east-1",
        credentials: await provisioningSession(id),
        maxAttempts: 1,
        requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true },
      });
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps({ iamFor, retry: { attempts: 5, baseDelayMs: 100 } }));
    const calls = await t.admin.calls({ since, service: "iam" });
    const failed = `IAM in Production (${PROD}) did not answer in time while creating role ${plan.roleName}. Try again later.`;
    expect(result).toEqual({ ok: false, steps: [{ id: "role", label: `Create role ${plan.roleName}`, status: "failed", error: failed }], error: `${failed} Nothing was left behind.` });
    // Not found at first (still being created), then found as this run's role and deleted.
    expect(calls.filter((c) => c.action !== "GetRole" || c.outcome === "Success").map((c) => `${c.action} ${c.outcome}`)).toEqual([
      "CreateRole Success",
      "GetRole Success",
      "DeleteRole Success",
    ]);
    expect(calls.filter((c) => c.action === "GetRole")[0]!.outcome).toBe("NoSuchEntity");
    expect(await inventory(PROD)).toEqual(before);
  });
});

describe("the journal: what a restarted console needs to roll back", () => {
  /** Role, inline and managed policies, an instance profile, and the developer's source-side
   * policy, replacing one of the same name that was there before. */
  const full = async (roleName: string) => {
    const plan = makePlan({
      roleName,
      trustPolicy: policy(trustAws(DEVELOPER), { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
      inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }],
      managedPolicyArns: [awsPolicy("ReadOnlyAccess")],
      instanceProfile: { name: roleName, path: "/" },
      sourcePolicies: [sourceFor({ roleName }, DEVELOPER, DEV)],
    });
    const earlier = assumePolicy(roleArn(PROD, "an-older-role"));
    await (await provisioningIam(DEV)).send(new PutUserPolicyCommand({ UserName: "developer", PolicyName: `assume-${roleName}`, PolicyDocument: JSON.stringify(earlier) }));
    return { plan, earlier };
  };
  const sourceId = (roleName: string) => `source:${DEV}:assume-${roleName}:${DEVELOPER}`;

  it("records each step as running before its first IAM call and done after, with the earlier source-side policy before it is replaced", async () => {
    const { plan, earlier } = await full("journaled");
    const since = await t.admin.lastSeq();
    const writes: JournalEntry[][] = [];
    const seqAtWrite: number[] = [];
    const result = await applyPlan(plan, deps({ journal: async (entries) => {
      writes.push(entries);
      seqAtWrite.push(await t.admin.lastSeq());
    } }));
    expect(result.ok).toBe(true);
    const ids = ["role", "inline:read_my_bucket", `managed:${awsPolicy("ReadOnlyAccess")}`, "instance-profile", "instance-profile-role", sourceId("journaled")];
    // running, (data), done — per step, in order.
    expect(writes.map((w) => w.map((e) => `${e.id}:${e.status}`).at(-1))).toEqual(
      ids.flatMap((id) => (id.startsWith("source:") ? [`${id}:running`, `${id}:running`, `${id}:done`] : [`${id}:running`, `${id}:done`])),
    );
    expect(writes.at(-1)).toEqual(ids.map((id) => ({ id, status: "done", undo: true, ...(id.startsWith("source:") ? { data: { previous: JSON.stringify(earlier) } } : {}) })));
    // The source step remembered the earlier policy before its PutUserPolicy.
    const remembered = writes.findIndex((w) => w.at(-1)?.data !== undefined);
    const putAt = (await t.admin.calls({ since, service: "iam" })).find((c) => c.action === "PutUserPolicy")!.seq;
    expect(seqAtWrite[remembered]).toBeLessThan(putAt);
  });

  it("rolls back a finished run from its journal alone, and puts back the policy it replaced", async () => {
    const { plan, earlier } = await full("crashed-after-all");
    const before = { prod: await inventory(PROD) };
    let last: JournalEntry[] = [];
    const startedAt = Date.now();
    expect((await applyPlan(plan, deps({ journal: async (e) => void (last = e) }), startedAt)).ok).toBe(true);

    // Another process, knowing only the plan, its start time and the journal.
    const rolled = await rollbackJournal(plan, startedAt, last, deps());
    expect(rolled).toEqual({ ok: true, problems: [], entries: last.map((e) => ({ ...e, status: "undone" })) });
    const prod = await provisioningIam(PROD);
    expect((await failure(prod.send(new GetRoleCommand({ RoleName: plan.roleName })))).name).toBe("NoSuchEntityException");
    expect((await failure(prod.send(new GetInstanceProfileCommand({ InstanceProfileName: plan.roleName })))).name).toBe("NoSuchEntityException");
    const restored = await (await provisioningIam(DEV)).send(new GetUserPolicyCommand({ UserName: "developer", PolicyName: "assume-crashed-after-all" }));
    expect(JSON.parse(decoded(restored.PolicyDocument))).toEqual(earlier);
    expect({ prod: await inventory(PROD) }).toEqual(before);
    // Again: nothing left to do, nothing fails.
    expect((await rollbackJournal(plan, startedAt, rolled.entries, deps())).ok).toBe(true);
  });

  it("removes a step whose outcome was never known (running) only when it is this run's", async () => {
    const plan = makePlan({ roleName: "crashed-in-create" });
    const startedAt = Date.now();
    const prod = await provisioningIam(PROD);
    // The CreateRole went through, but the process died before writing "done".
    expect((await applyPlan(plan, deps(), startedAt)).ok).toBe(true);
    const rolled = await rollbackJournal(plan, startedAt, [{ id: "role", status: "running", undo: false }], deps());
    expect(rolled.ok).toBe(true);
    expect((await failure(prod.send(new GetRoleCommand({ RoleName: plan.roleName })))).name).toBe("NoSuchEntityException");

    // A role of that name that is older than the run (someone else's) is left alone.
    expect((await applyPlan(plan, deps())).ok).toBe(true);
    const later = Date.now() + 60 * 60_000;
    expect((await rollbackJournal(plan, later, [{ id: "role", status: "running", undo: false }], deps())).ok).toBe(true);
    expect((await prod.send(new GetRoleCommand({ RoleName: plan.roleName }))).Role?.RoleName).toBe("crashed-in-create");
    await prod.send(new DeleteRoleCommand({ RoleName: plan.roleName }));
  });

  it("stops before a step it cannot record, and rolls back what it had created", async () => {
    const plan = makePlan({ roleName: "unrecorded", inlinePolicies: [{ name: "read_my_bucket", document: READ_MY_BUCKET }] });
    const before = await inventory(PROD);
    let writes = 0;
    const since = await t.admin.lastSeq();
    const result = await applyPlan(plan, deps({ journal: async (entries) => {
      // The store goes away when the inline policy step is about to start.
      if (entries.some((e) => e.id.startsWith("inline:"))) throw new Error("SQLITE_READONLY");
      writes++;
    } }));
    expect(writes).toBe(2);
    expect(result.ok).toBe(false);
    expect(result.error).toBe("The console could not record the next step in its store, so it stopped before making it. Everything created before it was removed again.");
    expect(statuses(result.steps)).toEqual({ role: "rolled-back", "inline:read_my_bucket": "failed" });
    expect((await t.admin.calls({ since, service: "iam" })).map((c) => c.action)).toEqual(["CreateRole", "DeleteRole"]);
    expect(await inventory(PROD)).toEqual(before);
  });
});

describe("sourceTargetOf", () => {
  it.each([
    [userArn(DEV, "developer"), { kind: "user", accountId: DEV, name: "developer" }],
    [userArn(DEV, "alice", "/engineering/team-a/"), { kind: "user", accountId: DEV, name: "alice" }],
    [roleArn(OPS, "JenkinsRole"), { kind: "role", accountId: OPS, name: "JenkinsRole" }],
    [roleArn(OPS, "deployer", "/ci/"), { kind: "role", accountId: OPS, name: "deployer" }],
    [sessionArn(OPS, "BrokerRole", "i-0123456789"), { kind: "role", accountId: OPS, name: "BrokerRole" }],
    [`arn:aws-us-gov:iam::${OPS}:user/gov-user`, { kind: "user", accountId: OPS, name: "gov-user" }],
    [`arn:aws:iam::${TEST}:root`, { kind: "account" }],
    [`any principal in ${TEST}`, { kind: "account" }],
    ["ec2.amazonaws.com", { kind: "account" }],
  ])("%s → %j", (principal, expected) => {
    expect(sourceTargetOf(principal)).toEqual(expected);
  });
});
