// Migrations on SQLite and Postgres: from an empty database, from the previous schema, back
// down, a failing migration, several processes at once, and the `npm run db:migrate` CLI.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { DatabaseConfig } from "@/lib/config";
import { describeDatabase } from "./describe";
import { isUniqueViolation } from "./errors";
import { newId } from "./ids";
import { MigrationError, migrateTo, migrateToLatest } from "./migrate";
import { MIGRATION_NAMES } from "./migrations";
import type { Database } from "./schema";
import { testDatabases } from "./testing";
import { nowIso } from "./time";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ALL_TABLES = ["access_request_decisions", "access_requests", "accounts", "audit_events", "console_sessions", "device_authorizations", "grants", "job_leases", "personal_tokens", "provision_runs", "request_policies", "role_eligibility", "role_health", "role_usage", "roles", "session_revocations", "users", "webhook_deliveries", "webhooks"];

async function tables(db: Kysely<Database>): Promise<string[]> {
  return (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !name.startsWith("kysely_"))
    .sort();
}

async function executedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** `npm run db:migrate` as package.json runs it, with only DATABASE_URL set. */
async function runCli(database: DatabaseConfig): Promise<{ code: number; out: string }> {
  const databaseUrl = database.dialect === "sqlite" ? `file:${database.path}` : database.url;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/db-migrate.ts"],
      { cwd: ROOT, env: { DATABASE_URL: databaseUrl, NODE_ENV: "test" }, timeout: 30_000 },
    );
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, out: stdout + stderr };
  }
}

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: migrations", (_, store) => {
  it.skipIf(store.skip)("migrate an empty database to the latest schema, and then have nothing to do", async () => {
    const { db } = await store.create();
    expect(await tables(db)).toEqual([]);

    expect(await migrateToLatest(db)).toEqual(["0001_users_and_audit", "0002_catalog", "0003_role_name_case", "0004_provision_runs", "0005_sessions_and_identity", "0006_session_revocations", "0007_role_health", "0008_role_max_session", "0009_personal_tokens", "0010_device_authorizations", "0011_grant_expiry", "0012_access_requests"]);
    expect(await tables(db)).toEqual(ALL_TABLES);
    expect(await executedMigrations(db)).toEqual(MIGRATION_NAMES);

    expect(await migrateToLatest(db)).toEqual([]);
    expect(await executedMigrations(db)).toEqual(MIGRATION_NAMES);
  });

  it.skipIf(store.skip)("migrate from the previous schema, keeping its users and audit events", async () => {
    const { db } = await store.create();
    expect(await migrateTo(db, "0001_users_and_audit")).toEqual(["0001_users_and_audit"]);
    expect(await tables(db)).toEqual(["audit_events", "users"]);

    const at = nowIso();
    const admin = { id: newId(), email: "ada@example.com", name: "Ada", role: "admin" as const, password_hash: "scrypt$x", created_at: at, updated_at: at };
    const oidcUser = { id: newId(), email: "grace@example.com", name: "Grace", role: "operator" as const, password_hash: null, auth_provider: "oidc" as const, oidc_subject: "sub-1", groups: '["sre"]', created_at: at, updated_at: at };
    // One insert per row: in a multi-row insert Kysely sends null (not DEFAULT) for a column that
    // some rows leave out, which SQLite's NOT NULL refuses.
    await db.insertInto("users").values(admin).execute();
    await db.insertInto("users").values(oidcUser).execute();
    const event = { id: newId(), at, actor_id: admin.id, actor_email: admin.email, action: "auth.sign_in", outcome: "success" as const, ip: "192.0.2.1", details: '{"via":"password"}' };
    await db.insertInto("audit_events").values(event).execute();
    const usersBefore = await db.selectFrom("users").selectAll().orderBy("id").execute();
    const eventsBefore = await db.selectFrom("audit_events").selectAll().execute();

    expect(await migrateToLatest(db)).toEqual(["0002_catalog", "0003_role_name_case", "0004_provision_runs", "0005_sessions_and_identity", "0006_session_revocations", "0007_role_health", "0008_role_max_session", "0009_personal_tokens", "0010_device_authorizations", "0011_grant_expiry", "0012_access_requests"]);

    // 0005 gives every existing user their fixed AWS identity, from the email they have now.
    const identities = { [admin.id]: "ada@example.com", [oidcUser.id]: "grace@example.com" };
    expect(await db.selectFrom("users").selectAll().orderBy("id").execute()).toEqual(usersBefore.map((u) => ({ ...u, aws_identity: identities[u.id] })));
    expect(await db.selectFrom("audit_events").selectAll().execute()).toEqual(eventsBefore);
    // The new tables refer to the old rows.
    const accountId = newId();
    const roleId = newId();
    await db.insertInto("accounts").values({ id: accountId, aws_account_id: "111111111111", name: "Production", color: "#dc2626", created_at: at, updated_at: at }).execute();
    await db.insertInto("roles").values({ id: roleId, account_id: accountId, role_name: "ReadOnly", display_name: "Read only", created_at: at, updated_at: at }).execute();
    await db.insertInto("grants").values([
      { id: newId(), role_id: roleId, user_id: oidcUser.id, group_name: null, created_by: admin.id, created_at: at },
      { id: newId(), role_id: roleId, user_id: null, group_name: "sre", created_by: admin.id, created_at: at },
    ]).execute();
    await db.insertInto("role_usage").values({ user_id: oidcUser.id, role_id: roleId, pinned: 1 }).execute();
    const granted = await db
      .selectFrom("grants")
      .innerJoin("users", "users.id", "grants.user_id")
      .innerJoin("roles", "roles.id", "grants.role_id")
      .select(["users.email", "roles.role_name"])
      .execute();
    expect(granted).toEqual([{ email: "grace@example.com", role_name: "ReadOnly" }]);
    // Foreign keys to the old table are enforced.
    await db.deleteFrom("users").where("id", "=", oidcUser.id).execute();
    expect(await db.selectFrom("grants").select("group_name").execute()).toEqual([{ group_name: "sre" }]);
    expect(await db.selectFrom("role_usage").selectAll().execute()).toEqual([]);
  });

  it.skipIf(store.skip)("migrate back down to the previous schema and up again", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const at = nowIso();
    await db.insertInto("users").values({ id: newId(), email: "ada@example.com", name: "Ada", role: "admin", password_hash: null, created_at: at, updated_at: at }).execute();
    await db.insertInto("accounts").values({ id: newId(), aws_account_id: "222222222222", name: "Development", color: "#16a34a", created_at: at, updated_at: at }).execute();

    expect(await migrateTo(db, "0001_users_and_audit")).toEqual(["0012_access_requests", "0011_grant_expiry", "0010_device_authorizations", "0009_personal_tokens", "0008_role_max_session", "0007_role_health", "0006_session_revocations", "0005_sessions_and_identity", "0004_provision_runs", "0003_role_name_case", "0002_catalog"]);
    expect(await tables(db)).toEqual(["audit_events", "users"]);
    expect(await db.selectFrom("users").select("email").execute()).toEqual([{ email: "ada@example.com" }]);

    expect(await migrateToLatest(db)).toEqual(["0002_catalog", "0003_role_name_case", "0004_provision_runs", "0005_sessions_and_identity", "0006_session_revocations", "0007_role_health", "0008_role_max_session", "0009_personal_tokens", "0010_device_authorizations", "0011_grant_expiry", "0012_access_requests"]);
    expect(await db.selectFrom("accounts").selectAll().execute()).toEqual([]);
  });

  it.skipIf(store.skip)("refuse a role name that differs from one in the same account only in case (0003)", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const at = nowIso();
    const [production, development] = [newId(), newId()];
    await db.insertInto("accounts").values({ id: production, aws_account_id: "111111111111", name: "Production", color: "#dc2626", created_at: at, updated_at: at }).execute();
    await db.insertInto("accounts").values({ id: development, aws_account_id: "222222222222", name: "Development", color: "#16a34a", created_at: at, updated_at: at }).execute();
    const role = (account: string, role_name: string, path = "/") => db.insertInto("roles").values({ id: newId(), account_id: account, role_name, path, display_name: role_name, created_at: at, updated_at: at }).execute();
    await role(production, "ReadOnly");
    await expect(role(production, "readonly", "/team/")).rejects.toSatisfy(isUniqueViolation);
    await role(development, "readonly");
    expect(await db.selectFrom("roles").select("role_name").orderBy("role_name").execute()).toEqual([{ role_name: "ReadOnly" }, { role_name: "readonly" }]);
  });

  it.skipIf(store.skip)("name the migration that failed, and leave the store as it was", async () => {
    const { db } = await store.create();
    await migrateTo(db, "0001_users_and_audit");
    // Someone created a table by hand that 0002 wants to create.
    await sql`create table accounts (id text primary key)`.execute(db);

    const failure = await migrateToLatest(db).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ migration: "0002_catalog", message: expect.stringMatching(/^Store migration 0002_catalog failed: .*accounts.*already exists/) });
    expect(await executedMigrations(db)).toEqual(["0001_users_and_audit"]);
    expect(await tables(db)).toEqual(["accounts", "audit_events", "users"]);
  });

  it.skipIf(store.skip)("apply each migration once when several instances start at the same time", async () => {
    const store_ = await store.create();
    const instances = [store_.db, store_.connect(), store_.connect(), store_.connect()];

    const applied = await Promise.all(instances.map((db) => migrateToLatest(db)));

    expect(applied.flat().sort()).toEqual(MIGRATION_NAMES);
    expect(await executedMigrations(store_.db)).toEqual(MIGRATION_NAMES);
    expect(await tables(store_.db)).toEqual(ALL_TABLES);
  });

  it.skipIf(store.skip)("`npm run db:migrate` applies the migrations once when run three times at once, and says where", async () => {
    const { config, db } = await store.create();

    const runs = await Promise.all([runCli(config), runCli(config), runCli(config)]);

    const where = describeDatabase(config);
    expect(runs.map((r) => r.code), `the three runs said: ${JSON.stringify(runs.map((r) => r.out))}`).toEqual([0, 0, 0]);
    const outputs = runs.map((r) => r.out.trim()).sort();
    expect(outputs).toEqual([
      `${where} is already up to date.`,
      `${where} is already up to date.`,
      `Applied 12 migration(s) to ${where}: 0001_users_and_audit, 0002_catalog, 0003_role_name_case, 0004_provision_runs, 0005_sessions_and_identity, 0006_session_revocations, 0007_role_health, 0008_role_max_session, 0009_personal_tokens, 0010_device_authorizations, 0011_grant_expiry, 0012_access_requests.`,
    ].sort());
    expect(await executedMigrations(db)).toEqual(MIGRATION_NAMES);
  });
});
