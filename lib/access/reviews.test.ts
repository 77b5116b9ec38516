// Access reviews of standing grants (issue 15 §3) on both stores (SQLite, and Postgres when one is
// up), through the functions the route and the page call: last use read from the audit log (a
// person's own switches; a group grant: any current member's), the unused threshold, grants made
// by access requests left out, and the decisions applied all or nothing with their audit events.
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import type { Database } from "@/lib/db/schema";
import { testDatabases } from "@/lib/db/testing";
import { reviewInput } from "./review-schemas";

vi.mock("next/headers", async () => (await import("@/lib/http/testing")).nextHeadersStub());

type Modules = {
  db: Kysely<Database>;
  reviews: typeof import("./reviews");
  authorize: typeof import("@/lib/http/authorize").authorize;
  ids: typeof import("@/lib/db/ids");
  cache: typeof import("@/lib/sessions/credential-cache");
  closeDb: () => Promise<void>;
};

/** Points the configuration at `url` and loads the modules afresh (the store client is made once
 * per module instance). */
async function load(url: string): Promise<Modules> {
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  process.env.NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";
  vi.resetModules();
  const client = await import("@/lib/db/client");
  return {
    db: await client.getDb(),
    reviews: await import("./reviews"),
    authorize: (await import("@/lib/http/authorize")).authorize,
    ids: await import("@/lib/db/ids"),
    cache: await import("@/lib/sessions/credential-cache"),
    closeDb: client.closeDb,
  };
}

const saved = { ...process.env };
afterAll(() => {
  for (const key of ["DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const meta = { requestId: "req-access-review", ip: "198.51.100.7", userAgent: "vitest" };
const DAY = 86_400_000;
const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

describe("the review's input", () => {
  it("refuses duplicates, too many decisions, unknown decisions and bad ids with clear messages", () => {
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    const message = (input: unknown) => reviewInput.safeParse(input).error?.issues.map((i) => i.message);
    expect(message({ decisions: [{ grantId: id, decision: "keep" }] })).toBeUndefined();
    expect(message({ decisions: [] })).toEqual(["Choose at least one grant"]);
    expect(message({ decisions: [{ grantId: id, decision: "keep" }, { grantId: id, decision: "remove" }] })).toEqual(["Each grant may appear only once in a review"]);
    expect(message({ decisions: [{ grantId: id, decision: "approve" }] })).toEqual(['decision must be "keep", "convert" or "remove"']);
    expect(message({ decisions: [{ grantId: "nope", decision: "keep" }] })).toEqual(["grantId is not a valid id"]);
    const many = Array.from({ length: 501 }, (_, i) => ({ grantId: `01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, "0")}`, decision: "keep" }));
    expect(message({ decisions: many })).toEqual(["Decide at most 500 grants at once"]);
  });
});

describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: access reviews", (_, store) => {
  let m: Modules;
  let admin: Actor;
  let operator: Actor;
  const role = { read: "", admin: "", billing: "" };
  const grant = { ottoRead: "", sreRead: "", ottoAdmin: "", saraBilling: "", sreAdmin: "", fromRequest: "" };

  beforeAll(async () => {
    if (store.skip) return;
    const { config } = await store.create();
    m = await load(config.dialect === "postgres" ? config.url : `file:${config.path}`);
    const { newId } = m.ids;
    const at = ago(400);
    const user = (id: string, email: string, role: "admin" | "operator", groups: string[] = []) => ({
      id,
      email,
      name: email.split("@")[0]!,
      role,
      password_hash: null,
      groups: JSON.stringify(groups),
      aws_identity: email,
      created_at: at,
      updated_at: at,
    });
    await m.db
      .insertInto("users")
      .values([user("u-ada", "ada@example.com", "admin"), user("u-otto", "otto@example.com", "operator"), user("u-sara", "sara@example.com", "operator", ["sre"]), user("u-sam", "sam@example.com", "operator", ["sre", "dba"])])
      .execute();
    admin = testActor({ id: "u-ada", email: "ada@example.com", name: "ada", role: "admin" });
    operator = testActor({ id: "u-otto", email: "otto@example.com", name: "otto", role: "operator" });
    await m.db.insertInto("accounts").values({ id: "a1", aws_account_id: "111111111111", name: "Production", alias: null, color: "#123456", created_at: at, updated_at: at }).execute();
    for (const [key, name] of [["read", "ReadOnly"], ["admin", "Admin"], ["billing", "Billing"]] as const) {
      role[key] = newId();
      await m.db.insertInto("roles").values({ id: role[key], account_id: "a1", role_name: name, display_name: name, color: null, default_region: null, session_duration: null, external_id: null, role_max_session_duration: null, created_at: at, updated_at: at }).execute();
    }
    const g = (key: keyof typeof grant, roleId: string, subject: { user: string } | { group: string }, createdAt = at, accessRequestId: string | null = null) => {
      grant[key] = newId();
      return { id: grant[key], role_id: roleId, user_id: "user" in subject ? subject.user : null, group_name: "group" in subject ? subject.group : null, created_by: "u-ada", created_at: createdAt, expires_at: null, access_request_id: accessRequestId };
    };
    const requestId = newId();
    await m.db
      .insertInto("access_requests")
      .values({ id: requestId, role_id: role.billing, requester_id: "u-otto", kind: "request", status: "approved", requested_seconds: 3600, approvals_required: 1, revoke_on_end: 1, created_at: ago(1) })
      .execute();
    await m.db
      .insertInto("grants")
      .values([
        g("ottoRead", role.read, { user: "u-otto" }),
        g("sreRead", role.read, { group: "sre" }),
        g("ottoAdmin", role.admin, { user: "u-otto" }),
        g("saraBilling", role.billing, { user: "u-sara" }),
        g("sreAdmin", role.admin, { group: "sre" }),
        g("fromRequest", role.billing, { user: "u-otto" }, ago(1), requestId),
      ])
      .execute();
    // The switches the audit log holds (and some that must not count).
    const event = (action: string, actorId: string | null, roleId: string, days: number, outcome: "success" | "failure" | "denied" = "success") => ({
      id: newId(NOW - days * DAY),
      at: ago(days),
      actor_id: actorId,
      actor_email: null,
      action,
      outcome,
      target_type: "role",
      target_id: roleId,
      target_label: null,
      aws_account_id: "111111111111",
      reason: null,
      ip: null,
      user_agent: null,
      request_id: null,
    });
    await m.db
      .insertInto("audit_events")
      .values([
        event("session.console", "u-otto", role.read, 10), // otto's own grant, recently
        event("session.credentials", "u-otto", role.read, 100),
        event("session.console", "u-sam", role.read, 40), // a member of sre
        event("session.credentials", "u-sara", role.read, 20), // another member, more recently
        event("session.console", "u-otto", role.admin, 120), // used, but longer ago than 90 days
        event("session.console", "u-otto", role.admin, 5, "failure"), // failed: not a use
        event("session.console", "u-sara", role.billing, 2, "denied"),
      ])
      .execute();
  });

  afterAll(async () => {
    if (store.skip) return;
    await m.closeDb();
  });

  const list = (unusedDays = 90) => m.reviews.listStandingGrants(admin, { unusedDays }, NOW);
  const byId = async (unusedDays = 90) => new Map((await list(unusedDays)).grants.map((g) => [g.id, g]));
  const audit = (action: string) => m.db.selectFrom("audit_events").select(["target_id", "details", "actor_id", "target_label"]).where("action", "=", action).orderBy("id").execute();

  it.skipIf(store.skip)("reads last use from the audit log (a person's, a group's current members'), flags unused grants and leaves request-made grants out", async () => {
    const grants = await byId();
    expect(grants.has(grant.fromRequest)).toBe(false);
    expect(grants.size).toBe(5);
    expect(grants.get(grant.ottoRead)).toMatchObject({ lastUsedAt: ago(10), lastUsedBy: "otto@example.com", unused: false, grantedBy: "ada@example.com", grantedAt: ago(400), roleArn: "arn:aws:iam::111111111111:role/ReadOnly" });
    expect(grants.get(grant.sreRead)).toMatchObject({ lastUsedAt: ago(20), lastUsedBy: "sara@example.com", unused: false, group: "sre", user: null });
    // Used 120 days ago (the failure 5 days ago is not a use).
    expect(grants.get(grant.ottoAdmin)).toMatchObject({ lastUsedAt: ago(120), unused: true });
    // A denied switch is not a use.
    expect(grants.get(grant.saraBilling)).toMatchObject({ lastUsedAt: null, lastUsedBy: null, unused: true });
    // otto is not in sre: his switches into Admin do not count for the group.
    expect(grants.get(grant.sreAdmin)).toMatchObject({ lastUsedAt: null, unused: true });

    // The threshold moves with the choice.
    const narrow = await byId(15);
    expect(narrow.get(grant.ottoRead)!.unused).toBe(false);
    expect(narrow.get(grant.sreRead)!.unused).toBe(true);
    const wide = await byId(180);
    expect(wide.get(grant.ottoAdmin)!.unused).toBe(false);
  });

  it.skipIf(store.skip)("does not flag a grant younger than the threshold that has not been used yet", async () => {
    const id = m.ids.newId();
    await m.db.insertInto("grants").values({ id, role_id: role.billing, user_id: null, group_name: "sre", created_by: "u-ada", created_at: ago(10), expires_at: null, access_request_id: null }).execute();
    try {
      expect((await byId()).get(id)).toMatchObject({ lastUsedAt: null, unused: false, grantedAt: ago(10) });
      expect((await byId(5)).get(id)).toMatchObject({ unused: true });
    } finally {
      await m.db.deleteFrom("grants").where("id", "=", id).execute();
    }
  });

  it.skipIf(store.skip)("refuses an operator: the guard audits the refusal, and the operation checks again", async () => {
    await expect(m.authorize({ permission: "grants.manage" }, { operation: "POST /api/v1/access-reviews", meta }, async () => operator)).rejects.toMatchObject({ code: "forbidden", audited: true });
    const denied = await m.db.selectFrom("audit_events").select(["action", "outcome", "details"]).where("actor_id", "=", operator.id).where("outcome", "=", "denied").execute();
    expect(denied).toEqual([{ action: "access.denied", outcome: "denied", details: expect.stringContaining("POST /api/v1/access-reviews") }]);
    await expect(m.reviews.listStandingGrants(operator, { unusedDays: 90 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(m.reviews.applyReview(operator, { decisions: [{ grantId: grant.ottoRead, decision: "remove" }] }, meta)).rejects.toMatchObject({ code: "forbidden" });
    expect((await byId()).has(grant.ottoRead)).toBe(true);
  });

  it.skipIf(store.skip)("changes nothing when one grant is unknown or was made by a request (400)", async () => {
    const before = await m.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    for (const stray of [m.ids.newId(), grant.fromRequest]) {
      await expect(
        m.reviews.applyReview(
          admin,
          {
            decisions: [
              { grantId: grant.ottoAdmin, decision: "remove" },
              { grantId: grant.saraBilling, decision: "convert" },
              { grantId: stray, decision: "keep" },
            ],
          },
          meta,
        ),
      ).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("Nothing was changed") });
    }
    expect((await byId()).size).toBe(5);
    expect(await m.db.selectFrom("role_eligibility").selectAll().execute()).toEqual([]);
    const after = await m.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it.skipIf(store.skip)("applies a bulk of mixed decisions in one transaction with its audit events, and drops cached credentials", async () => {
    // sre is eligible for Admin already: converting its grant makes no second row.
    await m.db.insertInto("role_eligibility").values({ id: m.ids.newId(), role_id: role.admin, user_id: null, group_name: "sre", created_by: "u-ada", created_at: ago(3) }).execute();
    const forget = vi.spyOn(m.cache.credentialCache(), "forgetRole");
    const summary = await m.reviews.applyReview(
      admin,
      {
        decisions: [
          { grantId: grant.ottoRead, decision: "keep" },
          { grantId: grant.saraBilling, decision: "convert" },
          { grantId: grant.sreAdmin, decision: "convert" },
          { grantId: grant.ottoAdmin, decision: "remove" },
        ],
        unusedDays: 90,
      },
      meta,
    );
    expect(summary).toMatchObject({ kept: 1, converted: 2, removed: 1, eligibilityCreated: 1, eligibilityExisting: 1 });

    const left = await byId();
    expect([...left.keys()].sort()).toEqual([grant.ottoRead, grant.sreRead].sort());
    expect(left.get(grant.ottoRead)!.lastKept).toEqual({ at: expect.any(String), by: "ada@example.com" });
    const eligible = await m.db.selectFrom("role_eligibility").select(["role_id", "user_id", "group_name", "created_by"]).orderBy("created_at").execute();
    expect(eligible).toEqual([
      { role_id: role.admin, user_id: null, group_name: "sre", created_by: "u-ada" },
      { role_id: role.billing, user_id: "u-sara", group_name: null, created_by: "u-ada" },
    ]);
    // The request-made grant is untouched.
    expect(await m.db.selectFrom("grants").select("id").where("id", "=", grant.fromRequest).executeTakeFirst()).toEqual({ id: grant.fromRequest });

    const deletes = await audit("grant.delete");
    expect(deletes.map((e) => e.target_id).sort()).toEqual([grant.saraBilling, grant.sreAdmin, grant.ottoAdmin].sort());
    for (const e of deletes) expect(JSON.parse(e.details)).toMatchObject({ via: "access-review", reviewId: summary.reviewId });
    expect(JSON.parse(deletes.find((e) => e.target_id === grant.saraBilling)!.details)).toMatchObject({ convertedTo: "eligibility" });
    const created = await audit("eligibility.create");
    expect(created).toHaveLength(1);
    expect(JSON.parse(created[0]!.details)).toMatchObject({ via: "access-review", grantId: grant.saraBilling });
    expect(created[0]!.target_label).toBe("arn:aws:iam::111111111111:role/Billing → sara@example.com");
    expect((await audit("grant.keep")).map((e) => e.target_id)).toEqual([grant.ottoRead]);
    const complete = await audit("access_review.complete");
    expect(complete).toHaveLength(1);
    expect(JSON.parse(complete[0]!.details)).toEqual({ kept: 1, converted: 2, removed: 1, eligibilityCreated: 1, unusedDays: 90 });
    expect(complete[0]!.target_id).toBe(summary.reviewId);

    const { lastReview } = await list();
    expect(lastReview).toEqual({ at: expect.any(String), by: "ada@example.com", kept: 1, converted: 2, removed: 1 });

    expect(forget.mock.calls.sort()).toEqual(
      [
        [role.billing, "u-sara"],
        [role.admin, undefined],
        [role.admin, "u-otto"],
      ].sort(),
    );
    forget.mockRestore();
  });
});
