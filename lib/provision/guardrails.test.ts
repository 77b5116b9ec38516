// Issue 10, end to end below the UI: every path that writes a trust policy (the wizard's apply,
// Edit trust, and a clone going through the wizard) refuses lint errors before any IAM write;
// administrator-level permissions on a role trusted from outside the organization are refused;
// the administrator's permissions boundary goes on every role the wizard creates; and every
// provisioning session names the person acting (SourceIdentity), as CloudTrail will show it.
// The real store (SQLite), the real sandbox over HTTP, the real SDK.
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { DEV, OPS, PROD, TEST, awsPolicy, roleArn, session } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import type { WizardDocumentRaw } from "./schema";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "provision-guardrails");
// Read by getConfig() on first use, after this; configureForSandbox puts the environment back.
process.env.SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN = "arn:aws:iam::{accountId}:policy/SwitchboardBoundary";

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { wizardDocumentInput } = await import("./schema");
const { executeApply, planRole, prepareApply } = await import("./service");
const { updateTrust } = await import("./trust-update");
const { cloneDocument } = await import("./clone");

const meta = { requestId: "req-guardrails-test", ip: "192.0.2.77", userAgent: "vitest" };
const IDENTITY = "ada@example.com";
const BOUNDARY = `arn:aws:iam::${PROD}:policy/SwitchboardBoundary`;
const ADMIN = awsPolicy("AdministratorAccess");
let admin: Actor;
const catalog: Record<string, string> = {};

beforeAll(async () => {
  const db = await getDb();
  const id = newId();
  const now = new Date().toISOString();
  await db.insertInto("users").values({ id, email: IDENTITY, name: "Ada", role: "admin", password_hash: null, aws_identity: IDENTITY, created_at: now, updated_at: now }).execute();
  admin = testActor({ id, email: IDENTITY, name: "Ada", role: "admin", awsIdentity: IDENTITY });
  // The organization Switchboard knows: Production, Development and Operations (the broker's).
  // Test (444444444444) exists in AWS but is not registered: it stands for "outside".
  await createAccount(admin, { accountId: PROD, name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: DEV, name: "Development", environment: "development" }, meta);
  await createAccount(admin, { accountId: OPS, name: "Operations", environment: "operations" }, meta);

  const prod = t.iam(await session(t, roleArn(PROD, "OrganizationAccountAccessRole"), "test-setup"));
  const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
  await prod.send(new CreatePolicyCommand({ PolicyName: "SwitchboardBoundary", PolicyDocument: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }));
  // A role whose inline policy can pass any role, trusted by Development.
  await prod.send(new CreateRoleCommand({ RoleName: "Launcher", AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }) }));
  await prod.send(new PutRolePolicyCommand({ RoleName: "Launcher", PolicyName: "launch", PolicyDocument: policy({ Effect: "Allow", Action: ["ec2:RunInstances", "iam:PassRole"], Resource: "*" }) }));
  // An administrator role already trusted from outside (made before the guardrail), to clone.
  await prod.send(
    new CreateRoleCommand({
      RoleName: "VendorAdmin",
      AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TEST}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "vendor-7f3a" } } }),
    }),
  );
  await prod.send(new AttachRolePolicyCommand({ RoleName: "VendorAdmin", PolicyArn: ADMIN }));
  for (const name of ["BreakGlassAdmin", "ReadOnly", "Launcher", "VendorAdmin"]) {
    catalog[name] = (await registerRole(admin, { accountId: PROD, roleName: name }, meta)).id;
  }
});

const wizard = (raw: Partial<Omit<WizardDocumentRaw, "target">> & { target?: Partial<WizardDocumentRaw["target"]> }) =>
  wizardDocumentInput.parse({
    ...raw,
    target: { accountId: PROD, roleName: "guarded", ...raw.target },
    trust: raw.trust ?? { entities: [{ kind: "broker" }] },
  });

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; findings: Array<{ rule: string; severity: string; message: string }> }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string; details?: { findings?: Array<{ rule: string; severity: string; message: string }> } },
  );
  if (!err) throw new Error("expected a refusal");
  return { code: err.code, message: err.message, findings: err.details?.findings ?? [] };
}

const writes = async (since: number, action: string) => (await t.admin.calls({ since, service: "iam", action })).length;

describe("the wizard's apply", () => {
  it("refuses AdministratorAccess on a role an unregistered account can assume, before any IAM write", async () => {
    const since = await t.admin.lastSeq();
    const doc = wizard({
      target: { roleName: "vendor-admin" },
      trust: { entities: [{ kind: "account", accountId: TEST }], conditions: { externalId: "vendor-7f3a" } },
      permissions: { managedPolicyArns: [ADMIN], inline: [] },
    });
    const refused = await rejection(prepareApply(admin, doc, { acknowledgeWarnings: true }));
    expect(refused.code).toBe("bad_request");
    expect(refused.findings).toEqual([expect.objectContaining({ rule: "privileged-external-trust", severity: "error" })]);
    expect(refused.message).toContain(`account ${TEST}, which is not registered in Switchboard`);
    expect(refused.message).toContain("AdministratorAccess");
    expect(await writes(since, "CreateRole")).toBe(0);
  });

  it("refuses IAMFullAccess for GitHub Actions", async () => {
    const doc = wizard({
      trust: { entities: [{ kind: "github", owner: "acme", repo: "app", ref: { type: "branch", name: "main" } }] },
      permissions: { managedPolicyArns: [awsPolicy("IAMFullAccess")], inline: [] },
    });
    const refused = await rejection(prepareApply(admin, doc, { acknowledgeWarnings: true }));
    expect(refused.findings.map((f) => f.rule)).toEqual(["privileged-external-trust"]);
    expect(refused.message).toContain("token.actions.githubusercontent.com");
  });

  it("puts the administrator's boundary on a role whose document has none, in the plan, the exports and IAM", async () => {
    const doc = wizard({ target: { roleName: "bounded" }, trust: { entities: [{ kind: "broker" }, { kind: "account", accountId: DEV }], conditions: { requireMfa: true } }, permissions: { managedPolicyArns: [awsPolicy("ReadOnlyAccess")], inline: [] } });
    const planned = await planRole(admin, doc);
    expect(planned.plan.permissionsBoundaryArn).toBe(BOUNDARY);
    expect(planned.exports.terraform).toContain(BOUNDARY);
    expect(planned.exports.cloudformation).toContain(BOUNDARY);
    expect(planned.exports.cli).toContain(BOUNDARY);

    const since = await t.admin.lastSeq();
    const result = await executeApply(admin, await prepareApply(admin, doc, { acknowledgeWarnings: true }), meta);
    expect(result).toMatchObject({ ok: true });
    const prod = t.iam(await session(t, roleArn(PROD, "OrganizationAccountAccessRole"), "test-check"));
    expect((await prod.send(new GetRoleCommand({ RoleName: "bounded" }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY);

    // CloudTrail's view: CreateRole was made by a session named after Ada, whose source identity is Ada.
    const [create] = await t.admin.calls({ since, service: "iam", action: "CreateRole" });
    expect(create).toMatchObject({ outcome: "Success", caller: `arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/${IDENTITY}` });
    const assumed = (await t.admin.calls({ service: "sts", action: "AssumeRole" })).filter((c) => c.detail.RoleArn === roleArn(PROD, "OrganizationAccountAccessRole") && c.detail.RoleSessionName === IDENTITY);
    expect(assumed.length).toBeGreaterThan(0);
    for (const call of assumed) expect(call.detail).toMatchObject({ SourceIdentity: IDENTITY });
  });

  it("refuses a document asking for another boundary, naming the required one", async () => {
    const doc = wizard({ target: { roleName: "other-boundary", permissionsBoundaryArn: awsPolicy("PowerUserAccess") } });
    const refused = await rejection(prepareApply(admin, doc, { acknowledgeWarnings: true }));
    expect(refused.code).toBe("bad_request");
    expect(refused.findings).toEqual([expect.objectContaining({ rule: "permissions-boundary-required" })]);
    expect(refused.message).toContain(BOUNDARY);
  });
});

describe("Edit trust", () => {
  const text = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

  it.each<[string, Record<string, unknown>]>([
    ['StringLike aws:PrincipalArn "arn:*"', { StringLike: { "aws:PrincipalArn": "arn:*" } }],
    ['StringLike aws:PrincipalAccount "1*"', { StringLike: { "aws:PrincipalAccount": "1*" } }],
    ['StringEquals aws:SourceIdentity "x"', { StringEquals: { "aws:SourceIdentity": "x" } }],
  ])("refuses a public trust disguised by %s, before any IAM write", async (_name, condition) => {
    const since = await t.admin.lastSeq();
    const refused = await rejection(updateTrust(admin, catalog.ReadOnly!, text({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: condition }), { acknowledgeWarnings: true }, meta));
    expect(refused.code).toBe("bad_request");
    expect(refused.findings.map((f) => f.rule)).toContain("trust-public");
    expect(await writes(since, "UpdateAssumeRolePolicy")).toBe(0);
  });

  it("refuses to let an unregistered account assume a role with AdministratorAccess", async () => {
    const since = await t.admin.lastSeq();
    const refused = await rejection(
      updateTrust(admin, catalog.BreakGlassAdmin!, text({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TEST}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "vendor-7f3a" } } }), { acknowledgeWarnings: true }, meta),
    );
    expect(refused.findings).toEqual([expect.objectContaining({ rule: "privileged-external-trust", severity: "error" })]);
    expect(refused.message).toContain("Trust only accounts in your organization");
    expect(await writes(since, "ListAttachedRolePolicies")).toBeGreaterThan(0);
    expect(await writes(since, "UpdateAssumeRolePolicy")).toBe(0);
  });

  it("refuses GitHub Actions for a role whose inline policy passes any role", async () => {
    const since = await t.admin.lastSeq();
    const github = { Effect: "Allow", Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } } };
    const refused = await rejection(updateTrust(admin, catalog.Launcher!, text(github), { acknowledgeWarnings: true }, meta));
    expect(refused.findings).toEqual([expect.objectContaining({ rule: "privileged-external-trust", message: expect.stringContaining("The inline policy launch gives the role iam:PassRole on every role") })]);
    expect(await writes(since, "GetRolePolicy")).toBeGreaterThan(0);
    expect(await writes(since, "UpdateAssumeRolePolicy")).toBe(0);
  });

  it("writes a trust inside the organization, in a session that names the person", async () => {
    const since = await t.admin.lastSeq();
    const broker = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OPS}:user/switchboard` }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] };
    const result = await updateTrust(admin, catalog.BreakGlassAdmin!, text(broker, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }), { acknowledgeWarnings: true }, meta);
    expect(result.findings.filter((f) => f.severity === "error")).toEqual([]);
    const [write] = await t.admin.calls({ since, service: "iam", action: "UpdateAssumeRolePolicy" });
    expect(write).toMatchObject({ outcome: "Success", caller: `arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/${IDENTITY}` });
  });
});

describe("cloning", () => {
  it("copies a role, but the wizard refuses the copy of an administrator role trusted from outside", async () => {
    const clone = await cloneDocument(admin, catalog.VendorAdmin!);
    expect(clone.document.trust.entities).toEqual([{ kind: "account", accountId: TEST }]);
    expect(clone.document.permissions.managedPolicyArns).toEqual([ADMIN]);
    const doc = wizardDocumentInput.parse({ ...clone.document, target: { ...clone.document.target, accountId: PROD, roleName: "VendorAdminCopy" } });
    const since = await t.admin.lastSeq();
    const refused = await rejection(prepareApply(admin, doc, { acknowledgeWarnings: true }));
    expect(refused.findings.map((f) => f.rule)).toEqual(["privileged-external-trust"]);
    expect(await writes(since, "CreateRole")).toBe(0);
  });
});

describe("a provisioning role that does not allow sts:SetSourceIdentity", () => {
  it("is explained with the statement to add to its trust policy", async () => {
    const db = await getDb();
    const id = newId();
    const now = new Date().toISOString();
    await db.insertInto("users").values({ id, email: "grace@example.com", name: "Grace", role: "admin", password_hash: null, aws_identity: "grace@example.com", created_at: now, updated_at: now }).execute();
    const grace = testActor({ id, email: "grace@example.com", name: "Grace", role: "admin", awsIdentity: "grace@example.com" });
    // Development's provisioning role as AWS Organizations creates it: sts:AssumeRole only.
    const dev = t.iam(await session(t, roleArn(DEV, "OrganizationAccountAccessRole"), "test-setup"));
    const assumeOnly = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OPS}:root` }, Action: "sts:AssumeRole" }] });
    await dev.send(new UpdateAssumeRolePolicyCommand({ RoleName: "OrganizationAccountAccessRole", PolicyDocument: assumeOnly }));

    const refused = await rejection(planRole(grace, wizard({ target: { accountId: DEV } })));
    // AWS refused the console (AssumeRole): not a problem with the request.
    expect(refused.code).toBe("aws_denied");
    expect(refused.message).toContain(`The console could not assume OrganizationAccountAccessRole in Development (${DEV})`);
    expect(refused.message).toContain("must let the console's broker (arn:aws:iam::333333333333:user/switchboard) assume it and set a source identity (sts:SetSourceIdentity)");
    expect(refused.message).toContain(
      `Add this statement to the trust policy of ${roleArn(DEV, "OrganizationAccountAccessRole")}: {"Sid":"SwitchboardProvisioning","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:user/switchboard"},"Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"]}`,
    );
  });
});
