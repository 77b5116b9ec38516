// The account registry against a real SQLite store: defaults, validation that needs the store
// (partition vs region, duplicates), who may see and change accounts, deleting with and without
// the cascade over role entries and grants, and the audit event every change writes.
import { withTempStore } from "@/lib/config/testing";
import { addTestUser } from "@/lib/auth/testing";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { ENVIRONMENT_COLORS, guessEnvironment } from "./dto";

// The config (and so the store) is read from the environment on first use.
withTempStore("accounts");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount, updateAccount, deleteAccount, listAccounts, getAccount } = await import("./accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { setPinned } = await import("@/lib/catalog/menu");

const meta = { requestId: "req-accounts-test", ip: "203.0.113.20", userAgent: "vitest" };
const EXTERNAL_ID = "ext-id-7b1e2c9d4f";

let admin: Actor;
let operator: Actor;
let otherOperator: Actor;
let auditor: Actor;

const forbiddenFor = (actor: Actor, permission: string) => ({
  code: "forbidden",
  message: `Your console role (${actor.role}) does not allow this (${permission}). Ask an administrator.`,
});

async function auditFor(targetId: string) {
  const db = await getDb();
  return db.selectFrom("audit_events").selectAll().where("target_id", "=", targetId).orderBy("id").execute();
}

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto@example.com", "operator");
  otherOperator = await addTestUser("olga@example.com", "operator");
  auditor = await addTestUser("aude@example.com", "auditor");
});

describe("guessEnvironment (for imported accounts)", () => {
  it.each([
    ["Production", "production"],
    ["acme-prod", "production"],
    ["PRD EU", "production"],
    ["Live", "production"],
    ["Staging", "staging"],
    ["stg-2", "staging"],
    ["preprod", "staging"],
    ["pre-prod", "staging"],
    ["Pre-Production", "staging"],
    ["preproduction", "staging"],
    ["UAT", "staging"],
    ["Development", "development"],
    ["dev-eu", "development"],
    ["Test", "test"],
    ["QA", "test"],
    ["Operations", "operations"],
    ["Log Archive", "operations"],
    ["Security Tooling", "operations"],
    ["Shared Services", "operations"],
    ["Management", "operations"],
    ["Sandbox", "sandbox"],
    ["Playground-7", "sandbox"],
    ["Marketing", "other"],
    ["", "other"],
  ])("%j → %s", (name, environment) => {
    expect(guessEnvironment(name)).toBe(environment);
  });
});

describe("creating an account", () => {
  it("fills in the defaults: environment other, its colour, the partition's main region, the Organizations provisioning role", async () => {
    const account = await createAccount(admin, { accountId: "555555555555", name: "Shared" }, meta);
    expect(account).toMatchObject({
      accountId: "555555555555",
      name: "Shared",
      alias: null,
      environment: "other",
      color: ENVIRONMENT_COLORS.other,
      partition: "aws",
      defaultRegion: "us-east-1",
      provisioningRoleName: "OrganizationAccountAccessRole",
      notes: "",
      source: "manual",
      roleCount: 0,
    });
    expect(account.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it.each([
    ["aws-us-gov", "us-gov-west-1"],
    ["aws-cn", "cn-north-1"],
    ["aws-eusc", "eusc-de-east-1"],
  ] as const)("uses %s's main region when none is given", async (partition, region) => {
    const accountId = { "aws-us-gov": "600000000001", "aws-cn": "600000000002", "aws-eusc": "600000000003" }[partition];
    expect(await createAccount(admin, { accountId, name: `In ${partition}`, partition }, meta)).toMatchObject({ partition, defaultRegion: region });
  });

  it("colours an account by its environment unless a colour is given", async () => {
    expect((await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta)).color).toBe("#dc2626");
    expect((await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test", color: "#123456" }, meta)).color).toBe("#123456");
  });

  it("refuses a region of another partition, naming the field", async () => {
    await expect(createAccount(admin, { accountId: "700000000001", name: "China", partition: "aws-cn", defaultRegion: "us-east-1" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Region us-east-1 is not in the aws-cn partition; pick a region of that partition.",
      fields: { defaultRegion: "Not a region of aws-cn" },
    });
    await expect(createAccount(admin, { accountId: "700000000002", name: "Commercial", defaultRegion: "us-gov-east-1" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Region us-gov-east-1 is not in the aws partition; pick a region of that partition.",
    });
    await expect(getAccount(admin, "700000000001")).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses an AWS account id that is already registered, with a conflict", async () => {
    await expect(createAccount(admin, { accountId: "111111111111", name: "Production again" }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "Account 111111111111 is already registered.",
    });
    expect((await getAccount(admin, "111111111111")).name).toBe("Production");
  });

  it.each([
    ["an operator", () => operator],
    ["an auditor", () => auditor],
  ])("is refused to %s", async (_, who) => {
    const actor = who();
    await expect(createAccount(actor, { accountId: "800000000000", name: "Mine" }, meta)).rejects.toMatchObject(forbiddenFor(actor, "accounts.manage"));
    await expect(getAccount(admin, "800000000000")).rejects.toMatchObject({ code: "not_found", message: "No registered account 800000000000." });
  });

  it("writes an account.create audit event", async () => {
    const account = await getAccount(admin, "111111111111");
    const [event] = await auditFor(account.id);
    expect(event).toMatchObject({
      action: "account.create",
      outcome: "success",
      actor_id: admin.id,
      actor_email: admin.email,
      target_type: "account",
      target_label: "Production (111111111111)",
      aws_account_id: "111111111111",
      ip: "203.0.113.20",
      user_agent: "vitest",
      request_id: "req-accounts-test",
    });
    expect(JSON.parse(event!.details)).toEqual({ environment: "production", source: "manual" });
  });
});

describe("updating an account", () => {
  it("changes only what is given, by 12-digit id or registry id, and audits the changed fields", async () => {
    const before = await createAccount(admin, { accountId: "900000000001", name: "Data", alias: "acme-data", notes: "Owned by the data team" }, meta);
    const after = await updateAccount(admin, "900000000001", { name: "Data Platform", environment: "staging" }, meta);
    expect(after).toMatchObject({ id: before.id, name: "Data Platform", environment: "staging", alias: "acme-data", notes: "Owned by the data team", color: before.color });
    expect((await updateAccount(admin, before.id, { alias: null }, meta)).alias).toBeNull();
    const events = await auditFor(before.id);
    expect(events.map((e) => [e.action, e.outcome, e.target_label, JSON.parse(e.details).changed ?? null])).toEqual([
      ["account.create", "success", "Data (900000000001)", null],
      ["account.update", "success", "Data Platform (900000000001)", "name,environment"],
      ["account.update", "success", "Data Platform (900000000001)", "alias"],
    ]);
  });

  it("refuses a partition the current region is not in, and a region outside the partition", async () => {
    await expect(updateAccount(admin, "900000000001", { partition: "aws-cn" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Region us-east-1 is not in the aws-cn partition; pick a region of that partition.",
    });
    await expect(updateAccount(admin, "900000000001", { defaultRegion: "cn-northwest-1" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Region cn-northwest-1 is not in the aws partition; pick a region of that partition.",
    });
    expect(await updateAccount(admin, "900000000001", { partition: "aws-cn", defaultRegion: "cn-northwest-1" }, meta)).toMatchObject({
      partition: "aws-cn",
      defaultRegion: "cn-northwest-1",
    });
  });

  it("answers an unknown account with not found", async () => {
    await expect(updateAccount(admin, "999999999999", { name: "Ghost" }, meta)).rejects.toMatchObject({ code: "not_found", message: "No registered account 999999999999." });
    await expect(updateAccount(admin, newId(), { name: "Ghost" }, meta)).rejects.toMatchObject({ code: "not_found" });
  });

  it.each([
    ["an operator", () => operator],
    ["an auditor", () => auditor],
  ])("is refused to %s", async (_, who) => {
    const actor = who();
    await expect(updateAccount(actor, "111111111111", { name: "Renamed" }, meta)).rejects.toMatchObject(forbiddenFor(actor, "accounts.manage"));
    expect((await getAccount(admin, "111111111111")).name).toBe("Production");
  });
});

describe("who sees which accounts", () => {
  beforeAll(async () => {
    await createAccount(admin, { accountId: "222222222222", name: "Development", environment: "development" }, meta);
    const readOnly = await registerRole(admin, { accountId: "222222222222", roleName: "ReadOnly" }, meta);
    await registerRole(admin, { accountId: "222222222222", roleName: "PowerUser" }, meta);
    await createGrant(admin, { roleId: readOnly.id, userEmail: operator.email }, meta);
  });

  it("shows an operator only the accounts holding an entry granted to them, counting only those entries", async () => {
    expect((await listAccounts(operator)).map((a) => [a.accountId, a.roleCount])).toEqual([["222222222222", 1]]);
    expect(await getAccount(operator, "222222222222")).toMatchObject({ name: "Development", roleCount: 1 });
    await expect(getAccount(operator, "111111111111")).rejects.toMatchObject({ code: "not_found", message: "No registered account 111111111111." });
  });

  it("shows another operator none of them", async () => {
    expect(await listAccounts(otherOperator)).toEqual([]);
    await expect(getAccount(otherOperator, "222222222222")).rejects.toMatchObject({ code: "not_found", message: "No registered account 222222222222." });
  });

  it("shows administrators and auditors every account with every entry counted", async () => {
    for (const actor of [admin, auditor]) {
      const list = await listAccounts(actor);
      expect(list.map((a) => a.accountId)).toEqual(expect.arrayContaining(["111111111111", "222222222222", "444444444444", "555555555555"]));
      expect(list.find((a) => a.accountId === "222222222222")?.roleCount).toBe(2);
    }
  });
});

describe("deleting an account", () => {
  let accountId = "";
  let roleIds: string[] = [];

  beforeAll(async () => {
    accountId = (await createAccount(admin, { accountId: "121212121212", name: "Legacy", environment: "production" }, meta)).id;
    const a = await registerRole(admin, { accountId: "121212121212", roleName: "ReadOnly" }, meta);
    const b = await registerRole(admin, { roleArn: "arn:aws:iam::121212121212:role/Vendor", externalId: EXTERNAL_ID }, meta);
    roleIds = [a.id, b.id];
    await createGrant(admin, { roleId: a.id, userEmail: operator.email }, meta);
    await createGrant(admin, { roleId: b.id, group: "vendors" }, meta);
    await setPinned(operator, a.id, true);
  });

  it("is refused while role entries exist, unless the cascade is confirmed", async () => {
    await expect(deleteAccount(admin, "121212121212", { cascade: false }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "Legacy (121212121212) still has 2 role entries. Delete them first, or confirm deleting the account with its roles and their grants (cascade).",
    });
    expect((await getAccount(admin, "121212121212")).roleCount).toBe(2);
  });

  it("says 'entry' for a single one", async () => {
    await createAccount(admin, { accountId: "131313131313", name: "Single" }, meta);
    await registerRole(admin, { accountId: "131313131313", roleName: "Only" }, meta);
    await expect(deleteAccount(admin, "131313131313", { cascade: false }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "Single (131313131313) still has 1 role entry. Delete it first, or confirm deleting the account with its roles and their grants (cascade).",
    });
  });

  it.each([
    ["an operator", () => operator],
    ["an auditor", () => auditor],
  ])("is refused to %s, even with the cascade", async (_, who) => {
    const actor = who();
    await expect(deleteAccount(actor, "121212121212", { cascade: true }, meta)).rejects.toMatchObject(forbiddenFor(actor, "accounts.manage"));
    expect((await getAccount(admin, "121212121212")).roleCount).toBe(2);
  });

  it("with the cascade, removes the account, its role entries, their grants and pins, and audits it without the ExternalId", async () => {
    expect(await deleteAccount(admin, "121212121212", { cascade: true }, meta)).toEqual({ deletedRoles: 2 });
    const db = await getDb();
    expect(await db.selectFrom("accounts").select("id").where("id", "=", accountId).execute()).toEqual([]);
    expect(await db.selectFrom("roles").select("id").where("account_id", "=", accountId).execute()).toEqual([]);
    expect(await db.selectFrom("grants").select("id").where("role_id", "in", roleIds).execute()).toEqual([]);
    expect(await db.selectFrom("role_usage").select("role_id").where("role_id", "in", roleIds).execute()).toEqual([]);
    await expect(getAccount(admin, "121212121212")).rejects.toMatchObject({ code: "not_found" });

    const events = await auditFor(accountId);
    expect(events.at(-1)).toMatchObject({
      action: "account.delete",
      outcome: "success",
      actor_email: admin.email,
      target_type: "account",
      target_label: "Legacy (121212121212)",
      aws_account_id: "121212121212",
    });
    expect(JSON.parse(events.at(-1)!.details)).toEqual({ deletedRoles: 2 });
    const all = await db.selectFrom("audit_events").selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(EXTERNAL_ID);
  });

  it("deletes an account without entries straight away", async () => {
    const empty = await getAccount(admin, "555555555555");
    expect(await deleteAccount(admin, "555555555555", { cascade: false }, meta)).toEqual({ deletedRoles: 0 });
    expect((await auditFor(empty.id)).map((e) => e.action)).toEqual(["account.create", "account.delete"]);
  });

  it("answers an account that is already gone with not found", async () => {
    await expect(deleteAccount(admin, "121212121212", { cascade: true }, meta)).rejects.toMatchObject({ code: "not_found", message: "No registered account 121212121212." });
  });
});
