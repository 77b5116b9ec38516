// The credential cache across instances: two consoles on one Postgres database, each with its own
// memory, one sandbox. A change made through one instance — a revocation, a grant removed, the
// entry changed, the person disabled or signed out — is honoured by the other on its very next
// request, because the cache is keyed on what the per-request grant check reads from the store.
// A repeat switch makes no AWS call for credentials and one (the single-use sign-in token) for a
// console sign-in. Consoles of our own, so that nothing here touches the shared console.
import { randomBytes } from "node:crypto";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { expect, test } from "@playwright/test";
import { ADMIN } from "./support/accounts";
import { Client, createUser, freshPostgresDatabase, startOwnConsole, startOwnSandbox, type OwnConsole, type OwnSandbox } from "./security/support";

test.describe.configure({ timeout: 180_000 });

const PASSWORD = "credential-cache-person-password";

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

let sandbox: OwnSandbox;
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let one: OwnConsole;
let two: OwnConsole;
let adminOnTwo: Client;
let roleId: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  sandbox = await startOwnSandbox();
  db = await freshPostgresDatabase();
  const env = { DATABASE_URL: db.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64"), SWITCHBOARD_RATE_STS: "1000/1s", SWITCHBOARD_RATE_SWITCH: "1000/1m" };
  one = await startOwnConsole(sandbox, env);
  two = await startOwnConsole(sandbox, env);
  adminOnTwo = new Client(two.url);
  await adminOnTwo.signIn(ADMIN.email, ADMIN.password);
  expect((await adminOnTwo.post("/api/v1/accounts", { json: { accountId: "111111111111", name: "Production" } })).status).toBe(201);
  const role = await adminOnTwo.post("/api/v1/roles", { json: { accountId: "111111111111", roleName: "ReadOnly" } });
  expect(role.status, role.text).toBe(201);
  roleId = role.json<{ role: { id: string } }>().role.id;
});

test.afterAll(async () => {
  await two?.stop();
  await one?.stop();
  await db?.drop();
  await sandbox?.stop();
});

/** A new operator granted the role, signed in on instance one; `onTwo` is the same browser session on instance two. */
async function operator(label: string): Promise<{ id: string; email: string; onOne: Client; onTwo: Client }> {
  const email = `${label}.${randomBytes(3).toString("hex")}@example.com`;
  const id = await createUser(adminOnTwo, { email, name: label, password: PASSWORD, role: "operator" });
  expect((await adminOnTwo.post("/api/v1/grants", { json: { roleId, userEmail: email } })).status).toBe(201);
  const onOne = new Client(one.url);
  await onOne.signIn(email, PASSWORD);
  return { id, email, onOne, onTwo: onOne.clone(onOne.defaults, two.url) };
}

async function credentials(client: Client): Promise<Creds> {
  const reply = await client.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.header("cache-control")).toContain("no-store");
  const { accessKeyId, secretAccessKey, sessionToken } = reply.json<{ credentials: Creds }>().credentials;
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** What AWS was asked while `run` ran, as "service:action". */
async function awsCalls(run: () => Promise<unknown>): Promise<string[]> {
  const since = await sandbox.api.lastSeq();
  await run();
  return (await sandbox.api.calls({ since })).map((c) => `${c.service}:${c.action}`);
}

async function canRead(c: Creds): Promise<boolean> {
  const iam = new IAMClient({ endpoint: sandbox.url, region: "us-east-1", credentials: c, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: "ReadOnly" }));
    return true;
  } catch {
    return false;
  } finally {
    iam.destroy();
  }
}

test("[CACHE]: each instance keeps its own cache; a repeat switch makes no AWS call for credentials and one for the console, and says so in the audit log", async () => {
  const ana = await operator("cache.ana");
  let first!: Creds;
  // The console learns its own identity on its first switch; only AssumeRole counts here.
  expect((await awsCalls(async () => (first = await credentials(ana.onOne)))).filter((c) => c === "sts:AssumeRole")).toEqual(["sts:AssumeRole"]);
  let again!: Creds;
  expect(await awsCalls(async () => (again = await credentials(ana.onOne)))).toEqual([]);
  expect(again.accessKeyId).toBe(first.accessKeyId);
  // Instance two has its own memory: its first switch for Ana assumes the role.
  let onTwo!: Creds;
  expect((await awsCalls(async () => (onTwo = await credentials(ana.onTwo)))).filter((c) => c === "sts:AssumeRole")).toEqual(["sts:AssumeRole"]);
  expect(onTwo.accessKeyId).not.toBe(first.accessKeyId);
  const consoleCalls = await awsCalls(async () => {
    const reply = await ana.onOne.post("/api/v1/sessions", { json: { roleId, kind: "console" } });
    expect(reply.status, reply.text).toBe(200);
  });
  expect(consoleCalls).toHaveLength(1);
  expect(consoleCalls[0]).toMatch(/getSigninToken/i);

  const events = await adminOnTwo.get(`/api/v1/audit-events?${new URLSearchParams({ actor: ana.email, limit: "10" })}`);
  expect(events.status, events.text).toBe(200);
  const switches = events.json<{ events: Array<{ action: string; outcome: string; details: Record<string, unknown> }> }>().events.filter((e) => e.action.startsWith("session."));
  expect(switches.map((e) => [e.action, e.outcome, e.details.cached ?? false])).toEqual([
    ["session.console", "success", true],
    ["session.credentials", "success", false],
    ["session.credentials", "success", true],
    ["session.credentials", "success", false],
  ]);
  expect(events.text).not.toContain(first.secretAccessKey);
});

test("[CACHE]: a revocation made on instance two: instance one's next switch gives new credentials that work; the old ones are denied; a colleague's cached ones stay", async () => {
  const [ana, bo] = [await operator("cache.rev.ana"), await operator("cache.rev.bo")];
  const anaBefore = await credentials(ana.onOne);
  const boBefore = await credentials(bo.onOne);
  const revoked = await adminOnTwo.post(`/api/v1/roles/${roleId}/revoke-sessions`, { json: { userEmail: ana.email } });
  expect(revoked.status, revoked.text).toBe(200);

  let anaAfter!: Creds;
  expect((await awsCalls(async () => (anaAfter = await credentials(ana.onOne)))).filter((c) => c === "sts:AssumeRole")).toEqual(["sts:AssumeRole"]);
  expect(anaAfter.accessKeyId).not.toBe(anaBefore.accessKeyId);
  expect(await canRead(anaBefore)).toBe(false);
  expect(await canRead(anaAfter)).toBe(true);
  let boAfter!: Creds;
  expect(await awsCalls(async () => (boAfter = await credentials(bo.onOne)))).toEqual([]);
  expect(boAfter.accessKeyId).toBe(boBefore.accessKeyId);
  expect(await canRead(boAfter)).toBe(true);
});

test("[CACHE]: a grant removed on instance two is refused by instance one at once, with no AWS call; granted again, fresh credentials", async () => {
  const cy = await operator("cache.grant.cy");
  const before = await credentials(cy.onOne);
  const grants = await adminOnTwo.get(`/api/v1/grants?${new URLSearchParams({ roleId })}`);
  const grant = grants.json<{ grants: Array<{ id: string; user: { email: string } | null }> }>().grants.find((g) => g.user?.email === cy.email)!;
  expect((await adminOnTwo.delete(`/api/v1/grants/${grant.id}`)).status).toBe(200);
  const calls = await awsCalls(async () => {
    const refused = await cy.onOne.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
    expect(refused.status, refused.text).toBe(403);
  });
  expect(calls).toEqual([]);
  expect((await adminOnTwo.post("/api/v1/grants", { json: { roleId, userEmail: cy.email } })).status).toBe(201);
  expect((await credentials(cy.onOne)).accessKeyId).not.toBe(before.accessKeyId);
});

test("[CACHE]: the entry changed on instance two: instance one assumes the role again", async () => {
  const di = await operator("cache.entry.di");
  const before = await credentials(di.onOne);
  expect((await adminOnTwo.patch(`/api/v1/roles/${roleId}`, { json: { sessionDuration: 7200 } })).status).toBe(200);
  expect((await credentials(di.onOne)).accessKeyId).not.toBe(before.accessKeyId);
  expect((await adminOnTwo.patch(`/api/v1/roles/${roleId}`, { json: { sessionDuration: 3600 } })).status).toBe(200);
});

test("[CACHE]: a person disabled on instance two is refused by instance one; one who signs out and back in gets fresh credentials", async () => {
  const ed = await operator("cache.person.ed");
  await credentials(ed.onOne);
  expect((await adminOnTwo.patch(`/api/v1/users/${ed.id}`, { json: { disabled: true } })).status).toBe(200);
  const refused = await ed.onOne.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
  expect(refused.status).toBe(401);

  const fay = await operator("cache.person.fay");
  const before = await credentials(fay.onOne);
  const csrfToken = await fay.onTwo.csrfToken();
  await fay.onTwo.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/", json: "true" } });
  expect((await fay.onOne.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } })).status).toBe(401);
  const back = new Client(one.url);
  await back.signIn(fay.email, PASSWORD);
  expect((await credentials(back)).accessKeyId).not.toBe(before.accessKeyId);
});
