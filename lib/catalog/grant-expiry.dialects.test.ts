// The grant check and the menu's "access ends" on both dialects (SQLite, and Postgres when one is
// up): expires_at is compared with the clock as text in the store's fixed-width ISO form, a
// standing grant sorts after every expiry, and the switch's prepared query binds the clock.
import { afterEach, describe, expect, it, vi } from "vitest";
import { testActor } from "@/lib/auth/testing";
import { migrateToLatest } from "@/lib/db/migrate";
import { testDatabases } from "@/lib/db/testing";
import { usableRoleEntries } from "./menu";
import { findUsableRole } from "./role-queries";
import { accessEndsAt } from "./visibility";

const AT = "2026-01-01T00:00:00.000Z";
const EXPIRY = "2026-06-01T12:00:00.000Z";
const ROLE = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const OTHER = "01ARZ3NDEKTSV4RRFFQ69G5FAW";

afterEach(() => vi.useRealTimers());
const clockAt = (ms: number) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
};

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: grants that expire", (_, store) => {
  it.skipIf(store.skip)("the grant check and the menu read the expiry against the clock", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const user = (id: string, email: string, groups: string[]) => ({ id, email, name: email, role: "operator" as const, auth_provider: "local" as const, password_hash: null, groups: JSON.stringify(groups), created_at: AT, updated_at: AT });
    await db.insertInto("users").values([user("u1", "otto@example.com", []), user("u2", "sara@example.com", ["sre"])]).execute();
    await db.insertInto("accounts").values({ id: "a1", aws_account_id: "111111111111", name: "Production", alias: null, color: "#123456", created_at: AT, updated_at: AT }).execute();
    const role = (id: string, name: string) => ({ id, account_id: "a1", role_name: name, display_name: name, color: null, default_region: null, session_duration: null, external_id: null, role_max_session_duration: null, created_at: AT, updated_at: AT });
    await db.insertInto("roles").values([role(ROLE, "ReadOnly"), role(OTHER, "Standing")]).execute();
    await db
      .insertInto("grants")
      .values([
        { id: "g1", role_id: ROLE, user_id: "u1", group_name: null, created_by: null, created_at: AT, expires_at: EXPIRY },
        { id: "g2", role_id: ROLE, user_id: null, group_name: "sre", created_by: null, created_at: AT, expires_at: EXPIRY },
        { id: "g3", role_id: OTHER, user_id: "u1", group_name: null, created_by: null, created_at: AT, expires_at: null },
      ])
      .execute();
    const otto = testActor({ id: "u1", email: "otto@example.com", name: "otto", role: "operator" });
    const sara = testActor({ id: "u2", email: "sara@example.com", name: "sara", role: "operator", groups: ["sre"] });
    const menu = async (actor: typeof otto) => {
      const now = new Date().toISOString();
      const rows = await usableRoleEntries(db, actor, now).select(["roles.id"]).select(accessEndsAt(actor, now)).orderBy("roles.id").execute();
      return rows.map((r) => [r.id, r.access_ends_at]);
    };

    clockAt(Date.parse(EXPIRY) - 1);
    for (const actor of [otto, sara]) expect((await findUsableRole(db, actor, ROLE)).role.id).toBe(ROLE);
    expect(await menu(otto)).toEqual([
      [ROLE, EXPIRY],
      [OTHER, "9999-12-31T23:59:59.999Z"],
    ]);
    expect(await menu(sara)).toEqual([[ROLE, EXPIRY]]);

    clockAt(Date.parse(EXPIRY));
    for (const actor of [otto, sara]) await expect(findUsableRole(db, actor, ROLE)).rejects.toMatchObject({ code: "forbidden", message: "Your access to ReadOnly ended at 2026-06-01 12:00:00 UTC; ask an administrator." });
    expect(await menu(otto)).toEqual([[OTHER, "9999-12-31T23:59:59.999Z"]]);
    expect(await menu(sara)).toEqual([]);
    expect((await findUsableRole(db, otto, OTHER)).role.id).toBe(OTHER);
  });
});
