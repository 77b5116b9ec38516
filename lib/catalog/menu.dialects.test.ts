// The menu's "Ask for access" query on both dialects (SQLite, and Postgres when one is up):
// eligible by user id or by group, minus what the person may use now (a grant in force; an
// expired one no longer counts), with their own pending requests marked.
import { afterEach, describe, expect, it, vi } from "vitest";
import { testActor } from "@/lib/auth/testing";
import { migrateToLatest } from "@/lib/db/migrate";
import { testDatabases } from "@/lib/db/testing";
import { requestableRoleEntries } from "./menu";

const AT = "2026-01-01T00:00:00.000Z";
const EXPIRY = "2026-06-01T12:00:00.000Z";
const [BY_USER, BY_GROUP, GRANTED, NOBODY] = ["01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2", "01ARZ3NDEKTSV4RRFFQ69G5FA3", "01ARZ3NDEKTSV4RRFFQ69G5FA4"];

afterEach(() => vi.useRealTimers());

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: entries to ask for", (_, store) => {
  it.skipIf(store.skip)("eligible by user or group, not usable now, pending marked for the requester only", async () => {
    const { db } = await store.create();
    await migrateToLatest(db);
    const user = (id: string, email: string, groups: string[]) => ({ id, email, name: email, role: "operator" as const, auth_provider: "local" as const, password_hash: null, groups: JSON.stringify(groups), created_at: AT, updated_at: AT });
    await db.insertInto("users").values([user("u1", "otto@example.com", []), user("u2", "sara@example.com", ["sre"])]).execute();
    await db.insertInto("accounts").values({ id: "a1", aws_account_id: "111111111111", name: "Production", alias: null, color: "#123456", created_at: AT, updated_at: AT }).execute();
    const role = (id: string, name: string) => ({ id, account_id: "a1", role_name: name, display_name: name, color: null, default_region: null, session_duration: null, external_id: null, role_max_session_duration: null, created_at: AT, updated_at: AT });
    await db.insertInto("roles").values([role(BY_USER, "ReadOnly"), role(BY_GROUP, "BreakGlass"), role(GRANTED, "Deploy"), role(NOBODY, "Other")]).execute();
    await db
      .insertInto("role_eligibility")
      .values([
        { id: "e1", role_id: BY_USER, user_id: "u1", group_name: null, created_by: null, created_at: AT },
        { id: "e2", role_id: BY_GROUP, user_id: null, group_name: "sre", created_by: null, created_at: AT },
        { id: "e3", role_id: GRANTED, user_id: "u1", group_name: null, created_by: null, created_at: AT },
        { id: "e4", role_id: GRANTED, user_id: null, group_name: "sre", created_by: null, created_at: AT },
      ])
      .execute();
    await db.insertInto("grants").values({ id: "g1", role_id: GRANTED, user_id: "u1", group_name: null, created_by: null, created_at: AT, expires_at: EXPIRY }).execute();
    await db
      .insertInto("access_requests")
      .values({ id: "r1", role_id: BY_USER, requester_id: "u1", kind: "request", extends_id: null, status: "pending", ticket: null, requested_seconds: 3600, granted_seconds: null, approvals_required: 1, revoke_on_end: 0, created_at: AT, decided_at: null, starts_at: null, ends_at: null, ended_at: null, ended_by: null, end_comment: null, revocation_lease_until: null, revoked_at: null, expiry_notified_at: null, review_state: null, reviewed_by: null, reviewed_at: null, review_comment: null })
      .execute();
    const otto = testActor({ id: "u1", email: "otto@example.com", name: "otto", role: "operator" });
    const sara = testActor({ id: "u2", email: "sara@example.com", name: "sara", role: "operator", groups: ["sre"] });
    const admin = testActor({ id: "u3", email: "ada@example.com", name: "ada", role: "admin" });
    const ids = async (actor: typeof otto, now: string) => (await requestableRoleEntries(db, actor, now)).map((r) => [r.role_name, r.pending]);

    const before = new Date(Date.parse(EXPIRY) - 1).toISOString();
    expect(await ids(otto, before)).toEqual([["ReadOnly", true]]);
    expect(await ids(sara, before)).toEqual([
      ["BreakGlass", false],
      ["Deploy", false],
    ]);
    expect(await ids({ ...sara, groups: ["SRE", "sre-interns"] }, before)).toEqual([]);
    expect(await ids(admin, before)).toEqual([]);
    // otto's grant has expired: Deploy is theirs to ask for again.
    expect(await ids(otto, EXPIRY)).toEqual([
      ["Deploy", false],
      ["ReadOnly", true],
    ]);
  });
});
