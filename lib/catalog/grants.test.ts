// Grants made and removed many at once (the Grants page, POST /api/v1/grants/batch and
// /batch-delete), against a real SQLite store: every new pair granted with its own audit event,
// pairs already granted reported and left alone, all or nothing when any part is wrong, and the
// filters the page and the API use.
import { withTempStore } from "@/lib/config/testing";
import { addTestUser } from "@/lib/auth/testing";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";

withTempStore("catalog-grants");

const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("./roles");
const { createGrant, createGrants, deleteGrants, listGrants } = await import("./grants");
const { createGrantsInput } = await import("./schemas");

const meta = { requestId: "req-grants", ip: "198.51.100.9", userAgent: "vitest" };

let admin: Actor;
let otto: Actor;
let pia: Actor;
const roles = { prodRead: "", prodAdmin: "", devRead: "" };
const accounts = { prod: "", dev: "" };

const pairs = async (filter: Parameters<typeof listGrants>[1] = {}) =>
  (await listGrants(admin, filter)).map((g) => `${g.roleLabel}@${g.accountName}→${g.user?.email ?? `group:${g.group}`}`).sort();

const auditCount = async (action: string) => {
  const db = await getDb();
  const row = await db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", action).executeTakeFirstOrThrow();
  return Number(row.n);
};

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  pia = await addTestUser("pia@example.com", "operator");
  accounts.prod = (await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta)).id;
  accounts.dev = (await createAccount(admin, { accountId: "222222222222", name: "Development", environment: "development" }, meta)).id;
  roles.prodRead = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta)).id;
  roles.prodAdmin = (await registerRole(admin, { accountId: "111111111111", roleName: "Admin" }, meta)).id;
  roles.devRead = (await registerRole(admin, { accountId: "222222222222", roleName: "ReadOnly" }, meta)).id;
});

describe("granting many at once", () => {
  it("grants every role to every person and group, one audit event each, and reports pairs that were granted already", async () => {
    await createGrant(admin, { roleId: roles.prodRead, userEmail: otto.email }, meta);
    const before = await auditCount("grant.create");
    const result = await createGrants(admin, { roleIds: [roles.prodRead, roles.devRead], userEmails: [otto.email, pia.email], groups: ["sre"] }, meta);
    expect(result.created).toHaveLength(5);
    expect(result.existing).toEqual([{ roleId: roles.prodRead, roleLabel: "ReadOnly", subject: otto.email }]);
    expect(await auditCount("grant.create")).toBe(before + 5);
    expect(await pairs({ userEmail: otto.email })).toEqual(["ReadOnly@Development→otto@example.com", "ReadOnly@Production→otto@example.com"]);

    // The same request again changes nothing and says so.
    const again = await createGrants(admin, { roleIds: [roles.prodRead, roles.devRead], userEmails: [otto.email, pia.email], groups: ["sre"] }, meta);
    expect(again.created).toEqual([]);
    expect(again.existing).toHaveLength(6);
    expect(await auditCount("grant.create")).toBe(before + 5);
  });

  it("creates nothing when one of the people does not exist, and names them", async () => {
    const all = await pairs();
    await expect(createGrants(admin, { roleIds: [roles.prodAdmin], userEmails: [pia.email, "nobody@example.com"], groups: [] }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining("nobody@example.com"),
      fields: { userEmails: "No such user" },
    });
    expect(await pairs()).toEqual(all);
  });

  it("creates nothing when a role entry is gone", async () => {
    const all = await pairs();
    await expect(createGrants(admin, { roleIds: [roles.prodAdmin, "01ARZ3NDEKTSV4RRFFQ69G5FAV"], userEmails: [pia.email], groups: [] }, meta)).rejects.toMatchObject({
      code: "not_found",
      message: "One of the chosen roles no longer exists; reload the page.",
    });
    expect(await pairs()).toEqual(all);
  });

  it("refuses an operator with the exact denial", async () => {
    await expect(createGrants(otto, { roleIds: [roles.prodAdmin], userEmails: [otto.email], groups: [] }, meta)).rejects.toMatchObject({
      code: "forbidden",
      message: "Your console role (operator) does not allow this (grants.manage). Ask an administrator.",
    });
  });

  it("bounds a request: at least one role and one person or group, at most 1,000 pairs", () => {
    const id = roles.prodRead;
    expect(createGrantsInput.safeParse({ roleIds: [id], userEmails: [], groups: [] }).error?.issues[0]?.message).toBe("Choose at least one person or group");
    expect(createGrantsInput.safeParse({ roleIds: [], userEmails: ["a@example.com"] }).error?.issues[0]?.message).toBe("Choose at least one role");
    const manyEmails = Array.from({ length: 101 }, (_, i) => `p${i}@example.com`);
    const manyRoles = Array.from({ length: 10 }, () => id);
    expect(createGrantsInput.safeParse({ roleIds: manyRoles, userEmails: manyEmails }).error?.issues[0]?.message).toMatch(/more than 1000 grants at once/);
    expect(createGrantsInput.safeParse({ roleIds: [id], userEmails: ["a@example.com"], extra: true }).success).toBe(false);
  });
});

describe("filters", () => {
  it("lists one account's, one group's and one role's grants", async () => {
    expect(await pairs({ accountId: accounts.dev })).toEqual(["ReadOnly@Development→group:sre", "ReadOnly@Development→otto@example.com", "ReadOnly@Development→pia@example.com"]);
    expect(await pairs({ group: "sre" })).toEqual(["ReadOnly@Development→group:sre", "ReadOnly@Production→group:sre"]);
    expect(await pairs({ roleId: roles.prodRead, userEmail: pia.email })).toEqual(["ReadOnly@Production→pia@example.com"]);
  });
});

describe("removing many at once", () => {
  it("removes every chosen grant with an audit event each", async () => {
    const sre = await listGrants(admin, { group: "sre" });
    const before = await auditCount("grant.delete");
    const removed = await deleteGrants(admin, sre.map((g) => g.id), meta);
    expect(removed.map((g) => g.group)).toEqual(["sre", "sre"]);
    expect(await pairs({ group: "sre" })).toEqual([]);
    expect(await auditCount("grant.delete")).toBe(before + 2);
  });

  it("removes nothing when one of the grants is already gone", async () => {
    const pias = await listGrants(admin, { userEmail: pia.email });
    expect(pias).toHaveLength(2);
    await deleteGrants(admin, [pias[0]!.id], meta);
    await expect(deleteGrants(admin, pias.map((g) => g.id), meta)).rejects.toMatchObject({
      code: "not_found",
      message: "One of these grants has already been removed; reload the page and choose again.",
    });
    expect(await listGrants(admin, { userEmail: pia.email })).toHaveLength(1);
  });

  it("refuses an operator and removes nothing", async () => {
    const ottos = await listGrants(admin, { userEmail: otto.email });
    await expect(deleteGrants(otto, ottos.map((g) => g.id), meta)).rejects.toMatchObject({ code: "forbidden" });
    expect(await listGrants(admin, { userEmail: otto.email })).toHaveLength(ottos.length);
  });
});
