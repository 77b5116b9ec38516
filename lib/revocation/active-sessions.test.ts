// The Active sessions list, against a real SQLite store: switches and revocations are written to
// the audit log as start-session.ts and revoke.ts write them, at chosen times, and the list is
// read back as each kind of person sees it.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { withTempStore } from "@/lib/config/testing";

// The config (and so the store) is read from the environment on first use.
withTempStore("active-sessions");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { listActiveSessions, activeSessionsScope } = await import("./active-sessions");

const meta = { requestId: "req-active-sessions", ip: "198.51.100.7", userAgent: "vitest" };
const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

let admin: Actor;
let ana: Actor;
let bo: Actor;
let auditor: Actor;
const roles = { readOnly: "", testers: "" };
const ARN = { readOnly: "arn:aws:iam::111111111111:role/ReadOnly", testers: "arn:aws:iam::444444444444:role/DevelopmentTesters" };
/** Event ids by name, to find rows in the answer. */
const ids: Record<string, string> = {};

const addUser = addTestUser;

type Row = { name: string; minutesAgo: number; actor: () => Actor; action: "session.console" | "session.credentials" | "session.revoke"; outcome?: "success" | "failure"; role: keyof typeof roles; details: Record<string, string | number | boolean> };

/** Written oldest first, as the store would have them (ids are time-ordered). */
async function write(rows: Row[]): Promise<void> {
  const db = await getDb();
  for (const row of [...rows].sort((a, b) => b.minutesAgo - a.minutesAgo)) {
    const id = newId();
    ids[row.name] = id;
    const actor = row.actor();
    await db
      .insertInto("audit_events")
      .values({
        id,
        at: minutesAgo(row.minutesAgo),
        actor_id: actor.id,
        actor_email: actor.email,
        action: row.action,
        outcome: row.outcome ?? "success",
        target_type: "role",
        target_id: roles[row.role],
        target_label: ARN[row.role],
        aws_account_id: ARN[row.role].split(":")[4]!,
        reason: null,
        ip: meta.ip,
        user_agent: meta.userAgent,
        request_id: meta.requestId,
        details: JSON.stringify(row.details),
      })
      .execute();
  }
}

const switched = (who: () => Actor, region = "eu-west-1", durationSeconds = 3600) => ({ region, durationSeconds, sessionName: who().awsIdentity, sourceIdentity: false });
const revokedPerson = (who: () => Actor) => ({ scope: "person", person: who().email, sessionName: who().awsIdentity });

beforeAll(async () => {
  admin = await addUser("ada@example.com", "admin");
  ana = await addUser("ana@example.com", "operator");
  bo = await addUser("bo@example.com", "operator");
  auditor = await addUser("aude@example.com", "auditor");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test" }, meta);
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", displayName: "Prod read-only" }, meta)).id;
  roles.testers = (await registerRole(admin, { accountId: "444444444444", roleName: "DevelopmentTesters" }, meta)).id;
  await write([
    { name: "tooOld", minutesAgo: 13 * 60, actor: () => ana, action: "session.credentials", role: "readOnly", details: switched(() => ana, "eu-west-1", 43200) },
    { name: "expired", minutesAgo: 3 * 60, actor: () => ana, action: "session.console", role: "readOnly", details: switched(() => ana) },
    { name: "failed", minutesAgo: 55, actor: () => bo, action: "session.credentials", outcome: "failure", role: "readOnly", details: { region: "eu-west-1" } },
    { name: "boReadOnly", minutesAgo: 50, actor: () => bo, action: "session.credentials", role: "readOnly", details: switched(() => bo) },
    { name: "everyoneReadOnly", minutesAgo: 40, actor: () => admin, action: "session.revoke", role: "readOnly", details: { scope: "everyone" } },
    { name: "anaReadOnly", minutesAgo: 30, actor: () => ana, action: "session.credentials", role: "readOnly", details: switched(() => ana, "us-east-1") },
    { name: "boTesters", minutesAgo: 25, actor: () => bo, action: "session.credentials", role: "testers", details: switched(() => bo, "eu-west-1", 43200) },
    { name: "anaRevokedInReadOnly", minutesAgo: 20, actor: () => admin, action: "session.revoke", role: "readOnly", details: revokedPerson(() => ana) },
    { name: "anaRevokedInTestersEarly", minutesAgo: 15, actor: () => admin, action: "session.revoke", role: "testers", details: revokedPerson(() => ana) },
    { name: "anaTesters", minutesAgo: 10, actor: () => ana, action: "session.console", role: "testers", details: switched(() => ana) },
    { name: "failedRevocation", minutesAgo: 5, actor: () => admin, action: "session.revoke", outcome: "failure", role: "testers", details: { scope: "everyone" } },
  ]);
});

describe("which sessions are listed", () => {
  it("lists the unexpired successful switches of the last 12 hours, newest first", async () => {
    const { sessions, scope, truncated } = await listActiveSessions(admin, NOW);
    expect(scope).toBe("everyone");
    expect(truncated).toBe(false);
    expect(sessions.map((s) => s.id)).toEqual([ids.anaTesters, ids.boTesters, ids.anaReadOnly, ids.boReadOnly]);
  });

  it("describes each session: person, role, account, kind, region, issued and expiry", async () => {
    const { sessions } = await listActiveSessions(admin, NOW);
    const anaReadOnly = sessions.find((s) => s.id === ids.anaReadOnly);
    expect(anaReadOnly).toEqual({
      id: ids.anaReadOnly,
      person: { id: ana.id, email: "ana@example.com" },
      role: { id: roles.readOnly, arn: ARN.readOnly, label: "Prod read-only", accountName: "Production" },
      accountId: "111111111111",
      kind: "credentials",
      region: "us-east-1",
      issuedAt: minutesAgo(30),
      expiresAt: minutesAgo(30 - 60),
      revoked: { at: minutesAgo(20), by: "ada@example.com" },
    });
    const boTesters = sessions.find((s) => s.id === ids.boTesters);
    expect(boTesters?.role).toEqual({ id: roles.testers, arn: ARN.testers, label: "DevelopmentTesters", accountName: "Test" });
    expect(boTesters?.expiresAt).toBe(minutesAgo(25 - 12 * 60));
    expect(sessions.find((s) => s.id === ids.anaTesters)?.kind).toBe("console");
  });

  it("drops a session once its duration has passed", async () => {
    const later = await listActiveSessions(admin, NOW + 55 * 60_000);
    expect(later.sessions.map((s) => s.id)).toEqual([ids.boTesters]);
  });
});

describe("which sessions are marked revoked", () => {
  const revoked = async () => Object.fromEntries((await listActiveSessions(admin, NOW)).sessions.map((s) => [s.id, s.revoked]));

  it("marks a session revoked by a later revocation of everyone in its role", async () => {
    // The person revocation 20 minutes ago names ana, not bo: the everyone revocation is what covers it.
    expect((await revoked())[ids.boReadOnly!]).toEqual({ at: minutesAgo(40), by: "ada@example.com" });
  });

  it("marks a session revoked by a later revocation of its person, and only theirs", async () => {
    const all = await revoked();
    expect(all[ids.anaReadOnly!]).toEqual({ at: minutesAgo(20), by: "ada@example.com" });
    // The same person revoked in another role entry does not touch bo's session there.
    expect(all[ids.boTesters!]).toBeNull();
  });

  it("does not count a revocation made before the session was issued, nor a failed one", async () => {
    expect((await revoked())[ids.anaTesters!]).toBeNull();
  });
});

describe("who sees which sessions", () => {
  it("shows an operator only their own sessions", async () => {
    const { scope, sessions } = await listActiveSessions(ana, NOW);
    expect(scope).toBe("own");
    expect(sessions.map((s) => s.id)).toEqual([ids.anaTesters, ids.anaReadOnly]);
    expect((await listActiveSessions(bo, NOW)).sessions.map((s) => s.id)).toEqual([ids.boTesters, ids.boReadOnly]);
  });

  it("shows an auditor everyone's sessions, as the audit log already does", async () => {
    expect(activeSessionsScope(auditor)).toBe("everyone");
    expect((await listActiveSessions(auditor, NOW)).sessions).toHaveLength(4);
  });
});

describe("what the store records besides the audit log", () => {
  it("marks sessions revoked by an 'everyone before' time that older revocations were folded into", async () => {
    const db = await getDb();
    const folded = (await registerRole(admin, { accountId: "111111111111", roleName: "FoldedRole" }, meta)).id;
    const switchedAt = (m: number) => ({ ...switched(() => bo), issuedAt: minutesAgo(m), credentialsExpireAt: minutesAgo(m - 60) });
    const rows = [newId(), newId()];
    for (const [i, m] of [35, 5].entries()) {
      await db
        .insertInto("audit_events")
        .values({ id: rows[i]!, at: minutesAgo(m), actor_id: bo.id, actor_email: bo.email, action: "session.credentials", outcome: "success", target_type: "role", target_id: folded, target_label: "arn:aws:iam::111111111111:role/FoldedRole", aws_account_id: "111111111111", reason: null, ip: null, user_agent: null, request_id: null, details: JSON.stringify(switchedAt(m)) })
        .execute();
    }
    // Written when a revocation of someone else had to fold older statements (no audit event names Bo).
    await db.insertInto("session_revocations").values({ id: newId(), role_id: folded, session_name: null, revoked_before: minutesAgo(20), actor_id: admin.id, created_at: minutesAgo(19) }).execute();
    const mine = (await listActiveSessions(admin, NOW)).sessions.filter((s) => s.role.id === folded);
    expect(mine.map((s) => [s.id, s.revoked])).toEqual([
      [rows[1], null],
      [rows[0], { at: minutesAgo(19), by: "ada@example.com" }],
    ]);
    await db.deleteFrom("audit_events").where("id", "in", rows).execute();
    await db.deleteFrom("roles").where("id", "=", folded).execute();
  });

  it("lists credentials served again from the cache once, with the AWS session's own times", async () => {
    const db = await getDb();
    const cachedRole = (await registerRole(admin, { accountId: "111111111111", roleName: "CachedRole" }, meta)).id;
    const issued = { ...switched(() => ana), issuedAt: minutesAgo(30), credentialsExpireAt: minutesAgo(30 - 60) };
    const rows = [newId(), newId()];
    for (const [i, [m, details]] of ([[30, issued], [10, { ...issued, cached: true }]] as const).entries()) {
      await db
        .insertInto("audit_events")
        .values({ id: rows[i]!, at: minutesAgo(m), actor_id: ana.id, actor_email: ana.email, action: "session.credentials", outcome: "success", target_type: "role", target_id: cachedRole, target_label: "arn:aws:iam::111111111111:role/CachedRole", aws_account_id: "111111111111", reason: null, ip: null, user_agent: null, request_id: null, details: JSON.stringify(details) })
        .execute();
    }
    const mine = (await listActiveSessions(admin, NOW)).sessions.filter((s) => s.role.id === cachedRole);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ issuedAt: minutesAgo(30), expiresAt: minutesAgo(-30) });
    await db.deleteFrom("audit_events").where("id", "in", rows).execute();
    await db.deleteFrom("roles").where("id", "=", cachedRole).execute();
  });
});
