// Cross-site request forgery: every state-changing endpoint — each non-GET /api/v1 operation of
// the OpenAPI document, every server action, POST /switch/<roleId> and POST /api/auth/signout —
// sent by a signed-in administrator's browser from another site: Origin https://evil.example,
// Origin null, no Origin with Sec-Fetch-Site: cross-site, a cross-site browser, and a same-site
// sibling; as JSON, form-urlencoded and multipart. Each request carries a payload that *would*
// change something (a positive control proves it). Bar: 0 state changes, read back through the
// admin API, and 0 new calls in the sandbox's log.
import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "../support/accounts";
import { sandbox } from "../support/sandbox";
import { scale } from "./scale";
import { callAction, callActionRaw, Client, createUser, encodeReplyJson, flightRows, errorShapeProblem, operations, opKey, serverActions, signedIn, switchableRole, type Operation, type ServerAction } from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const ACCOUNT = "810000000002";
const SPARE_ACCOUNT = "810000000012";
/** A config file whose import would register an account and a role (Import from a config file). */
const CONFIG_FILE = "[profile cross-site]\nrole_arn = arn:aws:iam::810000000097:role/CrossSiteImported\n";
const VICTIM_PASSWORD = "csrf-victim-password";
const base = () => process.env.E2E_BASE_URL!;
const own = () => new URL(base()).origin;

type Ids = { accountRef: string; roleId: string; roleArn: string; grantId: string; spareUserId: string; webhookId: string; accessRequestId: string };
let observer: Client;
let victim: Client;
let ids: Ids;
let victimEmail: string;
/** A device sign-in waiting for approval (POST /device/authorizations, as the command line starts one). */
let device: { deviceCode: string; userCode: string };

/** Who sends what: the header sets a page on another site can make a browser send. */
function senders(): Array<{ name: string; headers: Record<string, string> }> {
  const port = new URL(base()).port;
  return [
    { name: "Origin evil", headers: { origin: "https://evil.example" } },
    { name: "Origin null", headers: { origin: "null" } },
    { name: "no Origin, Sec-Fetch-Site cross-site", headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" } },
    { name: "cross-site browser", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } },
    { name: "same-site sibling", headers: { origin: `http://localhost:${port}`, "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate" } },
  ];
}

const ENCODINGS = ["json", "form", "multipart"] as const;

/** The body as each encoding carries it (form fields hold JSON for non-strings). */
function encode(encoding: (typeof ENCODINGS)[number], body: Record<string, unknown>) {
  const flat = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return encoding === "json" ? { json: body } : encoding === "form" ? { form: flat } : { multipart: flat };
}

/** Everything the admin API shows, plus the sandbox's call counter. */
async function snapshot() {
  const read = async (path: string, client = observer) => {
    const reply = await client.get(path);
    expect(reply.status, `${path}: ${reply.text.slice(0, 200)}`).toBe(200);
    return reply.text;
  };
  return {
    accounts: await read("/api/v1/accounts"),
    roles: await read("/api/v1/roles"),
    grants: await read("/api/v1/grants"),
    users: await read("/api/v1/users"),
    webhooks: await read("/api/v1/webhooks"),
    accessRequests: await read("/api/v1/access-requests?view=all"),
    eligibility: await read(`/api/v1/roles/${ids.roleId}/eligibility`),
    victimMenu: await read("/api/v1/me/menu", victim.clone({})),
    victimSession: (await victim.clone({}).get("/api/v1/me")).status,
    awsCalls: await awsCallsSinceStart(),
  };
}

/** AWS calls made since the spec began, but for the broker looking itself up (GetCallerIdentity,
 * refreshed every few minutes whatever anyone does): those change nothing. */
let startSeq = 0;
async function awsCallsSinceStart(): Promise<number> {
  return (await sandbox.calls({ since: startSeq })).filter((c) => c.action !== "GetCallerIdentity").length;
}

/** A request per non-GET operation that would change something if it were accepted. */
function payload(op: Operation, run: string): { params: string[]; query?: string; body?: Record<string, unknown> } {
  const document = {
    target: { accountId: ACCOUNT, roleName: `Csrf${run}`, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
    applySourcePolicies: [],
  };
  const table: Record<string, { params: string[]; query?: string; body?: Record<string, unknown> }> = {
    "PUT /me/pins/{roleId}": { params: [ids.roleId], body: { pinned: true } },
    "POST /accounts": { params: [], body: { accountId: "810000000099", name: "Cross-site" } },
    "PATCH /accounts/{id}": { params: [ids.accountRef], body: { notes: "changed cross-site" } },
    "DELETE /accounts/{id}": { params: [ids.accountRef], query: "?cascade=true" },
    "POST /accounts/import": { params: [], body: { accountIds: [SPARE_ACCOUNT] } },
    "POST /catalog/import": { params: [], body: { text: CONFIG_FILE } },
    "POST /provisioning/plan": { params: [], body: document },
    "POST /provisioning/apply": { params: [], body: { document, acknowledgeWarnings: true } },
    "POST /roles": { params: [], body: { accountId: ACCOUNT, roleName: "CrossSiteRole" } },
    "PATCH /roles/{id}": { params: [ids.roleId], body: { displayName: "changed cross-site" } },
    "DELETE /roles/{id}": { params: [ids.roleId] },
    "POST /roles/{id}/test": { params: [ids.roleId] },
    "POST /grants": { params: [], body: { roleId: ids.roleId, group: "cross-site" } },
    "DELETE /grants/{id}": { params: [ids.grantId] },
    "PATCH /grants/{id}": { params: [ids.grantId], body: { expiresAt: new Date(Date.now() + 3600_000).toISOString() } },
    "POST /access-reviews": { params: [], body: { decisions: [{ grantId: ids.grantId, decision: "remove" }] } },
    "POST /sessions": { params: [], body: { roleId: ids.roleId, kind: "credentials" } },
    // A pending request the victim (an administrator) could approve: approving it from another site would give access.
    "POST /access-requests": { params: [], body: { roleId: ids.roleId, durationSeconds: 900, reason: "cross-site" } },
    "POST /access-requests/{id}/approve": { params: [ids.accessRequestId], body: { comment: "cross-site" } },
    "POST /access-requests/{id}/deny": { params: [ids.accessRequestId], body: { comment: "cross-site" } },
    "POST /access-requests/{id}/cancel": { params: [ids.accessRequestId], body: {} },
    "POST /access-requests/{id}/extend": { params: [ids.accessRequestId], body: { durationSeconds: 900, reason: "cross-site" } },
    "POST /access-requests/{id}/end": { params: [ids.accessRequestId], body: { comment: "cross-site" } },
    "POST /access-requests/{id}/review": { params: [ids.accessRequestId], body: { verdict: "justified", comment: "cross-site" } },
    "PUT /roles/{id}/eligibility": { params: [ids.roleId], body: { userEmails: [], groups: ["cross-site"], policy: { anyAdmin: true } } },
    "POST /users": { params: [], body: { email: uniqueEmail("csrf.new"), name: "Cross-site", password: "cross-site-password", role: "admin" } },
    "PATCH /users/{id}": { params: [ids.spareUserId], body: { disabled: true, role: "admin" } },
    "POST /users/{id}/clear-sign-in-lock": { params: [ids.spareUserId] },
    "POST /me/step-up": { params: [], body: { password: VICTIM_PASSWORD } },
    "POST /webhooks": { params: [], body: { name: "Cross-site", kind: "json", url: "https://evil.example/hook" } },
    "PATCH /webhooks/{id}": { params: [ids.webhookId], body: { url: "https://evil.example/hook", rotateSecret: true } },
    "DELETE /webhooks/{id}": { params: [ids.webhookId] },
    "POST /webhooks/{id}/test": { params: [ids.webhookId] },
    "POST /device/authorizations": { params: [], body: { client_id: "switchboard-cli", description: "cross-site" } },
    "POST /device/token": { params: [], body: { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: device.deviceCode, client_id: "switchboard-cli" } },
  };
  return table[opKey(op)] ?? { params: op.pathParams.map(() => ids.spareUserId), body: {} };
}

/** The argument each action would act on (an administrator's, against our own entries). */
function actionArg(action: ServerAction): unknown {
  const table: Record<string, unknown> = {
    createAccountAction: { accountId: "810000000098", name: "Cross-site" },
    updateAccountAction: { id: ids.accountRef, patch: { notes: "changed cross-site" } },
    deleteAccountAction: { id: ids.accountRef, cascade: true },
    previewImportAction: {},
    importAccountsAction: { accountIds: [SPARE_ACCOUNT] },
    registerRoleAction: { accountId: ACCOUNT, roleName: "CrossSiteRole" },
    updateRoleAction: { id: ids.roleId, patch: { displayName: "changed cross-site" } },
    deleteRoleAction: { id: ids.roleId },
    testRoleAction: { id: ids.roleId },
    discoverRolesAction: { accountRef: ACCOUNT },
    registerDiscoveredAction: { accountRef: ACCOUNT, roleArns: [`arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`] },
    previewConfigImportAction: { text: CONFIG_FILE },
    applyConfigImportAction: { text: CONFIG_FILE },
    createGrantAction: { roleId: ids.roleId, group: "cross-site" },
    deleteGrantAction: { id: ids.grantId },
    createGrantsAction: { roleIds: [ids.roleId], groups: ["cross-site-bulk"] },
    deleteGrantsAction: { ids: [ids.grantId] },
    updateGrantExpiryAction: { id: ids.grantId, expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    reviewGrantsAction: { decisions: [{ grantId: ids.grantId, decision: "remove" }] },
    updateTrustAction: { roleId: ids.roleId, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }] }), acknowledgeWarnings: true },
    proposeTrustStatementAction: { roleId: ids.roleId, statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:user/switchboard" }, Action: "sts:AssumeRole" } },
    planRoleAction: { target: { accountId: ACCOUNT, roleName: "CrossSitePlan" }, trust: { entities: [{ kind: "broker" }], conditions: {} }, permissions: { managedPolicyArns: [], inline: [] }, applySourcePolicies: [] },
    listManagedPoliciesAction: { accountId: ACCOUNT, query: "read" },
    checkTrustedPrincipalsAction: { principals: [`arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`] },
    validatePolicyJsonAction: { text: "{}" },
    createUserAction: { email: uniqueEmail("csrf.action"), name: "Cross-site", password: "cross-site-password", role: "admin" },
    updateUserAction: { id: ids.spareUserId, patch: { disabled: true, role: "admin" } },
    clearSignInLockAction: { id: ids.spareUserId },
    createWebhookAction: { name: "Cross-site", kind: "json", url: "https://evil.example/hook" },
    updateWebhookAction: { id: ids.webhookId, url: "https://evil.example/hook", rotateSecret: true },
    deleteWebhookAction: { id: ids.webhookId },
    testWebhookAction: { id: ids.webhookId },
    createTokenAction: { name: "cross-site", scope: "switch", days: 1 },
    createAccessRequestAction: { roleId: ids.roleId, durationSeconds: 900, reason: "cross-site" },
    approveAccessRequestAction: { id: ids.accessRequestId, comment: "cross-site" },
    denyAccessRequestAction: { id: ids.accessRequestId, comment: "cross-site" },
    cancelAccessRequestAction: { id: ids.accessRequestId },
    extendAccessRequestAction: { id: ids.accessRequestId, durationSeconds: 900, reason: "cross-site" },
    endAccessRequestAction: { id: ids.accessRequestId, comment: "cross-site" },
    reviewBreakGlassAction: { id: ids.accessRequestId, verdict: "justified", comment: "cross-site" },
    setEligibilityAction: { roleId: ids.roleId, userEmails: [], groups: ["cross-site"], policy: { anyAdmin: true } },
    revokeTokenAction: { id: ids.spareUserId },
    setupAction: { email: uniqueEmail("csrf.setup"), name: "Cross-site", password: "cross-site-password" },
    // A command line's sign-in that waits for the victim: approving it from another site would hand over a token.
    findDeviceRequestAction: { code: device.userCode },
    approveDeviceAction: { code: device.userCode },
    denyDeviceAction: { code: device.userCode },
  };
  return table[action.name] ?? {};
}

test.beforeAll(async () => {
  startSeq = await sandbox.lastSeq();
  observer = await signedIn(base(), ADMIN.email, ADMIN.password);
  // The victim is an administrator: permission is never why a request fails here.
  victimEmail = uniqueEmail("csrf.victim");
  await createUser(observer, { email: victimEmail, name: "Csrf Victim", password: VICTIM_PASSWORD, role: "admin" });
  victim = await signedIn(base(), victimEmail, VICTIM_PASSWORD);
  const spareUserId = await createUser(observer, { email: uniqueEmail("csrf.spare"), name: "Csrf Spare", password: "csrf-spare-password", role: "auditor" });
  const role = await switchableRole(observer, sandbox, ACCOUNT, "Cross-site Tests", [victimEmail]);
  await sandbox.addAccount(SPARE_ACCOUNT, "Cross-site Spare");
  const grant = await observer.get(`/api/v1/grants?roleId=${role.roleId}`);
  const grantId = grant.json<{ grants: Array<{ id: string }> }>().grants[0]!.id;
  // A webhook to aim at: turning it to another site's URL would send that site every access request.
  // Off, so that no delivery (the worker retries in the background) changes the snapshot.
  const hook = await observer.post("/api/v1/webhooks", { json: { name: "Cross-site target", kind: "json", url: "https://hooks.example.com/switchboard", enabled: false } });
  expect(hook.status, hook.text).toBe(201);
  // An operator eligible for the role asks for it; the request waits for an administrator (the victim).
  const askerEmail = uniqueEmail("csrf.asker");
  await createUser(observer, { email: askerEmail, name: "Csrf Asker", password: "csrf-asker-password", role: "operator" });
  const eligible = await observer.put(`/api/v1/roles/${role.roleId}/eligibility`, { json: { userEmails: [askerEmail], groups: [], policy: { maxDurationSeconds: 3600, breakGlass: true } } });
  expect(eligible.status, eligible.text).toBe(200);
  const asker = await signedIn(base(), askerEmail, "csrf-asker-password");
  const asked = await asker.post("/api/v1/access-requests", { json: { roleId: role.roleId, durationSeconds: 900, reason: "cross-site tests" } });
  expect(asked.status, asked.text).toBe(201);
  ids = { ...role, grantId, spareUserId, webhookId: hook.json<{ webhook: { id: string } }>().webhook.id, accessRequestId: asked.json<{ request: { id: string } }>().request.id };
  const started = await new Client(base()).post("/api/v1/device/authorizations", { json: { client_id: "switchboard-cli", description: "cross-site tests" } });
  expect(started.status, started.text).toBe(200);
  const { device_code, user_code } = started.json<{ device_code: string; user_code: string }>();
  device = { deviceCode: device_code, userCode: user_code };
});

/** The device sign-in is still waiting: nobody approved or denied it, and no poll took its token. */
async function expectDeviceStillWaiting() {
  const poll = await new Client(base()).post("/api/v1/device/token", { json: { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: device.deviceCode, client_id: "switchboard-cli" } });
  expect(poll.status, poll.text).toBe(400);
  expect(poll.json<{ error: { details?: { error?: string } } }>().error.details?.error).toMatch(/^(authorization_pending|slow_down)$/);
}

test("[CSRF]: every non-GET /api/v1 operation from another site — 403 in the documented shape, 0 state changes, 0 AWS calls", async () => {
  const ops = (await operations(base())).filter((op) => op.method !== "GET");
  expect(ops.length).toBeGreaterThan(10);
  const before = await snapshot();
  const wrong: string[] = [];
  let requests = 0;
  for (const op of ops) {
    const { params, query, body } = payload(op, "Api");
    let i = 0;
    const path = `${op.path.replace(/\{\w+\}/g, () => params[i++] ?? "x")}${query ?? ""}`;
    for (const sender of senders()) {
      for (const encoding of ENCODINGS) {
        const reply = await victim.request(op.method, path, { headers: sender.headers, ...encode(encoding, body ?? {}) });
        requests++;
        const problem = reply.status !== 403 ? `status ${reply.status}` : errorShapeProblem(reply);
        if (problem) wrong.push(`${op.method} ${path} [${sender.name}, ${encoding}]: ${problem} ${reply.text.slice(0, 150)}`);
      }
    }
  }
  const after = await snapshot();
  console.log(`cross-site /api/v1: ${ops.length} operations × ${senders().length} senders × ${ENCODINGS.length} encodings = ${requests} requests, ${wrong.length} not refused, AWS calls ${after.awsCalls - before.awsCalls}`);
  expect(wrong).toEqual([]);
  expect(after).toEqual(before);
  await expectDeviceStillWaiting();

  // Positive control: the same payloads, sent the way the console's own code sends them, do change things.
  const control = await victim.post("/api/v1/grants", { json: { roleId: ids.roleId, group: "csrf-control" }, headers: { origin: own(), "sec-fetch-site": "same-origin" } });
  expect(control.status, control.text).toBe(201);
  expect((await victim.delete(`/api/v1/grants/${control.json<{ grant: { id: string } }>().grant.id}`)).status).toBe(200);
});

test("[CSRF]: every server action from another site — never runs: 0 state changes, 0 AWS calls", async () => {
  const actions = serverActions();
  expect(actions.length).toBeGreaterThan(15);
  const before = await snapshot();
  const ran: string[] = [];
  let requests = 0;
  for (const action of actions) {
    const arg = actionArg(action);
    for (const sender of senders()) {
      // callAction sends Origin: own unless the sender overrides it; a sender without Origin must not send one.
      const headers = { ...sender.headers, ...(sender.headers.origin ? {} : { origin: "" }) };
      const strip = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ""));
      const attempts = [
        () => callAction(victim, action, arg, headers),
        () => callActionRaw(victim, action, `0=${encodeURIComponent(encodeReplyJson(arg))}`, { ...headers, "content-type": "application/x-www-form-urlencoded" }),
        async () => {
          const reply = await victim.post(action.page, { headers: strip({ "next-action": action.id, accept: "text/x-component", ...headers }), multipart: { "0": encodeReplyJson(arg) } });
          const row = flightRows(reply.body).get("1");
          let result: { ok: boolean } | undefined;
          try {
            result = row?.startsWith("{") ? (JSON.parse(row) as { ok: boolean }) : undefined;
          } catch {
            result = undefined;
          }
          return { reply, result, thrown: false };
        },
        // The no-JavaScript form post (the action id in a field, no Next-Action header).
        async () => {
          const reply = await victim.post(action.page, { headers: strip(headers), multipart: { [`$ACTION_ID_${action.id}`]: "", ...Object.fromEntries(Object.entries(arg as object).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])) } });
          return { reply, result: undefined, thrown: false };
        },
      ];
      for (const attempt of attempts) {
        const { reply, result } = await attempt();
        requests++;
        if (result?.ok) ran.push(`${action.name} [${sender.name}]: the action ran (${reply.status})`);
      }
    }
  }
  const after = await snapshot();
  console.log(`cross-site server actions: ${actions.length} actions × ${senders().length} senders × 4 encodings = ${requests} requests, ${ran.length} ran, AWS calls ${after.awsCalls - before.awsCalls}`);
  expect(ran).toEqual([]);
  expect(after).toEqual(before);
  await expectDeviceStillWaiting();

  // Positive control: the JSON encoding with the console's own Origin runs the action.
  const createGrant = actions.find((a) => a.name === "createGrantAction")!;
  const control = await callAction(victim, createGrant, { roleId: ids.roleId, group: "csrf-action-control" });
  expect(control.result?.ok, control.reply.text.slice(0, 300)).toBe(true);
  const grants = (await observer.get(`/api/v1/grants?roleId=${ids.roleId}`)).json<{ grants: Array<{ id: string; group: string | null }> }>().grants;
  const made = grants.find((g) => g.group === "csrf-action-control")!;
  expect((await observer.delete(`/api/v1/grants/${made.id}`)).status).toBe(200);
});

test("[CSRF]: POST /switch/<roleId> and POST /api/auth/signout from another site — no session issued, nobody signed out", async () => {
  const before = await snapshot();
  const wrong: string[] = [];
  let requests = 0;
  for (const sender of senders()) {
    for (const encoding of ENCODINGS) {
      const reply = await victim.post(`/switch/${ids.roleId}`, { headers: sender.headers, ...encode(encoding, { region: "eu-west-1" }) });
      requests++;
      if (reply.text.includes("SigninToken") || reply.status >= 500) wrong.push(`POST /switch [${sender.name}, ${encoding}]: ${reply.status}${reply.text.includes("SigninToken") ? ", a console sign-in token" : ""}`);
      // next-auth needs its CSRF token, which another site cannot read; try without, and with a guessed one.
      const signOut = await victim.post("/api/auth/signout", { headers: sender.headers, ...encode(encoding, { callbackUrl: "/", json: "true", csrfToken: "guessed-token" }) });
      requests++;
      if ((await victim.clone({}).get("/api/v1/me")).status !== 200) wrong.push(`POST /api/auth/signout [${sender.name}, ${encoding}] signed the victim out (${signOut.status})`);
    }
  }
  const after = await snapshot();
  console.log(`cross-site POST /switch and sign-out: ${requests} requests, ${wrong.length} took effect, AWS calls ${after.awsCalls - before.awsCalls}`);
  expect(wrong).toEqual([]);
  expect(after).toEqual(before);

  // Positive control: the confirmation page's own POST issues.
  const control = await victim.post(`/switch/${ids.roleId}`, { headers: { origin: own(), "sec-fetch-site": "same-origin" }, form: {} });
  expect(control.text).toContain("SigninToken");
});
