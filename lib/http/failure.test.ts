// The one mapping from a thrown error to an answer, against a real SQLite store (refusals are
// written to its audit log): an AppError keeps its words and help, anything else becomes a
// generic 500 that gives nothing of the error away, and every body carries the request id.
import { afterEach, describe, expect, it, vi } from "vitest";
import { testActor } from "@/lib/auth/testing";
import { withTempStore } from "@/lib/config/testing";
import { AppError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";

// The log lines are caught here, to check what an unexpected failure writes.
const logged: Array<{ fields: Record<string, unknown>; message: string }> = [];
vi.mock("@/lib/log", () => ({
  requestLogger: (meta: { requestId: string }) => ({
    error: (fields: Record<string, unknown>, message: string) => logged.push({ fields: { ...fields, requestId: meta.requestId }, message }),
  }),
}));

// The config (and so the store) is read from the environment on first use.
withTempStore("failure");

const { getDb } = await import("@/lib/db/client");
const { describeFailure } = await import("./failure");

const meta = { requestId: "req-failure-test", ip: "203.0.113.30", userAgent: "vitest" };
const actor = testActor({ id: "user-failure-test", email: "fay.failure@example.com", name: "Fay", role: "operator" });
const context = (operation: string, who: typeof actor | null = actor) => ({ actor: who, operation, meta });

async function denialsFor(operation: string) {
  const rows = await (await getDb()).selectFrom("audit_events").select(["action", "outcome", "actor_id", "reason", "details"]).where("action", "=", "access.denied").execute();
  return rows.filter((r) => r.details?.includes(operation));
}

afterEach(() => {
  logged.length = 0;
});

describe("describeFailure: an AppError", () => {
  it("keeps its code, status, words, fields and details (nested, not spread), with the request id", async () => {
    const err = new AppError("bad_request", "accountId: Account ID must be 12 digits", { fields: { accountId: "Account ID must be 12 digits" }, details: { findings: [{ rule: "r" }] } });
    expect(await describeFailure(err, context("POST /api/v1/accounts"))).toEqual({
      status: 400,
      body: {
        code: "bad_request",
        message: "accountId: Account ID must be 12 digits",
        requestId: "req-failure-test",
        fields: { accountId: "Account ID must be 12 digits" },
        details: { findings: [{ rule: "r" }] },
      },
    });
  });

  it("carries retryAfter in the body and for the Retry-After header", async () => {
    const err = new AppError("unavailable", "The store is not reachable.", { retryAfter: 5 });
    expect(await describeFailure(err, context("GET /api/health", null))).toEqual({
      status: 503,
      body: { code: "unavailable", message: "The store is not reachable.", requestId: "req-failure-test", retryAfter: 5 },
      retryAfter: 5,
    });
  });

  it.each(Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>)("%s answers %i", async (code, status) => {
    const failure = await describeFailure(new AppError(code, `words for ${code}`), context(`table ${code}`, null));
    expect(failure.status).toBe(status);
    expect(failure.body).toEqual({ code, message: `words for ${code}`, requestId: "req-failure-test" });
  });
});

describe("describeFailure: anything else is a bug", () => {
  it("answers internal 500 with a generic message and the request id, and logs it", async () => {
    const err = new Error("SqliteError: no such table: secrets at /work/main/lib/db/client.ts:12 password=hunter2");
    const failure = await describeFailure(err, context("POST /api/v1/roles"));
    expect(failure).toEqual({
      status: 500,
      body: { code: "internal", message: "Something went wrong on our side. Request id: req-failure-test.", requestId: "req-failure-test" },
    });
    expect(JSON.stringify(failure)).not.toMatch(/Sqlite|secrets|hunter2|\/work\//);
    expect(logged).toEqual([{ fields: { err, operation: "POST /api/v1/roles", requestId: "req-failure-test" }, message: "unexpected failure" }]);
  });

  it("treats a thrown non-error the same way", async () => {
    const failure = await describeFailure("a string", context("POST /api/v1/grants"));
    expect(failure.status).toBe(500);
    expect(failure.body.code).toBe("internal");
    expect(failure.body.message).not.toContain("a string");
  });
});

describe("describeFailure: refusals are audited, once", () => {
  it("logs nothing for an AppError: it is an answer, not a bug", async () => {
    await describeFailure(new AppError("conflict", "Already there."), context("op-conflict"));
    expect(logged).toEqual([]);
  });

  it("writes one access.denied event for a forbidden, however often it is described", async () => {
    const err = new AppError("forbidden", "Your console role (operator) does not allow this (users.manage).");
    await describeFailure(err, context("op-forbidden-once"));
    await describeFailure(err, context("op-forbidden-once"));
    expect(err.audited).toBe(true);
    expect(await denialsFor("op-forbidden-once")).toEqual([
      { action: "access.denied", outcome: "denied", actor_id: actor.id, reason: err.message, details: expect.stringContaining("op-forbidden-once") },
    ]);
  });

  it("does not write again what the guard already audited", async () => {
    const err = new AppError("step_up_required", "Confirm it is you.");
    err.audited = true;
    await describeFailure(err, context("op-already-audited"));
    expect(await denialsFor("op-already-audited")).toEqual([]);
  });

  it("writes nothing for failures that are not decisions about the caller, or with no one signed in", async () => {
    await describeFailure(new AppError("not_found", "No such role."), context("op-not-a-refusal"));
    await describeFailure(new AppError("rate_limited", "Too many.", { retryAfter: 3 }), context("op-anonymous", null));
    expect(await denialsFor("op-not-a-refusal")).toEqual([]);
    expect(await denialsFor("op-anonymous")).toEqual([]);
  });
});
