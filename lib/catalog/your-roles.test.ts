// "Your roles" on the home page, against a real SQLite store: an operator gets every role granted
// to them (directly or through a group), split into pinned, recent and the rest; an administrator
// gets only the roles that are theirs, not the whole catalog; nobody gets another person's pins
// or recents; auditors are refused; the list is bounded and says how many more there are.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { withTempStore } from "@/lib/config/testing";

withTempStore("your-roles");

const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("./roles");
const { createGrant, deleteGrant } = await import("./grants");
const { recordUsage, setPinned } = await import("./menu");
const { getYourRoles, RECENT_LIMIT } = await import("./your-roles");

const meta = { requestId: "req-your-roles", ip: "198.51.100.9", userAgent: "vitest" };
let admin: Actor;
let otto: Actor;
let sara: Actor;
let nadia: Actor;
let auditor: Actor;
const ids: Record<string, string> = {};

const labels = (list: Array<{ label: string }>) => list.map((r) => r.label);

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  sara = await addTestUser("sara@example.com", "operator", ["platform-sre"]);
  nadia = await addTestUser("nadia@example.com", "operator");
  auditor = await addTestUser("aude@example.com", "auditor");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "222222222222", name: "Development", environment: "development" }, meta);
  for (const [key, accountId, roleName, displayName] of [
    ["readOnly", "111111111111", "ReadOnly", "Prod read-only"],
    ["deployer", "111111111111", "Deployer", undefined],
    ["breakGlass", "111111111111", "BreakGlass", undefined],
    ["devAdmin", "222222222222", "DevAdmin", undefined],
    ["devRead", "222222222222", "DevRead", undefined],
    ["ungranted", "222222222222", "Ungranted", undefined],
  ] as const) {
    ids[key] = (await registerRole(admin, { accountId, roleName, ...(displayName ? { displayName } : {}), ...(key === "deployer" ? { externalId: "ext-123456" } : {}) }, meta)).id;
  }
  for (const key of ["readOnly", "deployer", "devAdmin", "devRead"]) await createGrant(admin, { roleId: ids[key]!, userEmail: otto.email }, meta);
  await createGrant(admin, { roleId: ids.breakGlass!, group: "platform-sre" }, meta);
  await createGrant(admin, { roleId: ids.devRead!, userEmail: admin.email }, meta);
});

describe("an operator's roles", () => {
  it("lists every granted role, by account and name, with what the buttons need", async () => {
    const roles = await getYourRoles(otto);
    expect(roles.pinned).toEqual([]);
    expect(roles.recent).toEqual([]);
    expect(labels(roles.others)).toEqual(["DevAdmin", "DevRead", "Deployer", "Prod read-only"]);
    expect(roles.more).toBe(0);
    const deployer = roles.others.find((r) => r.name === "Deployer")!;
    expect(deployer).toMatchObject({ id: ids.deployer, requiresExternalId: true, region: "us-east-1", account: { id: "111111111111", name: "Production", environment: "production", partition: "aws" } });
    // The ExternalId itself is never part of it.
    expect(JSON.stringify(roles)).not.toContain("ext-123456");
  });

  it("puts pinned roles first and recent ones next, each once", async () => {
    await setPinned(otto, ids.devRead!, true);
    await recordUsage(otto, ids.readOnly!, "eu-west-1");
    await new Promise((r) => setTimeout(r, 5));
    await recordUsage(otto, ids.devAdmin!, "us-east-1");
    await recordUsage(otto, ids.devRead!, "us-east-1");
    const roles = await getYourRoles(otto);
    expect(labels(roles.pinned)).toEqual(["DevRead"]);
    expect(labels(roles.recent)).toEqual(["DevAdmin", "Prod read-only"]);
    expect(labels(roles.others)).toEqual(["Deployer"]);
    expect(roles.recent[0]!.lastUsedAt).not.toBeNull();
  });

  it("keeps at most RECENT_LIMIT recent roles; older ones fall back into the rest", async () => {
    const many = await addTestUser("many@example.com", "operator");
    for (const key of ["readOnly", "deployer", "devAdmin", "devRead", "breakGlass", "ungranted"]) await createGrant(admin, { roleId: ids[key]!, userEmail: many.email }, meta);
    for (const key of ["readOnly", "deployer", "devAdmin", "devRead", "breakGlass", "ungranted"]) {
      await recordUsage(many, ids[key]!, "us-east-1");
      await new Promise((r) => setTimeout(r, 3));
    }
    const roles = await getYourRoles(many);
    expect(roles.recent).toHaveLength(RECENT_LIMIT);
    expect(labels(roles.recent)[0]).toBe("Ungranted");
    expect(labels(roles.others)).toEqual(["Prod read-only"]);
  });

  it("counts roles granted through an identity-provider group", async () => {
    expect(labels((await getYourRoles(sara)).others)).toEqual(["BreakGlass"]);
  });

  it("never shows another person's pins or recents, and drops a role whose grant is removed", async () => {
    const nadiaGrant = await createGrant(admin, { roleId: ids.readOnly!, userEmail: nadia.email }, meta);
    const roles = await getYourRoles(nadia);
    expect(labels(roles.others)).toEqual(["Prod read-only"]);
    expect(roles.pinned).toEqual([]);
    expect(roles.recent).toEqual([]);
    await deleteGrant(admin, nadiaGrant.id, meta);
    expect(await getYourRoles(nadia)).toMatchObject({ pinned: [], recent: [], others: [], more: 0 });
  });

  it("keeps a recent role out once its grant is removed, though its usage row remains", async () => {
    const temp = await addTestUser("temp@example.com", "operator");
    const grant = await createGrant(admin, { roleId: ids.devAdmin!, userEmail: temp.email }, meta);
    await recordUsage(temp, ids.devAdmin!, "us-east-1");
    await setPinned(temp, ids.devAdmin!, true);
    expect(labels((await getYourRoles(temp)).pinned)).toEqual(["DevAdmin"]);
    await deleteGrant(admin, grant.id, meta);
    expect(await getYourRoles(temp)).toMatchObject({ pinned: [], recent: [], others: [] });
  });
});

describe("health", () => {
  it("carries the last test of an entry that failed it, and nothing for one that works", async () => {
    const db = await getDb();
    const at = new Date().toISOString();
    await db
      .insertInto("role_health")
      .values([
        { role_id: ids.deployer!, ok: 0, code: "aws_denied", why: "not_trusted", reason: "The trust policy does not trust the console's broker.", tested_at: at, source: "switch" },
        { role_id: ids.readOnly!, ok: 1, code: "ok", why: null, reason: "The console can switch into it.", tested_at: at, source: "manual" },
      ])
      .execute();
    const roles = await getYourRoles(otto);
    const all = [...roles.pinned, ...roles.recent, ...roles.others];
    expect(all.find((r) => r.id === ids.deployer)?.health).toEqual({ why: "not_trusted", reason: "The trust policy does not trust the console's broker.", testedAt: at });
    expect(all.find((r) => r.id === ids.readOnly)?.health).toBeUndefined();
    await db.deleteFrom("role_health").where("role_id", "in", [ids.deployer!, ids.readOnly!]).execute();
  });
});

describe("an administrator's roles", () => {
  it("are only theirs — granted to them, pinned or used — not every role they may use", async () => {
    expect(labels((await getYourRoles(admin)).others)).toEqual(["DevRead"]);
    await recordUsage(admin, ids.ungranted!, "us-east-1");
    await setPinned(admin, ids.breakGlass!, true);
    const roles = await getYourRoles(admin);
    expect(labels(roles.pinned)).toEqual(["BreakGlass"]);
    expect(labels(roles.recent)).toEqual(["Ungranted"]);
    expect(labels(roles.others)).toEqual(["DevRead"]);
  });
});

describe("limits and permissions", () => {
  it("lists at most `limit` roles, keeping pinned and recent ones, and counts the rest", async () => {
    const roles = await getYourRoles(otto, 2);
    expect(labels(roles.pinned)).toEqual(["DevRead"]);
    expect(roles.pinned.length + roles.recent.length + roles.others.length).toBe(2);
    expect(roles.more).toBe(2);
  });

  it("refuses those who cannot switch", async () => {
    await expect(getYourRoles(auditor)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("the roles one may ask for", () => {
  it("lists those they are eligible for and cannot use, with a waiting request marked, and none for an administrator", async () => {
    const { setEligibility } = await import("@/lib/access/policy");
    const { createAccessRequest } = await import("@/lib/access/requests");
    const { eligibilityInput, createAccessRequestInput } = await import("@/lib/access/schemas");
    const eligible = (roleId: string) => setEligibility(admin, roleId, eligibilityInput.parse({ userEmails: [nadia.email, otto.email], policy: { maxDurationSeconds: 3600 } }), meta);
    await eligible(ids.ungranted!);
    // otto is granted ReadOnly: eligible or not, he uses it and has nothing to ask for there.
    await eligible(ids.readOnly!);

    expect((await getYourRoles(nadia)).requestable).toEqual([
      { id: ids.ungranted, name: "Ungranted", label: "Ungranted", color: expect.any(String), account: { id: "222222222222", name: "Development", environment: "development" }, pending: false },
      { id: ids.readOnly, name: "ReadOnly", label: "Prod read-only", color: expect.any(String), account: { id: "111111111111", name: "Production", environment: "production" }, pending: false },
    ]);
    expect((await getYourRoles(otto)).requestable.map((r) => r.name)).toEqual(["Ungranted"]);

    await createAccessRequest(nadia, createAccessRequestInput.parse({ roleId: ids.ungranted, durationSeconds: 1800, reason: "look at the dev logs" }), meta);
    const after = await getYourRoles(nadia);
    expect(after.requestable.map((r) => [r.name, r.pending])).toEqual([
      ["Ungranted", true],
      ["ReadOnly", false],
    ]);
    expect(after.requestableMore).toBe(0);
    expect((await getYourRoles(admin)).requestable).toEqual([]);
  });
});

