// Access on request on both stores (SQLite, and Postgres when one is up), where the store's own
// behaviour decides the outcome: two approvers approving at the same moment count as two
// approvals exactly once (the request's row is taken for the transaction), two expiry jobs running
// at once expire a request and write its event once, and two instances claiming one request's
// revocation get it once. requests.test.ts covers the rest on SQLite.
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";

type Modules = {
  db: Kysely<Database>;
  requests: typeof import("./requests");
  policy: typeof import("./policy");
  expiry: typeof import("./expiry");
  closeDb: () => Promise<void>;
};

async function load(url: string): Promise<Modules> {
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
  vi.resetModules();
  const client = await import("@/lib/db/client");
  return { db: await client.getDb(), requests: await import("./requests"), policy: await import("./policy"), expiry: await import("./expiry"), closeDb: client.closeDb };
}

const saved = { ...process.env };
afterAll(() => {
  for (const key of ["DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const meta = { requestId: "req-access-dialects", ip: "192.0.2.40", userAgent: "vitest" };
const ROLE = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: access on request", (_, store) => {
  let m: Modules;
  let otto: Actor;
  let ada: Actor;
  let alan: Actor;

  beforeAll(async () => {
    if (store.skip) return;
    const { config } = await store.create();
    m = await load(config.dialect === "postgres" ? config.url : `file:${config.path}`);
    const at = new Date().toISOString();
    const user = (id: string, email: string, role: "admin" | "operator") => ({ id, email, name: email, role, password_hash: null, aws_identity: email, created_at: at, updated_at: at });
    await m.db.insertInto("users").values([user("u-otto", "otto@example.com", "operator"), user("u-ada", "ada@example.com", "admin"), user("u-alan", "alan@example.com", "admin")]).execute();
    await m.db.insertInto("accounts").values({ id: "a1", aws_account_id: "111111111111", name: "Production", alias: null, color: "#123456", created_at: at, updated_at: at }).execute();
    await m.db
      .insertInto("roles")
      .values({ id: ROLE, account_id: "a1", role_name: "ReadOnly", display_name: "ReadOnly", color: null, default_region: null, session_duration: null, external_id: null, role_max_session_duration: null, created_at: at, updated_at: at })
      .execute();
    otto = testActor({ id: "u-otto", email: "otto@example.com", name: "otto", role: "operator" });
    ada = testActor({ id: "u-ada", email: "ada@example.com", name: "ada", role: "admin" });
    alan = testActor({ id: "u-alan", email: "alan@example.com", name: "alan", role: "admin" });
    await m.policy.setEligibility(ada, ROLE, { userEmails: [otto.email], groups: [], policy: { approverEmails: [], approverGroups: [], anyAdmin: true, approvalsRequired: 2, maxDurationSeconds: 3600, reasonRequired: true, ticketPattern: null, breakGlass: false, revokeOnEnd: true } }, meta);
  });

  afterAll(async () => {
    if (store.skip) return;
    await m.closeDb();
  });

  it.skipIf(store.skip)("two approvers at the same moment: two approvals, counted once; then two expiry jobs and two revocation claims at once act once", async () => {
    const asked = await m.requests.createAccessRequest(otto, { roleId: ROLE, durationSeconds: 900, reason: "dialects", breakGlass: false }, meta);
    const results = await Promise.allSettled([m.requests.approveAccessRequest(ada, asked.id, { comment: "a" }, meta), m.requests.approveAccessRequest(alan, asked.id, { comment: "b" }, meta)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const request = await m.requests.getAccessRequest(otto, asked.id);
    expect(request.status).toBe("approved");
    expect(request.decisions.map((d) => d.approverEmail).sort()).toEqual(["ada@example.com", "alan@example.com"]);
    expect(await m.db.selectFrom("grants").select("id").where("access_request_id", "=", asked.id).execute()).toHaveLength(1);

    // Its time runs out; two instances' jobs look at once.
    const past = new Date(Date.now() - 1000).toISOString();
    await m.db.updateTable("access_requests").set({ ends_at: past }).where("id", "=", asked.id).execute();
    await m.db.updateTable("grants").set({ expires_at: past }).where("access_request_id", "=", asked.id).execute();
    const reports = await Promise.all([m.expiry.runExpiry(), m.expiry.runExpiry()]);
    expect(reports.map((r) => r.expired).sort()).toEqual([0, 1]);
    const events = await m.db.selectFrom("audit_events").select("id").where("action", "=", "access.expire").execute();
    expect(events).toHaveLength(1);
    // Otto never switched in: the revocation is done without an AWS call, by one of the two.
    expect(reports.reduce((n, r) => n + r.nothingToRevoke, 0)).toBe(1);
    const row = await m.db.selectFrom("access_requests").select(["status", "revocation_state", "revocation_attempts"]).where("id", "=", asked.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "expired", revocation_state: "done", revocation_attempts: 1 });
  });

  it.skipIf(store.skip)("one revocation claimed by two instances at once is taken by one", async () => {
    const at = new Date().toISOString();
    await m.db
      .insertInto("access_requests")
      .values({ id: "01ARZ3NDEKTSV4RRFFQ69G5FB0", role_id: ROLE, requester_id: "u-otto", kind: "request", extends_id: null, status: "ended", reason: "x", ticket: null, requested_seconds: 900, granted_seconds: 900, approvals_required: 1, revoke_on_end: 1, created_at: at, decided_at: at, starts_at: at, ends_at: at, ended_at: at, ended_by: null, end_comment: null, revocation_state: "pending", revocation_lease_until: null, revoked_at: null, expiry_notified_at: null, review_state: null, reviewed_by: null, reviewed_at: null, review_comment: null })
      .execute();
    const outcomes = await Promise.all([m.expiry.revokeEndedAccess("01ARZ3NDEKTSV4RRFFQ69G5FB0", null), m.expiry.revokeEndedAccess("01ARZ3NDEKTSV4RRFFQ69G5FB0", null)]);
    expect(outcomes.sort()).toEqual(["busy", "nothing"]);
  });
});
