// The record of whether each role entry works (role_health): the short kind read from a real
// denial explanation, which failures a switch may record, and the store's writes on SQLite and
// Postgres (replace, keep a fresh success, follow the entry's removal).
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { testActor } from "@/lib/auth/testing";
import { explainAssumeRoleFailure, type AssumeRoleFailure } from "@/lib/aws/explain-denial";
import { migrateToLatest } from "@/lib/db/migrate";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";
import { HEALTH_WHY, healthLabel, type HealthWhy } from "./health";
import { failureIsAboutTheEntry, healthWhy, SWITCH_REFRESH_MS, unsafeRecordHealth, unsafeRecordSwitchSuccess } from "./role-health";
import { findRole, queryRoles } from "./role-queries";

const BROKER = { arn: "arn:aws:iam::333333333333:user/switchboard", accountId: "333333333333" };
const ROLE = "arn:aws:iam::111111111111:role/ReadOnly";
const denied = { name: "AccessDenied", message: `User: ${BROKER.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}` };
const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const trustsBroker = { Effect: "Allow", Principal: { AWS: BROKER.arn }, Action: "sts:AssumeRole" };

function explained(over: Partial<AssumeRoleFailure>) {
  return explainAssumeRoleFailure({ error: denied, roleArn: ROLE, broker: BROKER, request: { roleSessionName: "ada@example.com" }, roleExists: true, brokerKind: "long-term", ...over });
}

describe("healthWhy: the short kind of a real explanation", () => {
  it.each<[string, Partial<AssumeRoleFailure>, HealthWhy]>([
    ["a trust policy that names someone else", { trustPolicy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }) }, "not_trusted"],
    [
      "a trust policy that names the broker under a session-name condition",
      { trustPolicy: policy({ ...trustsBroker, Condition: { StringEquals: { "sts:RoleSessionName": "someone-else@example.com" } } }) },
      "trust_conditions",
    ],
    ["a Deny in the trust policy", { trustPolicy: policy(trustsBroker, { Effect: "Deny", Principal: { AWS: BROKER.arn }, Action: "sts:AssumeRole" }) }, "explicit_deny"],
    ["a missing ExternalId", { trustPolicy: policy({ ...trustsBroker, Condition: { StringEquals: { "sts:ExternalId": "agreed" } } }) }, "external_id"],
    ["MFA", { trustPolicy: policy({ ...trustsBroker, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }) }, "mfa"],
    ["no SetSourceIdentity", { trustPolicy: policy(trustsBroker), request: { roleSessionName: "ada@example.com", sourceIdentity: "ada@example.com" } }, "source_identity"],
    ["a deleted role", { roleExists: false }, "no_such_role"],
    ["an unreadable trust policy", { trustPolicy: undefined }, "unknown"],
  ])("%s", (_, over, why) => {
    expect(healthWhy(explained(over))).toBe(why);
  });

  it("reads the other kinds as they are, and no explanation as unknown", () => {
    expect(healthWhy({ kind: "caller-permission", summary: "" })).toBe("broker_permission");
    expect(healthWhy({ kind: "service-control-policy", summary: "" })).toBe("scp");
    expect(healthWhy({ kind: "resource-control-policy", summary: "" })).toBe("rcp");
    expect(healthWhy({ kind: "duration", summary: "" })).toBe("duration");
    expect(healthWhy(undefined)).toBe("unknown");
  });

  it("records from a switch only the failures no person's own request can cause", () => {
    expect(HEALTH_WHY.filter(failureIsAboutTheEntry)).toEqual(["not_trusted", "external_id", "mfa", "no_such_role"]);
  });

  it("labels each kind in a few words", () => {
    expect(healthLabel({ ok: false, why: "not_trusted" })).toBe("Fails: not trusted");
    expect(healthLabel({ ok: true, why: null })).toBe("Works");
  });
});

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: role_health", (_, store) => {
  let db: Kysely<Database>;
  const admin = testActor({ id: "admin-1", email: "ada@example.com", name: "Ada", role: "admin" });
  const newRole = async (name: string) => {
    const id = newId();
    const at = new Date().toISOString();
    await db.insertInto("roles").values({ id, account_id: accountId, role_name: name, display_name: name, created_at: at, updated_at: at }).execute();
    return id;
  };
  const stored = async (roleId: string) => db.selectFrom("role_health").selectAll().where("role_id", "=", roleId).executeTakeFirst();
  let accountId = "";

  beforeAll(async () => {
    if (store.skip) return;
    db = (await store.create()).db;
    await migrateToLatest(db);
    accountId = newId();
    const at = new Date().toISOString();
    await db.insertInto("accounts").values({ id: accountId, aws_account_id: "111111111111", name: "Production", color: "#dc2626", created_at: at, updated_at: at }).execute();
  });

  it.skipIf(store.skip)("keeps one result per entry, replaced by the next, and shows it on the entry", async () => {
    const roleId = await newRole("ReadOnly");
    expect((await findRole(db, admin, roleId)).health).toBeNull();

    await unsafeRecordHealth(db, roleId, { ok: false, code: "aws_denied", why: "not_trusted", reason: "The trust policy does not trust the console's broker." }, "background", "2026-03-01T10:00:00.000Z");
    expect((await findRole(db, admin, roleId)).health).toEqual({
      ok: false,
      code: "aws_denied",
      why: "not_trusted",
      reason: "The trust policy does not trust the console's broker.",
      testedAt: "2026-03-01T10:00:00.000Z",
      source: "background",
    });

    await unsafeRecordHealth(db, roleId, { ok: true, reason: "The console can switch into ReadOnly." }, "manual", "2026-03-01T11:00:00.000Z");
    const [listed] = (await queryRoles(db, admin)).filter((r) => r.id === roleId);
    expect(listed?.health).toEqual({ ok: true, code: "ok", why: null, reason: "The console can switch into ReadOnly.", testedAt: "2026-03-01T11:00:00.000Z", source: "manual" });
    expect(await db.selectFrom("role_health").select("role_id").where("role_id", "=", roleId).execute()).toHaveLength(1);
  });

  it.skipIf(store.skip)("a successful switch marks a failing entry working, and refreshes a success only once it is old", async () => {
    const roleId = await newRole("Deployer");
    await unsafeRecordHealth(db, roleId, { ok: false, code: "aws_denied", why: "not_trusted", reason: "not trusted" }, "background");
    const now = Date.now();
    await unsafeRecordSwitchSuccess(db, roleId, "works", now);
    expect(await stored(roleId)).toMatchObject({ ok: 1, why: null, source: "switch", tested_at: new Date(now).toISOString() });

    // A fresh success is left as it is: no write per switch.
    await unsafeRecordSwitchSuccess(db, roleId, "works again", now + 60_000);
    expect(await stored(roleId)).toMatchObject({ reason: "works", tested_at: new Date(now).toISOString() });
    // An old one is refreshed.
    await unsafeRecordSwitchSuccess(db, roleId, "works later", now + SWITCH_REFRESH_MS + 1);
    expect(await stored(roleId)).toMatchObject({ reason: "works later", tested_at: new Date(now + SWITCH_REFRESH_MS + 1).toISOString() });
    // An entry never tested gets its first result from the switch.
    const untested = await newRole("Untested");
    await unsafeRecordSwitchSuccess(db, untested, "works", now);
    expect(await stored(untested)).toMatchObject({ ok: 1, source: "switch" });
  });

  it.skipIf(store.skip)("goes with its entry, and a result for an entry removed meanwhile is dropped", async () => {
    const roleId = await newRole("Temporary");
    await unsafeRecordHealth(db, roleId, { ok: true, reason: "works" }, "registered");
    await db.deleteFrom("roles").where("id", "=", roleId).execute();
    expect(await stored(roleId)).toBeUndefined();

    await unsafeRecordHealth(db, roleId, { ok: true, reason: "works" }, "background");
    await unsafeRecordSwitchSuccess(db, roleId, "works");
    expect(await stored(roleId)).toBeUndefined();
  });
});
