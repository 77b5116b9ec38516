// Every table's constraints, defaults and cascades on SQLite and Postgres, and the error helpers
// that recognise the violations on both. One migrated store per dialect; each case makes its
// own rows.
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from "./errors";
import { newId } from "./ids";
import { migrateToLatest } from "./migrate";
import { ACCOUNT_SOURCES, AUDIT_OUTCOMES, AUTH_PROVIDERS, ENVIRONMENTS, PARTITIONS, ROLE_HEALTH_SOURCES, ROLE_SOURCES, type Database, type NewAccount, type NewAuditEvent, type NewRole, type NewUser } from "./schema";
import { testDatabases } from "./testing";
import { nowIso } from "./time";

type Violation = "unique" | "foreign key" | "check" | "not null";

let counter = 0;
/** A valid AWS account id no other case uses. */
const nextAwsAccountId = () => String(100_000_000_000 + ++counter * 7919);

/** The error a statement fails with, classified by the helpers under test. */
async function violation(statement: Promise<unknown>): Promise<Violation | "other"> {
  const err = await statement.then(
    () => {
      throw new Error("expected the statement to be refused");
    },
    (e: unknown) => e,
  );
  const kinds = [isUniqueViolation(err) && "unique", isForeignKeyViolation(err) && "foreign key", isCheckViolation(err) && "check"].filter(Boolean);
  // Each error is recognised by at most one helper.
  expect(kinds.length).toBeLessThanOrEqual(1);
  if (kinds[0]) return kinds[0] as Violation;
  const code = (err as { code?: string }).code;
  return code === "SQLITE_CONSTRAINT_NOTNULL" || code === "23502" ? "not null" : "other";
}

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: constraints", (_, store) => {
  let db: Kysely<Database>;

  beforeAll(async () => {
    if (store.skip) return;
    db = (await store.create()).db;
    await migrateToLatest(db);
  });

  async function addUser(values: Partial<NewUser> = {}) {
    const at = nowIso();
    const id = newId();
    await db
      .insertInto("users")
      .values({ id, email: `user-${id.toLowerCase()}@example.com`, name: "Someone", role: "operator", password_hash: null, created_at: at, updated_at: at, ...values })
      .execute();
    return id;
  }

  async function addAccount(values: Partial<NewAccount> = {}) {
    const at = nowIso();
    const id = newId();
    await db
      .insertInto("accounts")
      .values({ id, aws_account_id: nextAwsAccountId(), name: "Account", color: "#2563eb", created_at: at, updated_at: at, ...values })
      .execute();
    return id;
  }

  async function addRole(accountId: string, values: Partial<NewRole> = {}) {
    const at = nowIso();
    const id = newId();
    await db
      .insertInto("roles")
      .values({ id, account_id: accountId, role_name: `Role${id}`, display_name: "Role", created_at: at, updated_at: at, ...values })
      .execute();
    return id;
  }

  async function addGrant(roleId: string, grantee: { user_id?: string | null; group_name?: string | null }, createdBy: string | null = null) {
    const id = newId();
    await db
      .insertInto("grants")
      .values({ id, role_id: roleId, user_id: grantee.user_id ?? null, group_name: grantee.group_name ?? null, created_by: createdBy, created_at: nowIso() })
      .execute();
    return id;
  }

  async function addEvent(values: Partial<NewAuditEvent> = {}) {
    const id = newId();
    await db.insertInto("audit_events").values({ id, at: nowIso(), action: "auth.sign_in", outcome: "success", ...values }).execute();
    return id;
  }

  describe.skipIf(store.skip)("users", () => {
    it("fill in the defaults of a new local user", async () => {
      const id = await addUser({ email: "defaults@example.com" });
      const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ auth_provider: "local", oidc_subject: null, groups: "[]", disabled_at: null, session_version: 1, failed_sign_ins: 0, locked_until: null, last_sign_in_at: null });
    });

    it("refuse a second user with the same email, and an email that is not lower-case", async () => {
      await addUser({ email: "twice@example.com" });
      expect(await violation(addUser({ email: "twice@example.com" }))).toBe("unique");
      expect(await violation(addUser({ email: "Twice@Example.com" }))).toBe("check");
    });

    it("keep OIDC subjects unique when set, and allow any number of users without one", async () => {
      await addUser({ auth_provider: "oidc", oidc_subject: "sub-unique" });
      expect(await violation(addUser({ auth_provider: "oidc", oidc_subject: "sub-unique" }))).toBe("unique");
      await addUser({ oidc_subject: null });
      await addUser({ oidc_subject: null });
    });

    it("accept only the console roles and the known auth providers", async () => {
      for (const role of ["admin", "operator", "auditor"] as const) await addUser({ role });
      for (const auth_provider of AUTH_PROVIDERS) await addUser({ auth_provider });
      expect(await violation(addUser({ role: "root" as "admin" }))).toBe("check");
      expect(await violation(addUser({ role: "Admin" as "admin" }))).toBe("check");
      expect(await violation(addUser({ auth_provider: "saml" as "oidc" }))).toBe("check");
    });

    it("require the name, role and timestamps, and timestamps in ISO-8601 UTC", async () => {
      expect(await violation(addUser({ name: null as unknown as string }))).toBe("not null");
      expect(await violation(addUser({ created_at: null as unknown as string }))).toBe("not null");
      expect(await violation(addUser({ created_at: "2026-01-02 03:04:05" }))).toBe("check");
      expect(await violation(addUser({ locked_until: "2026-01-02T03:04:05+01:00" }))).toBe("check");
      expect(await violation(addUser({ locked_until: String(Date.now()) }))).toBe("check");
    });
  });

  describe.skipIf(store.skip)("accounts", () => {
    it("fill in the defaults of a new account", async () => {
      const id = await addAccount();
      const row = await db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ alias: null, environment: "other", default_region: "us-east-1", partition: "aws", provisioning_role_name: "OrganizationAccountAccessRole", notes: "", source: "manual" });
    });

    it("refuse an AWS account registered twice", async () => {
      await addAccount({ aws_account_id: "123456789012" });
      expect(await violation(addAccount({ aws_account_id: "123456789012" }))).toBe("unique");
    });

    it("accept only 12-digit AWS account ids, leading zeros kept", async () => {
      const id = await addAccount({ aws_account_id: "000000000042" });
      expect(await db.selectFrom("accounts").select("aws_account_id").where("id", "=", id).executeTakeFirst()).toEqual({ aws_account_id: "000000000042" });
      for (const bad of ["12345678901", "1234567890123", "12345678901a", "1234-5678-90", " 12345678901", ""]) {
        expect(await violation(addAccount({ aws_account_id: bad })), bad).toBe("check");
      }
    });

    it("accept exactly the environments, partitions and sources the schema types name", async () => {
      for (const environment of ENVIRONMENTS) await addAccount({ environment });
      for (const partition of PARTITIONS) await addAccount({ partition });
      for (const source of ACCOUNT_SOURCES) await addAccount({ source });
      expect(await violation(addAccount({ environment: "prod" as "production" }))).toBe("check");
      expect(await violation(addAccount({ partition: "aws-iso" as "aws" }))).toBe("check");
      expect(await violation(addAccount({ source: "import" as "manual" }))).toBe("check");
    });
  });

  describe.skipIf(store.skip)("roles", () => {
    it("fill in the defaults of a new role entry", async () => {
      const id = await addRole(await addAccount());
      const row = await db.selectFrom("roles").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ path: "/", color: null, default_region: null, session_duration: null, external_id: null, set_source_identity: 1, description: "", source: "manual" });
    });

    it("refuse a role name twice in one account, whatever the path, but allow it in another", async () => {
      const prod = await addAccount();
      const dev = await addAccount();
      await addRole(prod, { role_name: "Deployer", path: "/" });
      expect(await violation(addRole(prod, { role_name: "Deployer", path: "/ci/" }))).toBe("unique");
      await addRole(dev, { role_name: "Deployer" });
    });

    it("refuse a role entry in an account that does not exist", async () => {
      expect(await violation(addRole(newId()))).toBe("foreign key");
    });

    it("accept session durations AssumeRole accepts, and only the known sources and 0/1 flags", async () => {
      const account = await addAccount();
      await addRole(account, { session_duration: 900 });
      await addRole(account, { session_duration: 43_200 });
      for (const source of ROLE_SOURCES) await addRole(account, { source });
      await addRole(account, { set_source_identity: 0 });
      expect(await violation(addRole(account, { session_duration: 899 }))).toBe("check");
      expect(await violation(addRole(account, { session_duration: 43_201 }))).toBe("check");
      expect(await violation(addRole(account, { source: "imported" as "manual" }))).toBe("check");
      expect(await violation(addRole(account, { set_source_identity: 2 as 1 }))).toBe("check");
    });
  });

  describe.skipIf(store.skip)("grants", () => {
    it("name exactly one of a user or a group", async () => {
      const role = await addRole(await addAccount());
      const user = await addUser();
      expect(await violation(addGrant(role, {}))).toBe("check");
      expect(await violation(addGrant(role, { user_id: user, group_name: "sre" }))).toBe("check");
      await addGrant(role, { user_id: user });
      await addGrant(role, { group_name: "sre" });
    });

    it("grant a role once per user and once per group", async () => {
      const role = await addRole(await addAccount());
      const other = await addRole(await addAccount());
      const user = await addUser();
      await addGrant(role, { user_id: user });
      await addGrant(role, { group_name: "platform" });
      expect(await violation(addGrant(role, { user_id: user }))).toBe("unique");
      expect(await violation(addGrant(role, { group_name: "platform" }))).toBe("unique");
      await addGrant(other, { user_id: user });
      await addGrant(other, { group_name: "platform" });
    });

    it("refuse a grant of a missing role, to a missing user, or by a missing creator", async () => {
      const role = await addRole(await addAccount());
      const user = await addUser();
      expect(await violation(addGrant(newId(), { user_id: user }))).toBe("foreign key");
      expect(await violation(addGrant(role, { user_id: newId() }))).toBe("foreign key");
      expect(await violation(addGrant(role, { group_name: "sre" }, newId()))).toBe("foreign key");
    });
  });

  describe.skipIf(store.skip)("role_usage", () => {
    it("keep one row per user and role, with 0/1 pins and counts that do not go below zero", async () => {
      const role = await addRole(await addAccount());
      const user = await addUser();
      await db.insertInto("role_usage").values({ user_id: user, role_id: role }).execute();
      expect(await db.selectFrom("role_usage").selectAll().where("user_id", "=", user).execute()).toEqual([
        { user_id: user, role_id: role, pinned: 0, use_count: 0, last_used_at: null, last_region: null },
      ]);
      expect(await violation(db.insertInto("role_usage").values({ user_id: user, role_id: role }).execute())).toBe("unique");
      expect(await violation(db.updateTable("role_usage").set({ pinned: 2 as 1 }).where("user_id", "=", user).execute())).toBe("check");
      expect(await violation(db.updateTable("role_usage").set({ use_count: -1 }).where("user_id", "=", user).execute())).toBe("check");
      expect(await violation(db.insertInto("role_usage").values({ user_id: user, role_id: newId() }).execute())).toBe("foreign key");
    });
  });

  describe.skipIf(store.skip)("deleting", () => {
    it("an account deletes its role entries, and their grants and usage; the people stay", async () => {
      const account = await addAccount();
      const kept = await addAccount();
      const admin = await addUser({ role: "admin" });
      const operator = await addUser();
      const roles = [await addRole(account), await addRole(account)];
      const keptRole = await addRole(kept);
      for (const role of [...roles, keptRole]) {
        await addGrant(role, { user_id: operator }, admin);
        await addGrant(role, { group_name: "sre" }, admin);
        await db.insertInto("role_usage").values({ user_id: operator, role_id: role, use_count: 3 }).execute();
      }

      await db.deleteFrom("accounts").where("id", "=", account).execute();

      expect(await db.selectFrom("roles").select("id").where("account_id", "in", [account, kept]).execute()).toEqual([{ id: keptRole }]);
      const grants = await db.selectFrom("grants").select("role_id").where("created_by", "=", admin).execute();
      expect(grants.map((g) => g.role_id)).toEqual([keptRole, keptRole]);
      expect(await db.selectFrom("role_usage").select("role_id").where("user_id", "=", operator).execute()).toEqual([{ role_id: keptRole }]);
      expect(await db.selectFrom("users").select("id").where("id", "in", [admin, operator]).orderBy("id").execute()).toEqual([{ id: admin }, { id: operator }]);
    });

    it("a role entry deletes its grants and usage", async () => {
      const role = await addRole(await addAccount());
      const user = await addUser();
      await addGrant(role, { user_id: user });
      await db.insertInto("role_usage").values({ user_id: user, role_id: role }).execute();

      await db.deleteFrom("roles").where("id", "=", role).execute();

      expect(await db.selectFrom("grants").select("id").where("role_id", "=", role).execute()).toEqual([]);
      expect(await db.selectFrom("role_usage").select("role_id").where("role_id", "=", role).execute()).toEqual([]);
    });

    it("a user deletes their grants and usage, and clears created_by on the grants they made", async () => {
      const role = await addRole(await addAccount());
      const admin = await addUser({ role: "admin" });
      const user = await addUser();
      const userGrant = await addGrant(role, { user_id: user }, admin);
      const groupGrant = await addGrant(role, { group_name: "auditors" }, admin);
      await addGrant(role, { user_id: admin }, admin);
      await db.insertInto("role_usage").values({ user_id: user, role_id: role }).execute();
      await addEvent({ actor_id: user });

      await db.deleteFrom("users").where("id", "=", user).execute();
      expect(await db.selectFrom("grants").select("id").where("id", "=", userGrant).execute()).toEqual([]);
      expect(await db.selectFrom("role_usage").select("role_id").where("user_id", "=", user).execute()).toEqual([]);

      await db.deleteFrom("users").where("id", "=", admin).execute();
      expect(await db.selectFrom("grants").select(["id", "created_by"]).where("role_id", "=", role).execute()).toEqual([{ id: groupGrant, created_by: null }]);
      // The audit log has no foreign keys: the event outlives its actor.
      expect(await db.selectFrom("audit_events").select("actor_id").where("actor_id", "=", user).execute()).toEqual([{ actor_id: user }]);
    });
  });

  describe.skipIf(store.skip)("role_health and job_leases", () => {
    const health = (roleId: string, values: Record<string, unknown> = {}) =>
      db.insertInto("role_health").values({ role_id: roleId, ok: 1, code: "ok", why: null, reason: "works", tested_at: nowIso(), source: "manual", ...values } as never).execute();

    it("keep one result per role entry, from a known source, and go with the entry", async () => {
      const roleId = await addRole(await addAccount());
      for (const source of ROLE_HEALTH_SOURCES) {
        await db.deleteFrom("role_health").where("role_id", "=", roleId).execute();
        await health(roleId, { source });
      }
      expect(await violation(health(roleId))).toBe("unique");
      expect(await violation(health(await addRole(await addAccount()), { source: "cron" }))).toBe("check");
      expect(await violation(health(await addRole(await addAccount()), { ok: 2 }))).toBe("check");
      expect(await violation(health(await addRole(await addAccount()), { tested_at: "yesterday" }))).toBe("check");
      expect(await violation(health("no-such-role"))).toBe("foreign key");
      await db.deleteFrom("roles").where("id", "=", roleId).execute();
      expect(await db.selectFrom("role_health").selectAll().where("role_id", "=", roleId).execute()).toEqual([]);
    });

    it("keep one lease per job, with ISO-8601 UTC times", async () => {
      await db.insertInto("job_leases").values({ name: "a-job", holder: null, lease_until: null, last_started_at: null, last_finished_at: null }).execute();
      expect(await violation(db.insertInto("job_leases").values({ name: "a-job", holder: null, lease_until: null, last_started_at: null, last_finished_at: null }).execute())).toBe("unique");
      expect(await violation(db.insertInto("job_leases").values({ name: "b-job", holder: "x", lease_until: "soon", last_started_at: null, last_finished_at: null }).execute())).toBe("check");
    });
  });

  describe.skipIf(store.skip)("audit_events", () => {
    it("accept only the three outcomes, and default details to an empty object", async () => {
      for (const outcome of AUDIT_OUTCOMES) await addEvent({ outcome });
      expect(await violation(addEvent({ outcome: "error" as "failure" }))).toBe("check");
      const id = await addEvent({ actor_id: newId(), target_type: "role", target_id: newId() });
      expect(await db.selectFrom("audit_events").select("details").where("id", "=", id).executeTakeFirst()).toEqual({ details: "{}" });
    });

    it("return events in the order they happened when ordered by id, and compare timestamps as text", async () => {
      const action = `test.order.${newId()}`;
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) ids.push(await addEvent({ action }));
      const byId = await db.selectFrom("audit_events").select("id").where("action", "=", action).orderBy("id").execute();
      expect(byId.map((r) => r.id)).toEqual(ids);

      const times = ["2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z", "2026-10-02T09:00:00.000Z"];
      const timed = `test.times.${newId()}`;
      for (const at of [...times].reverse()) await addEvent({ action: timed, at });
      const since = await db.selectFrom("audit_events").select("at").where("action", "=", timed).where("at", ">=", "2026-01-01T00:00:00.000Z").orderBy("at").execute();
      expect(since.map((r) => r.at)).toEqual(times.slice(1));
    });
  });

  describe.skipIf(store.skip)("the driver", () => {
    it("returns integers, counts included, as numbers", async () => {
      await addUser();
      const { count } = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
      expect(typeof count).toBe("number");
      expect(count).toBeGreaterThan(0);
      const { rows } = await sql<{ big: number }>`select cast(9007199254740991 as bigint) as big`.execute(db);
      expect(rows).toEqual([{ big: Number.MAX_SAFE_INTEGER }]);
    });
  });
});

describe("the error helpers", () => {
  it("recognise nothing in errors that are not constraint violations", () => {
    for (const err of [new Error("boom"), { code: "ECONNREFUSED" }, { code: "SQLITE_BUSY" }, { code: "42P01" }, "23505", null, undefined, 23505]) {
      expect([isUniqueViolation(err), isForeignKeyViolation(err), isCheckViolation(err)]).toEqual([false, false, false]);
    }
  });
});
