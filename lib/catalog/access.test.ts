// Who may see and use which role entry, against a real SQLite store: operators get exactly what
// is granted to them or to one of their identity-provider groups, and another operator asking
// for the same entry is refused; administrators see and use everything; auditors see but can
// neither use nor manage; a revoked grant stops working on the next call. Covers the catalog
// (roles, grants) and the Switch Role menu (getMenuData, getLastRole, setPinned).
import { withTempStore } from "@/lib/config/testing";
import { addTestUser } from "@/lib/auth/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";

// The config (and so the store) is read from the environment on first use.
withTempStore("catalog-access");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { listRoles, getRole, registerRole, updateRole, deleteRole } = await import("./roles");
const { findUsableRole } = await import("./role-queries");
const { createGrant, deleteGrant, listGrants } = await import("./grants");
const { getMenuData, getLastRole, setPinned, recordUsage } = await import("./menu");

const meta = { requestId: "req-catalog-access", ip: "198.51.100.7", userAgent: "vitest" };

let admin: Actor;
/** Operator with a direct grant on ReadOnly. */
let otto: Actor;
/** Operator whose grant comes from the OIDC group platform-sre (BreakGlass). */
let sara: Actor;
/** Operator with no grants at all. */
let nadia: Actor;
let auditor: Actor;
const roles = { readOnly: "", breakGlass: "", testers: "", auditorRole: "" };
const grants = { ottoReadOnly: "", sreBreakGlass: "" };

const names = (list: Array<{ roleName: string }>) => list.map((r) => r.roleName).sort();
const forbiddenFor = (actor: Actor, permission: string) => ({
  code: "forbidden",
  message: `Your console role (${actor.role}) does not allow this (${permission}). Ask an administrator.`,
});
const NOT_GRANTED = { code: "forbidden", message: "This role is not granted to you. Ask an administrator for a grant." };
const NO_ENTRY = { code: "not_found", message: "No such role entry." };

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  sara = await addTestUser("sara@example.com", "operator", ["platform-sre", "everyone"]);
  nadia = await addTestUser("nadia@example.com", "operator", ["everyone"]);
  auditor = await addTestUser("aude@example.com", "auditor");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test" }, meta);
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  roles.breakGlass = (await registerRole(admin, { accountId: "111111111111", roleName: "BreakGlassAdmin" }, meta)).id;
  roles.auditorRole = (await registerRole(admin, { roleArn: "arn:aws:iam::111111111111:role/ThirdPartyAuditor", externalId: "switchboard-demo-7f3a9c2e" }, meta)).id;
  roles.testers = (await registerRole(admin, { accountId: "444444444444", roleName: "DevelopmentTesters" }, meta)).id;
  grants.ottoReadOnly = (await createGrant(admin, { roleId: roles.readOnly, userEmail: otto.email }, meta)).id;
  grants.sreBreakGlass = (await createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre" }, meta)).id;
  await createGrant(admin, { roleId: roles.auditorRole, userEmail: otto.email }, meta);
});

describe("what each person sees in the catalog", () => {
  it("shows an operator only the entries granted to them", async () => {
    expect(names(await listRoles(otto))).toEqual(["ReadOnly", "ThirdPartyAuditor"]);
    expect(names(await listRoles(sara))).toEqual(["BreakGlassAdmin"]);
    expect(await listRoles(nadia)).toEqual([]);
  });

  it("shows administrators and auditors every entry", async () => {
    const all = ["BreakGlassAdmin", "DevelopmentTesters", "ReadOnly", "ThirdPartyAuditor"];
    expect(names(await listRoles(admin))).toEqual(all);
    expect(names(await listRoles(auditor))).toEqual(all);
  });

  it("hides an ungranted entry from an operator as if it did not exist", async () => {
    expect((await getRole(otto, roles.readOnly)).roleArn).toBe("arn:aws:iam::111111111111:role/ReadOnly");
    await expect(getRole(sara, roles.readOnly)).rejects.toMatchObject(NO_ENTRY);
    await expect(getRole(otto, roles.breakGlass)).rejects.toMatchObject(NO_ENTRY);
  });

  it("shows the ExternalId's value only to administrators", async () => {
    const forAdmin = await getRole(admin, roles.auditorRole);
    expect(forAdmin).toMatchObject({ requiresExternalId: true, externalId: "switchboard-demo-7f3a9c2e" });
    for (const actor of [otto, auditor]) {
      const entry = await getRole(actor, roles.auditorRole);
      expect(entry.requiresExternalId).toBe(true);
      expect(entry).not.toHaveProperty("externalId");
      expect(JSON.stringify(await listRoles(actor))).not.toContain("switchboard-demo-7f3a9c2e");
    }
  });
});

describe("who may switch into an entry", () => {
  it("lets the operator it is granted to use it, and refuses another operator with the exact denial", async () => {
    const db = await getDb();
    const usable = await findUsableRole(db, otto, roles.readOnly);
    expect(usable.role.roleArn).toBe("arn:aws:iam::111111111111:role/ReadOnly");
    await expect(findUsableRole(db, sara, roles.readOnly)).rejects.toMatchObject(NOT_GRANTED);
    await expect(findUsableRole(db, nadia, roles.readOnly)).rejects.toMatchObject(NOT_GRANTED);
  });

  it("lets every member of a granted group use it, and no one outside the group", async () => {
    const db = await getDb();
    expect((await findUsableRole(db, sara, roles.breakGlass)).role.roleName).toBe("BreakGlassAdmin");
    await expect(findUsableRole(db, nadia, roles.breakGlass)).rejects.toMatchObject(NOT_GRANTED);
    await expect(findUsableRole(db, otto, roles.breakGlass)).rejects.toMatchObject(NOT_GRANTED);
  });

  it("follows the groups from the person's latest sign-in: leaving the group ends the access", async () => {
    const db = await getDb();
    const saraLeftTheGroup: Actor = { ...sara, groups: ["everyone"] };
    await expect(findUsableRole(db, saraLeftTheGroup, roles.breakGlass)).rejects.toMatchObject(NOT_GRANTED);
    expect(await listRoles(saraLeftTheGroup)).toEqual([]);
  });

  it("does not match group names loosely", async () => {
    const db = await getDb();
    for (const groups of [["platform-sre-interns"], ["PLATFORM-SRE"], ["platform"], ["%"]]) {
      await expect(findUsableRole(db, { ...nadia, groups }, roles.breakGlass)).rejects.toMatchObject(NOT_GRANTED);
    }
  });

  it("does not let a grant to a person be used by someone else with the same group", async () => {
    const db = await getDb();
    // otto's grant is to otto alone; sara shares no identity with him.
    await expect(findUsableRole(db, { ...sara, groups: [...sara.groups, otto.email] }, roles.readOnly)).rejects.toMatchObject(NOT_GRANTED);
  });

  it("lets administrators use every entry without a grant", async () => {
    const db = await getDb();
    for (const id of Object.values(roles)) expect((await findUsableRole(db, admin, id)).role.id).toBe(id);
  });

  it("never lets auditors switch, even though they see the entry", async () => {
    const db = await getDb();
    expect((await getRole(auditor, roles.readOnly)).id).toBe(roles.readOnly);
    await expect(findUsableRole(db, auditor, roles.readOnly)).rejects.toMatchObject(NOT_GRANTED);
    await expect(getMenuData(auditor)).rejects.toMatchObject(forbiddenFor(auditor, "sessions.create"));
    await expect(setPinned(auditor, roles.readOnly, true)).rejects.toMatchObject(forbiddenFor(auditor, "sessions.create"));
  });

  it("answers an unknown entry with not found, for everyone", async () => {
    const db = await getDb();
    const ghost = newId();
    await expect(findUsableRole(db, otto, ghost)).rejects.toMatchObject(NO_ENTRY);
    await expect(findUsableRole(db, admin, ghost)).rejects.toMatchObject(NO_ENTRY);
  });
});

describe("managing the catalog", () => {
  it.each([
    ["an operator", () => otto],
    ["an auditor", () => auditor],
  ])("is refused to %s, with the permission named", async (_, who) => {
    const actor = who();
    await expect(registerRole(actor, { accountId: "111111111111", roleName: "Sneaky" }, meta)).rejects.toMatchObject(forbiddenFor(actor, "roles.manage"));
    await expect(updateRole(actor, roles.readOnly, { displayName: "Mine now" }, meta)).rejects.toMatchObject(forbiddenFor(actor, "roles.manage"));
    await expect(deleteRole(actor, roles.readOnly, meta)).rejects.toMatchObject(forbiddenFor(actor, "roles.manage"));
    await expect(createGrant(actor, { roleId: roles.testers, userEmail: actor.email }, meta)).rejects.toMatchObject(forbiddenFor(actor, "grants.manage"));
    await expect(listGrants(actor)).rejects.toMatchObject(forbiddenFor(actor, "grants.manage"));
    await expect(deleteGrant(actor, grants.ottoReadOnly, meta)).rejects.toMatchObject(forbiddenFor(actor, "grants.manage"));
    // Nothing changed.
    expect((await getRole(admin, roles.readOnly)).displayName).toBe("Prod read-only");
    expect(names(await listRoles(admin))).not.toContain("Sneaky");
    expect((await listGrants(admin, { roleId: roles.testers })).length).toBe(0);
    expect((await listGrants(admin, { id: grants.ottoReadOnly })).length).toBe(1);
  });

  it("records no refused change as if it had happened", async () => {
    const db = await getDb();
    const events = await db
      .selectFrom("audit_events")
      .select(["action", "actor_email"])
      .where("actor_email", "in", [otto.email, auditor.email])
      .where("outcome", "=", "success")
      .execute();
    expect(events).toEqual([]);
  });

  it("refuses a role in an account that is not registered, or in the wrong partition", async () => {
    await expect(registerRole(admin, { accountId: "999999999999", roleName: "ReadOnly" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "Account 999999999999 is not registered yet. Register it first, then the role.",
      fields: { accountId: "Its account is not registered" },
    });
    await expect(registerRole(admin, { roleArn: "arn:aws-us-gov:iam::111111111111:role/ReadOnly" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message: "The ARN is in the aws-us-gov partition, but account 111111111111 is registered in aws.",
      fields: { roleArn: "Wrong partition" },
    });
  });

  it("refuses a second entry for the same IAM role, whatever its case (IAM role names are case-insensitive)", async () => {
    await expect(registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "ReadOnly in Production (111111111111) is already in the catalog.",
    });
    await expect(registerRole(admin, { roleArn: "arn:aws:iam::111111111111:role/readonly" }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "readonly in Production (111111111111) is already in the catalog.",
    });
    expect(names(await listRoles(admin))).toEqual(["BreakGlassAdmin", "DevelopmentTesters", "ReadOnly", "ThirdPartyAuditor"]);
  });

  it("keeps the path of a pasted ARN", async () => {
    const entry = await registerRole(admin, { roleArn: "arn:aws:iam::444444444444:role/teams/platform/Deployer" }, meta);
    expect(entry).toMatchObject({ path: "/teams/platform/", roleName: "Deployer", roleArn: "arn:aws:iam::444444444444:role/teams/platform/Deployer", accountName: "Test" });
    await deleteRole(admin, entry.id, meta);
  });
});

describe("grants", () => {
  it("refuses a grant that already exists, naming who has it", async () => {
    await expect(createGrant(admin, { roleId: roles.readOnly, userEmail: otto.email }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "Prod read-only is already granted to otto@example.com.",
    });
    await expect(createGrant(admin, { roleId: roles.breakGlass, group: "platform-sre" }, meta)).rejects.toMatchObject({
      code: "conflict",
      message: "BreakGlassAdmin is already granted to group platform-sre.",
    });
  });

  it("refuses a grant to someone who is not a user", async () => {
    await expect(createGrant(admin, { roleId: roles.readOnly, userEmail: "ghost@example.com" }, meta)).rejects.toMatchObject({
      code: "bad_request",
      message:
        "No user with the email ghost@example.com. Add them on the Users page first (people from single sign-on appear after their first sign-in; grant their group instead).",
      fields: { userEmail: "No such user" },
    });
  });

  it("refuses a grant on an entry that does not exist", async () => {
    await expect(createGrant(admin, { roleId: newId(), userEmail: otto.email }, meta)).rejects.toMatchObject(NO_ENTRY);
  });

  it("lists who holds each grant", async () => {
    const list = await listGrants(admin, { roleId: roles.readOnly });
    expect(list).toEqual([
      expect.objectContaining({
        id: grants.ottoReadOnly,
        roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
        roleLabel: "Prod read-only",
        accountName: "Production",
        user: { id: otto.id, email: otto.email, name: "otto" },
        group: null,
        createdBy: admin.email,
      }),
    ]);
  });
});

describe("revoking a grant", () => {
  let grantId = "";
  beforeEach(async () => {
    grantId = (await createGrant(admin, { roleId: roles.testers, userEmail: nadia.email }, meta)).id;
  });

  it("takes effect on the very next call, everywhere", async () => {
    const db = await getDb();
    expect((await findUsableRole(db, nadia, roles.testers)).role.roleName).toBe("DevelopmentTesters");
    await recordUsage(nadia, roles.testers, "us-east-1");
    await setPinned(nadia, roles.testers, true);
    expect((await getMenuData(nadia)).roles.map((r) => r.name)).toEqual(["DevelopmentTesters"]);
    expect((await getLastRole(nadia))?.id).toBe(roles.testers);

    await deleteGrant(admin, grantId, meta);

    await expect(findUsableRole(db, nadia, roles.testers)).rejects.toMatchObject(NOT_GRANTED);
    await expect(getRole(nadia, roles.testers)).rejects.toMatchObject(NO_ENTRY);
    expect(await listRoles(nadia)).toEqual([]);
    expect(await getMenuData(nadia)).toEqual({ accounts: [], roles: [], lastRoleId: null });
    expect(await getLastRole(nadia)).toBeNull();
    await expect(setPinned(nadia, roles.testers, false)).rejects.toMatchObject({ code: "not_found", message: "No such role in your menu." });
  });

  it("is refused for a grant that does not exist (already revoked)", async () => {
    await deleteGrant(admin, grantId, meta);
    await expect(deleteGrant(admin, grantId, meta)).rejects.toMatchObject({ code: "not_found", message: "No such grant." });
  });
});

describe("the Switch Role menu", () => {
  it("lists only the granted entries, grouped by account, with no ExternalId value", async () => {
    const menu = await getMenuData(otto);
    expect(menu.accounts).toEqual([{ id: "111111111111", name: "Production", alias: null, environment: "production", color: "#dc2626", partition: "aws" }]);
    expect(menu.roles.map((r) => ({ name: r.name, label: r.label, a: r.a, requiresExternalId: r.requiresExternalId }))).toEqual([
      { name: "ReadOnly", label: "Prod read-only", a: 0, requiresExternalId: false },
      { name: "ThirdPartyAuditor", label: "ThirdPartyAuditor", a: 0, requiresExternalId: true },
    ]);
    expect(JSON.stringify(menu)).not.toContain("switchboard-demo-7f3a9c2e");
    expect((await getMenuData(sara)).roles.map((r) => r.name)).toEqual(["BreakGlassAdmin"]);
  });

  it("shows administrators every entry", async () => {
    const menu = await getMenuData(admin);
    expect(menu.accounts.map((a) => a.name)).toEqual(["Production", "Test"]);
    expect(menu.roles.map((r) => r.name).sort()).toEqual(["BreakGlassAdmin", "DevelopmentTesters", "ReadOnly", "ThirdPartyAuditor"]);
  });

  it("pins a granted entry for that person only", async () => {
    await setPinned(otto, roles.readOnly, true);
    expect((await getMenuData(otto)).roles.find((r) => r.id === roles.readOnly)?.pinned).toBe(true);
    expect((await getMenuData(admin)).roles.find((r) => r.id === roles.readOnly)?.pinned).toBe(false);
    await setPinned(otto, roles.readOnly, false);
    expect((await getMenuData(otto)).roles.find((r) => r.id === roles.readOnly)?.pinned).toBe(false);
  });

  it("refuses to pin an entry that is not granted, and stores nothing", async () => {
    await expect(setPinned(otto, roles.breakGlass, true)).rejects.toMatchObject({ code: "not_found", message: "No such role in your menu." });
    await expect(setPinned(otto, newId(), true)).rejects.toMatchObject({ code: "not_found", message: "No such role in your menu." });
    const db = await getDb();
    expect(await db.selectFrom("role_usage").select("role_id").where("user_id", "=", otto.id).where("role_id", "=", roles.breakGlass).execute()).toEqual([]);
  });

  it("remembers the last entry used, per person, and forgets it once the grant is gone", async () => {
    await recordUsage(sara, roles.breakGlass, "eu-west-1");
    expect(await getLastRole(sara)).toEqual({ id: roles.breakGlass, label: "BreakGlassAdmin", accountName: "Production", color: "#dc2626" });
    expect((await getMenuData(sara)).lastRoleId).toBe(roles.breakGlass);
    // otto never used it: his last role is not sara's.
    expect((await getLastRole(otto))?.id).not.toBe(roles.breakGlass);
    // Out of the group, the usage row remains but the entry is no longer offered.
    const saraLeftTheGroup: Actor = { ...sara, groups: ["everyone"] };
    expect(await getLastRole(saraLeftTheGroup)).toBeNull();
    expect((await getMenuData(saraLeftTheGroup)).lastRoleId).toBeNull();
  });

  it("falls back to the last entry that is still granted", async () => {
    await recordUsage(otto, roles.readOnly, "us-east-1");
    const temporary = await createGrant(admin, { roleId: roles.testers, userEmail: otto.email }, meta);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordUsage(otto, roles.testers, "us-east-1");
    expect((await getLastRole(otto))?.id).toBe(roles.testers);
    await deleteGrant(admin, temporary.id, meta);
    expect((await getLastRole(otto))?.id).toBe(roles.readOnly);
    expect((await getMenuData(otto)).lastRoleId).toBe(roles.readOnly);
  });
});

describe("the audit log", () => {
  it("records every grant and catalog change with who, what and the outcome, and no ExternalId", async () => {
    const db = await getDb();
    const events = await db.selectFrom("audit_events").selectAll().where("actor_email", "=", admin.email).where("action", "like", "grant.%").execute();
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "grant.create",
          outcome: "success",
          actor_id: admin.id,
          target_type: "grant",
          target_id: grants.ottoReadOnly,
          target_label: "arn:aws:iam::111111111111:role/ReadOnly → otto@example.com",
          aws_account_id: "111111111111",
          ip: "198.51.100.7",
          request_id: "req-catalog-access",
        }),
        expect.objectContaining({ action: "grant.create", outcome: "success", target_label: "arn:aws:iam::111111111111:role/BreakGlassAdmin → group platform-sre" }),
        expect.objectContaining({ action: "grant.delete", outcome: "success", target_label: "arn:aws:iam::444444444444:role/DevelopmentTesters → nadia@example.com" }),
      ]),
    );
    const roleEvents = await db.selectFrom("audit_events").selectAll().where("action", "like", "role.%").execute();
    expect(roleEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "role.create", outcome: "success", target_label: "arn:aws:iam::111111111111:role/ThirdPartyAuditor", aws_account_id: "111111111111" }),
        expect.objectContaining({ action: "role.delete", outcome: "success", target_label: "arn:aws:iam::444444444444:role/teams/platform/Deployer" }),
      ]),
    );
    expect(JSON.stringify([...events, ...roleEvents])).not.toContain("switchboard-demo-7f3a9c2e");
  });
});
