// Importing accounts from AWS Organizations, end to end below the UI: the real store (SQLite),
// the real sandbox over HTTP (its seeded organization: 111111111111 Production,
// 222222222222 Development, 333333333333 Operations, 444444444444 Test), the real SDK.
import { addTestUser } from "@/lib/auth/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "import");

const { getDb } = await import("@/lib/db/client");
const { createAccount, listAccounts } = await import("./accounts");
const { previewImport, importAccounts } = await import("./import");

const meta = { requestId: "req-import-test", ip: "192.0.2.44", userAgent: "vitest" };
let admin: Actor;
let operator: Actor;
let auditor: Actor;

const registeredIds = async () => (await listAccounts(admin)).map((a) => a.accountId).sort();

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto@example.com", "operator");
  auditor = await addTestUser("aude@example.com", "auditor");
  // Production is registered by hand before anyone imports.
  await createAccount(admin, { accountId: "111111111111", name: "Prod (by hand)", environment: "production" }, meta);
});

afterEach(async () => {
  await t.admin.clearFaults();
});

describe("previewing an import", () => {
  it("lists every account of the organization, new ones first, and marks the one already registered", async () => {
    expect(await previewImport(admin)).toEqual([
      { accountId: "222222222222", name: "Development", email: "aws+development@example.com", status: "ACTIVE", registered: false, suggestedEnvironment: "development" },
      { accountId: "333333333333", name: "Operations", email: "aws+operations@example.com", status: "ACTIVE", registered: false, suggestedEnvironment: "operations" },
      { accountId: "444444444444", name: "Test", email: "aws+test@example.com", status: "ACTIVE", registered: false, suggestedEnvironment: "test" },
      { accountId: "111111111111", name: "Production", email: "aws+production@example.com", status: "ACTIVE", registered: true, suggestedEnvironment: "production" },
    ]);
  });

  it("changes nothing in the registry", async () => {
    expect(await registeredIds()).toEqual(["111111111111"]);
  });

  it.each([
    ["an operator", () => operator],
    ["an auditor", () => auditor],
  ])("is refused to %s before any AWS call", async (_, who) => {
    const actor = who();
    const since = await t.admin.lastSeq();
    const denial = { code: "forbidden", message: `Your console role (${actor.role}) does not allow this (accounts.manage). Ask an administrator.` };
    await expect(previewImport(actor)).rejects.toMatchObject(denial);
    await expect(importAccounts(actor, {}, meta)).rejects.toMatchObject(denial);
    expect(await t.admin.calls({ since, service: "organizations" })).toEqual([]);
    expect(await registeredIds()).toEqual(["111111111111"]);
  });

  it("explains an Organizations refusal instead of failing obscurely", async () => {
    await t.admin.addFault({ service: "organizations", action: "ListAccounts", code: "AccessDeniedException", message: "You don't have permissions to access this resource." });
    await expect(previewImport(admin)).rejects.toMatchObject({
      code: "aws_denied",
      message:
        "AWS Organizations refused to list the accounts (AccessDeniedException): the console's AWS identity must be in the organization's management account (or a delegated administrator) and allowed organizations:ListAccounts. Register accounts by hand instead.",
    });
  });

  it("reports Organizations being down as an upstream error that names the operation", async () => {
    await t.admin.addFault({ service: "organizations", action: "ListAccounts", code: "ServiceException", status: 500, message: "Organizations is having a bad day." });
    const err = await previewImport(admin).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "upstream_error", message: "Could not list the organization's accounts: ServiceException: Organizations is having a bad day." });
    expect(JSON.stringify(err)).not.toContain(t.broker.secretAccessKey);
  });
});

describe("importing", () => {
  it("adds exactly the chosen accounts, with their Organizations names and guessed environments", async () => {
    const result = await importAccounts(admin, { accountIds: ["222222222222", "444444444444"] }, meta);
    expect(result.skipped).toEqual([]);
    expect(result.added.map((a) => ({ accountId: a.accountId, name: a.name, environment: a.environment, source: a.source, provisioningRoleName: a.provisioningRoleName }))).toEqual([
      { accountId: "222222222222", name: "Development", environment: "development", source: "organizations", provisioningRoleName: "OrganizationAccountAccessRole" },
      { accountId: "444444444444", name: "Test", environment: "test", source: "organizations", provisioningRoleName: "OrganizationAccountAccessRole" },
    ]);
    expect(await registeredIds()).toEqual(["111111111111", "222222222222", "444444444444"]);
    const preview = await previewImport(admin);
    expect(preview.filter((a) => !a.registered).map((a) => a.accountId)).toEqual(["333333333333"]);
  });

  it("skips, with a reason, accounts that are registered or not in the organization, and adds the rest", async () => {
    const result = await importAccounts(admin, { accountIds: ["111111111111", "999999999999", "333333333333", "333333333333"] }, meta);
    expect(result.added.map((a) => a.accountId)).toEqual(["333333333333"]);
    expect(result.skipped).toEqual([
      { accountId: "111111111111", reason: "Already registered" },
      { accountId: "999999999999", reason: "Not an account of the organization" },
    ]);
    // The hand-registered account is left as it was.
    expect((await listAccounts(admin)).find((a) => a.accountId === "111111111111")).toMatchObject({ name: "Prod (by hand)", source: "manual" });
  });

  it("adds nothing on a re-import", async () => {
    await expect(importAccounts(admin, {}, meta)).rejects.toMatchObject({ code: "bad_request", message: "Every account of the organization is already registered." });
    const again = await importAccounts(admin, { accountIds: ["222222222222", "333333333333", "444444444444"] }, meta);
    expect(again.added).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(["Already registered", "Already registered", "Already registered"]);
    expect(await registeredIds()).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
  });

  it("audits each added account and each import, and no credential appears", async () => {
    const db = await getDb();
    const events = await db.selectFrom("audit_events").selectAll().where("action", "in", ["account.create", "account.import"]).orderBy("id").execute();
    expect(events.map((e) => [e.action, e.outcome, e.target_type, e.target_label, e.aws_account_id])).toEqual([
      ["account.create", "success", "account", "Prod (by hand) (111111111111)", "111111111111"],
      ["account.create", "success", "account", "Development (222222222222)", "222222222222"],
      ["account.create", "success", "account", "Test (444444444444)", "444444444444"],
      ["account.import", "success", "organization", null, null],
      ["account.create", "success", "account", "Operations (333333333333)", "333333333333"],
      ["account.import", "success", "organization", null, null],
      ["account.import", "success", "organization", null, null],
    ]);
    expect(events.filter((e) => e.action === "account.import").map((e) => JSON.parse(e.details))).toEqual([
      { added: 2, skipped: 0 },
      { added: 1, skipped: 2 },
      { added: 0, skipped: 3 },
    ]);
    expect(events.filter((e) => e.action === "account.create").map((e) => JSON.parse(e.details).source)).toEqual(["manual", "organizations", "organizations", "organizations"]);
    for (const e of events) expect(e).toMatchObject({ actor_email: admin.email, request_id: "req-import-test", ip: "192.0.2.44" });
    const text = JSON.stringify(await db.selectFrom("audit_events").selectAll().execute());
    expect(text).not.toContain(t.broker.secretAccessKey);
    expect(text).not.toContain(t.broker.accessKeyId);
  });
});
