// The config file import, end to end below the UI: the real store (SQLite), the real sandbox
// over HTTP (its seeded accounts and roles) for the tests that follow a registration, the real
// SDK. A preview changes nothing; an apply registers every chosen account and role with its own
// audit event, or none of them.
import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { addTestUser } from "@/lib/auth/testing";
import type { Actor } from "@/lib/auth/actor";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { SEED_EXTERNAL_ID } from "@/sandbox/core/seed";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "config-import");

const { getDb } = await import("@/lib/db/client");
const { createAccount, listAccounts } = await import("@/lib/accounts/accounts");
const { registerRole, listRoles } = await import("./roles");
const { applyConfigImport, previewConfigImport } = await import("./config-import-plan");

const meta = { requestId: "req-config-import-test", ip: "192.0.2.66", userAgent: "vitest" };
let admin: Actor;
let operator: Actor;

/** A team's ~/.aws/config: Production (registered, with ReadOnly in the catalog), Development
 * and Test (not registered), an SSO profile and a malformed line. */
const FILE = `[default]
region = eu-west-1

[profile identity]
aws_access_key_id = AKIAEXAMPLEEXAMPLE00

[profile prod-readonly]
role_arn = arn:aws:iam::111111111111:role/ReadOnly
source_profile = identity

[profile prod-auditor]
role_arn = arn:aws:iam::111111111111:role/ThirdPartyAuditor
source_profile = identity
external_id = ${SEED_EXTERNAL_ID}

[profile prod-breakglass]
role_arn = arn:aws:iam::111111111111:role/BreakGlassAdmin
source_profile = prod-readonly
mfa_serial = arn:aws:iam::999999999999:mfa/ada

[profile development-power]
role_arn = arn:aws:iam::222222222222:role/PowerUser
source_profile = identity
region = eu-central-1

[profile development-readonly]
role_arn = arn:aws:iam::222222222222:role/ReadOnly
source_profile = identity

[profile test-testers]
role_arn = arn:aws:iam::444444444444:role/DevelopmentTesters
credential_source = Environment

[profile sso]
sso_session = corp
sso_account_id = 444444444444
sso_role_name = ReadOnly

[profile broken]
role_arn = arn:aws:iam::4444:role/Short
`;

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto@example.com", "operator");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta, "manual", { test: false });
});

afterEach(async () => {
  await sql`drop trigger if exists config_import_fails`.execute(await getDb());
});

const roleNames = async () => (await listRoles(admin)).map((r) => `${r.accountId}/${r.roleName}`).sort();
const accountIds = async () => (await listAccounts(admin)).map((a) => a.accountId).sort();
const auditCount = async () => Number((await (await getDb()).selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("previewing a config file", () => {
  it("says which accounts and roles are new and which registered, what is skipped and what could not be read, with the lines", async () => {
    const plan = await previewConfigImport(admin, { text: FILE, format: "auto" });
    expect(plan).toMatchObject({ format: "aws-config", detected: true, profileCount: 10 });
    expect(plan.accounts).toEqual([
      { accountId: "222222222222", partition: "aws", name: "development", environment: "development", registered: false, roles: 2 },
      { accountId: "444444444444", partition: "aws", name: "test-testers", environment: "test", registered: false, roles: 1 },
      { accountId: "111111111111", partition: "aws", name: "Production", environment: "production", registered: true, roles: 3 },
    ]);
    expect(plan.roles.map((r) => [r.line, r.displayName, r.roleArn, r.status, r.registeredAs, r.externalId])).toEqual([
      [7, "prod-readonly", "arn:aws:iam::111111111111:role/ReadOnly", "registered", "ReadOnly", false],
      [11, "prod-auditor", "arn:aws:iam::111111111111:role/ThirdPartyAuditor", "new", null, true],
      [16, "prod-breakglass", "arn:aws:iam::111111111111:role/BreakGlassAdmin", "new", null, false],
      [21, "development-power", "arn:aws:iam::222222222222:role/PowerUser", "new", null, false],
      [26, "development-readonly", "arn:aws:iam::222222222222:role/ReadOnly", "new", null, false],
      [30, "test-testers", "arn:aws:iam::444444444444:role/DevelopmentTesters", "new", null, false],
    ]);
    expect(plan.roles.find((r) => r.profile === "prod-breakglass")?.via).toEqual(["prod-readonly", "identity"]);
    expect(plan.skipped.map((s) => [s.line, s.profile])).toEqual([
      [1, "default"],
      [4, "identity"],
      [34, "sso"],
    ]);
    expect(plan.skipped[2]!.reason).toBe("IAM Identity Center profile: not a role the console can assume.");
    expect(plan.problems).toEqual([{ line: 40, profile: "broken", reason: "role_arn arn:aws:iam::4444:role/Short: the account id 4444 is not 12 digits." }]);
    // The ExternalId itself never leaves the server.
    expect(JSON.stringify(plan)).not.toContain(SEED_EXTERNAL_ID);
  });

  it("changes nothing", async () => {
    expect(await accountIds()).toEqual(["111111111111"]);
    expect(await roleNames()).toEqual(["111111111111/ReadOnly"]);
  });

  it("is refused to an operator, who registers nothing", async () => {
    const denial = { code: "forbidden" };
    await expect(previewConfigImport(operator, { text: FILE, format: "auto" })).rejects.toMatchObject(denial);
    await expect(applyConfigImport(operator, { text: FILE, format: "auto" }, meta)).rejects.toMatchObject(denial);
    expect(await accountIds()).toEqual(["111111111111"]);
  });

  it("bounds the number of profiles, saying how to split the file", async () => {
    const text = Array.from({ length: 2001 }, (_, i) => `[profile p${i}]\nregion = us-east-1\n`).join("");
    await expect(previewConfigImport(admin, { text, format: "aws-config" })).rejects.toMatchObject({
      code: "bad_request",
      message: "The configuration has 2001 profiles; import at most 2000 at once. Split the file and import each part.",
    });
  });
});

describe("registering from a config file", () => {
  it("refuses a role whose account is neither registered nor chosen, before writing anything", async () => {
    const before = await auditCount();
    await expect(
      applyConfigImport(admin, { text: FILE, format: "auto", accounts: [], roles: ["arn:aws:iam::222222222222:role/PowerUser"] }, meta),
    ).rejects.toMatchObject({ code: "bad_request", message: "development-power (arn:aws:iam::222222222222:role/PowerUser) is in account 222222222222, which is not registered: choose the account too, or leave the role out." });
    await expect(applyConfigImport(admin, { text: FILE, format: "auto", roles: ["arn:aws:iam::111111111111:role/Nope"] }, meta)).rejects.toMatchObject({ code: "bad_request" });
    expect(await auditCount()).toBe(before);
    expect(await accountIds()).toEqual(["111111111111"]);
  });

  it("registers all or nothing: a failure on the last row leaves no account, no role and no audit event", async () => {
    const db = await getDb();
    // The store refuses the Test account's role, after the accounts and the other roles are in.
    await sql`create trigger config_import_fails before insert on roles when new.role_name = 'DevelopmentTesters' begin select raise(abort, 'refused by the test'); end`.execute(db);
    const before = await auditCount();
    await expect(applyConfigImport(admin, { text: FILE, format: "auto" }, meta)).rejects.toThrow(/refused by the test/);
    expect(await accountIds()).toEqual(["111111111111"]);
    expect(await roleNames()).toEqual(["111111111111/ReadOnly"]);
    expect(await auditCount()).toBe(before);
  });

  it("registers the chosen accounts (with the name and environment set) and roles in one go, audited and tested", async () => {
    const since = await t.admin.lastSeq();
    const applyMeta = { ...meta, requestId: "req-config-import-apply" };
    const outcome = await applyConfigImport(
      admin,
      {
        text: FILE,
        format: "auto",
        accounts: [{ accountId: "222222222222", name: "Development", environment: "development" }],
        roles: [
          "arn:aws:iam::111111111111:role/ReadOnly",
          "arn:aws:iam::111111111111:role/ThirdPartyAuditor",
          "arn:aws:iam::111111111111:role/BreakGlassAdmin",
          "arn:aws:iam::222222222222:role/PowerUser",
          "arn:aws:iam::222222222222:role/ReadOnly",
        ],
      },
      applyMeta,
    );
    expect(outcome).toEqual({
      addedAccounts: [{ accountId: "222222222222", name: "Development" }],
      addedRoles: [
        { displayName: "prod-auditor", roleArn: "arn:aws:iam::111111111111:role/ThirdPartyAuditor" },
        { displayName: "prod-breakglass", roleArn: "arn:aws:iam::111111111111:role/BreakGlassAdmin" },
        { displayName: "development-power", roleArn: "arn:aws:iam::222222222222:role/PowerUser" },
        { displayName: "development-readonly", roleArn: "arn:aws:iam::222222222222:role/ReadOnly" },
      ],
      skipped: [{ label: "prod-readonly (arn:aws:iam::111111111111:role/ReadOnly)", reason: "Already in the catalog as ReadOnly" }],
    });
    expect(await accountIds()).toEqual(["111111111111", "222222222222"]);
    const roles = await listRoles(admin);
    const byArn = Object.fromEntries(roles.map((r) => [r.roleArn, r]));
    expect(byArn["arn:aws:iam::222222222222:role/PowerUser"]).toMatchObject({ displayName: "development-power", ownDefaultRegion: "eu-central-1", accountName: "Development", environment: "development" });
    expect(byArn["arn:aws:iam::111111111111:role/ThirdPartyAuditor"]).toMatchObject({ requiresExternalId: true, externalId: SEED_EXTERNAL_ID });

    // Each registration is audited as such, with the import as its source.
    const db = await getDb();
    const events = await db.selectFrom("audit_events").selectAll().where("request_id", "=", applyMeta.requestId).where("action", "in", ["account.create", "role.create"]).orderBy("id").execute();
    expect(events.map((e) => [e.action, e.target_label, JSON.parse(e.details)])).toEqual([
      ["account.create", "Development (222222222222)", { environment: "development", source: "config-import" }],
      ["role.create", "arn:aws:iam::111111111111:role/ThirdPartyAuditor", { source: "config-import" }],
      ["role.create", "arn:aws:iam::111111111111:role/BreakGlassAdmin", { source: "config-import" }],
      ["role.create", "arn:aws:iam::222222222222:role/PowerUser", { source: "config-import" }],
      ["role.create", "arn:aws:iam::222222222222:role/ReadOnly", { source: "config-import" }],
    ]);

    // Each new entry was tested once, as a registration is: the ExternalId one works, the MFA
    // one is refused (the console has no one's MFA), and the result is kept as its health.
    const assumed = (await t.admin.calls({ since, service: "sts" })).filter((c) => c.action === "AssumeRole");
    expect(assumed.map((c) => String(c.detail.RoleArn)).sort()).toEqual(expect.arrayContaining(outcome.addedRoles.map((r) => r.roleArn).sort()));
    expect(byArn["arn:aws:iam::111111111111:role/ThirdPartyAuditor"]?.health).toMatchObject({ ok: true, source: "registered" });
    expect(byArn["arn:aws:iam::111111111111:role/BreakGlassAdmin"]?.health).toMatchObject({ ok: false, why: "mfa", source: "registered" });
    expect(byArn["arn:aws:iam::222222222222:role/PowerUser"]?.health).toMatchObject({ ok: true });
  });

  it("previews the same file again as registered, and has nothing new to add but the Test account's role", async () => {
    const plan = await previewConfigImport(admin, { text: FILE, format: "auto" });
    expect(plan.roles.filter((r) => r.status === "new").map((r) => r.roleArn)).toEqual(["arn:aws:iam::444444444444:role/DevelopmentTesters"]);
    expect(plan.accounts.find((a) => a.accountId === "222222222222")).toMatchObject({ registered: true, name: "Development" });
    await expect(applyConfigImport(admin, { text: FILE, format: "auto", accounts: [], roles: ["arn:aws:iam::111111111111:role/ReadOnly"] }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Everything chosen is already registered: nothing to add.",
    });
  });
});
