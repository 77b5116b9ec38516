// The Switch Role menu's "Ask for access" rows (issue 15 §2.1), against a real SQLite store: an
// operator sees the entries they are eligible for (by user or through a group) and cannot use,
// marked pending once they asked; never an entry they may already use, never someone else's;
// administrators (who may use everything) have none. And the compact wire carries them intact.
import { withTempStore } from "@/lib/config/testing";
import { addTestUser } from "@/lib/auth/testing";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";

withTempStore("catalog-menu-requestable");

const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("./roles");
const { createGrant } = await import("./grants");
const { getMenuData } = await import("./menu");
const { encodeMenu, decodeMenu } = await import("./menu-wire");
const { setEligibility } = await import("@/lib/access/policy");
const { createAccessRequest } = await import("@/lib/access/requests");
const { eligibilityInput } = await import("@/lib/access/schemas");

const meta = { requestId: "req-menu-requestable", ip: "198.51.100.7", userAgent: "vitest" };

let admin: Actor;
/** Eligible for ReadOnly by name; granted Deploy (and eligible for it too). */
let otto: Actor;
/** Eligible for BreakGlass through the group platform-sre. */
let sara: Actor;
/** Eligible for nothing. */
let nadia: Actor;
const roles = { readOnly: "", breakGlass: "", deploy: "", other: "" };

const requestableIds = async (actor: Actor) => ((await getMenuData(actor)).requestable ?? []).map((q) => q.id).sort();

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  sara = await addTestUser("sara@example.com", "operator", ["platform-sre"]);
  nadia = await addTestUser("nadia@example.com", "operator", ["everyone"]);
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "222222222222", name: "Staging", environment: "staging" }, meta);
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  roles.breakGlass = (await registerRole(admin, { accountId: "111111111111", roleName: "BreakGlassAdmin" }, meta)).id;
  roles.deploy = (await registerRole(admin, { accountId: "222222222222", roleName: "Deployer" }, meta)).id;
  roles.other = (await registerRole(admin, { accountId: "222222222222", roleName: "Unrelated" }, meta)).id;
  const policy = { maxDurationSeconds: 3600 };
  await setEligibility(admin, roles.readOnly, eligibilityInput.parse({ userEmails: [otto.email], groups: [], policy }), meta);
  await setEligibility(admin, roles.breakGlass, eligibilityInput.parse({ userEmails: [], groups: ["platform-sre"], policy }), meta);
  await setEligibility(admin, roles.deploy, eligibilityInput.parse({ userEmails: [otto.email], groups: [], policy }), meta);
  await createGrant(admin, { roleId: roles.deploy, userEmail: otto.email }, meta);
});

describe("getMenuData: the entries a person may ask for", () => {
  it("lists an entry a person is eligible for by name, with its account, apart from the usable ones", async () => {
    const menu = await getMenuData(otto);
    expect(menu.roles.map((r) => r.id)).toEqual([roles.deploy]);
    expect(menu.requestable).toEqual([{ id: roles.readOnly, a: expect.any(Number), name: "ReadOnly", label: "Prod read-only", color: expect.stringMatching(/^#[0-9a-f]{6}$/i) }]);
    // Production has no usable role of otto's: its account is listed for the requestable row.
    expect(menu.accounts[menu.requestable![0]!.a]).toMatchObject({ id: "111111111111", name: "Production", environment: "production" });
    expect(menu.accounts.map((a) => a.id)).toEqual(["222222222222", "111111111111"]);
  });

  it("lists an entry a person is eligible for through one of their groups", async () => {
    const menu = await getMenuData(sara);
    expect(menu.roles).toEqual([]);
    expect(menu.requestable?.map((q) => q.id)).toEqual([roles.breakGlass]);
  });

  it("leaves out an entry the person may already use: it shows once, as usable", async () => {
    expect(await requestableIds(otto)).not.toContain(roles.deploy);
    // A grant through the group makes sara's requestable entry usable.
    await createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre" }, meta);
    const menu = await getMenuData(sara);
    expect(menu.roles.map((r) => r.id)).toEqual([roles.breakGlass]);
    expect(menu).not.toHaveProperty("requestable");
  });

  it("lists nothing for other people, nor for a group name that only looks alike", async () => {
    expect(await getMenuData(nadia)).toEqual({ accounts: [], roles: [], lastRoleId: null });
    expect(await requestableIds({ ...nadia, groups: ["platform-sre-interns", "PLATFORM-SRE", "%"] })).toEqual([]);
  });

  it("lists nothing for administrators, who may use every entry", async () => {
    const menu = await getMenuData(admin);
    expect(menu).not.toHaveProperty("requestable");
    expect(menu.roles).toHaveLength(4);
  });

  it("marks an entry pending once the person has asked for it, for them only", async () => {
    const before = (await getMenuData(otto)).requestable![0]!;
    expect(before).not.toHaveProperty("pending");
    await createAccessRequest(otto, { roleId: roles.readOnly, durationSeconds: 1800, reason: "incident 42", breakGlass: false }, meta);
    expect((await getMenuData(otto)).requestable).toEqual([{ ...before, pending: true }]);
  });

  it("travels through the compact wire and back intact", async () => {
    const menu = await getMenuData(otto);
    expect(menu.requestable?.[0]?.pending).toBe(true);
    expect(decodeMenu(JSON.parse(JSON.stringify(encodeMenu(menu))))).toEqual(menu);
  });
});
