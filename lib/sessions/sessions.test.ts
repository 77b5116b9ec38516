// The switch path end to end below the UI: the real store (SQLite), the real sandbox over HTTP,
// the real SDK. Grants, clamps, source identity, denials explained, and fail-closed audit.
import { addTestUser } from "@/lib/auth/testing";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { configureForSandbox } from "@/lib/config/testing";
import { session } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "sessions");
const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { getMenuData } = await import("@/lib/catalog/menu");
const { startSession } = await import("./start-session");
const { afterResponseSettled } = await import("@/lib/http/after-response");
const { testRole } = await import("./test-role");

const meta = { requestId: "req-sessions-test", ip: "198.51.100.4", userAgent: "vitest" };
let admin: Actor;
let operator: Actor;
const roles = { readOnly: "", auditor: "", testers: "", admin: "" };

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  operator = await addTestUser("otto.operator+ops@example.com", "operator");
  for (const [id, name, environment] of [
    ["111111111111", "Production", "production"],
    ["444444444444", "Test", "test"],
  ] as const) {
    await createAccount(admin, { accountId: id, name, environment }, meta);
  }
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly", defaultRegion: "eu-west-1", sessionDuration: 7200 }, meta)).id;
  roles.auditor = (await registerRole(admin, { roleArn: "arn:aws:iam::111111111111:role/ThirdPartyAuditor", externalId: "switchboard-demo-7f3a9c2e", sourceIdentity: true }, meta)).id;
  roles.testers = (await registerRole(admin, { accountId: "444444444444", roleName: "DevelopmentTesters" }, meta)).id;
  // A role trusting Operations for sts:AssumeRole only (the seeded provisioning roles also allow
  // sts:SetSourceIdentity, since the console sets one on provisioning sessions).
  const prod = t.iam(await session(t, "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", "setup"));
  const assumeOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: "sts:AssumeRole" }] };
  // IAM allows it 12-hour sessions; the catalog is not told so until a test says it is.
  await prod.send(new CreateRoleCommand({ RoleName: "AssumeOnly", AssumeRolePolicyDocument: JSON.stringify(assumeOnly), MaxSessionDuration: 43200 }));
  roles.admin = (await registerRole(admin, { accountId: "111111111111", roleName: "AssumeOnly", sourceIdentity: false }, meta)).id;
  await createGrant(admin, { roleId: roles.readOnly, userEmail: operator.email }, meta);
  await createGrant(admin, { roleId: roles.auditor, userEmail: operator.email }, meta);
});

const stsWith = ({ accessKeyId, secretAccessKey, sessionToken }: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) =>
  new STSClient({ endpoint: t.url, region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });

describe("credentials", () => {
  it("assumes the granted role as the operator, with their session name and source identity", async () => {
    const session = await startSession(operator, { roleId: roles.readOnly, kind: "credentials" }, meta);
    if (session.kind !== "credentials") throw new Error("expected credentials");
    expect(session.sessionName).toBe("otto.operator+ops@example.com");
    expect(session.region).toBe("eu-west-1");
    expect(session.durationSeconds).toBe(7200);
    expect(Date.parse(session.credentials.expiration) - Date.now()).toBeGreaterThan(7100_000);
    const id = await stsWith(session.credentials).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/otto.operator+ops@example.com");
    const [call] = await t.admin.calls({ action: "AssumeRole", since: 0 }).then((c) => c.filter((x) => x.detail.RoleSessionName === "otto.operator+ops@example.com"));
    expect(call?.detail.SourceIdentity).toBe("otto.operator+ops@example.com");
  });

  it("sends the entry's ExternalId, never one from the caller", async () => {
    const since = await t.admin.lastSeq();
    const session = await startSession(operator, { roleId: roles.auditor, kind: "credentials", region: "us-east-1" }, meta);
    expect(session.assumedRoleArn).toBe("arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/otto.operator+ops@example.com");
    const [call] = await t.admin.calls({ since, action: "AssumeRole" });
    expect(call?.detail.ExternalId).toBe("switchboard-demo-7f3a9c2e");
  });

  it("refuses a role that is not granted, before any AWS call", async () => {
    const since = await t.admin.lastSeq();
    await expect(startSession(operator, { roleId: roles.testers, kind: "credentials" }, meta)).rejects.toMatchObject({
      code: "forbidden",
      message: "This role is not granted to you. Ask an administrator for a grant.",
      audited: true,
    });
    expect(await t.admin.calls({ since, action: "AssumeRole" })).toEqual([]);
    const db = await getDb();
    const event = await db.selectFrom("audit_events").selectAll().where("action", "=", "session.credentials").where("outcome", "=", "denied").where("actor_id", "=", operator.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(event).toMatchObject({ target_id: roles.testers, target_label: "arn:aws:iam::444444444444:role/DevelopmentTesters", aws_account_id: "444444444444", reason: "This role is not granted to you. Ask an administrator for a grant." });
  });

  it("says the longest length the person may ask for: the entry's own, else the role's known maximum, else an hour", async () => {
    const db = await getDb();
    const longest = async (roleId: string) => {
      const session = await startSession(admin, { roleId, kind: "credentials", region: "us-east-1" }, meta);
      if (session.kind !== "credentials") throw new Error("expected credentials");
      return session.maxDurationSeconds;
    };
    // ReadOnly's entry says 2 hours: the most an operator may ask for, whatever IAM allows.
    expect(await longest(roles.readOnly)).toBe(7200);
    // AssumeOnly has no length of its own, and the catalog does not know the role's maximum.
    expect(await longest(roles.admin)).toBe(3600);
    // Once it knows the role allows 12 hours (registered from Discover), that is the most, less
    // the minute the administrator's console session has already run.
    await db.updateTable("roles").set({ role_max_session_duration: 43200 }).where("id", "=", roles.admin).execute();
    expect(await longest(roles.admin)).toBeGreaterThan(3600 * 12 - 300);
    // A known maximum under what is asked caps the request rather than failing at AWS.
    await db.updateTable("roles").set({ role_max_session_duration: 3 * 3600 }).where("id", "=", roles.admin).execute();
    const capped = await startSession(admin, { roleId: roles.admin, kind: "credentials", region: "us-east-1", durationSeconds: 43200 }, meta);
    if (capped.kind !== "credentials") throw new Error("expected credentials");
    expect([capped.durationSeconds, capped.maxDurationSeconds]).toEqual([3 * 3600, 3 * 3600]);
    await db.updateTable("roles").set({ role_max_session_duration: null }).where("id", "=", roles.admin).execute();
  });

  it("refuses a region of another partition", async () => {
    await expect(startSession(operator, { roleId: roles.readOnly, kind: "credentials", region: "cn-north-1" }, meta)).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("what an operator's switch can never do", () => {
  it("returns the entry's ExternalId to administrators only", async () => {
    const mine = await startSession(operator, { roleId: roles.auditor, kind: "credentials", region: "us-east-1" }, meta);
    if (mine.kind !== "credentials") throw new Error("expected credentials");
    expect(mine.externalId).toBeNull();
    await createGrant(admin, { roleId: roles.auditor, userEmail: admin.email }, meta);
    const theirs = await startSession(admin, { roleId: roles.auditor, kind: "credentials", region: "us-east-1" }, meta);
    if (theirs.kind !== "credentials") throw new Error("expected credentials");
    expect(theirs.externalId).toBe("switchboard-demo-7f3a9c2e");
  });

  it("caps the AWS session at what is left of the console session", async () => {
    const now = Date.now();
    const ending = { ...operator, session: { ...operator.session, endsAt: now + 20 * 60_000 } };
    const session = await startSession(ending, { roleId: roles.readOnly, kind: "credentials" }, meta);
    if (session.kind !== "credentials") throw new Error("expected credentials");
    expect(session.durationSeconds).toBeLessThanOrEqual(20 * 60);
    expect(session.durationSeconds).toBeGreaterThanOrEqual(19 * 60);
    expect(Date.parse(session.credentials.expiration)).toBeLessThanOrEqual(ending.session.endsAt + 60_000);
  });

  it("caps a console sign-in the same way", async () => {
    const ending = { ...operator, session: { ...operator.session, endsAt: Date.now() + 30 * 60_000 } };
    const session = await startSession(ending, { roleId: roles.readOnly, kind: "console" }, meta);
    expect(Date.parse(session.expiresAt)).toBeLessThanOrEqual(ending.session.endsAt + 60_000);
  });

  it("refuses, with no AWS call, when less than 15 minutes of the console session are left", async () => {
    const since = await t.admin.lastSeq();
    const ending = { ...operator, session: { ...operator.session, endsAt: Date.now() + 10 * 60_000 } };
    await expect(startSession(ending, { roleId: roles.readOnly, kind: "credentials" }, meta)).rejects.toMatchObject({ code: "unauthorized", message: expect.stringContaining("sign in again") });
    expect(await t.admin.calls({ since, action: "AssumeRole" })).toEqual([]);
  });

  it("names the session after the person's fixed AWS identity, not their current email", async () => {
    const renamed = { ...operator, email: "someone.else@example.com" };
    const session = await startSession(renamed, { roleId: roles.auditor, kind: "credentials", region: "us-east-1" }, meta);
    expect(session.assumedRoleArn).toBe("arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/otto.operator+ops@example.com");
  });
});

describe("console sign-in", () => {
  it("builds a login URL on the sandbox's federation endpoint that lands on its console as the operator", async () => {
    const session = await startSession(operator, { roleId: roles.readOnly, kind: "console", region: "eu-central-1" }, meta);
    if (session.kind !== "console") throw new Error("expected a console session");
    const url = new URL(session.consoleUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.url}/federation`);
    expect(url.searchParams.get("Issuer")).toBe(`https://switchboard.example.com/switch/${roles.readOnly}?region=eu-central-1`);
    expect(url.searchParams.get("Destination")).toBe(`${t.url}/console/home?region=eu-central-1`);
    expect(session.form.fields.SigninToken).toBe(url.searchParams.get("SigninToken"));
    const login = await fetch(session.consoleUrl, { redirect: "manual" });
    expect(login.status).toBe(302);
    const page = await fetch(login.headers.get("location")!, { headers: { cookie: login.headers.get("set-cookie")!.split(";")[0]! } });
    const html = await page.text();
    expect(html).toContain("arn:aws:sts::111111111111:assumed-role/ReadOnly/otto.operator+ops@example.com");
    expect(html).toContain("eu-central-1");
  });

  it("asks the sign-in endpoint for a console session as long as the credentials (the broker has long-term keys)", async () => {
    const since = await t.admin.lastSeq();
    await startSession(operator, { roleId: roles.readOnly, kind: "console" }, meta);
    const [call] = await t.admin.calls({ since, service: "signin", action: "getSigninToken" });
    expect(call?.detail.SessionDuration).toBe(7200);
  });
});

describe("denials, explained", () => {
  it("says the Test role's trust policy does not trust the broker, with the statement to add", async () => {
    const result = await testRole(admin, roles.testers, meta);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("aws_denied");
    expect(result.explanation?.kind).toBe("trust-policy");
    expect(result.message).toMatch(/trust policy/i);
    expect(JSON.stringify(result.explanation?.fix?.statement)).toContain("arn:aws:iam::333333333333:user/switchboard");
  });

  it("passes a role that trusts the broker", async () => {
    const result = await testRole(admin, roles.readOnly, meta);
    expect(result).toMatchObject({ ok: true, assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/ReadOnly/ada@example.com" });
  });

  it("explains a SourceIdentity the trust policy does not allow", async () => {
    await (await getDb()).updateTable("roles").set({ set_source_identity: 1 }).where("id", "=", roles.admin).execute();
    const result = await testRole(admin, roles.admin, meta);
    expect(result).toMatchObject({ ok: false, explanation: { kind: "source-identity" } });
    await (await getDb()).updateTable("roles").set({ set_source_identity: 0 }).where("id", "=", roles.admin).execute();
    expect((await testRole(admin, roles.admin, meta)).ok).toBe(true);
  });
});

describe("audit and the menu", () => {
  it("records each switch without any secret, and the menu remembers it", async () => {
    const session = await startSession(operator, { roleId: roles.readOnly, kind: "credentials" }, meta);
    if (session.kind !== "credentials") throw new Error("expected credentials");
    const db = await getDb();
    const events = await db.selectFrom("audit_events").selectAll().where("actor_email", "=", operator.email).execute();
    const text = JSON.stringify(events);
    for (const secret of [session.credentials.secretAccessKey, session.credentials.sessionToken, session.credentials.accessKeyId]) expect(text).not.toContain(secret);
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(expect.arrayContaining(["session.credentials:success", "session.console:success"]));
    // The menu's recents are written once the answer has gone out.
    await afterResponseSettled();
    const menu = await getMenuData(operator);
    expect(menu.lastRoleId).toBe(roles.readOnly);
    expect(menu.roles.map((r) => r.name).sort()).toEqual(["ReadOnly", "ThirdPartyAuditor"]);
    expect(menu.roles.find((r) => r.name === "ReadOnly")?.uses).toBeGreaterThan(1);
  });

  it("issues no credentials when the audit event cannot be written (fail closed)", async () => {
    const db = await getDb();
    await sql`create trigger audit_offline before insert on audit_events begin select raise(abort, 'audit store offline'); end`.execute(db);
    // A new sign-in of the operator: nothing cached for it yet, so AWS is asked.
    const signedInAgain: Actor = { ...operator, session: { ...operator.session, id: `${operator.session.id}-fail-closed` } };
    try {
      const since = await t.admin.lastSeq();
      await expect(startSession(signedInAgain, { roleId: roles.readOnly, kind: "credentials" }, meta)).rejects.toMatchObject({
        code: "unavailable",
        message: "The audit log could not be written, so no credentials were issued. Try again in a moment; if it persists, tell an administrator.",
      });
      // AWS was asked; the caller got nothing.
      expect((await t.admin.calls({ since, action: "AssumeRole" })).map((c) => c.outcome)).toEqual(["Success"]);
      await expect(startSession(signedInAgain, { roleId: roles.readOnly, kind: "console" }, meta)).rejects.toMatchObject({ code: "unavailable" });
      // Credentials the console already holds are not handed out unaudited either.
      await expect(startSession(operator, { roleId: roles.readOnly, kind: "credentials" }, meta)).rejects.toMatchObject({ code: "unavailable" });
    } finally {
      await sql`drop trigger audit_offline`.execute(db);
    }
  });
});
