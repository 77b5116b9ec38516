// Whether role entries work, end to end below the UI against the sandbox (the real SDK over
// HTTP, the real store): the test at registration, an administrator's Test, what a switch
// shows, and the background re-test — paced, as the console's own session, one instance per
// round on a shared Postgres, stopped cleanly.
import { CreateRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";
import { BROKER_ARN, OPS, PROD, roleArn, session, TEST } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "role-health");
const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { migrateToLatest } = await import("@/lib/db/migrate");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole, updateRole, getRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { unsafeRecordHealth } = await import("@/lib/catalog/role-health");
const { getMenuData } = await import("@/lib/catalog/menu");
const { startSession } = await import("./start-session");
const { testRole } = await import("./test-role");
const { afterResponseSettled } = await import("@/lib/http/after-response");
const { HEALTH_CHECK_SESSION_NAME } = await import("./role-health-check");
const { startRoleHealthSchedule, ROLE_HEALTH_JOB } = await import("./role-health-schedule");

const meta = { requestId: "req-role-health", ip: "198.51.100.12", userAgent: "vitest" };
const stores = testDatabases();
const postgres = stores.find((s) => s.dialect === "postgres")!;
let admin: Actor;
let operator: Actor;
const roles = { readOnly: "", testers: "", auditor: "", onlyAda: "" };
const FAST = { points: 50, seconds: 1 };

/** The trust policy of a seeded role in Production, written through its provisioning role as an
 * administrator would in IAM. */
async function setTrust(account: string, roleName: string, statements: object[]) {
  const iam = t.iam(await session(t, roleArn(account, "OrganizationAccountAccessRole"), "role-health-test"));
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
}
const TRUSTS_OPERATIONS = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OPS}:root` }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] };
const TRUSTS_DEVELOPMENT = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" };

const health = async (roleId: string) => (await getRole(admin, roleId)).health;
/** The console's own AssumeRoles since `seq`, by role name. */
async function backgroundCalls(since: number) {
  return (await t.admin.calls({ since, action: "AssumeRole" })).filter((c) => c.detail.RoleSessionName === HEALTH_CHECK_SESSION_NAME);
}
/** Makes every entry due for the background re-test, and the next round due, as if hours passed. */
async function ageEverything(db: Kysely<Database>) {
  await db.updateTable("role_health").set({ tested_at: new Date(Date.now() - 7 * 3600_000).toISOString() }).execute();
  await db.deleteFrom("job_leases").execute();
}

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto@example.com", "operator");
  await createAccount(admin, { accountId: PROD, name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: TEST, name: "Test", environment: "test" }, meta);
  // Trusts the broker only in sessions named after Ada: a condition about the person switching.
  const prod = t.iam(await session(t, roleArn(PROD, "OrganizationAccountAccessRole"), "setup"));
  const onlyAda = { Effect: "Allow", Principal: { AWS: BROKER_ARN }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:RoleSessionName": "ada@example.com" } } };
  await prod.send(new CreateRoleCommand({ RoleName: "OnlyAda", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [onlyAda] }) }));
});

describe("registration", () => {
  it("tests each new entry as the administrator and keeps the result, working or not", async () => {
    const readOnly = await registerRole(admin, { accountId: PROD, roleName: "ReadOnly" }, meta);
    roles.readOnly = readOnly.id;
    expect(readOnly.health).toMatchObject({ ok: true, code: "ok", why: null, source: "registered" });

    const testers = await registerRole(admin, { accountId: TEST, roleName: "DevelopmentTesters" }, meta);
    roles.testers = testers.id;
    expect(testers.health).toMatchObject({ ok: false, code: "aws_denied", why: "not_trusted", source: "registered" });
    expect(testers.health?.reason).toMatch(/does not trust the console's broker/);

    const events = await (await getDb()).selectFrom("audit_events").select(["target_id", "outcome", "actor_id", "details"]).where("action", "=", "role.test").execute();
    expect(events.map((e) => ({ ...e, details: JSON.parse(e.details) as unknown }))).toEqual([
      { target_id: roles.readOnly, outcome: "success", actor_id: admin.id, details: { source: "registered" } },
      { target_id: roles.testers, outcome: "denied", actor_id: admin.id, details: { source: "registered", why: "not_trusted" } },
    ]);
  });

  it("registers the entry even when the test cannot reach an answer, and keeps nothing then", async () => {
    await t.admin.addFault({ service: "sts", action: "AssumeRole", code: "Throttling", status: 400, message: "Rate exceeded", count: 10 });
    try {
      const auditor = await registerRole(admin, { roleArn: `arn:aws:iam::${PROD}:role/ThirdPartyAuditor`, externalId: "switchboard-demo-7f3a9c2e", sourceIdentity: true }, meta);
      roles.auditor = auditor.id;
      expect(auditor.health).toBeNull();
    } finally {
      await t.admin.clearFaults();
    }
  });

  it("tests again after an edit changes what a switch sends", async () => {
    // The wrong ExternalId: the trust policy's condition is not met.
    const wrong = await updateRole(admin, roles.auditor, { externalId: "not-the-agreed-one" }, meta);
    expect(wrong.health).toMatchObject({ ok: false, why: "external_id", source: "manual" });
    const right = await updateRole(admin, roles.auditor, { externalId: "switchboard-demo-7f3a9c2e" }, meta);
    expect(right.health).toMatchObject({ ok: true, source: "manual" });
  });
});

describe("an administrator's Test", () => {
  it("keeps its result, so a failing entry still looks failing when the page is loaded again", async () => {
    const result = await testRole(admin, roles.testers, meta);
    expect(result.ok).toBe(false);
    expect(await health(roles.testers)).toMatchObject({ ok: false, why: "not_trusted", source: "manual" });
  });
});

describe("switches", () => {
  beforeAll(async () => {
    await createGrant(admin, { roleId: roles.readOnly, userEmail: operator.email }, meta);
    await createGrant(admin, { roleId: roles.testers, userEmail: operator.email }, meta);
    roles.onlyAda = (await registerRole(admin, { accountId: PROD, roleName: "OnlyAda", sourceIdentity: false }, meta)).id;
    await createGrant(admin, { roleId: roles.onlyAda, userEmail: operator.email }, meta);
  });

  it("a switch that assumes the role marks an entry that was failing as working", async () => {
    await unsafeRecordHealth(await getDb(), roles.readOnly, { ok: false, code: "aws_denied", why: "not_trusted", reason: "stale" }, "background");
    await startSession(operator, { roleId: roles.readOnly, kind: "credentials" }, meta);
    // Written once the answer has gone out.
    await afterResponseSettled();
    expect(await health(roles.readOnly)).toMatchObject({ ok: true, source: "switch" });
  });

  it("a switch into an entry known to work writes nothing", async () => {
    const testedAt = new Date(Date.now() - 60_000).toISOString();
    await unsafeRecordHealth(await getDb(), roles.readOnly, { ok: true, reason: "known to work" }, "background", testedAt);
    // A new sign-in: nothing cached for it, so the switch calls AssumeRole.
    const since = await t.admin.lastSeq();
    await startSession({ ...operator, session: { ...operator.session, id: "another-sign-in" } }, { roleId: roles.readOnly, kind: "credentials" }, meta);
    await afterResponseSettled();
    expect(await t.admin.calls({ since, action: "AssumeRole" })).toHaveLength(1);
    expect(await health(roles.readOnly)).toMatchObject({ ok: true, source: "background", testedAt, reason: "known to work" });
  });

  it("a switch refused because the role does not trust the console marks the entry failing for everyone", async () => {
    await unsafeRecordHealth(await getDb(), roles.testers, { ok: true, reason: "worked once" }, "background");
    await expect(startSession(operator, { roleId: roles.testers, kind: "credentials" }, meta)).rejects.toMatchObject({ code: "aws_denied" });
    await afterResponseSettled();
    expect(await health(roles.testers)).toMatchObject({ ok: false, why: "not_trusted", source: "switch" });
    // The menu shows it greyed out, with why.
    const entry = (await getMenuData(operator)).roles.find((r) => r.id === roles.testers);
    expect(entry?.health).toMatchObject({ why: "not_trusted", reason: expect.stringMatching(/does not trust the console's broker/) as unknown });
    expect((await getMenuData(operator)).roles.find((r) => r.id === roles.readOnly)?.health).toBeUndefined();
  });

  it("a refusal that is about the person switching leaves the entry's health alone", async () => {
    expect(await health(roles.onlyAda)).toMatchObject({ ok: true, source: "registered" });
    await expect(startSession(operator, { roleId: roles.onlyAda, kind: "credentials" }, meta)).rejects.toMatchObject({ code: "aws_denied" });
    await afterResponseSettled();
    expect(await health(roles.onlyAda)).toMatchObject({ ok: true, source: "registered" });
  });
});

describe("the background re-test", () => {
  it("tests every entry as the console's own session, and keeps and audits what changed", async () => {
    const db = await getDb();
    await ageEverything(db);
    await setTrust(PROD, "ReadOnly", [TRUSTS_DEVELOPMENT]);
    const since = await t.admin.lastSeq();
    const schedule = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: FAST, timer: false, holder: "instance-a" });
    try {
      const report = await schedule.tick();
      expect(report).toMatchObject({ tested: 4, changed: 2, stoppedEarly: false });
      const all = await backgroundCalls(since);
      // Explaining a refusal reads the role's trust policy through its account's provisioning
      // role, in a session with the same name.
      const calls = all.filter((c) => !String(c.detail.RoleArn).endsWith(":role/OrganizationAccountAccessRole"));
      expect(all.length - calls.length).toBeGreaterThan(0);
      expect(calls.map((c) => c.detail.RoleArn).sort()).toEqual(
        [roleArn(PROD, "OnlyAda"), roleArn(PROD, "ReadOnly"), roleArn(PROD, "ThirdPartyAuditor"), roleArn(TEST, "DevelopmentTesters")].sort(),
      );
      // Exactly what a switch sends: the ExternalId, and a SourceIdentity where the entry sets one.
      const auditorCall = calls.find((c) => c.detail.RoleArn === roleArn(PROD, "ThirdPartyAuditor"))!;
      expect(auditorCall.detail).toMatchObject({ ExternalId: "switchboard-demo-7f3a9c2e", SourceIdentity: HEALTH_CHECK_SESSION_NAME, DurationSeconds: 900 });

      expect(await health(roles.readOnly)).toMatchObject({ ok: false, why: "not_trusted", source: "background" });
      // OnlyAda trusts sessions named after Ada: the console's own session is refused.
      expect(await health(roles.onlyAda)).toMatchObject({ ok: false, why: "trust_conditions", source: "background" });
      expect(await health(roles.testers)).toMatchObject({ ok: false, why: "not_trusted", source: "background" });
      expect(await health(roles.auditor)).toMatchObject({ ok: true, source: "background" });

      const audited = await db.selectFrom("audit_events").select(["target_id", "target_type", "outcome", "actor_id", "details"]).where("action", "=", "role.test").where("id", ">", "").orderBy("id", "desc").limit(3).execute();
      const [round, ...changed] = audited;
      expect(round).toMatchObject({ target_type: "catalog", actor_id: null, outcome: "success" });
      expect(JSON.parse(round!.details)).toMatchObject({ source: "background", tested: 4, working: 1, failing: 3, changed: 2 });
      expect(changed.map((e) => e.target_id).sort()).toEqual([roles.onlyAda, roles.readOnly].sort());
      for (const e of changed) expect(JSON.parse(e.details)).toMatchObject({ source: "background", sessionName: HEALTH_CHECK_SESSION_NAME, was: "working" });

      // Fixed in IAM: the next round finds it working again.
      await setTrust(PROD, "ReadOnly", [TRUSTS_OPERATIONS]);
      await ageEverything(db);
      expect(await schedule.tick()).toMatchObject({ tested: 4, changed: 1 });
      expect(await health(roles.readOnly)).toMatchObject({ ok: true, source: "background" });
    } finally {
      await setTrust(PROD, "ReadOnly", [TRUSTS_OPERATIONS]);
      await schedule.stop();
    }
  });

  it("runs a round only when it is due, and leaves out entries tested in the last half interval", async () => {
    const db = await getDb();
    await ageEverything(db);
    const schedule = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: FAST, timer: false });
    try {
      // Tested an hour ago: fresh enough for a 6-hour interval.
      await db.updateTable("role_health").set({ tested_at: new Date(Date.now() - 3600_000).toISOString() }).where("role_id", "!=", roles.testers).execute();
      expect(await schedule.tick()).toMatchObject({ tested: 1 });
      // The round just ran: the next is due in 6 hours.
      expect(await schedule.tick()).toBeUndefined();
    } finally {
      await schedule.stop();
    }
  });

  it("keeps to its pace", async () => {
    const db = await getDb();
    await ageEverything(db);
    const schedule = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: { points: 4, seconds: 1 }, timer: false });
    try {
      const since = await t.admin.lastSeq();
      const started = Date.now();
      expect(await schedule.tick()).toMatchObject({ tested: 4 });
      // Four tests at four a second: the last starts at least 750 ms after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(740);
      const tested = (await backgroundCalls(since)).filter((c) => !String(c.detail.RoleArn).endsWith(":role/OrganizationAccountAccessRole"));
      expect(tested).toHaveLength(4);
    } finally {
      await schedule.stop();
    }
  });

  it("stops a round when AWS cannot be reached, keeping what was known", async () => {
    const db = await getDb();
    await ageEverything(db);
    const before = await db.selectFrom("role_health").select(["role_id", "ok", "why"]).orderBy("role_id").execute();
    await t.admin.addFault({ service: "sts", action: "AssumeRole", code: "ServiceUnavailable", status: 503, message: "Service unavailable", count: 100 });
    const schedule = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: FAST, timer: false });
    try {
      expect(await schedule.tick()).toMatchObject({ tested: 3, inconclusive: 3, changed: 0, stoppedEarly: true });
      expect(await db.selectFrom("role_health").select(["role_id", "ok", "why"]).orderBy("role_id").execute()).toEqual(before);
    } finally {
      await t.admin.clearFaults();
      await schedule.stop();
    }
  });

  it("stops after the current test when the process ends, and another instance carries on at once", async () => {
    const db = await getDb();
    await ageEverything(db);
    const slow = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: { points: 1, seconds: 1 }, timer: false, holder: "stopping" });
    const round = slow.tick();
    await new Promise((r) => setTimeout(r, 1300));
    await slow.stop();
    const report = await round;
    expect(report?.stoppedEarly).toBe(true);
    expect(report!.tested).toBeGreaterThanOrEqual(1);
    expect(report!.tested).toBeLessThan(4);
    expect(await db.selectFrom("job_leases").select(["holder", "last_started_at"]).where("name", "=", ROLE_HEALTH_JOB).executeTakeFirst()).toEqual({ holder: null, last_started_at: null });

    const next = startRoleHealthSchedule({ db: getDb, intervalMs: 6 * 3600_000, rate: FAST, timer: false, holder: "next" });
    try {
      // It carries on with what the stopped round had not reached.
      expect(await next.tick()).toMatchObject({ tested: 4 - report!.tested });
    } finally {
      await next.stop();
    }
  });
});

describe.skipIf(postgres.skip)("two instances on one Postgres", () => {
  it("run each round once between them", async () => {
    const store = await postgres.create();
    const [a, b] = [store.db, store.connect()];
    await migrateToLatest(a);
    const at = new Date().toISOString();
    const accounts = { [PROD]: newId(), [TEST]: newId() };
    for (const [awsId, id] of Object.entries(accounts)) await a.insertInto("accounts").values({ id, aws_account_id: awsId, name: awsId, color: "#334155", created_at: at, updated_at: at }).execute();
    const entries = [
      { id: newId(), account_id: accounts[PROD]!, role_name: "ReadOnly" },
      { id: newId(), account_id: accounts[TEST]!, role_name: "DevelopmentTesters" },
      { id: newId(), account_id: accounts[TEST]!, role_name: "ReadOnly" },
    ];
    for (const e of entries) await a.insertInto("roles").values({ ...e, display_name: e.role_name, created_at: at, updated_at: at }).execute();

    const since = await t.admin.lastSeq();
    const options = { intervalMs: 6 * 3600_000, rate: FAST, timer: false } as const;
    const instances = [startRoleHealthSchedule({ ...options, db: async () => a, holder: "pg-a" }), startRoleHealthSchedule({ ...options, db: async () => b, holder: "pg-b" })];
    try {
      const reports = await Promise.all(instances.map((i) => i.tick()));
      expect(reports.filter((r) => r === undefined)).toHaveLength(1);
      expect(reports.find((r) => r !== undefined)).toMatchObject({ tested: 3, working: 2, failing: 1 });
      const tested = async () => (await backgroundCalls(since)).filter((c) => !String(c.detail.RoleArn).endsWith(":role/OrganizationAccountAccessRole"));
      expect(await tested()).toHaveLength(3);
      expect(await b.selectFrom("role_health").select("role_id").execute()).toHaveLength(3);
      // Neither runs another round before it is due.
      expect(await Promise.all(instances.map((i) => i.tick()))).toEqual([undefined, undefined]);
      expect(await tested()).toHaveLength(3);
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
    }
  });
});
