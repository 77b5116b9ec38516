// Discovering an account's IAM roles through its provisioning role, end to end below the UI:
// the real store (SQLite), the real sandbox over HTTP (its seeded Production roles), the real SDK.
import { addTestUser } from "@/lib/auth/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { SEED_EXTERNAL_ID } from "@/sandbox/core/seed";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "discover");

const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole, listRoles, deleteRole } = await import("./roles");
const { discoverRoles, registerDiscovered } = await import("./discover");

const meta = { requestId: "req-discover-test", ip: "192.0.2.55", userAgent: "vitest" };
let admin: Actor;
let operator: Actor;
let auditor: Actor;
let registeredReadOnly = "";

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto@example.com", "operator");
  auditor = await addTestUser("aude@example.com", "auditor");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "222222222222", name: "Development", environment: "development" }, meta);
  await createAccount(admin, { accountId: "333333333333", name: "Operations", environment: "operations" }, meta);
  // Test's provisioning role is misnamed: no such role exists there.
  await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test", provisioningRoleName: "OrgAccessRole" }, meta);
  registeredReadOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta)).id;
});

afterEach(async () => {
  await t.admin.clearFaults();
});

describe("discovering Production's roles", () => {
  it("lists the seeded roles with a trust summary, whether the broker is trusted, and which are registered", async () => {
    const { account, roles } = await discoverRoles(admin, "111111111111");
    expect(account).toMatchObject({ accountId: "111111111111", name: "Production" });
    const byName = Object.fromEntries(roles.map((r) => [r.roleName, r]));
    expect(Object.keys(byName).sort()).toEqual(["BreakGlassAdmin", "CA_ServiceDeployer", "OrganizationAccountAccessRole", "ReadOnly", "ThirdPartyAuditor", "delegate_read_my_bucket"]);
    const view = (name: string) => {
      const r = byName[name]!;
      return { trust: r.trust, brokerAccess: r.brokerAccess, registeredId: r.registeredId };
    };
    expect(view("ReadOnly")).toEqual({ trust: "Trusts account 333333333333 (Operations)", brokerAccess: "allowed", registeredId: registeredReadOnly });
    expect(view("OrganizationAccountAccessRole")).toEqual({ trust: "Trusts account 333333333333 (Operations)", brokerAccess: "allowed", registeredId: null });
    expect(view("delegate_read_my_bucket")).toEqual({ trust: "Trusts account 222222222222 (Development), this console", brokerAccess: "allowed", registeredId: null });
    expect(view("ThirdPartyAuditor")).toEqual({
      trust: "Trusts account 333333333333 (Operations) · requires an ExternalId",
      brokerAccess: "needs-external-id",
      registeredId: null,
    });
    expect(view("BreakGlassAdmin")).toEqual({ trust: "Trusts account 333333333333 (Operations) · requires MFA", brokerAccess: "needs-mfa", registeredId: null });
    expect(view("CA_ServiceDeployer")).toEqual({ trust: "Trusts 333333333333:role/JenkinsRole", brokerAccess: "not-trusted", registeredId: null });
  });

  it("gives each role's ARN, path, description and maximum session", async () => {
    const { roles } = await discoverRoles(admin, "111111111111");
    expect(roles.find((r) => r.roleName === "ReadOnly")).toEqual({
      roleName: "ReadOnly",
      path: "/",
      roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
      description: "Read-only access for operators, up to 12-hour sessions",
      maxSessionDuration: 43200,
      trust: "Trusts account 333333333333 (Operations)",
      brokerAccess: "allowed",
      trustedPrincipals: ["account 333333333333 (Operations)"],
      reason: null,
      fullAdmin: null,
      policiesChecked: true,
      serviceLinked: false,
      registeredId: registeredReadOnly,
    });
  });

  it("marks full-admin roles: AWS Organizations' role by name, others by AdministratorAccess attached", async () => {
    const since = await t.admin.lastSeq();
    const { roles } = await discoverRoles(admin, "111111111111");
    const admins = Object.fromEntries(roles.map((r) => [r.roleName, r.fullAdmin]));
    expect(admins).toEqual({
      BreakGlassAdmin: "administrator-access",
      CA_ServiceDeployer: null,
      OrganizationAccountAccessRole: "organization-access-role",
      ReadOnly: null,
      ThirdPartyAuditor: null,
      delegate_read_my_bucket: null,
    });
    expect(roles.every((r) => r.policiesChecked)).toBe(true);
    // One read per role, through the provisioning role, as for the listing.
    const reads = await t.admin.calls({ since, service: "iam", action: "ListAttachedRolePolicies" });
    expect(reads).toHaveLength(roles.length);
    for (const call of reads) expect(call.caller).toContain(`assumed-role/OrganizationAccountAccessRole/${admin.awsIdentity}`);
  });

  it("falls back to the role's name when the attached policies cannot be read, and stops asking", async () => {
    await t.admin.addFault({ service: "iam", action: "ListAttachedRolePolicies", code: "AccessDenied", status: 403, message: "Not allowed." });
    const since = await t.admin.lastSeq();
    const { roles } = await discoverRoles(admin, "111111111111");
    expect(roles).toHaveLength(6);
    expect(roles.find((r) => r.roleName === "OrganizationAccountAccessRole")).toMatchObject({ fullAdmin: "organization-access-role", policiesChecked: false });
    expect(roles.find((r) => r.roleName === "BreakGlassAdmin")).toMatchObject({ fullAdmin: null, policiesChecked: false });
    // A few refusals in flight at once at most, not one per role of a large account.
    expect((await t.admin.calls({ since, action: "ListAttachedRolePolicies" })).length).toBeLessThanOrEqual(6);
  });

  it("says why a role cannot be used as it is, naming who it trusts instead of the console", async () => {
    const { roles } = await discoverRoles(admin, "111111111111");
    const reason = (name: string) => roles.find((r) => r.roleName === name)!.reason;
    expect(reason("CA_ServiceDeployer")).toBe(
      "Not trusted by the console (arn:aws:iam::333333333333:user/switchboard): the role trusts only 333333333333:role/JenkinsRole. Add the console to its trust policy before registering it.",
    );
    expect(roles.find((r) => r.roleName === "CA_ServiceDeployer")!.trustedPrincipals).toEqual(["333333333333:role/JenkinsRole"]);
    expect(reason("ThirdPartyAuditor")).toBe("The console is trusted only when it sends the agreed ExternalId: enter it to register this role.");
    expect(reason("BreakGlassAdmin")).toMatch(/^The trust policy requires MFA/);
    expect(reason("delegate_read_my_bucket")).toBeNull();
  });

  it("asks IAM through the account's provisioning role, never with the broker's own keys", async () => {
    const since = await t.admin.lastSeq();
    await discoverRoles(admin, "222222222222");
    const calls = await t.admin.calls({ since, service: "iam", action: "ListRoles" });
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.accountId).toBe("222222222222");
      // The session names the person who asked (their AWS identity), as CloudTrail will.
      expect(call.caller).toContain(`assumed-role/OrganizationAccountAccessRole/${admin.awsIdentity}`);
    }
  });

  it("does not show the ExternalId or any credential in what it returns", async () => {
    const result = JSON.stringify(await discoverRoles(admin, "111111111111"));
    expect(result).not.toContain("switchboard-demo-7f3a9c2e");
    expect(result).not.toContain(t.broker.secretAccessKey);
    expect(result).not.toContain(t.broker.accessKeyId);
  });

  it.each([
    ["an operator", () => operator],
    ["an auditor", () => auditor],
  ])("is refused to %s before any AWS call", async (_, who) => {
    const actor = who();
    const since = await t.admin.lastSeq();
    const denial = { code: "forbidden", message: `Your console role (${actor.role}) does not allow this (roles.manage). Ask an administrator.` };
    await expect(discoverRoles(actor, "111111111111")).rejects.toMatchObject(denial);
    await expect(registerDiscovered(actor, "111111111111", ["arn:aws:iam::111111111111:role/BreakGlassAdmin"], meta)).rejects.toMatchObject(denial);
    expect(await t.admin.calls({ since })).toEqual([]);
  });

  it("answers an account that is not registered with not found", async () => {
    await expect(discoverRoles(admin, "999999999999")).rejects.toMatchObject({ code: "not_found", message: "No registered account 999999999999." });
  });
});

describe("when the provisioning role does not work", () => {
  it("explains a wrong provisioning role name with a clear error, not a crash", async () => {
    const err = await discoverRoles(admin, "444444444444").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "AppError", code: "aws_denied" });
    const message = (err as Error).message;
    expect(message.startsWith("The console could not list the roles of Test: its provisioning role OrgAccessRole refused (")).toBe(true);
    expect(message.endsWith(
      "). Check that the role exists, trusts the console's AWS identity, and allows iam:ListRoles — or set another provisioning role on the account.",
    )).toBe(true);
    expect(message).toContain("arn:aws:iam::444444444444:role/OrgAccessRole");
    expect(message).not.toContain(t.broker.secretAccessKey);
  });

  it("explains a provisioning role that does not trust the console the same way", async () => {
    const db = await getDb();
    await db.updateTable("accounts").set({ provisioning_role_name: "DevelopmentTesters" }).where("aws_account_id", "=", "444444444444").execute();
    try {
      await expect(discoverRoles(admin, "444444444444")).rejects.toMatchObject({
        code: "aws_denied",
        message: expect.stringMatching(/^The console could not list the roles of Test: its provisioning role DevelopmentTesters refused \(/),
      });
    } finally {
      await db.updateTable("accounts").set({ provisioning_role_name: "OrgAccessRole" }).where("aws_account_id", "=", "444444444444").execute();
    }
  });

  it("reports IAM failing as an upstream error naming the account", async () => {
    await t.admin.addFault({ service: "iam", action: "ListRoles", code: "ServiceFailure", status: 500, message: "IAM is unavailable." });
    await expect(discoverRoles(admin, "111111111111")).rejects.toMatchObject({
      code: "upstream_error",
      // The SDK names IAM's ServiceFailure error ServiceFailureException.
      message: "Could not list the roles of Production: ServiceFailureException: IAM is unavailable.",
    });
    await t.admin.clearFaults();
    // It recovers on the next try.
    expect((await discoverRoles(admin, "111111111111")).roles.length).toBe(6);
  });
});

describe("registering discovered roles", () => {
  const AUDITOR = "arn:aws:iam::111111111111:role/ThirdPartyAuditor";

  it("adds the chosen roles as discovered entries and skips those already in the catalog", async () => {
    const result = await registerDiscovered(admin, "111111111111", ["arn:aws:iam::111111111111:role/ReadOnly", AUDITOR, AUDITOR], meta, { [AUDITOR]: SEED_EXTERNAL_ID });
    expect(result.skipped).toEqual(["arn:aws:iam::111111111111:role/ReadOnly"]);
    expect(result.added.map((r) => ({ roleArn: r.roleArn, source: r.source }))).toEqual([{ roleArn: AUDITOR, source: "discovered" }]);
    const { roles } = await discoverRoles(admin, "111111111111");
    expect(roles.find((r) => r.roleName === "ThirdPartyAuditor")?.registeredId).toBe(result.added[0]!.id);
  });

  it("stores the ExternalId given inline, so that the entry's test (and every switch) passes", async () => {
    const entry = (await listRoles(admin)).find((r) => r.roleArn === AUDITOR)!;
    expect(entry).toMatchObject({ externalId: SEED_EXTERNAL_ID, requiresExternalId: true });
    // The test made at registration assumed the role with it (lib/sessions/role-health-check.ts).
    expect(entry.health).toMatchObject({ ok: true, source: "registered" });
  });

  it("records the role's own MaxSessionDuration, as IAM reports it, for the entry to show", async () => {
    const result = await registerDiscovered(admin, "111111111111", ["arn:aws:iam::111111111111:role/delegate_read_my_bucket"], meta);
    expect(result.added[0]!.roleMaxSessionDuration).toBe(3600);
    const readOnlyDev = await registerDiscovered(admin, "222222222222", ["arn:aws:iam::222222222222:role/PowerUser"], meta);
    expect(readOnlyDev.added[0]!.roleMaxSessionDuration).toBe(28800);
    await deleteRole(admin, readOnlyDev.added[0]!.id, meta);
    // An entry added by hand has not been asked: unknown, not a guess.
    expect((await listRoles(admin)).find((r) => r.id === registeredReadOnly)!.roleMaxSessionDuration).toBeNull();
  });

  it("still registers when the maximum cannot be read, without one", async () => {
    await t.admin.addFault({ service: "iam", action: "GetRole", code: "ServiceFailure", status: 500, message: "IAM is unavailable." });
    const result = await registerDiscovered(admin, "111111111111", ["arn:aws:iam::111111111111:role/CA_ServiceDeployer"], meta);
    expect(result.added[0]).toMatchObject({ roleName: "CA_ServiceDeployer", roleMaxSessionDuration: null });
  });

  it("refuses an ExternalId for a role that is not among those registered", async () => {
    await expect(
      registerDiscovered(admin, "111111111111", ["arn:aws:iam::111111111111:role/BreakGlassAdmin"], meta, { "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole": "abc-123" }),
    ).rejects.toMatchObject({ code: "bad_request", message: "An ExternalId was given for arn:aws:iam::111111111111:role/OrganizationAccountAccessRole, which is not among the roles to register." });
    expect((await listRoles(admin)).map((r) => r.roleName)).not.toContain("BreakGlassAdmin");
  });

  it("refuses a role of another account, however the ARN is written", async () => {
    for (const arn of ["arn:aws:iam::222222222222:role/PowerUser", "arn:aws:iam::222222222222:role/x:iam::111111111111:role/PowerUser"]) {
      await expect(registerDiscovered(admin, "111111111111", [arn], meta)).rejects.toMatchObject({
        code: "bad_request",
        message: `${arn} is not a role of Production (111111111111).`,
      });
    }
    expect((await listRoles(admin)).map((r) => r.accountId)).not.toContain("222222222222");
  });

  it("refuses a malformed ARN rather than registering a role that cannot exist", async () => {
    await expect(registerDiscovered(admin, "111111111111", ["arn:aws:iam::111111111111:role//ReadOnly2"], meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "arn:aws:iam::111111111111:role//ReadOnly2 is not a role of Production (111111111111).",
    });
    expect((await listRoles(admin)).map((r) => r.roleName)).not.toContain("ReadOnly2");
  });

  it("audits each added role with its source", async () => {
    const db = await getDb();
    const events = await db.selectFrom("audit_events").selectAll().where("action", "=", "role.create").where("target_label", "=", "arn:aws:iam::111111111111:role/ThirdPartyAuditor").execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: "success", actor_email: admin.email, aws_account_id: "111111111111", target_type: "role" });
    expect(JSON.parse(events[0]!.details)).toEqual({ source: "discovered" });
  });
});
