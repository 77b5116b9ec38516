// Every /api/v1 route: a success, a validation error with a clear message (400), no session
// (401) and a console role without the permission (403). Every test sets up what it needs through
// the API — its own people, its own sandbox account, its own role entries — so each passes alone
// and in any order.
import { readdirSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, test as base } from "./fixtures";
import { uniqueEmail } from "./support/accounts";
import { sandbox } from "./support/sandbox";
import { ensureAccount, grant } from "./support/scenario";

type Ctx = {
  admin: APIRequestContext;
  operator: APIRequestContext;
  auditor: APIRequestContext;
  anonymous: APIRequestContext;
  operatorEmail: string;
  /** A new account in the sandbox organization, not registered in the console yet: no other test
   * or spec touches it, and nothing another test left behind is in it. */
  account: string;
};

/** A 12-digit account id no other test uses: 55, the clock, and three random digits. */
const newAccountId = () => `55${String(Date.now()).slice(-7)}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;

/** Each test's own administrator session, operator, auditor, anonymous caller and account. */
const test = base.extend<{ ctx: Ctx }>({
  ctx: async ({ playwright, baseURL }, provide) => {
    const account = newAccountId();
    await sandbox.addAccount(account, "Api Tests");
    const admin = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(admin);
    const operatorEmail = uniqueEmail("api.operator");
    const auditorEmail = uniqueEmail("api.auditor");
    await createUser(admin, { email: operatorEmail, name: "Api Operator", password: "api-operator-pass", role: "operator" });
    await createUser(admin, { email: auditorEmail, name: "Api Auditor", password: "api-auditor-pass", role: "auditor" });
    const operator = await playwright.request.newContext({ baseURL });
    await signInWithApi(operator, operatorEmail, "api-operator-pass");
    const auditor = await playwright.request.newContext({ baseURL });
    await signInWithApi(auditor, auditorEmail, "api-auditor-pass");
    const anonymous = await playwright.request.newContext({ baseURL });
    await provide({ admin, operator, auditor, anonymous, operatorEmail, account });
    for (const c of [admin, operator, auditor, anonymous]) await c.dispose();
  },
});

/** The test's account in the console's registry. */
const registerAccount = (ctx: Ctx) => ensureAccount(ctx.admin, ctx.account, "Api Tests");

/** The account's OrganizationAccountAccessRole in the catalog, registered and edited as the roles
 * test does it: without SourceIdentity, for 30 minutes, in eu-west-2. */
async function registerRole(ctx: Ctx): Promise<string> {
  await registerAccount(ctx);
  const created = await ctx.admin.post("/api/v1/roles", { data: { accountId: ctx.account, roleName: "OrganizationAccountAccessRole", displayName: "Api admin", sourceIdentity: false } });
  expect(created.status(), await created.text()).toBe(201);
  const roleId = ((await created.json()) as { role: { id: string } }).role.id;
  const patched = await ctx.admin.patch(`/api/v1/roles/${roleId}`, { data: { sessionDuration: 1800, defaultRegion: "eu-west-2" } });
  expect(patched.status(), await patched.text()).toBe(200);
  return roleId;
}

/** That role, granted to the test's operator. */
async function grantedRole(ctx: Ctx): Promise<string> {
  const roleId = await registerRole(ctx);
  await grant(ctx.admin, roleId, ctx.operatorEmail);
  return roleId;
}

/** A second entry in the account, for a role IAM does not have, never granted to anyone. */
async function ungrantedRole(ctx: Ctx): Promise<string> {
  await registerAccount(ctx);
  const other = await ctx.admin.post("/api/v1/roles", { data: { roleArn: `arn:aws:iam::${ctx.account}:role/NotThere`, displayName: "Ungranted" } });
  expect(other.status(), await other.text()).toBe(201);
  return ((await other.json()) as { role: { id: string } }).role.id;
}

const errorOf = async (res: { json(): Promise<unknown> }) => ((await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } }).error;

test("[API]: accounts — create, list, get, update; 400, 401, 403, 409", async ({ ctx }) => {
  const bad = await ctx.admin.post("/api/v1/accounts", { data: { accountId: "5555", name: "Nope" } });
  expect(bad.status()).toBe(400);
  expect((await errorOf(bad)).fields).toEqual({ accountId: "Account ID must be 12 digits" });

  const wrongRegion = await ctx.admin.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "Api Tests", partition: "aws", defaultRegion: "cn-north-1" } });
  expect(wrongRegion.status()).toBe(400);
  expect((await errorOf(wrongRegion)).message).toContain("not in the aws partition");

  expect((await ctx.anonymous.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "X" } })).status()).toBe(401);
  const forbidden = await ctx.operator.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "X" } });
  expect(forbidden.status()).toBe(403);
  expect((await errorOf(forbidden)).code).toBe("forbidden");

  const created = await ctx.admin.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "Api Tests", environment: "test", defaultRegion: "eu-west-1", alias: "api-tests" } });
  expect(created.status()).toBe(201);
  const account = ((await created.json()) as { account: { id: string; accountId: string; color: string; provisioningRoleName: string } }).account;
  expect(account).toMatchObject({ accountId: ctx.account, color: "#7c3aed", provisioningRoleName: "OrganizationAccountAccessRole" });

  const duplicate = await ctx.admin.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "Again" } });
  expect(duplicate.status()).toBe(409);
  expect((await errorOf(duplicate)).message).toBe(`Account ${ctx.account} is already registered.`);

  const list = (await (await ctx.admin.get("/api/v1/accounts")).json()) as { accounts: Array<{ accountId: string }> };
  expect(list.accounts.map((a) => a.accountId)).toContain(ctx.account);
  expect((await ctx.admin.get(`/api/v1/accounts/${ctx.account}`)).status()).toBe(200);
  expect((await ctx.admin.get(`/api/v1/accounts/${account.id}`)).status()).toBe(200);
  expect((await ctx.admin.get("/api/v1/accounts/123")).status()).toBe(400);
  expect((await ctx.admin.get("/api/v1/accounts/999999999999")).status()).toBe(404);
  expect((await ctx.anonymous.get("/api/v1/accounts")).status()).toBe(401);

  const patched = await ctx.admin.patch(`/api/v1/accounts/${ctx.account}`, { data: { notes: "Used by the API tests", color: "#123ABC" } });
  expect(patched.status()).toBe(200);
  expect(((await patched.json()) as { account: { color: string } }).account.color).toBe("#123abc");
  expect((await ctx.admin.patch(`/api/v1/accounts/${ctx.account}`, { data: {} })).status()).toBe(400);
  expect((await ctx.operator.patch(`/api/v1/accounts/${ctx.account}`, { data: { notes: "x" } })).status()).toBe(403);
});

test("[API]: organization import — preview and 400/401/403", async ({ ctx }) => {
  await registerAccount(ctx);
  const preview = await ctx.admin.get("/api/v1/accounts/import");
  expect(preview.status()).toBe(200);
  const accounts = ((await preview.json()) as { accounts: Array<{ accountId: string; registered: boolean }> }).accounts;
  expect(accounts.find((a) => a.accountId === ctx.account)?.registered).toBe(true);
  expect(accounts.map((a) => a.accountId)).toEqual(expect.arrayContaining(["111111111111", "222222222222", "333333333333", "444444444444"]));
  const bad = await ctx.admin.post("/api/v1/accounts/import", { data: { accountIds: ["12"] } });
  expect(bad.status()).toBe(400);
  const skipped = await ctx.admin.post("/api/v1/accounts/import", { data: { accountIds: [ctx.account, "000000000000"] } });
  expect(skipped.status()).toBe(200);
  expect(((await skipped.json()) as { skipped: Array<{ reason: string }> }).skipped.map((s) => s.reason)).toEqual(["Already registered", "Not an account of the organization"]);
  expect((await ctx.anonymous.get("/api/v1/accounts/import")).status()).toBe(401);
  expect((await ctx.operator.post("/api/v1/accounts/import", { data: {} })).status()).toBe(403);
});

test("[API]: roles — register by name and by ARN, discover, get, update, test; 400, 401, 403, 409", async ({ ctx }) => {
  await registerAccount(ctx);
  const unregistered = await ctx.admin.post("/api/v1/roles", { data: { accountId: "666666666666", roleName: "Anything" } });
  expect(unregistered.status()).toBe(400);
  expect((await errorOf(unregistered)).message).toBe("Account 666666666666 is not registered yet. Register it first, then the role.");
  const badArn = await ctx.admin.post("/api/v1/roles", { data: { roleArn: "arn:aws:iam::555:role/x" } });
  expect(badArn.status()).toBe(400);
  expect((await errorOf(badArn)).fields?.roleArn).toContain("A role ARN looks like");
  const badName = await ctx.admin.post("/api/v1/roles", { data: { accountId: ctx.account, roleName: "has spaces" } });
  expect((await errorOf(badName)).fields?.roleName).toBe("A role name uses letters, digits and + = , . @ _ - only");

  const byName = await ctx.admin.post("/api/v1/roles", { data: { accountId: ctx.account, roleName: "OrganizationAccountAccessRole", displayName: "Api admin", sourceIdentity: false } });
  expect(byName.status()).toBe(201);
  const role = ((await byName.json()) as { role: { id: string; roleArn: string } }).role;
  expect(role.roleArn).toBe(`arn:aws:iam::${ctx.account}:role/OrganizationAccountAccessRole`);
  const dup = await ctx.admin.post("/api/v1/roles", { data: { roleArn: role.roleArn } });
  expect(dup.status()).toBe(409);

  expect((await ctx.anonymous.post("/api/v1/roles", { data: { roleArn: role.roleArn } })).status()).toBe(401);
  expect((await ctx.operator.post("/api/v1/roles", { data: { roleArn: role.roleArn } })).status()).toBe(403);

  const discovered = await ctx.admin.get(`/api/v1/accounts/${ctx.account}/discover`);
  expect(discovered.status()).toBe(200);
  const roles = ((await discovered.json()) as { roles: Array<{ roleName: string; registeredId: string | null; brokerAccess: string; trust: string }> }).roles;
  expect(roles).toEqual([expect.objectContaining({ roleName: "OrganizationAccountAccessRole", registeredId: role.id, brokerAccess: "allowed", trust: expect.stringContaining("Trusts account 333333333333") })]);
  expect((await ctx.operator.get(`/api/v1/accounts/${ctx.account}/discover`)).status()).toBe(403);
  expect((await ctx.admin.get("/api/v1/accounts/777777777777/discover")).status()).toBe(404);

  expect((await ctx.admin.get(`/api/v1/roles/${role.id}`)).status()).toBe(200);
  expect((await ctx.admin.get("/api/v1/roles/nope")).status()).toBe(400);
  expect((await ctx.admin.get(`/api/v1/roles?accountId=${ctx.account}`)).status()).toBe(200);
  const patched = await ctx.admin.patch(`/api/v1/roles/${role.id}`, { data: { sessionDuration: 1800, defaultRegion: "eu-west-2" } });
  expect(patched.status()).toBe(200);
  const tooLong = await ctx.admin.patch(`/api/v1/roles/${role.id}`, { data: { sessionDuration: 50000 } });
  expect((await errorOf(tooLong)).fields?.sessionDuration).toBe("Session duration is at most 43200 seconds (12 hours)");
  expect((await ctx.operator.patch(`/api/v1/roles/${role.id}`, { data: { displayName: "x" } })).status()).toBe(403);

  const tested = await ctx.admin.post(`/api/v1/roles/${role.id}/test`);
  expect(tested.status()).toBe(200);
  expect(((await tested.json()) as { result: { ok: boolean } }).result.ok).toBe(true);
  expect((await ctx.operator.post(`/api/v1/roles/${role.id}/test`)).status()).toBe(403);
  expect((await ctx.anonymous.post(`/api/v1/roles/${role.id}/test`)).status()).toBe(401);
});

test("[API]: grants — to a user and a group, list, revoke; 400, 401, 403, 409", async ({ ctx }) => {
  const roleId = await registerRole(ctx);
  const unknown = await ctx.admin.post("/api/v1/grants", { data: { roleId, userEmail: "nobody@nowhere.example" } });
  expect(unknown.status()).toBe(400);
  expect((await errorOf(unknown)).message).toContain("No user with the email nobody@nowhere.example");
  const neither = await ctx.admin.post("/api/v1/grants", { data: { roleId } });
  expect(neither.status()).toBe(400);

  const created = await ctx.admin.post("/api/v1/grants", { data: { roleId, userEmail: ctx.operatorEmail } });
  expect(created.status()).toBe(201);
  expect((await ctx.admin.post("/api/v1/grants", { data: { roleId, userEmail: ctx.operatorEmail } })).status()).toBe(409);
  const group = await ctx.admin.post("/api/v1/grants", { data: { roleId, group: "sre" } });
  expect(group.status()).toBe(201);
  const groupId = ((await group.json()) as { grant: { id: string } }).grant.id;

  const list = (await (await ctx.admin.get(`/api/v1/grants?roleId=${roleId}`)).json()) as { grants: Array<{ user: { email: string } | null; group: string | null }> };
  expect(list.grants.map((g) => g.user?.email ?? `group:${g.group}`).sort()).toEqual([ctx.operatorEmail, "group:sre"].sort());
  expect((await ctx.operator.get("/api/v1/grants")).status()).toBe(403);
  expect((await ctx.anonymous.get("/api/v1/grants")).status()).toBe(401);
  expect((await ctx.operator.post("/api/v1/grants", { data: { roleId, group: "x" } })).status()).toBe(403);

  expect((await ctx.operator.delete(`/api/v1/grants/${groupId}`)).status()).toBe(403);
  expect((await ctx.admin.delete(`/api/v1/grants/${groupId}`)).status()).toBe(200);
  expect((await ctx.admin.delete(`/api/v1/grants/${groupId}`)).status()).toBe(404);
});

test("[API]: grants in bulk — batch create (idempotent), filters, batch delete (all or nothing); 400, 401, 403, 404", async ({ ctx }) => {
  const roleId = await registerRole(ctx);
  const otherId = await ungrantedRole(ctx);
  const data = { roleIds: [roleId, otherId], userEmails: [ctx.operatorEmail], groups: ["api-sre"] };
  const created = await ctx.admin.post("/api/v1/grants/batch", { data });
  expect(created.status(), await created.text()).toBe(201);
  const first = (await created.json()) as { created: Array<{ id: string; roleId: string }>; existing: unknown[] };
  expect(first.created).toHaveLength(4);
  expect(first.existing).toEqual([]);
  const again = (await (await ctx.admin.post("/api/v1/grants/batch", { data })).json()) as { created: unknown[]; existing: unknown[] };
  expect(again).toMatchObject({ created: [], existing: expect.any(Array) as unknown });
  expect(again.existing).toHaveLength(4);

  const unknown = await ctx.admin.post("/api/v1/grants/batch", { data: { roleIds: [roleId], userEmails: ["nobody@nowhere.example"] } });
  expect(unknown.status()).toBe(400);
  expect(await errorOf(unknown)).toMatchObject({ fields: { userEmails: "No such user" } });
  expect((await ctx.admin.post("/api/v1/grants/batch", { data: { roleIds: [roleId] } })).status()).toBe(400);

  const mine = (await (await ctx.admin.get(`/api/v1/grants?${new URLSearchParams({ userEmail: ctx.operatorEmail })}`)).json()) as { grants: Array<{ id: string; roleId: string }> };
  expect(mine.grants.map((g) => g.roleId).sort()).toEqual([roleId, otherId].sort());
  const group = (await (await ctx.admin.get("/api/v1/grants?group=api-sre")).json()) as { grants: Array<{ id: string }> };
  expect(group.grants.length).toBeGreaterThanOrEqual(2);
  expect((await ctx.admin.get("/api/v1/grants?userEmail=not-an-email")).status()).toBe(400);

  expect((await ctx.operator.post("/api/v1/grants/batch", { data })).status()).toBe(403);
  expect((await ctx.anonymous.post("/api/v1/grants/batch-delete", { data: { ids: mine.grants.map((g) => g.id) } })).status()).toBe(401);
  expect((await ctx.operator.post("/api/v1/grants/batch-delete", { data: { ids: mine.grants.map((g) => g.id) } })).status()).toBe(403);
  const removed = await ctx.admin.post("/api/v1/grants/batch-delete", { data: { ids: mine.grants.map((g) => g.id) } });
  expect(removed.status(), await removed.text()).toBe(200);
  expect(((await removed.json()) as { removed: unknown[] }).removed).toHaveLength(2);
  // Gone already: nothing is removed, and the answer says so.
  const gone = await ctx.admin.post("/api/v1/grants/batch-delete", { data: { ids: [...mine.grants.map((g) => g.id), first.created.find((g) => !mine.grants.some((m) => m.id === g.id))!.id] } });
  expect(gone.status()).toBe(404);
  expect((await errorOf(gone)).message).toBe("2 of these grants have already been removed; reload the page and choose again.");
});

test("[API]: sessions — credentials and console for a granted role; 403 and no AWS call for an ungranted one", async ({ ctx }) => {
  const roleId = await grantedRole(ctx);
  const otherRoleId = await ungrantedRole(ctx);
  const creds = await ctx.operator.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(creds.status()).toBe(200);
  expect(creds.headers()["cache-control"]).toBe("no-store");
  const body = (await creds.json()) as { credentials: { accessKeyId: string; expiration: string }; region: string; assumedRoleArn: string };
  expect(body.credentials.accessKeyId).toMatch(/^ASIA/);
  expect(body.region).toBe("eu-west-2");
  expect(body.assumedRoleArn).toMatch(new RegExp(`^arn:aws:sts::${ctx.account}:assumed-role/OrganizationAccountAccessRole/api\\.operator`));
  expect(Date.parse(body.credentials.expiration) - Date.now()).toBeLessThanOrEqual(1800_000);

  const consoleSession = await ctx.operator.post("/api/v1/sessions", { data: { roleId, kind: "console", region: "us-west-2" } });
  expect(consoleSession.status()).toBe(200);
  const { consoleUrl, expiresAt } = (await consoleSession.json()) as { consoleUrl: string; expiresAt: string };
  expect(new URL(consoleUrl).searchParams.get("Destination")).toBe(`${process.env.E2E_SANDBOX_URL}/console/home?region=us-west-2`);
  expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

  const since = await sandbox.lastSeq();
  const refused = await ctx.operator.post("/api/v1/sessions", { data: { roleId: otherRoleId, kind: "credentials" } });
  expect(refused.status()).toBe(403);
  expect((await errorOf(refused)).message).toBe("This role is not granted to you. Ask an administrator for a grant.");
  expect(await sandbox.calls({ since, action: "AssumeRole" })).toEqual([]);

  const invalid = await ctx.operator.post("/api/v1/sessions", { data: { roleId, kind: "shell" } });
  expect(invalid.status()).toBe(400);
  expect((await errorOf(invalid)).fields).toEqual({ kind: 'kind must be "console" or "credentials"' });
  expect((await ctx.anonymous.post("/api/v1/sessions", { data: { roleId, kind: "console" } })).status()).toBe(401);
  expect((await ctx.auditor.post("/api/v1/sessions", { data: { roleId, kind: "console" } })).status()).toBe(403);
});

test("[API]: the menu and pins show only what is granted", async ({ ctx }) => {
  const roleId = await grantedRole(ctx);
  const otherRoleId = await ungrantedRole(ctx);
  // The role the operator used last.
  const used = await ctx.operator.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(used.status(), await used.text()).toBe(200);
  const menu = (await (await ctx.operator.get("/api/v1/me/menu")).json()) as { roles: Array<{ id: string; pinned: boolean }>; lastRoleId: string };
  expect(menu.roles.map((r) => r.id)).toContain(roleId);
  expect(menu.roles.map((r) => r.id)).not.toContain(otherRoleId);
  expect(menu.lastRoleId).toBe(roleId);
  expect((await ctx.operator.put(`/api/v1/me/pins/${roleId}`, { data: { pinned: true } })).status()).toBe(200);
  expect((await ctx.operator.put(`/api/v1/me/pins/${otherRoleId}`, { data: { pinned: true } })).status()).toBe(404);
  expect((await ctx.operator.put(`/api/v1/me/pins/${roleId}`, { data: { pinned: "yes" } })).status()).toBe(400);
  const pinned = (await (await ctx.operator.get("/api/v1/me/menu")).json()) as { roles: Array<{ id: string; pinned: boolean }> };
  expect(pinned.roles.find((r) => r.id === roleId)?.pinned).toBe(true);
  expect((await ctx.anonymous.get("/api/v1/me/menu")).status()).toBe(401);
  expect((await ctx.auditor.get("/api/v1/me/menu")).status()).toBe(403);
});

test("[API]: audit events — filters, CSV and JSON exports; 400, 401, 403", async ({ ctx }) => {
  // Something to find: the operator's credentials for a role in the test's account.
  const roleId = await grantedRole(ctx);
  const used = await ctx.operator.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(used.status(), await used.text()).toBe(200);
  const res = await ctx.auditor.get(`/api/v1/audit-events?account=${ctx.account}&action=session.credentials&outcome=success`);
  expect(res.status()).toBe(200);
  const events = ((await res.json()) as { events: Array<{ action: string; actorEmail: string; awsAccountId: string; ip: string | null }> }).events;
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.action === "session.credentials" && e.awsAccountId === ctx.account)).toBe(true);
  expect(events[0]?.actorEmail).toBe(ctx.operatorEmail);
  const csvRes = await ctx.admin.get(`/api/v1/audit-events?account=${ctx.account}&outcome=success&format=csv`);
  expect(csvRes.headers()["content-type"]).toContain("text/csv");
  expect(csvRes.headers()["content-disposition"]).toMatch(/attachment; filename="switchboard-audit-.*\.csv"/);
  const csv = await csvRes.text();
  expect(csv.split("\r\n")[0]).toBe("id,at,actorEmail,action,outcome,target,awsAccountId,reason,ip,userAgent,requestId,details");
  expect(csv).not.toContain("ASIA");
  const json = await ctx.admin.get("/api/v1/audit-events?format=json&action=account.create");
  expect(json.headers()["content-disposition"]).toMatch(/\.json"$/);
  const bad = await ctx.admin.get("/api/v1/audit-events?account=12&outcome=maybe");
  expect(bad.status()).toBe(400);
  expect((await errorOf(bad)).fields).toEqual({ account: "Account must be a 12-digit AWS account id", outcome: expect.any(String) });
  expect((await ctx.operator.get("/api/v1/audit-events")).status()).toBe(403);
  expect((await ctx.anonymous.get("/api/v1/audit-events")).status()).toBe(401);
});

test("[API]: provisioning — plan, apply, managed policies; 400, 401, 403", async ({ ctx }) => {
  await registerAccount(ctx);
  const doc = {
    target: { accountId: ctx.account, roleName: `ApiPlanned${Date.now().toString(36)}`, path: "/", description: "From the API tests", maxSessionDuration: 3600, tags: [] },
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
    applySourcePolicies: [],
  };
  const planned = await ctx.admin.post("/api/v1/provisioning/plan", { data: doc });
  expect(planned.status()).toBe(200);
  const { plan, usage, exports } = (await planned.json()) as {
    plan: { roleArn: string; trustPolicy: { Statement: Array<{ Action: unknown }> }; findings: Array<{ severity: string }> };
    usage: Record<string, { used: number; quota: number; level: string }>;
    exports: Record<string, string>;
  };
  expect(plan.roleArn).toBe(`arn:aws:iam::${ctx.account}:role/${doc.target.roleName}`);
  // Sizes against the account's quotas, as the sandbox's GetAccountSummary reports them.
  expect(usage.trustPolicy).toEqual({ used: JSON.stringify(plan.trustPolicy).replace(/[ \t\n\r]/g, "").length, quota: 2048, level: "ok" });
  expect(usage.managedPolicies?.quota).toBe(10);
  expect(JSON.stringify(plan.trustPolicy)).toContain("sts:SetSourceIdentity");
  expect(plan.findings.filter((f) => f.severity === "error")).toEqual([]);
  expect(Object.keys(exports).sort()).toEqual(["awsConfig", "cli", "cloudformation", "terraform"]);

  const bad = await ctx.admin.post("/api/v1/provisioning/plan", { data: { ...doc, target: { ...doc.target, roleName: "has spaces" } } });
  expect(bad.status()).toBe(400);
  expect(Object.keys((await errorOf(bad)).fields ?? {})).toContain("target.roleName");
  expect((await ctx.anonymous.post("/api/v1/provisioning/plan", { data: doc })).status()).toBe(401);
  expect((await ctx.operator.post("/api/v1/provisioning/plan", { data: doc })).status()).toBe(403);

  const applied = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true } });
  expect(applied.status()).toBe(200);
  const result = (await applied.json()) as { ok: boolean; steps: Array<{ status: string }>; role: { id: string; roleArn: string } };
  expect(result.ok).toBe(true);
  expect(result.steps.every((st) => st.status === "done" || st.status === "skipped")).toBe(true);
  expect(result.role.roleArn).toBe(plan.roleArn);
  // Registered in the catalog, and the console can switch into it.
  const tested = await ctx.admin.post(`/api/v1/roles/${result.role.id}/test`);
  expect(((await tested.json()) as { result: { ok: boolean } }).result.ok).toBe(true);
  // The name is taken now: refused before anything is created, at the field.
  const again = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true } });
  expect(again.status()).toBe(400);
  const clash = await errorOf(again);
  expect(clash.message).toContain("already exists");
  expect(Object.keys(clash.fields ?? {})).toEqual(["target.roleName"]);
  expect((await ctx.operator.post("/api/v1/provisioning/apply", { data: { document: doc } })).status()).toBe(403);
  expect((await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: { ...doc, trust: { entities: [], conditions: {} } } } })).status()).toBe(400);

  const policies = await ctx.admin.get(`/api/v1/accounts/${ctx.account}/policies?q=readonly`);
  expect(policies.status()).toBe(200);
  expect(((await policies.json()) as { policies: Array<{ arn: string }> }).policies.map((p) => p.arn)).toContain("arn:aws:iam::aws:policy/ReadOnlyAccess");
  expect((await ctx.operator.get(`/api/v1/accounts/${ctx.account}/policies`)).status()).toBe(403);
  // Out of the catalog again (the IAM role stays), so the account's entries are as before.
  expect((await ctx.admin.delete(`/api/v1/roles/${result.role.id}`)).status()).toBe(200);
});

test("[API]: provisioning apply with an Idempotency-Key — a retry gets the first answer, not a second attempt", async ({ ctx }) => {
  await registerAccount(ctx);
  const doc = {
    target: { accountId: ctx.account, roleName: `ApiIdempotent${Date.now().toString(36)}`, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
    applySourcePolicies: [],
  };
  const key = `e2e-${Date.now().toString(36)}`;
  const headers = { "Idempotency-Key": key };
  const first = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true }, headers });
  expect(first.status()).toBe(200);
  const answer = (await first.json()) as { ok: boolean; role: { id: string; roleArn: string } };
  expect(answer.ok).toBe(true);

  // The client lost the answer and asks again: same answer, nothing applied twice.
  const sandboxSince = await sandbox.lastSeq();
  const again = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true }, headers });
  expect(again.status()).toBe(200);
  expect(again.headers()["idempotent-replayed"]).toBe("true");
  expect(await again.json()).toEqual(answer);
  expect((await sandbox.calls({ since: sandboxSince, service: "iam" })).filter((c) => c.action === "CreateRole")).toEqual([]);

  // The same key for another role is a mistake, said as such; a malformed key is a 400.
  const other = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: { ...doc, target: { ...doc.target, roleName: `${doc.target.roleName}X` } }, acknowledgeWarnings: true }, headers });
  expect(other.status()).toBe(409);
  expect((await errorOf(other)).message).toBe(`This Idempotency-Key was already used to create ${answer.role.roleArn}. Use a new key for another role.`);
  const bad = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true }, headers: { "Idempotency-Key": "has spaces" } });
  expect(bad.status()).toBe(400);
  expect((await errorOf(bad)).message).toBe("Idempotency-Key must be printable ASCII without spaces");
  // Keys are per person: the operator cannot read the admin's answer with it (and may not apply at all).
  expect((await ctx.operator.post("/api/v1/provisioning/apply", { data: { document: doc }, headers })).status()).toBe(403);

  expect((await ctx.admin.delete(`/api/v1/roles/${answer.role.id}`)).status()).toBe(200);
});

test("[API]: provisioning a role that is already in the catalog by name keeps the new role and uses that entry", async ({ ctx }) => {
  await registerAccount(ctx);
  const roleName = `ApiPreRegistered${Date.now().toString(36)}`;
  const entry = await ctx.admin.post("/api/v1/roles", { data: { accountId: ctx.account, roleName, displayName: "Registered before it existed" } });
  expect(entry.status()).toBe(201);
  const entryId = ((await entry.json()) as { role: { id: string } }).role.id;
  const doc = {
    target: { accountId: ctx.account, roleName, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
    applySourcePolicies: [],
  };
  const applied = await ctx.admin.post("/api/v1/provisioning/apply", { data: { document: doc, acknowledgeWarnings: true } });
  const result = (await applied.json()) as { ok: boolean; role: { id: string; displayName: string } };
  expect(result).toMatchObject({ ok: true, role: { id: entryId, displayName: "Registered before it existed" } });
  // The role exists in IAM and the console can switch into it through that entry.
  const tested = await ctx.admin.post(`/api/v1/roles/${entryId}/test`);
  expect(((await tested.json()) as { result: { ok: boolean } }).result.ok).toBe(true);
  expect((await ctx.admin.delete(`/api/v1/roles/${entryId}`)).status()).toBe(200);
});

test("[API]: refusals are in the audit log too: an ungranted switch, a missing permission", async ({ ctx }) => {
  // The operator asks for a role that was not granted, and for three things an operator may not do.
  const otherRoleId = await ungrantedRole(ctx);
  expect((await ctx.operator.post("/api/v1/sessions", { data: { roleId: otherRoleId, kind: "credentials" } })).status()).toBe(403);
  expect((await ctx.operator.post("/api/v1/accounts", { data: { accountId: ctx.account, name: "X" } })).status()).toBe(403);
  expect((await ctx.operator.patch(`/api/v1/accounts/${ctx.account}`, { data: { notes: "x" } })).status()).toBe(403);
  expect((await ctx.operator.get("/api/v1/audit-events")).status()).toBe(403);

  const actor = encodeURIComponent(ctx.operatorEmail);
  const switches = ((await (await ctx.auditor.get(`/api/v1/audit-events?actor=${actor}&action=session.credentials&outcome=denied`)).json()) as { events: Array<{ target: string; reason: string }> }).events;
  expect(switches).toEqual([expect.objectContaining({ target: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//), reason: "This role is not granted to you. Ask an administrator for a grant." })]);
  const denied = ((await (await ctx.auditor.get(`/api/v1/audit-events?actor=${actor}&action=access.denied`)).json()) as { events: Array<{ outcome: string; reason: string; details: Record<string, unknown> }> }).events;
  expect(denied.map((e) => e.details.operation)).toEqual(expect.arrayContaining(["POST /api/v1/accounts", `PATCH /api/v1/accounts/${ctx.account}`, "GET /api/v1/audit-events"]));
  expect(denied.every((e) => e.outcome === "denied" && e.reason.startsWith("Your console role (operator) does not allow this"))).toBe(true);
});

test("[API]: deleting an account with role entries needs cascade; removing a role keeps the account", async ({ ctx }) => {
  const roleId = await registerRole(ctx);
  const otherRoleId = await ungrantedRole(ctx);
  const refused = await ctx.admin.delete(`/api/v1/accounts/${ctx.account}`);
  expect(refused.status()).toBe(409);
  expect((await errorOf(refused)).message).toContain("still has 2 role entries");
  expect((await ctx.operator.delete(`/api/v1/roles/${otherRoleId}`)).status()).toBe(403);
  expect((await ctx.admin.delete(`/api/v1/roles/${otherRoleId}`)).status()).toBe(200);
  expect((await ctx.admin.get(`/api/v1/roles/${otherRoleId}`)).status()).toBe(404);
  expect((await ctx.admin.delete(`/api/v1/accounts/${ctx.account}?cascade=maybe`)).status()).toBe(400);
  const cascaded = await ctx.admin.delete(`/api/v1/accounts/${ctx.account}?cascade=true`);
  expect(cascaded.status()).toBe(200);
  expect(await cascaded.json()).toEqual({ ok: true, deletedRoles: 1 });
  expect((await ctx.admin.get(`/api/v1/roles/${roleId}`)).status()).toBe(404);
  expect((await ctx.anonymous.delete(`/api/v1/accounts/${ctx.account}`)).status()).toBe(401);
});

test("[API]: the OpenAPI document describes every route", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };
  expect(doc.openapi).toBe("3.1.0");
  // Every route handler under app/api/v1 (except the document itself) is described.
  const routes = readdirSync("app/api/v1", { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("route.ts") && !f.startsWith("openapi.json"))
    .map((f) => `/${f.replace(/\/?route\.ts$/, "")}`.replace(/\[(\w+)\]/g, "{$1}"))
    .sort();
  expect(routes).toContain("/provisioning/apply");
  expect(Object.keys(doc.paths).sort()).toEqual(routes);
  const createAccount = doc.paths["/accounts"]!.post!.requestBody!.content["application/json"]!.schema;
  expect(Object.keys(createAccount.properties ?? {})).toEqual(expect.arrayContaining(["accountId", "name", "environment", "partition", "defaultRegion", "provisioningRoleName"]));
});
