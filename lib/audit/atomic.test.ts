// A change and its audit event are written in one transaction: when the event cannot be written,
// the change does not happen either. Against both dialects, through the same functions the
// console calls (accounts, role entries, grants, users). The audit table is renamed away for the
// duration of each failing call, so the insert of the event fails as a full disk or a revoked
// privilege would make it fail.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";

const meta = { requestId: "req-atomic-audit", ip: "203.0.113.30", userAgent: "vitest" };

type Modules = {
  db: Kysely<Database>;
  accounts: typeof import("@/lib/accounts/accounts");
  roles: typeof import("@/lib/catalog/roles");
  grants: typeof import("@/lib/catalog/grants");
  createUser: typeof import("@/lib/users/create-user").createUser;
  updateUser: typeof import("@/lib/users/update-user").updateUser;
  closeDb: () => Promise<void>;
};

/** Points the configuration at `url` and loads the modules afresh: the configuration and the
 * store client are read once per module instance. */
async function load(url: string): Promise<Modules> {
  process.env.DATABASE_URL = url;
  vi.resetModules();
  const client = await import("@/lib/db/client");
  return {
    db: await client.getDb(),
    accounts: await import("@/lib/accounts/accounts"),
    roles: await import("@/lib/catalog/roles"),
    grants: await import("@/lib/catalog/grants"),
    createUser: (await import("@/lib/users/create-user")).createUser,
    updateUser: (await import("@/lib/users/update-user")).updateUser,
    closeDb: client.closeDb,
  };
}

/** Runs `change` while the audit table cannot be written, and expects it to fail. */
async function withoutAuditTable(db: Kysely<Database>, change: () => Promise<unknown>): Promise<void> {
  await sql`alter table audit_events rename to audit_events_away`.execute(db);
  try {
    await expect(change()).rejects.toThrow(/audit_events/);
  } finally {
    await sql`alter table audit_events_away rename to audit_events`.execute(db);
  }
}

const savedUrl = process.env.DATABASE_URL;
afterAll(() => {
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: a change without its audit event is not possible", (_, store) => {
  let m: Modules;
  let admin: Actor;
  let accountRef: string;
  let roleId: string;
  let grantId: string;
  let userId: string;

  const auditCount = async () => Number((await m.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    if (store.skip) return;
    const { config } = await store.create();
    m = await load(config.dialect === "postgres" ? config.url : `file:${config.path}`);
    const now = new Date().toISOString();
    await m.db.insertInto("users").values({ id: "u-admin", email: "ada@example.com", name: "Ada", role: "admin", password_hash: null, created_at: now, updated_at: now }).execute();
    admin = testActor({ id: "u-admin", email: "ada@example.com", name: "Ada", role: "admin" });
    accountRef = (await m.accounts.createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta)).id;
    roleId = (await m.roles.registerRole(admin, { roleArn: "arn:aws:iam::111111111111:role/Deployer" }, meta)).id;
    userId = (await m.createUser(admin, { email: "otto@example.com", name: "Otto", role: "operator", password: "a long enough password 1" }, meta)).id;
    grantId = (await m.grants.createGrant(admin, { roleId, userEmail: "otto@example.com" }, meta)).id;
  });

  afterAll(async () => {
    if (!store.skip) await m.closeDb();
  });

  it.skipIf(store.skip)("accounts: nothing is created, changed or deleted", async () => {
    const before = await auditCount();
    await withoutAuditTable(m.db, () => m.accounts.createAccount(admin, { accountId: "222222222222", name: "Development" }, meta));
    expect(await m.db.selectFrom("accounts").select("id").where("aws_account_id", "=", "222222222222").executeTakeFirst()).toBeUndefined();

    await withoutAuditTable(m.db, () => m.accounts.updateAccount(admin, accountRef, { name: "Renamed" }, meta));
    expect((await m.accounts.getAccount(admin, accountRef)).name).toBe("Production");

    await withoutAuditTable(m.db, () => m.accounts.deleteAccount(admin, accountRef, { cascade: true }, meta));
    expect((await m.accounts.getAccount(admin, accountRef)).roleCount).toBe(1);
    expect(await m.grants.listGrants(admin, { id: grantId })).toHaveLength(1);
    expect(await auditCount()).toBe(before);
  });

  it.skipIf(store.skip)("role entries: nothing is registered, changed or deleted", async () => {
    const before = await auditCount();
    await withoutAuditTable(m.db, () => m.roles.registerRole(admin, { roleArn: "arn:aws:iam::111111111111:role/ReadOnly" }, meta));
    expect((await m.roles.listRoles(admin)).map((r) => r.roleName)).toEqual(["Deployer"]);

    await withoutAuditTable(m.db, () => m.roles.updateRole(admin, roleId, { displayName: "Renamed", externalId: "ext-id-7b1e2c9d4f" }, meta));
    expect(await m.roles.getRole(admin, roleId)).toMatchObject({ displayName: "Deployer", requiresExternalId: false });

    await withoutAuditTable(m.db, () => m.roles.deleteRole(admin, roleId, meta));
    expect((await m.roles.getRole(admin, roleId)).id).toBe(roleId);
    expect(await auditCount()).toBe(before);
  });

  it.skipIf(store.skip)("grants: nothing is granted or revoked", async () => {
    const before = await auditCount();
    await withoutAuditTable(m.db, () => m.grants.createGrant(admin, { roleId, group: "platform-team" }, meta));
    expect((await m.grants.listGrants(admin, { roleId })).map((g) => g.id)).toEqual([grantId]);

    await withoutAuditTable(m.db, () => m.grants.deleteGrant(admin, grantId, meta));
    expect(await m.grants.listGrants(admin, { id: grantId })).toHaveLength(1);
    expect(await auditCount()).toBe(before);
  });

  it.skipIf(store.skip)("users: nobody is created, and no role, state or password changes", async () => {
    const before = await auditCount();
    await withoutAuditTable(m.db, () => m.createUser(admin, { email: "olga@example.com", name: "Olga", role: "operator", password: "a long enough password 2" }, meta));
    expect(await m.db.selectFrom("users").select("id").where("email", "=", "olga@example.com").executeTakeFirst()).toBeUndefined();

    const row = () => m.db.selectFrom("users").select(["role", "disabled_at", "password_hash", "session_version"]).where("id", "=", userId).executeTakeFirstOrThrow();
    const unchanged = await row();
    await withoutAuditTable(m.db, () => m.updateUser(admin, userId, { role: "auditor", disabled: true }, meta));
    await withoutAuditTable(m.db, () => m.updateUser(admin, userId, { password: "a new long enough password 3" }, meta));
    expect(await row()).toEqual(unchanged);
    expect(await auditCount()).toBe(before);
  });
});
