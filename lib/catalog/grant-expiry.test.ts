// Grants that expire (issue 15 §1), against a real SQLite store with the clock faked (`Date`
// only: the store itself runs for real). A grant gives access until the instant before its
// expiry and not after, wherever access is read: the switch's grant check, the catalog, the Switch
// Role menu, "Your roles", the header's last role. An expired grant is still listed for
// administrators (and removable); its expiry can be changed or removed, audited; input outside
// "in the future, at most a year" is refused with a message that says so.
import { withTempStore } from "@/lib/config/testing";
import { addTestUser } from "@/lib/auth/testing";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";

withTempStore("catalog-grant-expiry");

const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole, listRoles } = await import("./roles");
const { findUsableRole } = await import("./role-queries");
const { createGrant, createGrants, deleteGrant, listGrants, updateGrant } = await import("./grants");
const { getMenuData, getLastRole, recordUsage } = await import("./menu");
const { getYourRoles } = await import("./your-roles");
const { createGrantInput, createGrantsInput, updateGrantInput } = await import("./schemas");
const { encodeMenu, decodeMenu } = await import("./menu-wire");
const { accessEndsText, describeExpiry, expiryFromChoice } = await import("./grant-expiry");

const meta = { requestId: "req-grant-expiry", ip: "198.51.100.21", userAgent: "vitest" };
const HOUR = 3600_000;

let admin: Actor;
let otto: Actor;
let sara: Actor;
const roles = { readOnly: "", breakGlass: "", standing: "" };

/** The clock, faked from here on; `at` is an ISO instant. */
const clockAt = (at: string | number) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(at));
};
afterEach(() => vi.useRealTimers());

const usable = async (actor: Actor, roleId: string) => {
  try {
    await findUsableRole(await getDb(), actor, roleId);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "forbidden") return false;
    throw err;
  }
};

const lastAudit = async (action: string) => {
  const db = await getDb();
  return db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id", "desc").executeTakeFirstOrThrow();
};

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  sara = await addTestUser("sara@example.com", "operator", ["platform-sre"]);
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  roles.breakGlass = (await registerRole(admin, { accountId: "111111111111", roleName: "BreakGlass" }, meta)).id;
  roles.standing = (await registerRole(admin, { accountId: "111111111111", roleName: "Standing" }, meta)).id;
  await createGrant(admin, { roleId: roles.standing, userEmail: otto.email }, meta);
});

describe("a grant with an expiry", () => {
  it("works until the exact instant it expires and not after, everywhere access is read", async () => {
    const expiresAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const grant = await createGrant(admin, { roleId: roles.readOnly, userEmail: otto.email, expiresAt }, meta);
    expect(grant.expiresAt).toBe(expiresAt);
    expect(JSON.parse((await lastAudit("grant.create")).details)).toMatchObject({ expiresAt });
    await recordUsage(otto, roles.readOnly, "us-east-1");

    clockAt(Date.parse(expiresAt) - 1000);
    expect(await usable(otto, roles.readOnly)).toBe(true);
    expect((await listRoles(otto)).map((r) => r.roleName)).toContain("ReadOnly");
    expect((await getMenuData(otto)).roles.map((r) => r.name)).toContain("ReadOnly");
    expect((await getLastRole(otto))?.id).toBe(roles.readOnly);
    const yours = await getYourRoles(otto);
    expect([...yours.pinned, ...yours.recent, ...yours.others].map((r) => r.id)).toContain(roles.readOnly);

    clockAt(Date.parse(expiresAt) - 1);
    expect(await usable(otto, roles.readOnly)).toBe(true);

    clockAt(expiresAt);
    await expect(findUsableRole(await getDb(), otto, roles.readOnly)).rejects.toMatchObject({
      code: "forbidden",
      message: `Your access to Prod read-only ended at ${expiresAt.slice(0, 10)} ${expiresAt.slice(11, 19)} UTC; ask an administrator.`,
      details: { accessEndedAt: expiresAt },
    });
    expect((await listRoles(otto)).map((r) => r.roleName)).toEqual(["Standing"]);
    expect((await getMenuData(otto)).roles.map((r) => r.name)).toEqual(["Standing"]);
    expect(await getLastRole(otto)).toBeNull();
    const after = await getYourRoles(otto);
    expect([...after.pinned, ...after.recent, ...after.others].map((r) => r.id)).toEqual([roles.standing]);
    // A grant without an expiry is untouched by the clock.
    clockAt(Date.parse(expiresAt) + 365 * 24 * HOUR);
    expect(await usable(otto, roles.standing)).toBe(true);
  });

  it("is still listed for administrators once expired, and can be removed", async () => {
    const expiresAt = new Date(Date.now() + HOUR).toISOString();
    const grant = await createGrant(admin, { roleId: roles.breakGlass, userEmail: otto.email, expiresAt }, meta);
    clockAt(Date.parse(expiresAt) + HOUR);
    expect((await listGrants(admin, { id: grant.id }))[0]).toMatchObject({ id: grant.id, expiresAt });
    expect(await usable(otto, roles.breakGlass)).toBe(false);
    await deleteGrant(admin, grant.id, meta);
    expect(await listGrants(admin, { id: grant.id })).toEqual([]);
    // With no grant at all, the refusal is the plain one.
    await expect(findUsableRole(await getDb(), otto, roles.breakGlass)).rejects.toMatchObject({ message: "This role is not granted to you. Ask an administrator for a grant." });
  });

  it("ends a group's access for every member at the same instant", async () => {
    const expiresAt = new Date(Date.now() + 3 * HOUR).toISOString();
    const grant = await createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre", expiresAt }, meta);
    clockAt(Date.parse(expiresAt) - 1);
    expect(await usable(sara, roles.breakGlass)).toBe(true);
    expect((await getMenuData(sara)).roles.map((r) => r.name)).toEqual(["BreakGlass"]);
    clockAt(expiresAt);
    await expect(findUsableRole(await getDb(), sara, roles.breakGlass)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Your access to BreakGlass ended at /) });
    expect((await getMenuData(sara)).roles).toEqual([]);
    vi.useRealTimers();
    await deleteGrant(admin, grant.id, meta);
  });

  it("gives access while any one grant of the person's is in force", async () => {
    const soon = new Date(Date.now() + HOUR).toISOString();
    const later = new Date(Date.now() + 5 * HOUR).toISOString();
    const personal = await createGrant(admin, { roleId: roles.breakGlass, userEmail: sara.email, expiresAt: soon }, meta);
    const group = await createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre", expiresAt: later }, meta);
    clockAt(Date.parse(soon) + 1);
    expect(await usable(sara, roles.breakGlass)).toBe(true);
    clockAt(later);
    expect(await usable(sara, roles.breakGlass)).toBe(false);
    vi.useRealTimers();
    await deleteGrant(admin, personal.id, meta);
    await deleteGrant(admin, group.id, meta);
  });

  it("is granted in bulk with one expiry for every pair", async () => {
    const expiresAt = new Date(Date.now() + 8 * HOUR).toISOString();
    const result = await createGrants(admin, { roleIds: [roles.breakGlass], userEmails: [otto.email, sara.email], groups: [], expiresAt }, meta);
    expect(result.created.map((g) => g.expiresAt)).toEqual([expiresAt, expiresAt]);
    clockAt(expiresAt);
    expect(await usable(otto, roles.breakGlass)).toBe(false);
    expect(await usable(sara, roles.breakGlass)).toBe(false);
    vi.useRealTimers();
    for (const g of result.created) await deleteGrant(admin, g.id, meta);
  });
});

describe("changing a grant's expiry", () => {
  it("extends, shortens and removes it, audited with before and after; an expired grant can be renewed", async () => {
    const first = new Date(Date.now() + HOUR).toISOString();
    const grant = await createGrant(admin, { roleId: roles.breakGlass, userEmail: otto.email, expiresAt: first }, meta);

    // Expired, then renewed: access comes back on the next check.
    clockAt(Date.parse(first) + 1000);
    expect(await usable(otto, roles.breakGlass)).toBe(false);
    const renewed = new Date(Date.parse(first) + 2 * HOUR).toISOString();
    expect((await updateGrant(admin, grant.id, { expiresAt: renewed }, meta)).expiresAt).toBe(renewed);
    expect(await usable(otto, roles.breakGlass)).toBe(true);
    const audit = await lastAudit("grant.update");
    expect(audit).toMatchObject({ actor_id: admin.id, target_type: "grant", target_id: grant.id, outcome: "success" });
    expect(JSON.parse(audit.details)).toEqual({ expiresAtBefore: first, expiresAtAfter: renewed });

    // Removed: standing access.
    expect((await updateGrant(admin, grant.id, { expiresAt: null }, meta)).expiresAt).toBeNull();
    clockAt(Date.parse(renewed) + 300 * 24 * HOUR);
    expect(await usable(otto, roles.breakGlass)).toBe(true);
    expect(JSON.parse((await lastAudit("grant.update")).details)).toEqual({ expiresAtBefore: renewed, expiresAtAfter: null });
    vi.useRealTimers();
    await deleteGrant(admin, grant.id, meta);
  });

  it("is only for those who manage grants, and only for grants that exist", async () => {
    const grant = await createGrant(admin, { roleId: roles.breakGlass, userEmail: otto.email }, meta);
    const expiresAt = new Date(Date.now() + HOUR).toISOString();
    await expect(updateGrant(otto, grant.id, { expiresAt }, meta)).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateGrant(admin, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { expiresAt }, meta)).rejects.toMatchObject({ code: "not_found", message: "No such grant." });
    expect((await listGrants(admin, { id: grant.id }))[0]!.expiresAt).toBeNull();
    await deleteGrant(admin, grant.id, meta);
  });
});

describe("the expiry's input", () => {
  const roleId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  const messages = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) => r.error?.issues.map((i) => i.message);

  it("takes a time with its offset, normalised to UTC with milliseconds", () => {
    clockAt("2026-03-01T00:00:00.000Z");
    expect(createGrantInput.parse({ roleId, group: "sre", expiresAt: "2026-03-01T10:30:00+02:00" })).toEqual({ roleId, group: "sre", expiresAt: "2026-03-01T08:30:00.000Z" });
    expect(createGrantInput.parse({ roleId, group: "sre" })).toEqual({ roleId, group: "sre" });
    expect(updateGrantInput.parse({ expiresAt: null })).toEqual({ expiresAt: null });
  });

  it("refuses the past, now, more than a year ahead, and what is not a time, saying what to fix", () => {
    clockAt("2026-03-01T00:00:00.000Z");
    expect(messages(createGrantInput.safeParse({ roleId, userEmail: "a@example.com", expiresAt: "2026-02-28T23:59:59Z" }))).toEqual(["The expiry must be in the future"]);
    expect(messages(updateGrantInput.safeParse({ expiresAt: "2026-03-01T00:00:00Z" }))).toEqual(["The expiry must be in the future"]);
    expect(messages(updateGrantInput.safeParse({ expiresAt: "2027-03-01T00:00:01Z" }))).toEqual(["The expiry is at most a year from now; for longer access, give no expiry"]);
    expect(updateGrantInput.safeParse({ expiresAt: "2027-03-01T00:00:00Z" }).success).toBe(true);
    expect(messages(updateGrantInput.safeParse({ expiresAt: "tomorrow" }))).toEqual(["expiresAt must be an ISO 8601 time like 2026-01-31T12:00:00Z"]);
    expect(messages(updateGrantInput.safeParse({}))).toEqual(["expiresAt must be an ISO 8601 time like 2026-01-31T12:00:00Z"]);
    expect(updateGrantInput.safeParse({ expiresAt: null, extra: 1 }).success).toBe(false);
    expect(messages(createGrantsInput.safeParse({ roleIds: [roleId], groups: ["sre"], expiresAt: "2025-01-01T00:00:00Z" }))).toEqual(["The expiry must be in the future"]);
  });
});

describe("when access ends, as the menu and \"Your roles\" say it", () => {
  it("carries the latest expiry of a role whose every grant expires, and nothing for standing access or administrators", async () => {
    const soon = new Date(Date.now() + 2 * HOUR).toISOString();
    const later = new Date(Date.now() + 30 * HOUR).toISOString();
    const a = await createGrant(admin, { roleId: roles.breakGlass, userEmail: sara.email, expiresAt: soon }, meta);
    const b = await createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre", expiresAt: later }, meta);
    const saraMenu = await getMenuData(sara);
    expect(saraMenu.roles.find((r) => r.id === roles.breakGlass)?.accessEndsAt).toBe(later);
    const yours = await getYourRoles(sara);
    expect([...yours.pinned, ...yours.recent, ...yours.others].find((r) => r.id === roles.breakGlass)?.accessEndsAt).toBe(later);
    // Through the menu's wire shape and back.
    expect(decodeMenu(JSON.parse(JSON.stringify(encodeMenu(saraMenu))))).toEqual(saraMenu);
    // Once the longer one is gone, the shorter one is when access ends.
    await deleteGrant(admin, b.id, meta);
    expect((await getMenuData(sara)).roles.find((r) => r.id === roles.breakGlass)?.accessEndsAt).toBe(soon);
    // Standing access (otto's Standing role) and administrators: no end.
    expect((await getMenuData(otto)).roles.find((r) => r.id === roles.standing)).not.toHaveProperty("accessEndsAt");
    const adminRow = (await getMenuData(admin)).roles.find((r) => r.id === roles.breakGlass);
    expect(adminRow).toBeDefined();
    expect(adminRow).not.toHaveProperty("accessEndsAt");
    await deleteGrant(admin, a.id, meta);
  });

  it("words the expiry: in a day it is marked, beyond it not; expired says how long ago", () => {
    const now = Date.parse("2026-03-01T12:00:00.000Z");
    expect(accessEndsText("2026-03-01T14:00:00.000Z", now)).toBe("Access ends in 2 h");
    expect(accessEndsText("2026-03-01T12:45:30.000Z", now)).toBe("Access ends in 45 min");
    expect(accessEndsText("2026-03-02T12:00:00.000Z", now)).toBe("Access ends in 24 h");
    expect(accessEndsText("2026-03-02T12:00:00.001Z", now)).toBeNull();
    expect(accessEndsText(undefined, now)).toBeNull();
    expect(describeExpiry("2026-03-01T15:00:00.000Z", now)).toEqual({ expired: false, text: "Expires in 3 h" });
    expect(describeExpiry("2026-02-27T12:00:00.000Z", now)).toEqual({ expired: true, text: "Expired 2 d ago" });
    expect(describeExpiry(null, now)).toBeNull();
    expect(expiryFromChoice("8h", "", now)).toEqual({ expiresAt: "2026-03-01T20:00:00.000Z" });
    expect(expiryFromChoice("never", "", now)).toEqual({ expiresAt: null });
    expect(expiryFromChoice("at", "", now)).toEqual({ error: "Choose the date and time the grant ends" });
  });
});
