// Switches under the rate limits, end to end below the UI against the sandbox: one person's
// flood is refused (429) before any AWS call while others still switch, and once the console's
// STS budget is spent every STS call is refused with a 429, not an "AWS denied" explanation.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "rate-limits");
// Small budgets, so that the test spends them in a few calls (windows long enough never to end
// during the test).
// The credential cache off: these switches must each reach STS to spend its budget.
Object.assign(process.env, { SWITCHBOARD_RATE_SWITCH: "3/1h", SWITCHBOARD_RATE_STS: "7/1h", SWITCHBOARD_CREDENTIAL_CACHE: "false" });
const { getDb } = await import("@/lib/db/client");
const { AppError } = await import("@/lib/errors");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { startSession } = await import("./start-session");
const { testRole } = await import("./test-role");

const meta = { requestId: "req-rate-limit-test", ip: "198.51.100.9", userAgent: "vitest" };
let admin: Actor;
let flooder: Actor;
let colleague: Actor;
let roleId = "";

const addUser = addTestUser;

async function outcomes(kinds: Array<"console" | "credentials">, actor: Actor) {
  const results: string[] = [];
  const errors: InstanceType<typeof AppError>[] = [];
  for (const kind of kinds) {
    try {
      await startSession(actor, { roleId, kind }, meta);
      results.push("ok");
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push(err.code);
      errors.push(err);
    }
  }
  return { results, errors };
}

async function auditRows(action: string, actorId: string | null) {
  const db = await getDb();
  let q = db.selectFrom("audit_events").select(["action", "outcome", "reason", "target_id", "details"]).where("action", "=", action).where("outcome", "=", "denied");
  q = actorId ? q.where("actor_id", "=", actorId) : q.where("actor_id", "is", null);
  return q.orderBy("id").execute();
}

beforeAll(async () => {
  admin = await addUser("ada@example.com", "admin");
  flooder = await addUser("scripty@example.com", "operator");
  colleague = await addUser("colleague@example.com", "operator");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  roleId = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", defaultRegion: "eu-west-1" }, meta)).id;
  for (const person of [flooder, colleague]) await createGrant(admin, { roleId, userEmail: person.email }, meta);
});

describe("per person", () => {
  it("refuses one person's switches over their budget with a 429 and no AWS call, and audits each refusal; a colleague still switches", async () => {
    const since = await t.admin.lastSeq();
    const flood = await outcomes(["credentials", "credentials", "console", ...Array<"credentials">(8).fill("credentials"), "console"], flooder);
    expect(flood.results).toEqual(["ok", "ok", "ok", ...Array(9).fill("rate_limited")]);
    for (const err of flood.errors) {
      expect(err.status).toBe(429);
      expect(err.retryAfter).toBeGreaterThan(3500);
      expect(err.message).toMatch(/^You have switched roles 3 times in the last hour; wait (1 hour|59 minutes( \d+ seconds?)?) and try again\.$/);
    }
    expect(await t.admin.calls({ since, action: "AssumeRole" })).toHaveLength(3);

    const denied = [...(await auditRows("session.credentials", flooder.id)), ...(await auditRows("session.console", flooder.id))];
    expect(denied).toHaveLength(9);
    expect(denied.map((e) => e.action).filter((a) => a === "session.console")).toHaveLength(1);
    for (const e of denied) expect(e).toMatchObject({ target_id: roleId, reason: "Rate limited: more than 3 switches in 1 hour" });

    const before = await t.admin.lastSeq();
    expect((await outcomes(["credentials"], colleague)).results).toEqual(["ok"]);
    expect(await t.admin.calls({ since: before, action: "AssumeRole" })).toHaveLength(1);
  });
});

describe("the whole console's STS budget", () => {
  it("refuses every STS call once it is spent, with a 429 that is not explained away as an AWS denial, and makes no AWS call", async () => {
    // Spent so far: 5 of 7 (the test when the role was registered, three switches and one). A
    // switch and a role test spend the rest.
    expect((await outcomes(["credentials"], colleague)).results).toEqual(["ok"]);
    expect((await testRole(admin, roleId, meta)).ok).toBe(true);

    const since = await t.admin.lastSeq();
    const refused = await outcomes(["console"], colleague);
    expect(refused.results).toEqual(["rate_limited"]);
    expect(refused.errors[0]!.status).toBe(429);
    expect(refused.errors[0]!.retryAfter).toBeGreaterThan(3500);
    expect(refused.errors[0]!.message).toMatch(/^The console is making too many AWS STS calls right now \(more than 7 in 1 hour, for everyone together\); wait (1 hour|59 minutes( \d+ seconds?)?) and try again\.$/);
    await expect(testRole(admin, roleId, meta)).rejects.toMatchObject({ code: "rate_limited" });
    expect(await t.admin.calls({ since, service: "sts" })).toEqual([]);

    const denied = await auditRows("aws.sts", null);
    expect(denied).toHaveLength(2);
    expect(denied.map((e) => JSON.parse(e.details).operation)).toEqual(["AssumeRoleCommand", "AssumeRoleCommand"]);
    expect(denied[0]!.reason).toBe("Rate limited: the console's STS budget (7 in 1 hour) is spent");
  });
});
