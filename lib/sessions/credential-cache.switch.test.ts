// The credential cache on the switch path: the real store (SQLite), the real sandbox over HTTP,
// the real SDK. A repeat switch makes one AWS call for a console sign-in and none for
// credentials, says so in its audit event, and every change that must end cached credentials
// does: the grant removed, a new sign-in, the entry changed, a revocation, the console session's
// end. (Two instances on one Postgres: e2e/credential-cache.spec.ts.)
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "credential-cache");
const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole, updateRole } = await import("@/lib/catalog/roles");
const { createGrant, deleteGrant } = await import("@/lib/catalog/grants");
const { revokeRoleSessions } = await import("@/lib/revocation/revoke");
const { updateUser } = await import("@/lib/users/update-user");
const { startSession } = await import("./start-session");
const { credentialCache } = await import("./credential-cache");

const meta = { requestId: "req-credential-cache-test", ip: "198.51.100.11", userAgent: "vitest" };
let admin: Actor;
let ana: Actor;
let bo: Actor;
let roleId = "";

const addUser = addTestUser;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

async function credentials(actor: Actor): Promise<Creds & { expiration: string }> {
  const s = await startSession(actor, { roleId, kind: "credentials" }, meta);
  if (s.kind !== "credentials") throw new Error("expected credentials");
  return s.credentials;
}

const awsCallsDuring = (run: () => Promise<unknown>) => t.admin.callsDuring(run);

async function lastSwitchDetails(actor: Actor): Promise<Record<string, unknown>> {
  const db = await getDb();
  const row = await db.selectFrom("audit_events").select("details").where("actor_id", "=", actor.id).where("action", "in", ["session.credentials", "session.console"]).orderBy("id", "desc").executeTakeFirstOrThrow();
  return JSON.parse(row.details) as Record<string, unknown>;
}

const canRead = async (c: Creds) => {
  const iam = new IAMClient({ endpoint: t.url, region: "us-east-1", credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken }, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: "ReadOnly" }));
    return true;
  } catch {
    return false;
  } finally {
    iam.destroy();
  }
};

beforeAll(async () => {
  admin = await addUser("ada@example.com", "admin");
  ana = await addUser("ana@example.com", "operator");
  bo = await addUser("bo@example.com", "operator");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  roleId = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta)).id;
  for (const person of [ana, bo]) await createGrant(admin, { roleId, userEmail: person.email }, meta);
  // The console learns its own identity (GetCallerIdentity) on its first switch: not counted below.
  await startSession(admin, { roleId, kind: "credentials" }, meta);
});

beforeEach(() => credentialCache().clear());

describe("a repeat switch", () => {
  it("gives credentials from memory with no AWS call, and says so in the audit event", async () => {
    let first!: Creds;
    expect(await awsCallsDuring(async () => (first = await credentials(ana)))).toEqual(["sts:AssumeRole"]);
    expect(await lastSwitchDetails(ana)).not.toHaveProperty("cached");
    let second!: Creds;
    expect(await awsCallsDuring(async () => (second = await credentials(ana)))).toEqual([]);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(await lastSwitchDetails(ana)).toMatchObject({ cached: true, sessionName: "ana@example.com" });
  });

  it("opens the console with one AWS call: the single-use sign-in token", async () => {
    await credentials(ana);
    const calls = await awsCallsDuring(() => startSession(ana, { roleId, kind: "console" }, meta));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/getSigninToken/i);
    expect(await lastSwitchDetails(ana)).toMatchObject({ cached: true });
  });

  it("shares one AssumeRole among concurrent switches, and keeps people apart", async () => {
    const calls = await awsCallsDuring(async () => {
      const got = await Promise.all([...Array.from({ length: 6 }, () => credentials(ana)), ...Array.from({ length: 6 }, () => credentials(bo))]);
      expect(new Set(got.slice(0, 6).map((c) => c.accessKeyId)).size).toBe(1);
      expect(new Set(got.slice(6).map((c) => c.accessKeyId)).size).toBe(1);
      expect(got[0]!.accessKeyId).not.toBe(got[6]!.accessKeyId);
    });
    expect(calls).toEqual(["sts:AssumeRole", "sts:AssumeRole"]);
  });
});

describe("what ends cached credentials", () => {
  it("the grant removed: refused before the cache is read; granted again, fresh credentials", async () => {
    const before = await credentials(bo);
    const db = await getDb();
    const grant = await db.selectFrom("grants").select("id").where("user_id", "=", bo.id).where("role_id", "=", roleId).executeTakeFirstOrThrow();
    await deleteGrant(admin, grant.id, meta);
    expect(await awsCallsDuring(() => expect(credentials(bo)).rejects.toMatchObject({ code: "forbidden" }))).toEqual([]);
    await createGrant(admin, { roleId, userEmail: bo.email }, meta);
    const after = await credentials(bo);
    expect(after.accessKeyId).not.toBe(before.accessKeyId);
  });

  it("the grant removed on another instance (this one's memory untouched): refused, then fresh credentials", async () => {
    const before = await credentials(bo);
    const db = await getDb();
    // What another instance's deleteGrant does to the store, without touching this process's cache.
    const grant = await db.selectFrom("grants").selectAll().where("user_id", "=", bo.id).where("role_id", "=", roleId).executeTakeFirstOrThrow();
    await db.deleteFrom("grants").where("id", "=", grant.id).execute();
    await expect(credentials(bo)).rejects.toMatchObject({ code: "forbidden" });
    await db.insertInto("grants").values({ ...grant, id: newId() }).execute();
    expect((await credentials(bo)).accessKeyId).not.toBe(before.accessKeyId);
  });

  it("a new sign-in (signing out, or being disabled, ends the console session)", async () => {
    const before = await credentials(ana);
    const signedInAgain: Actor = { ...ana, session: { ...ana.session, id: `${ana.session.id}-again` } };
    expect((await credentials(signedInAgain)).accessKeyId).not.toBe(before.accessKeyId);
  });

  it("being disabled drops the person's entries on this instance", async () => {
    const carl = await addUser("carl@example.com", "operator");
    await createGrant(admin, { roleId, userEmail: carl.email }, meta);
    await credentials(carl);
    await credentials(ana);
    expect(credentialCache().size).toBe(2);
    await updateUser(admin, carl.id, { disabled: true }, meta);
    expect(credentialCache().size).toBe(1);
  });

  it("the entry changed, here or on another instance", async () => {
    const before = await credentials(ana);
    await updateRole(admin, roleId, { sessionDuration: 7200 }, meta);
    const changed = await credentials(ana);
    expect(changed.accessKeyId).not.toBe(before.accessKeyId);
    const db = await getDb();
    // What another instance's update does to the store: this process's memory is untouched.
    await db.updateTable("roles").set({ external_id: "changed-elsewhere-1234", updated_at: new Date().toISOString() }).where("id", "=", roleId).execute();
    let elsewhere!: Creds;
    const calls = await awsCallsDuring(async () => (elsewhere = await credentials(ana)));
    expect(calls).toEqual(["sts:AssumeRole"]);
    expect(elsewhere.accessKeyId).not.toBe(changed.accessKeyId);
    const [call] = await t.admin.calls({ action: "AssumeRole" }).then((c) => c.slice(-1));
    expect(call?.detail.ExternalId).toBe("changed-elsewhere-1234");
    await db.updateTable("roles").set({ external_id: null, session_duration: null, updated_at: new Date().toISOString() }).where("id", "=", roleId).execute();
  });

  it("a revocation of the person, recorded by any instance; new credentials after it work at once", async () => {
    const anaBefore = await credentials(ana);
    const boBefore = await credentials(bo);
    await revokeRoleSessions(admin, roleId, { userEmail: ana.email }, meta);
    // As if another instance had revoked: this process's memory still holds Ana's credentials.
    expect(credentialCache().size).toBe(1);
    const db = await getDb();
    expect(await db.selectFrom("session_revocations").select("session_name").where("role_id", "=", roleId).execute()).toEqual([{ session_name: "ana@example.com" }]);
    const anaAfter = await credentials(ana);
    expect(anaAfter.accessKeyId).not.toBe(anaBefore.accessKeyId);
    expect(await canRead(anaBefore)).toBe(false);
    expect(await canRead(anaAfter)).toBe(true);
    // Bo was not revoked: his credentials stay cached, and work.
    const boAfter = await credentials(bo);
    expect(boAfter.accessKeyId).toBe(boBefore.accessKeyId);
    expect(await canRead(boAfter)).toBe(true);
  });

  it("a revocation of everyone in the role", async () => {
    const boBefore = await credentials(bo);
    await revokeRoleSessions(admin, roleId, {}, meta);
    const boAfter = await credentials(bo);
    expect(boAfter.accessKeyId).not.toBe(boBefore.accessKeyId);
    expect(await canRead(boAfter)).toBe(true);
  });

  it("credentials that would outlive what is left of the console session", async () => {
    const before = await credentials(ana);
    const endingSoon: Actor = { ...ana, session: { ...ana.session, endsAt: Date.now() + 40 * 60_000 } };
    const after = await credentials(endingSoon);
    expect(after.accessKeyId).not.toBe(before.accessKeyId);
    expect(Date.parse(after.expiration)).toBeLessThanOrEqual(endingSoon.session.endsAt);
  });
});
