// Access on request (issue 15 §1–2) against a real SQLite store, with the clock injected (fake
// `Date`; the store runs for real): eligibility and the policy, a request and its approval, access
// that ends at the exact second, an extension, two approvals from two people, self-approval
// refused, an approver who cannot lengthen, ending access now, withdrawing, break-glass and its
// review, and the expiry job that marks what ended — once.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addTestUser } from "@/lib/auth/testing";
import type { Actor } from "@/lib/auth/actor";
import { withTempStore } from "@/lib/config/testing";

withTempStore("access-requests");

const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { findUsableRole } = await import("@/lib/catalog/role-queries");
const { createGrant } = await import("@/lib/catalog/grants");
const { setEligibility, getEligibility } = await import("./policy");
const { eligibilityInput, createAccessRequestInput } = await import("./schemas");
const access = await import("./requests");
const { runExpiry } = await import("./expiry");

const meta = { requestId: "req-access", ip: "198.51.100.30", userAgent: "vitest" };
const MIN = 60_000;
const HOUR = 3600_000;

let admin: Actor;
let admin2: Actor;
let otto: Actor;
let sara: Actor;
let lead: Actor;
let auditor: Actor;
const roles = { prod: "", twoKeys: "", glass: "", none: "" };

const clockAt = (at: number) => {
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

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
};

const audits = async (action: string, requestId?: string) => {
  const db = await getDb();
  const rows = await db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id").execute();
  return requestId ? rows.filter((r) => (JSON.parse(r.details) as { accessRequestId?: string }).accessRequestId === requestId) : rows;
};

const ask = (actor: Actor, roleId: string, durationSeconds: number, extra: Record<string, unknown> = {}) =>
  access.createAccessRequest(actor, createAccessRequestInput.parse({ roleId, durationSeconds, reason: "INC-42 database is slow", ...extra }), meta);

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  admin2 = await addTestUser("alan@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  sara = await addTestUser("sara@example.com", "operator", ["sre"]);
  lead = await addTestUser("lena@example.com", "operator", ["leads"]);
  auditor = await addTestUser("audrey@example.com", "auditor");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  roles.prod = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  roles.twoKeys = (await registerRole(admin, { accountId: "111111111111", roleName: "Admin" }, meta)).id;
  roles.glass = (await registerRole(admin, { accountId: "111111111111", roleName: "BreakGlass" }, meta)).id;
  roles.none = (await registerRole(admin, { accountId: "111111111111", roleName: "Nobody" }, meta)).id;
  await setEligibility(admin, roles.prod, eligibilityInput.parse({ userEmails: [otto.email], groups: ["sre"], policy: { maxDurationSeconds: 4 * 3600, approverGroups: ["leads"] } }), meta);
  await setEligibility(admin, roles.twoKeys, eligibilityInput.parse({ userEmails: [otto.email], policy: { approvalsRequired: 2, maxDurationSeconds: 3600, ticketPattern: "INC-\\d+" } }), meta);
  await setEligibility(admin, roles.glass, eligibilityInput.parse({ userEmails: [otto.email], policy: { breakGlass: true, maxDurationSeconds: 3600, anyAdmin: false, approverEmails: [lead.email] } }), meta);
});

describe("eligibility and policy", () => {
  it("reads back what was set, audited; refuses a policy nobody could approve", async () => {
    const e = await getEligibility(admin, roles.prod);
    expect(e.eligible.users.map((u) => u.email)).toEqual([otto.email]);
    expect(e.eligible.groups).toEqual(["sre"]);
    expect(e.policy).toMatchObject({ maxDurationSeconds: 14400, approverGroups: ["leads"], anyAdmin: true, approvalsRequired: 1 });
    expect((await audits("eligibility.update")).length).toBe(3);
    expect(await codeOf(setEligibility(admin, roles.none, eligibilityInput.parse({ userEmails: [otto.email], policy: { anyAdmin: false } }), meta))).toMatch(/^bad_request: Name at least one approver/);
    expect(await codeOf(setEligibility(admin, roles.none, eligibilityInput.parse({ userEmails: ["ghost@example.com"], policy: {} }), meta))).toMatch(/^bad_request: No user with the email ghost@example.com/);
    expect(await codeOf(getEligibility(otto, roles.prod))).toMatch(/^forbidden/);
    expect(eligibilityInput.safeParse({ policy: { ticketPattern: "(" } }).error?.issues[0]?.message).toMatch(/not a valid regular expression/);
  });

  it("refuses people who are not eligible, auditors, and a duration over the policy's, with the reason", async () => {
    expect(await codeOf(ask(lead, roles.prod, 3600))).toMatch(/^forbidden: You cannot ask for Production \/ Prod read-only: you are not eligible/);
    expect(await codeOf(ask(auditor, roles.prod, 3600))).toMatch(/^forbidden/);
    expect(await codeOf(ask(otto, roles.prod, 5 * 3600))).toBe("bad_request: Duration is at most 4 hours for Production / Prod read-only.");
    expect(await codeOf(ask(otto, roles.prod, 3600, { reason: "" }))).toMatch(/^bad_request: Say why/);
    expect(await codeOf(ask(otto, roles.twoKeys, 3600, { ticket: "JIRA-1" }))).toMatch(/^bad_request: The ticket reference JIRA-1 does not match/);
    expect(await codeOf(ask(otto, roles.prod, 3600, { breakGlass: true }))).toMatch(/^forbidden: Break-glass is not allowed/);
    const refused = await audits("access.request");
    expect(refused.filter((r) => r.outcome === "denied").length).toBeGreaterThanOrEqual(4);
  });
});

describe("a request, approved", () => {
  it("gives access from approval until the exact second it ends, and not after; the approver may shorten, never lengthen, never approve their own", async () => {
    const t0 = Date.parse("2026-12-03T10:00:00.000Z");
    clockAt(t0);
    const req = await ask(otto, roles.prod, 2 * 3600);
    expect(req).toMatchObject({ status: "pending", requestedSeconds: 7200, requester: { email: otto.email } });
    expect(await usable(otto, roles.prod)).toBe(false);
    expect(await codeOf(ask(otto, roles.prod, 3600))).toMatch(/^conflict: You already asked for/);

    // The inbox: approvers see it (an admin, the leads group), others do not.
    expect((await access.listAccessRequests(admin, { view: "to-approve", status: "pending", limit: 50 })).map((r) => r.id)).toContain(req.id);
    expect((await access.listAccessRequests(lead, { view: "to-approve", status: "pending", limit: 50 })).map((r) => r.id)).toContain(req.id);
    expect(await access.listAccessRequests(sara, { view: "to-approve", status: "pending", limit: 50 })).toEqual([]);
    expect(await access.countWaitingForMe(lead)).toBe(1);
    expect(await codeOf(access.getAccessRequest(sara, req.id))).toMatch(/^not_found/);

    expect(await codeOf(access.approveAccessRequest(otto, req.id, { comment: "" }, meta))).toBe("forbidden: Nobody approves their own request: another approver must decide.");
    expect(await codeOf(access.approveAccessRequest(sara, req.id, { comment: "" }, meta))).toMatch(/^not_found/);
    expect(await codeOf(access.approveAccessRequest(lead, req.id, { comment: "", durationSeconds: 3 * 3600 }, meta))).toBe(
      "bad_request: You can shorten the duration, not lengthen it: otto@example.com asked for 2 hours.",
    );

    clockAt(t0 + 5 * MIN);
    const approved = await access.approveAccessRequest(lead, req.id, { comment: "ok for the incident", durationSeconds: 3600 }, meta);
    expect(approved).toMatchObject({ status: "approved", grantedSeconds: 3600, startsAt: "2026-12-03T10:05:00.000Z", endsAt: "2026-12-03T11:05:00.000Z" });
    expect(approved.decisions).toEqual([expect.objectContaining({ approverEmail: lead.email, decision: "approve", comment: "ok for the incident", grantedSeconds: 3600 })]);
    expect(await codeOf(access.approveAccessRequest(admin, req.id, { comment: "" }, meta))).toMatch(/^conflict: This request is already approved/);

    clockAt(Date.parse("2026-12-03T11:04:59.999Z"));
    expect(await usable(otto, roles.prod)).toBe(true);
    clockAt(Date.parse("2026-12-03T11:05:00.000Z"));
    expect(await usable(otto, roles.prod)).toBe(false);
    expect((await access.getAccessRequest(otto, req.id)).status).toBe("expired");

    // The job marks it, audits and announces it once, however often it runs.
    expect((await runExpiry()).expired).toBe(1);
    expect((await runExpiry()).expired).toBe(0);
    expect((await audits("access.expire", req.id)).length).toBe(1);
    const db = await getDb();
    expect((await db.selectFrom("access_requests").select(["status", "revocation_state"]).where("id", "=", req.id).executeTakeFirstOrThrow())).toEqual({
      status: "expired",
      revocation_state: "done", // otto never switched in: nothing to revoke, no AWS call
    });
    // The story is linked: request → approval → expiry.
    for (const action of ["access.request", "access.approve", "access.expire"]) expect((await audits(action, req.id)).filter((r) => r.outcome === "success").length, action).toBe(1);
    // The refusals are in the same story: self-approval, the lengthening, the second approval.
    expect((await audits("access.approve", req.id)).filter((r) => r.outcome === "denied").map((r) => r.reason)).toEqual([
      "Nobody approves their own request: another approver must decide.",
      // Sara is no approver and may not see it: 404 for her, and still on the record.
      "Not a request this person asked for, approves or may read.",
      "You can shorten the duration, not lengthen it: otto@example.com asked for 2 hours.",
      "This request is already approved.",
    ]);
  });

  it("an extension, approved, moves the end; ending now takes access away at once", async () => {
    const t0 = Date.parse("2026-12-03T12:00:00.000Z");
    clockAt(t0);
    const req = await ask(otto, roles.prod, 3600);
    await access.approveAccessRequest(admin, req.id, { comment: "" }, meta);
    expect(await codeOf(ask(otto, roles.prod, 3600))).toMatch(/^conflict: You already have access to Production \/ Prod read-only until 2026-12-03 13:00 UTC/);

    clockAt(t0 + 50 * MIN);
    expect(await codeOf(access.extendAccessRequest(otto, req.id, { durationSeconds: 5 * 3600, reason: "still on it" }, meta))).toMatch(/^bad_request: Duration is at most 4 hours/);
    expect(await codeOf(access.extendAccessRequest(sara, req.id, { durationSeconds: 1800, reason: "mine" }, meta))).toMatch(/^not_found/);
    const ext = await access.extendAccessRequest(otto, req.id, { durationSeconds: 1800, reason: "still on it" }, meta);
    expect(ext).toMatchObject({ kind: "extension", status: "pending", extendsId: req.id });
    expect(await codeOf(access.extendAccessRequest(otto, req.id, { durationSeconds: 1800, reason: "again" }, meta))).toMatch(/^conflict: You already asked to extend/);
    await access.approveAccessRequest(lead, ext.id, { comment: "" }, meta);
    expect((await access.getAccessRequest(otto, req.id)).endsAt).toBe("2026-12-03T13:30:00.000Z");
    clockAt(Date.parse("2026-12-03T13:29:59.000Z"));
    expect(await usable(otto, roles.prod)).toBe(true);

    // An operator who is not an approver cannot end it; an approver can.
    expect(await codeOf(access.endAccessRequest(sara, req.id, "", meta))).toMatch(/^not_found/);
    const ended = await access.endAccessRequest(lead, req.id, "done with the incident", meta);
    expect(ended).toMatchObject({ status: "ended", endedBy: lead.email, endComment: "done with the incident" });
    expect(await usable(otto, roles.prod)).toBe(false);
    expect(await codeOf(access.endAccessRequest(lead, req.id, "", meta))).toMatch(/^conflict: This access is not in force: it is ended/);
    expect((await runExpiry()).expired).toBe(0);
  });

  it("needs two approvals from two different people where the policy says so", async () => {
    clockAt(Date.parse("2026-12-03T14:00:00.000Z"));
    const req = await ask(otto, roles.twoKeys, 3600, { ticket: "INC-7" });
    expect(req.approvalsRequired).toBe(2);
    const first = await access.approveAccessRequest(admin, req.id, { comment: "one", durationSeconds: 1800 }, meta);
    expect(first.status).toBe("pending");
    expect(await usable(otto, roles.twoKeys)).toBe(false);
    expect(await codeOf(access.approveAccessRequest(admin, req.id, { comment: "twice" }, meta))).toBe("conflict: You already approved this request; it needs a second approver.");
    const second = await access.approveAccessRequest(admin2, req.id, { comment: "two" }, meta);
    // The shortest duration given wins: an approver shortens, and nobody lengthens.
    expect(second).toMatchObject({ status: "approved", grantedSeconds: 1800 });
    expect(second.decisions.map((d) => d.approverEmail)).toEqual([admin.email, admin2.email]);
    expect(await usable(otto, roles.twoKeys)).toBe(true);
  });

  it("a denial, and a withdrawal", async () => {
    clockAt(Date.parse("2026-12-03T15:00:00.000Z"));
    const db = await getDb();
    await db.deleteFrom("grants").where("role_id", "=", roles.twoKeys).execute();
    const denied = await ask(otto, roles.twoKeys, 900, { ticket: "INC-8" });
    expect(await access.denyAccessRequest(admin, denied.id, "not this one", meta)).toMatchObject({ status: "denied" });
    const withdrawn = await ask(otto, roles.twoKeys, 900, { ticket: "INC-9" });
    expect(await codeOf(access.cancelAccessRequest(admin, withdrawn.id, meta))).toMatch(/^forbidden: Only the person who asked/);
    expect(await access.cancelAccessRequest(otto, withdrawn.id, meta)).toMatchObject({ status: "withdrawn" });
    expect(await codeOf(access.approveAccessRequest(admin, withdrawn.id, { comment: "" }, meta))).toMatch(/^conflict: This request is already withdrawn/);
  });
});

describe("break-glass", () => {
  it("gives access at once, lands in the review queue of the approvers, and cannot be reviewed by its user", async () => {
    clockAt(Date.parse("2026-12-03T16:00:00.000Z"));
    expect(await codeOf(ask(otto, roles.glass, 3600, { breakGlass: true, reason: "" }))).toMatch(/^bad_request/);
    const used = await ask(otto, roles.glass, 3600, { breakGlass: true, reason: "prod is down, nobody answers" });
    expect(used).toMatchObject({ kind: "break_glass", status: "approved", review: { state: "pending" }, endsAt: "2026-12-03T17:00:00.000Z" });
    expect(await usable(otto, roles.glass)).toBe(true);
    // Only the named approver reviews (any_admin is off for this role).
    expect((await access.listAccessRequests(lead, { view: "to-review", status: "any", limit: 50 })).map((r) => r.id)).toEqual([used.id]);
    expect(await access.listAccessRequests(admin, { view: "to-review", status: "any", limit: 50 })).toEqual([]);
    expect(await codeOf(access.reviewBreakGlass(otto, used.id, { verdict: "justified", comment: "" }, meta))).toMatch(/^forbidden: Nobody reviews their own/);
    expect(await codeOf(access.reviewBreakGlass(admin, used.id, { verdict: "justified", comment: "" }, meta))).toMatch(/^forbidden: Only an approver/);
    const reviewed = await access.reviewBreakGlass(lead, used.id, { verdict: "justified", comment: "outage confirmed" }, meta);
    expect(reviewed.review).toMatchObject({ state: "justified", by: lead.email, comment: "outage confirmed" });
    expect(await codeOf(access.reviewBreakGlass(lead, used.id, { verdict: "unjustified", comment: "" }, meta))).toMatch(/^conflict/);
    expect((await audits("access.break_glass", used.id)).length).toBe(1);
    expect((await audits("access.review", used.id)).map((r) => r.outcome)).toEqual(expect.arrayContaining(["success", "denied"]));
  });
});

describe("the request dialog's list", () => {
  it("lists the entries a person may ask for, with who will be asked and where they stand", async () => {
    clockAt(Date.parse("2026-12-03T16:30:00.000Z"));
    const list = await access.listRequestableRoles(otto);
    expect(list.map((r) => r.roleName).sort()).toEqual(["Admin", "BreakGlass", "ReadOnly"]);
    const glass = list.find((r) => r.roleName === "BreakGlass")!;
    expect(glass).toMatchObject({ breakGlass: true, approvers: lead.email, activeRequest: { endsAt: "2026-12-03T17:00:00.000Z" } });
    expect(list.find((r) => r.roleName === "ReadOnly")).toMatchObject({ approvers: "any administrator or the group leads", maxDurationSeconds: 14400 });
    // Through their group.
    expect((await access.listRequestableRoles(sara)).map((r) => r.roleName)).toEqual(["ReadOnly"]);
    expect(await access.listRequestableRoles(auditor)).toEqual([]);
  });

  it("a standing grant means there is nothing to ask for", async () => {
    await createGrant(admin, { roleId: roles.prod, userEmail: sara.email }, meta);
    expect(await codeOf(ask(sara, roles.prod, 900))).toBe("conflict: You already have access to Production / Prod read-only.");
  });
});

describe("ticket patterns", () => {
  it("accepts simple patterns and refuses those that could backtrack for ever", async () => {
    const { ticketPatternField, ticketMatches } = await import("./schemas");
    for (const ok of ["INC-\\d+", "[A-Z]{2,10}-\\d+", "CHG\\d{6}", "[(|)]+-\\d+"]) expect(ticketPatternField.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["(a+)+$", "(a|aa)+", "a*a*a*a*b", "(x)\\1", "("]) expect(ticketPatternField.safeParse(bad).success, bad).toBe(false);
    expect(ticketMatches("[A-Z]{2,10}-\\d+", "OPS-12")).toBe(true);
    expect(ticketMatches("[A-Z]{2,10}-\\d+", "OPS-12 and more")).toBe(false);
    // The worst a simple pattern can do on the longest reference ends (a pattern that backtracks
    // for ever would hang here until the test's timeout).
    expect(ticketMatches("a*a*a*b", "a".repeat(64))).toBe(false);
  });
});

describe("a request nobody decides", () => {
  it("is closed by the expiry job after a week, once, and can no longer be approved", async () => {
    const t0 = Date.parse("2026-12-10T09:00:00.000Z");
    clockAt(t0);
    const db = await getDb();
    await db.deleteFrom("grants").where("role_id", "=", roles.twoKeys).execute();
    const req = await ask(otto, roles.twoKeys, 900, { ticket: "INC-10" });
    clockAt(t0 + 7 * 24 * HOUR - 1000);
    await runExpiry();
    expect((await access.getAccessRequest(otto, req.id)).status).toBe("pending");
    clockAt(t0 + 7 * 24 * HOUR);
    await Promise.all([runExpiry(), runExpiry()]);
    expect((await runExpiry()).expired).toBe(0);
    expect((await access.getAccessRequest(otto, req.id)).status).toBe("expired");
    expect((await audits("access.expire", req.id)).map((r) => r.reason)).toEqual(["Nobody decided within 7 days."]);
    expect(await codeOf(access.approveAccessRequest(admin, req.id, { comment: "" }, meta))).toMatch(/^conflict: This request is already expired/);
  });
});

describe("a grant made while the request waited", () => {
  it("is left as it is when it lasts as long; the approval does not fail", async () => {
    clockAt(Date.parse("2026-12-20T09:00:00.000Z"));
    const db = await getDb();
    await db.deleteFrom("grants").where("role_id", "=", roles.twoKeys).execute();
    const req = await ask(otto, roles.twoKeys, 900, { ticket: "INC-11" });
    await createGrant(admin, { roleId: roles.twoKeys, userEmail: otto.email }, meta);
    await access.approveAccessRequest(admin, req.id, { comment: "" }, meta);
    expect((await access.approveAccessRequest(admin2, req.id, { comment: "" }, meta)).status).toBe("approved");
    const grants = await db.selectFrom("grants").select(["expires_at", "access_request_id"]).where("role_id", "=", roles.twoKeys).where("user_id", "=", otto.id).execute();
    expect(grants).toEqual([{ expires_at: null, access_request_id: null }]);
  });
});
