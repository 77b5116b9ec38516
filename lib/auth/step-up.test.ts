// Step-up with a password, against a real SQLite store: the right password
// marks this session as recently verified; a wrong one does not, and both are audited.
import { withTempStore } from "@/lib/config/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { testActor } from "./testing";

withTempStore("step-up");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { hashPassword } = await import("./password");
const { openConsoleSession } = await import("./console-sessions");
const { stepUpWithPassword } = await import("./step-up");

const meta = { requestId: "test-step-up", ip: "203.0.113.30", userAgent: "vitest" };
let actor: ReturnType<typeof testActor>;

beforeAll(async () => {
  const db = await getDb();
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto("users")
    .values({ id, email: "ada@example.com", name: "Ada", role: "admin", password_hash: await hashPassword("the-right-password"), aws_identity: "ada@example.com", created_at: now, updated_at: now })
    .execute();
  const sid = await openConsoleSession(id, meta);
  const signedInAt = Date.now() - 40 * 60_000;
  actor = testActor({ id, email: "ada@example.com", name: "Ada", role: "admin", session: { id: sid, signedInAt, endsAt: signedInAt + 12 * 3600_000, verifiedAt: signedInAt } });
});

async function stepUpAt() {
  const db = await getDb();
  return (await db.selectFrom("console_sessions").select("step_up_at").where("id", "=", actor.session.id).executeTakeFirstOrThrow()).step_up_at;
}

describe("stepUpWithPassword", () => {
  it("refuses a wrong password, says which field, and leaves the session unverified", async () => {
    await expect(stepUpWithPassword(actor, "not-it", meta)).rejects.toMatchObject({ code: "bad_request", fields: { password: "Wrong password" } });
    expect(await stepUpAt()).toBeNull();
  });

  it("marks this session verified with the right password, audited", async () => {
    const { verifiedUntil } = await stepUpWithPassword(actor, "the-right-password", meta);
    expect(Date.parse(verifiedUntil) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(await stepUpAt()).not.toBeNull();
    const db = await getDb();
    const events = await db.selectFrom("audit_events").select(["action", "outcome"]).where("action", "=", "auth.step_up").orderBy("id").execute();
    expect(events).toEqual([
      { action: "auth.step_up", outcome: "failure" },
      { action: "auth.step_up", outcome: "success" },
    ]);
  });

  it("has nothing to check for a single sign-on user", async () => {
    await expect(stepUpWithPassword({ ...actor, authProvider: "oidc" }, "x", meta)).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("single sign-on") });
  });
});
