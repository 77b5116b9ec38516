// A grant's expiry on the switch path: the real store (SQLite), the real sandbox over HTTP, the
// real SDK, the real clock. Credentials the console holds for a person (the credential cache)
// stop being handed out the moment their grant expires: the grant check runs before the cache on
// every switch and compares the expiry with the clock. The refusal says when access ended, is
// audited as a denied switch, and makes no AWS call.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "grant-expiry-switch");
const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant, updateGrant } = await import("@/lib/catalog/grants");
const { startSession } = await import("./start-session");
const { credentialCache } = await import("./credential-cache");

const meta = { requestId: "req-grant-expiry-switch", ip: "198.51.100.12", userAgent: "vitest" };
let admin: Actor;
let ana: Actor;
let sam: Actor;
let roleId = "";

const credentials = async (actor: Actor) => {
  const s = await startSession(actor, { roleId, kind: "credentials" }, meta);
  if (s.kind !== "credentials") throw new Error("expected credentials");
  return s.credentials;
};

const awsCallsDuring = (run: () => Promise<unknown>) => t.admin.callsDuring(run);

const lastSwitch = async (actor: Actor) =>
  (await getDb()).selectFrom("audit_events").selectAll().where("actor_id", "=", actor.id).where("action", "=", "session.credentials").orderBy("id", "desc").executeTakeFirstOrThrow();

/** An expiry `ms` from now, and a wait until just past it. */
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
const until = async (iso: string) => sleep(Math.max(0, Date.parse(iso) - Date.now() + 5));

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  ana = await addTestUser("ana@example.com", "operator");
  sam = await addTestUser("sam@example.com", "operator", ["oncall"]);
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  roleId = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  // The console learns its own identity (GetCallerIdentity) on its first switch: not counted below.
  await startSession(admin, { roleId, kind: "credentials" }, meta);
});

beforeEach(() => credentialCache().clear());

describe("a switch under a grant that expires", () => {
  it("is served from the cache until the expiry, then refused with when access ended, audited, with no AWS call", async () => {
    // Created through the operation, not its input schema (which asks for a time in the future
    // when it is parsed), so that the test need not wait long.
    const expiresAt = soon(2500);
    await createGrant(admin, { roleId, userEmail: ana.email, expiresAt }, meta);
    let first!: { accessKeyId: string };
    expect(await awsCallsDuring(async () => (first = await credentials(ana)))).toEqual(["sts:AssumeRole"]);
    expect(await awsCallsDuring(async () => expect((await credentials(ana)).accessKeyId).toBe(first.accessKeyId))).toEqual([]);

    await until(expiresAt);
    const message = `Your access to Prod read-only ended at ${expiresAt.slice(0, 10)} ${expiresAt.slice(11, 19)} UTC; ask an administrator.`;
    expect(await awsCallsDuring(() => expect(credentials(ana)).rejects.toMatchObject({ code: "forbidden", message }))).toEqual([]);
    expect(await lastSwitch(ana)).toMatchObject({ outcome: "denied", target_id: roleId, target_label: "arn:aws:iam::111111111111:role/ReadOnly", reason: message });
  });

  it("for a group's grant too; renewed, the person switches again", async () => {
    const expiresAt = soon(2500);
    const grant = await createGrant(admin, { roleId, group: "oncall", expiresAt }, meta);
    await credentials(sam);
    await until(expiresAt);
    expect(await awsCallsDuring(() => expect(credentials(sam)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Your access to Prod read-only ended at /) }))).toEqual([]);
    await updateGrant(admin, grant.id, { expiresAt: soon(3600_000) }, meta);
    expect((await credentials(sam)).accessKeyId).toMatch(/^ASIA/);
  });
});

describe("a session under access that ends", () => {
  const lifetime = (c: { expiration: string }) => (Date.parse(c.expiration) - Date.now()) / 1000;
  let ivy: Actor;
  let max: Actor;
  beforeAll(async () => {
    ivy = await addTestUser("ivy@example.com", "operator");
    max = await addTestUser("max@example.com", "operator", ["night"]);
  });

  it("ends with the access: AssumeRole is asked for no more than the time left, and the audit names the cap", async () => {
    const grant = await createGrant(admin, { roleId, userEmail: ivy.email, expiresAt: soon(30 * 60_000) }, meta);
    try {
      const first = await credentials(ivy);
      // The sandbox's default and this entry's are an hour; 30 minutes are left of the access.
      expect(lifetime(first)).toBeGreaterThan(29 * 60);
      expect(lifetime(first)).toBeLessThanOrEqual(30 * 60 + 1);
      expect(JSON.parse((await lastSwitch(ivy)).details ?? "{}")).toMatchObject({ cappedBy: "access" });

      // Shortened by an administrator: the cached credentials outlive it, so new ones are issued.
      await updateGrant(admin, grant.id, { expiresAt: soon(20 * 60_000) }, meta);
      let second!: { expiration: string; accessKeyId: string };
      expect(await awsCallsDuring(async () => (second = await credentials(ivy)))).toEqual(["sts:AssumeRole"]);
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(lifetime(second)).toBeLessThanOrEqual(20 * 60 + 1);
    } finally {
      await (await getDb()).deleteFrom("grants").where("id", "=", grant.id).execute();
    }
  });

  it("a standing grant beside a time-limited one leaves the session its usual length", async () => {
    const limited = await createGrant(admin, { roleId, group: "night", expiresAt: soon(20 * 60_000) }, meta);
    const standing = await createGrant(admin, { roleId, userEmail: max.email }, meta);
    try {
      expect(lifetime(await credentials(max))).toBeGreaterThan(59 * 60);
    } finally {
      await (await getDb()).deleteFrom("grants").where("id", "in", [limited.id, standing.id]).execute();
    }
  });
});

