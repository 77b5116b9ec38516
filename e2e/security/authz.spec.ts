// Authorization: administrator, operator, auditor, a disabled user, a
// replayed cookie after sign-out, and no session at all, against every /api/v1 operation (methods
// from the OpenAPI document) and every server action, each cell asserted against ONE expected
// table below. Signed out → 401; lacking the permission → 403 in the documented shape. Every 403
// is in the audit log (naming the operation) and no refusal makes an AWS call.
import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "../support/accounts";
import { sandbox } from "../support/sandbox";
import { scale } from "./scale";
import { callAction, Client, createUser, errorShapeProblem, operations, opKey, serverActions, signedIn, type Operation, type ServerAction } from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const base = () => process.env.E2E_BASE_URL!;

// ---- The one expected table -------------------------------------------------------------------

type Permission = "accounts.read" | "accounts.manage" | "roles.read" | "roles.manage" | "grants.manage" | "sessions.create" | "audit.read" | "users.manage" | "provisioning.manage" | "settings.read" | "sessions.revoke" | "webhooks.manage";
type Role = "admin" | "operator" | "auditor";

/** lib/auth/permissions.ts, restated: the oracle must not be the code under test. */
const ROLE_PERMISSIONS: Record<Role, readonly Permission[] | "all"> = {
  admin: "all",
  operator: ["accounts.read", "roles.read", "sessions.create", "settings.read"],
  auditor: ["accounts.read", "roles.read", "audit.read", "settings.read"],
};

/** What each entry point needs: a permission, any signed-in person (null), or nobody ("public"). */
const REQUIRES: Record<string, Permission | null | "public"> = {
  "GET /me": null,
  "DELETE /me/token": null,
  // The command line's device sign-in (RFC 8628): called before there is any session or token.
  "POST /device/authorizations": "public",
  "POST /device/token": "public",
  "POST /me/step-up": null,
  "GET /me/menu": "sessions.create",
  "PUT /me/pins/{roleId}": "sessions.create",
  "GET /accounts": "accounts.read",
  "POST /accounts": "accounts.manage",
  "GET /accounts/{id}": "accounts.read",
  "PATCH /accounts/{id}": "accounts.manage",
  "DELETE /accounts/{id}": "accounts.manage",
  "GET /accounts/import": "accounts.manage",
  "POST /accounts/import": "accounts.manage",
  "GET /accounts/{id}/discover": "roles.manage",
  "POST /catalog/import": "roles.manage",
  "GET /accounts/{id}/policies": "provisioning.manage",
  "POST /provisioning/plan": "provisioning.manage",
  "POST /provisioning/apply": "provisioning.manage",
  "GET /roles": "roles.read",
  "POST /roles": "roles.manage",
  "GET /roles/{id}": "roles.read",
  "PATCH /roles/{id}": "roles.manage",
  "DELETE /roles/{id}": "roles.manage",
  "POST /roles/{id}/test": "roles.manage",
  "POST /roles/{id}/revoke-sessions": "sessions.revoke",
  "GET /grants": "grants.manage",
  "POST /grants": "grants.manage",
  "DELETE /grants/{id}": "grants.manage",
  "PATCH /grants/{id}": "grants.manage",
  "POST /grants/batch": "grants.manage",
  "POST /grants/batch-delete": "grants.manage",
  "GET /access-reviews": "grants.manage",
  "POST /access-reviews": "grants.manage",
  "POST /sessions": "sessions.create",
  // Access on request: listing and reading are for anyone signed in (each sees only requests they
  // may: their own, those they approve, or all for administrators and auditors); asking and each
  // decision need sessions.create (auditors never ask or decide); whether an operator may approve
  // a given request is the entry's policy, checked by the operation (e2e/access-requests.spec.ts).
  "GET /access-requests": null,
  "POST /access-requests": "sessions.create",
  "GET /access-requests/roles": "sessions.create",
  "GET /access-requests/{id}": null,
  "POST /access-requests/{id}/approve": "sessions.create",
  "POST /access-requests/{id}/deny": "sessions.create",
  "POST /access-requests/{id}/cancel": "sessions.create",
  "POST /access-requests/{id}/extend": "sessions.create",
  "POST /access-requests/{id}/end": "sessions.create",
  "POST /access-requests/{id}/review": "sessions.create",
  "GET /roles/{id}/eligibility": "grants.manage",
  "PUT /roles/{id}/eligibility": "grants.manage",
  "GET /sessions/active": null,
  "GET /audit-events": "audit.read",
  "GET /users": "users.manage",
  "POST /users": "users.manage",
  "PATCH /users/{id}": "users.manage",
  "POST /users/{id}/clear-sign-in-lock": "users.manage",
  "POST /users/{id}/revoke-sessions": "sessions.revoke",
  "GET /webhooks": "webhooks.manage",
  "POST /webhooks": "webhooks.manage",
  "GET /webhooks/{id}": "webhooks.manage",
  "PATCH /webhooks/{id}": "webhooks.manage",
  "DELETE /webhooks/{id}": "webhooks.manage",
  "POST /webhooks/{id}/test": "webhooks.manage",
  "GET /webhooks/{id}/deliveries": "webhooks.manage",
  // server actions
  "action createAccountAction": "accounts.manage",
  "action updateAccountAction": "accounts.manage",
  "action deleteAccountAction": "accounts.manage",
  "action previewImportAction": "accounts.manage",
  "action importAccountsAction": "accounts.manage",
  "action registerRoleAction": "roles.manage",
  "action updateRoleAction": "roles.manage",
  "action deleteRoleAction": "roles.manage",
  "action testRoleAction": "roles.manage",
  "action discoverRolesAction": "roles.manage",
  "action registerDiscoveredAction": "roles.manage",
  "action previewConfigImportAction": "roles.manage",
  "action applyConfigImportAction": "roles.manage",
  "action createGrantAction": "grants.manage",
  "action deleteGrantAction": "grants.manage",
  "action createGrantsAction": "grants.manage",
  "action deleteGrantsAction": "grants.manage",
  "action updateGrantExpiryAction": "grants.manage",
  "action reviewGrantsAction": "grants.manage",
  "action updateTrustAction": "provisioning.manage",
  "action proposeTrustStatementAction": "provisioning.manage",
  "action planRoleAction": "provisioning.manage",
  "action checkTrustedPrincipalsAction": "provisioning.manage",
  "action listManagedPoliciesAction": "provisioning.manage",
  "action validatePolicyJsonAction": "provisioning.manage",
  "action createUserAction": "users.manage",
  "action updateUserAction": "users.manage",
  "action clearSignInLockAction": "users.manage",
  "action revokeUserSessionsAction": "sessions.revoke",
  "action revokeRoleSessionsAction": "sessions.revoke",
  "action createTokenAction": "sessions.create",
  "action revokeTokenAction": null,
  // Approving a command line gives it a switch token of yours: the same permission as making one.
  "action findDeviceRequestAction": "sessions.create",
  "action approveDeviceAction": "sessions.create",
  "action denyDeviceAction": "sessions.create",
  "action createWebhookAction": "webhooks.manage",
  "action updateWebhookAction": "webhooks.manage",
  "action deleteWebhookAction": "webhooks.manage",
  "action testWebhookAction": "webhooks.manage",
  "action createAccessRequestAction": "sessions.create",
  "action approveAccessRequestAction": "sessions.create",
  "action denyAccessRequestAction": "sessions.create",
  "action cancelAccessRequestAction": "sessions.create",
  "action extendAccessRequestAction": "sessions.create",
  "action endAccessRequestAction": "sessions.create",
  "action reviewBreakGlassAction": "sessions.create",
  "action setEligibilityAction": "grants.manage",
  "action setupAction": "public",
};

type Who = Role | "disabled" | "signed-out (replayed cookie)" | "anonymous";
type Expected = "allowed" | "401" | "403";

function expected(who: Who, requires: Permission | null | "public"): Expected {
  if (requires === "public") return "allowed";
  if (who === "disabled" || who === "anonymous" || who === "signed-out (replayed cookie)") return "401";
  if (requires === null) return "allowed";
  const perms = ROLE_PERMISSIONS[who];
  return perms === "all" || perms.includes(requires) ? "allowed" : "403";
}

// ---- The callers ------------------------------------------------------------------------------

const PASSWORD = "authz-matrix-password";
const callers = new Map<Who, { client: Client; email?: string }>();

test.beforeAll(async () => {
  const admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  for (const role of ["admin", "operator", "auditor"] as const) {
    const email = uniqueEmail(`authz.${role}`);
    await createUser(admin, { email, name: `Authz ${role}`, password: PASSWORD, role });
    callers.set(role, { client: await signedIn(base(), email, PASSWORD), email });
  }
  // A person who signed in, then was disabled by an administrator.
  const disabledEmail = uniqueEmail("authz.disabled");
  const disabledId = await createUser(admin, { email: disabledEmail, name: "Authz disabled", password: PASSWORD, role: "admin" });
  const disabled = await signedIn(base(), disabledEmail, PASSWORD);
  const off = await admin.patch(`/api/v1/users/${disabledId}`, { json: { disabled: true } });
  expect(off.status, off.text).toBe(200);
  // ASVS 7.4.2: the very next request after the disable is refused.
  const next = await disabled.get("/api/v1/me");
  expect(next.status, "the disabled user's next request").toBe(401);
  callers.set("disabled", { client: disabled, email: disabledEmail });
  // A session cookie kept from before signing out (logout replay).
  const leaving = uniqueEmail("authz.signedout");
  await createUser(admin, { email: leaving, name: "Authz signed out", password: PASSWORD, role: "admin" });
  const session = await signedIn(base(), leaving, PASSWORD);
  const replay = session.clone();
  const csrfToken = await session.csrfToken();
  await session.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/", json: "true" } });
  callers.set("signed-out (replayed cookie)", { client: replay, email: leaving });
  callers.set("anonymous", { client: new Client(base()) });
});

/** A request every caller may send without changing anything even when allowed: an empty body
 * (400) or an id nobody has (404), so that "allowed" cells leave the console as it was. */
function probe(op: Operation): { path: string; json?: unknown } {
  const path = op.path.replace(/\{\w+\}/g, "01J00000000000000000000000");
  return op.method === "GET" || op.method === "DELETE" ? { path } : { path, json: {} };
}

type Cell = { who: Who; entry: string; expected: Expected; status: number; code?: string; path?: string };

function judge(cell: Cell, problems: string[]) {
  const got: Expected | "other" = cell.code === "unauthorized" || cell.status === 401 ? "401" : cell.code === "forbidden" ? "403" : cell.status >= 500 ? "other" : "allowed";
  if (got !== cell.expected) problems.push(`${cell.who} × ${cell.entry}: expected ${cell.expected}, got ${cell.status}${cell.code ? ` ${cell.code}` : ""}`);
}

test("[AUTHZ]: every /api/v1 operation × admin, operator, auditor, disabled, signed-out — as the table says; 0 AWS calls for refusals", async () => {
  const ops = (await operations(base())).filter((op) => !op.path.endsWith("/openapi.json"));
  const missing = ops.map(opKey).filter((k) => !(k in REQUIRES));
  expect(missing, "operations in the OpenAPI document without a row in the expected table").toEqual([]);
  const problems: string[] = [];
  const cells: Cell[] = [];
  const refusedOnly = [...callers.keys()].filter((w) => w !== "admin");
  const awsBefore = await sandbox.lastSeq();
  for (const who of [...refusedOnly, "admin" as const]) {
    if (who === "admin") expect(await sandbox.lastSeq(), "AWS calls made by refused requests").toBe(awsBefore);
    const { client } = callers.get(who)!;
    for (const op of ops) {
      const want = expected(who, REQUIRES[opKey(op)]!);
      for (let i = 0; i < (want === "401" ? scale.replays : 1); i++) {
        const { path, json } = probe(op);
        const reply = await client.request(op.method, path, json === undefined ? {} : { json });
        let code: string | undefined;
        try {
          code = reply.json<{ error?: { code?: string } }>().error?.code;
        } catch {
          code = undefined;
        }
        if (reply.status === 401 || reply.status === 403) {
          const shape = errorShapeProblem(reply);
          if (shape) problems.push(`${who} × ${opKey(op)}: ${shape}`);
        }
        const cell = { who, entry: opKey(op), expected: want, status: reply.status, code, path };
        judge(cell, problems);
        if (i === 0) cells.push(cell);
      }
    }
  }
  const count = (e: Expected) => cells.filter((c) => c.expected === e).length;
  console.log(`authz /api/v1: ${ops.length} operations × ${callers.size} callers = ${cells.length} cells (${count("allowed")} allowed, ${count("403")} 403, ${count("401")} 401), ${problems.length} mismatches`);
  expect(problems).toEqual([]);
  await expectDenialsAudited(cells.filter((c) => c.expected === "403"), (c) => `${c.entry.split(" ")[0]} ${c.path}`);
});

test("[AUTHZ]: every server action × admin, operator, auditor, disabled, signed-out — as the table says; 0 AWS calls for refusals", async () => {
  const actions = serverActions();
  const missing = actions.map((a) => `action ${a.name}`).filter((k) => !(k in REQUIRES));
  expect(missing, "server actions without a row in the expected table").toEqual([]);
  const problems: string[] = [];
  const cells: Cell[] = [];
  const awsBefore = await sandbox.lastSeq();
  const order: Who[] = [...[...callers.keys()].filter((w) => w !== "admin"), "admin"];
  for (const who of order) {
    if (who === "admin") expect(await sandbox.lastSeq(), "AWS calls made by refused actions").toBe(awsBefore);
    const { client } = callers.get(who)!;
    for (const action of actions) {
      const entry = `action ${action.name}`;
      const want = expected(who, REQUIRES[entry]!);
      const { reply, result } = await callAction(client, action, argFor(action));
      // Signed out, the proxy sends page requests (and so actions) to the sign-in page.
      const redirectedToSignIn = reply.status >= 300 && reply.status < 400 && /\/signin/.test(reply.header("location") ?? "");
      const code = redirectedToSignIn ? "unauthorized" : (result?.error as { code?: string } | undefined)?.code;
      const cell = { who, entry, expected: want, status: redirectedToSignIn ? 401 : reply.status, code };
      if (!redirectedToSignIn && !result) problems.push(`${who} × ${entry}: no action result (${reply.status} ${reply.text.slice(0, 120)})`);
      else judge(cell, problems);
      cells.push(cell);
    }
  }
  const count = (e: Expected) => cells.filter((c) => c.expected === e).length;
  console.log(`authz server actions: ${actions.length} actions × ${order.length} callers = ${cells.length} cells (${count("allowed")} allowed, ${count("403")} 403, ${count("401")} 401), ${problems.length} mismatches`);
  expect(problems).toEqual([]);
  await expectDenialsAudited(
    cells.filter((c) => c.expected === "403"),
    (c) => `action ${REQUIRES[c.entry]}`,
    (c) => c.entry.slice("action ".length),
  );
});

/** An argument that changes nothing even where allowed (an id nobody has, or nothing at all). */
function argFor(action: ServerAction): unknown {
  return action.name === "previewImportAction" ? { unexpected: true } : {};
}

/** Each refusal is in the audit log as access.denied for that person, naming the operation
 * (`METHOD /api/v1/...` for the API; the permission or the action's name for an action). */
async function expectDenialsAudited(denials: Cell[], operationOf: (c: Cell) => string, altName?: (c: Cell) => string) {
  const admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  const missing: string[] = [];
  for (const who of [...new Set(denials.map((d) => d.who))]) {
    const email = callers.get(who)!.email!;
    const reply = await admin.get(`/api/v1/audit-events?actor=${encodeURIComponent(email)}&outcome=denied&format=json`);
    expect(reply.status, reply.text.slice(0, 200)).toBe(200);
    const events = reply.json<Array<{ action: string; details: { operation?: string } }> | { events: Array<{ action: string; details: { operation?: string } }> }>();
    const list = Array.isArray(events) ? events : events.events;
    const operations = list.filter((e) => e.action === "access.denied").map((e) => e.details.operation ?? "");
    const remaining = [...operations];
    for (const d of denials.filter((x) => x.who === who)) {
      const want = operationOf(d);
      const i = remaining.findIndex((op) => op === want || (altName !== undefined && op.includes(altName(d))));
      if (i === -1) missing.push(`${who} × ${d.entry}: no access.denied event for "${want}"`);
      else remaining.splice(i, 1);
    }
  }
  console.log(`authz audit: ${denials.length} refusals, ${denials.length - missing.length} found in the audit log`);
  expect(missing).toEqual([]);
}
