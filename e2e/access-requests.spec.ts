// Access on request, end to end (issue 15): an operator eligible for a role asks for it with a
// reason; the approver sees it in the inbox (with a count in the header) and approves; the
// operator's switch works against the sandbox; the approver ends the access; the operator's next
// switch is refused and the credentials they hold are denied by AWS (their live sessions were
// revoked); the request's page shows its whole story from the audit log. Then break-glass: access
// at once, the approvers' review queue, a review. And the refusals: an operator who is not an
// approver cannot approve, nobody approves their own request, an auditor cannot ask — each
// audited, none making an AWS call.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
import { randomBytes } from "node:crypto";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { shootBothThemes } from "./support/screens";
import { callAction, Client, serverActions, signedIn } from "./security/support";
import { ensureAccount, PRODUCTION } from "./support/scenario";

test.describe.configure({ timeout: 120_000 });

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const PASSWORD = "access-request-password";

/** An IAM role of this test's own in Production that the console can assume, registered. */
async function roleOfOurOwn(admin: APIRequestContext, prefix: string): Promise<{ id: string; roleName: string }> {
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleName = `${prefix}${randomBytes(3).toString("hex")}`;
  const applied = await admin.post("/api/v1/provisioning/apply", {
    data: {
      document: {
        target: { accountId: PRODUCTION, roleName, path: "/", description: "Access on request (e2e)", maxSessionDuration: 3600, tags: [] },
        trust: { entities: [{ kind: "broker" }], conditions: {} },
        permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
        applySourcePolicies: [],
      },
      acknowledgeWarnings: true,
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  const result = (await applied.json()) as { ok: boolean; role: { id: string } };
  expect(result.ok).toBe(true);
  return { id: result.role.id, roleName };
}

async function person(admin: APIRequestContext, prefix: string, role: "operator" | "auditor" | "admin") {
  const email = uniqueEmail(prefix);
  const user = await createUser(admin, { email, name: prefix, password: PASSWORD, role });
  return { id: user.id, email };
}

async function apiAs(playwright: { request: { newContext(o: { baseURL?: string }): Promise<APIRequestContext> } }, baseURL: string | undefined, email: string) {
  const api = await playwright.request.newContext({ baseURL });
  await signInWithApi(api, email, email === ADMIN.email ? ADMIN.password : PASSWORD);
  return api;
}

/** iam:GetRole with the credentials: what AWS answers. */
async function getRole(credentials: Credentials, roleName: string): Promise<string> {
  const iam = new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return "ok";
  } catch (err) {
    const { name, message } = err as Error;
    return name === "AccessDenied" ? name : `${name}: ${message}`;
  } finally {
    iam.destroy();
  }
}

async function switchFor(api: APIRequestContext, roleId: string) {
  const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  const body = (await res.json()) as { credentials?: Credentials; error?: { code: string; message: string } };
  // The three parts the SDK takes (the answer's expiration is a string, the SDK wants a Date).
  const credentials = body.credentials ? { accessKeyId: body.credentials.accessKeyId, secretAccessKey: body.credentials.secretAccessKey, sessionToken: body.credentials.sessionToken } : undefined;
  return { status: res.status(), body: { ...body, credentials } };
}

async function shootWidths(page: Page, name: string) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await shootBothThemes(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("[ACCESS]: request with a reason → approved from the inbox → the switch works → ended by the approver → refused, and the credentials are denied by AWS → the story", async ({ browser, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL, ADMIN.email);
  const role = await roleOfOurOwn(admin, "OnRequest");
  const operator = await person(admin, "ria.requester", "operator");
  const eligible = await admin.put(`/api/v1/roles/${role.id}/eligibility`, { data: { userEmails: [operator.email], groups: [], policy: { maxDurationSeconds: 7200, reasonRequired: true } } });
  expect(eligible.status(), await eligible.text()).toBe(200);

  // 1. The operator asks, in the console, with a reason.
  const opContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const opPage = await opContext.newPage();
  // Their home lists it under "You can ask for" (they have no role yet); Ask opens the request.
  await signInWithForm(opPage, operator.email, PASSWORD, "/");
  const home = opPage.getByTestId("home-requestable");
  await expect(opPage.getByText("No roles granted to you yet", { exact: true })).toBeVisible();
  await expect(home.getByTestId("home-requestable-role").filter({ hasText: role.roleName })).toContainText("Production");
  await shootWidths(opPage, "home-requestable");
  await home.getByRole("link", { name: new RegExp(`^Ask for ${role.roleName} in Production$`) }).click();
  await expect(opPage).toHaveURL(new RegExp(`/requests\\?ask=${role.id}`));
  // The same role on the Requests page, with its policy in words.
  const card = opPage.getByTestId("requestable-role").filter({ hasText: role.roleName });
  await expect(card).toContainText("Up to 2 hours; approved by any administrator.");
  const dialog = opPage.getByRole("dialog");
  await expect(dialog).toContainText("Who will be asked: any administrator");
  await dialog.getByRole("button", { name: "Send request" }).click();
  // No reason: refused with what to fix, nothing sent.
  await expect(dialog.getByText("Enter a reason")).toBeVisible();
  await dialog.getByLabel("Why you need it").fill("INC-4711: checking the read replica lag");
  await shootWidths(opPage, "access-request-dialog");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(opPage.getByText(/Your request for Production \/ .* is sent/)).toBeVisible();
  const mine = opPage.getByTestId("access-request").filter({ hasText: role.roleName });
  await expect(mine.getByText("Waiting for approval")).toBeVisible();
  const requestId = (await mine.getAttribute("data-request-id"))!;
  expect(requestId).toMatch(/^[0-9A-Z]{26}$/);
  // Home says it waits, and links to it instead of asking again.
  await opPage.goto("/");
  await expect(opPage.getByRole("link", { name: new RegExp(`^Your request for ${role.roleName} in Production is waiting for approval$`) })).toBeVisible();
  const opApi = await apiAs(playwright, baseURL, operator.email);
  expect((await switchFor(opApi, role.id)).status, "no access before approval").toBe(403);

  // 2. The approver sees it in the inbox, with a count in the header, and approves.
  const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const adminPage = await adminContext.newPage();
  await signInWithForm(adminPage, ADMIN.email, ADMIN.password, "/");
  await expect(adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Requests \d+ waiting for you/ })).toBeVisible();
  await adminPage.goto("/requests?tab=approve");
  const inbox = adminPage.locator(`[data-request-id="${requestId}"]`);
  await expect(inbox).toContainText("INC-4711: checking the read replica lag");
  await expect(inbox).toContainText(operator.email);
  await shootWidths(adminPage, "access-request-inbox");
  await inbox.getByRole("button", { name: "Approve…" }).click();
  const approve = adminPage.getByRole("dialog");
  await expect(approve.getByLabel("For how long")).toHaveValue("3600");
  await approve.getByLabel("Comment (optional)").fill("ok, read-only");
  await approve.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(adminPage.getByText(/^Approved: .* until /)).toBeVisible();

  // 3. The operator switches; the credentials work against the sandbox.
  const before = await switchFor(opApi, role.id);
  expect(before.status, JSON.stringify(before.body)).toBe(200);
  const credentials = before.body.credentials!;
  expect(await getRole(credentials, role.roleName)).toBe("ok");

  // 4. The approver ends the access now, from the request's page.
  await adminPage.goto(`/requests/${requestId}`);
  await adminPage.getByRole("button", { name: "End access now…" }).click();
  const end = adminPage.getByRole("dialog");
  await expect(end).toContainText("loses access at once, and their live AWS sessions in this role are revoked");
  await end.getByLabel("Comment (optional)").fill("incident closed");
  await end.getByRole("button", { name: "End access now" }).click();
  await expect(adminPage.getByText(/access to .* has ended\./)).toBeVisible();

  // 5. The operator's next switch is refused; the credentials they hold are denied by AWS.
  const after = await switchFor(opApi, role.id);
  expect(after.status).toBe(403);
  expect(after.body.error?.message).toMatch(/^Your access to .* ended at /);
  expect(await getRole(credentials, role.roleName)).toBe("AccessDenied");

  // 6. The story: request → approval → the switch → the end → the revocation.
  await adminPage.reload();
  await expect(adminPage.getByTestId("access-request")).toContainText("revoked");
  const story = await adminPage.getByTestId("story-event").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
  for (const action of ["access.request", "access.approve", "session.credentials", "access.end", "session.revoke"]) expect(story, action).toContain(action);
  expect(story.indexOf("access.request")).toBeLessThan(story.indexOf("access.approve"));
  expect(story.indexOf("access.approve")).toBeLessThan(story.indexOf("session.credentials"));
  expect(story.indexOf("session.credentials")).toBeLessThan(story.indexOf("access.end"));
  await shootWidths(adminPage, "access-request-story");
  // The audit page shows the same story.
  await adminPage.goto(`/audit?request=${requestId}`);
  const rows = adminPage.getByTestId("audit-rows");
  for (const label of ["Asked for access", "Approved a request for access", "Got temporary credentials", "Ended access early", "Revoked live AWS sessions"]) await expect(rows.getByText(label, { exact: true }).first()).toBeVisible();
  // Only this request's story: nothing else anyone did meanwhile.
  expect(await rows.locator("tr[data-testid^='audit-event-']").count()).toBe(story.length);
  await Promise.all([opContext.close(), adminContext.close(), opApi.dispose(), admin.dispose()]);
});

test("[ACCESS]: an operator who is not an approver cannot approve, nobody approves their own request, an auditor cannot ask; each refusal audited, none calls AWS", async ({ playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL, ADMIN.email);
  const role = await roleOfOurOwn(admin, "OnRequestRefusals");
  const [asker, other, auditor] = [await person(admin, "ann.asker", "operator"), await person(admin, "otto.other", "operator"), await person(admin, "aud.auditor", "auditor")];
  await admin.put(`/api/v1/roles/${role.id}/eligibility`, { data: { userEmails: [asker.email, other.email], groups: [], policy: { maxDurationSeconds: 3600 } } });
  const askerApi = await apiAs(playwright, baseURL, asker.email);
  const asked = await askerApi.post("/api/v1/access-requests", { data: { roleId: role.id, durationSeconds: 7200, reason: "too long" } });
  expect(asked.status()).toBe(400);
  expect(((await asked.json()) as { error: { message: string } }).error.message).toBe(`Duration is at most 1 hour for Production / ${role.roleName}.`);
  const created = await askerApi.post("/api/v1/access-requests", { data: { roleId: role.id, durationSeconds: 1800, reason: "checking logs" } });
  expect(created.status(), await created.text()).toBe(201);
  const id = ((await created.json()) as { request: { id: string } }).request.id;

  const awsBefore = await sandbox.lastSeq();
  const otherApi = await apiAs(playwright, baseURL, other.email);
  const auditorApi = await apiAs(playwright, baseURL, auditor.email);
  const refusals: Array<[APIRequestContext, string, Record<string, unknown>, number, RegExp]> = [
    [askerApi, `/api/v1/access-requests/${id}/approve`, { comment: "me" }, 403, /^Nobody approves their own request/],
    [otherApi, `/api/v1/access-requests/${id}/approve`, { comment: "me" }, 404, /^No such access request/],
    [otherApi, `/api/v1/access-requests/${id}/end`, { comment: "" }, 404, /^No such access request/],
    [auditorApi, "/api/v1/access-requests", { roleId: role.id, durationSeconds: 900, reason: "audit" }, 403, /./],
    [auditorApi, `/api/v1/access-requests/${id}/approve`, { comment: "" }, 403, /./],
    [admin, `/api/v1/access-requests/${id}/approve`, { comment: "", durationSeconds: 3600 }, 400, /^You can shorten the duration, not lengthen it/],
  ];
  for (const [api, path, data, status, message] of refusals) {
    const res = await api.post(path, { data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  }
  expect(await sandbox.lastSeq(), "AWS calls made by refusals").toBe(awsBefore);
  // The refusals are in the request's story, with their reasons.
  const events = await admin.get(`/api/v1/audit-events?action=access.approve&outcome=denied&limit=50`);
  const reasons = ((await events.json()) as { events: Array<{ reason: string; details: { accessRequestId?: string } }> }).events.filter((e) => e.details.accessRequestId === id).map((e) => e.reason);
  expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^Nobody approves their own request/), expect.stringMatching(/^You can shorten the duration/)]));
  const request = ((await (await askerApi.get(`/api/v1/access-requests/${id}`)).json()) as { request: { status: string } }).request;
  expect(request.status).toBe("pending");
  await Promise.all([admin.dispose(), askerApi.dispose(), otherApi.dispose(), auditorApi.dispose()]);
});

test("[BREAK-GLASS]: access at once with a reason, the approvers' review queue, a review", async ({ browser, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL, ADMIN.email);
  const role = await roleOfOurOwn(admin, "BreakGlass");
  const operator = await person(admin, "bea.glass", "operator");
  await admin.put(`/api/v1/roles/${role.id}/eligibility`, { data: { userEmails: [operator.email], groups: [], policy: { maxDurationSeconds: 3600, breakGlass: true } } });

  const opContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const opPage = await opContext.newPage();
  await signInWithForm(opPage, operator.email, PASSWORD, `/requests?ask=${role.id}`);
  const dialog = opPage.getByRole("dialog");
  await dialog.getByLabel(/Break-glass: access now/).check();
  await dialog.getByLabel("Why you need it").fill("Production is down and no approver answers");
  await dialog.getByRole("button", { name: "Use break-glass now" }).click();
  await expect(opPage.getByText(/Break-glass access to .* is active until/)).toBeVisible();
  const used = opPage.getByTestId("access-request").filter({ hasText: role.roleName });
  await expect(used.getByText("Review due")).toBeVisible();
  const id = (await used.getAttribute("data-request-id"))!;
  const opApi = await apiAs(playwright, baseURL, operator.email);
  const session = await switchFor(opApi, role.id);
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  expect(await getRole(session.body.credentials!, role.roleName)).toBe("ok");
  // The operator cannot review their own use.
  const own = await opApi.post(`/api/v1/access-requests/${id}/review`, { data: { verdict: "justified", comment: "" } });
  expect(own.status()).toBe(403);

  const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const adminPage = await adminContext.newPage();
  await signInWithForm(adminPage, ADMIN.email, ADMIN.password, "/requests?tab=review");
  const queued = adminPage.locator(`[data-request-id="${id}"]`);
  await expect(queued).toContainText("Production is down and no approver answers");
  await shootWidths(adminPage, "access-break-glass-review");
  await queued.getByRole("button", { name: "Review…" }).click();
  const review = adminPage.getByRole("dialog");
  await review.getByLabel("Justified", { exact: true }).check();
  await review.getByLabel("Comment (optional)").fill("outage INC-9 confirmed");
  await review.getByRole("button", { name: "Record review" }).click();
  await expect(adminPage.getByText("Your review is recorded.")).toBeVisible();
  const after = ((await (await admin.get(`/api/v1/access-requests/${id}`)).json()) as { request: { review: { state: string; by: string } } }).request;
  expect(after.review).toMatchObject({ state: "justified", by: ADMIN.email });
  const story = await admin.get(`/api/v1/audit-events?action=access.break_glass&limit=20`);
  expect(((await story.json()) as { events: Array<{ details: { accessRequestId?: string } }> }).events.some((e) => e.details.accessRequestId === id)).toBe(true);
  await Promise.all([opContext.close(), adminContext.close(), opApi.dispose(), admin.dispose()]);
});

test("[ACCESS]: the role's request policy page — an administrator names who may ask and the rules; a bad pattern is refused with the reason", async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL, ADMIN.email);
  const role = await roleOfOurOwn(admin, "OnRequestPolicy");
  const operator = await person(admin, "pia.policy", "operator");
  await signInAsAdmin(page.request);
  await page.goto(`/roles/${role.id}/access`);
  await page.getByLabel("People (emails, one per line)").fill(operator.email);
  await page.getByLabel("Ticket reference pattern (optional)").fill("(a+)+");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Keep the ticket pattern simple/).first()).toBeVisible();
  await page.getByLabel("Ticket reference pattern (optional)").fill("INC-\\d+");
  await page.getByLabel("Two different approvers").check();
  await page.getByLabel("Allow break-glass").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Who may ask for .*, and how, is updated\./)).toBeVisible();
  await shootWidths(page, "access-policy");
  const saved = ((await (await admin.get(`/api/v1/roles/${role.id}/eligibility`)).json()) as { eligibility: { eligible: { users: Array<{ email: string }> }; policy: Record<string, unknown> } }).eligibility;
  expect(saved.eligible.users.map((u) => u.email)).toEqual([operator.email]);
  expect(saved.policy).toMatchObject({ ticketPattern: "INC-\\d+", approvalsRequired: 2, breakGlass: true, anyAdmin: true });
  await admin.dispose();
});

/** A personal access token, made the way the tokens page makes it (its server action). */
async function tokenOf(baseURL: string, email: string, password: string, scope: "switch" | "read"): Promise<Client> {
  const person = await signedIn(baseURL, email, password);
  const { result } = await callAction(person, serverActions().find((a) => a.name === "createTokenAction")!, { name: `access ${scope}`, scope, days: 1 });
  expect(result?.ok, JSON.stringify(result)).toBe(true);
  return new Client(baseURL, { authorization: `Bearer ${(result!.data as { token: string }).token}` });
}

test("[ACCESS]: a switch token asks, reads and withdraws; a read token only reads; no token approves, even an administrator's", async ({ playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL, ADMIN.email);
  const role = await roleOfOurOwn(admin, "OnRequestTokens");
  const operator = await person(admin, "tia.token", "operator");
  await admin.put(`/api/v1/roles/${role.id}/eligibility`, { data: { userEmails: [operator.email], groups: [], policy: { maxDurationSeconds: 3600 } } });
  const switchToken = await tokenOf(baseURL!, operator.email, PASSWORD, "switch");
  const readToken = await tokenOf(baseURL!, operator.email, PASSWORD, "read");
  const adminToken = await tokenOf(baseURL!, ADMIN.email, ADMIN.password, "switch");

  const roles = await readToken.get("/api/v1/access-requests/roles");
  expect(roles.status, roles.text).toBe(200);
  expect(roles.json<{ roles: Array<{ roleId: string }> }>().roles.map((r) => r.roleId)).toContain(role.id);
  expect((await readToken.post("/api/v1/access-requests", { json: { roleId: role.id, durationSeconds: 900, reason: "read token" } })).status).toBe(403);
  const asked = await switchToken.post("/api/v1/access-requests", { json: { roleId: role.id, durationSeconds: 900, reason: "from a script" } });
  expect(asked.status, asked.text).toBe(201);
  const id = asked.json<{ request: { id: string } }>().request.id;
  expect((await readToken.get(`/api/v1/access-requests/${id}`)).status).toBe(200);
  for (const step of ["approve", "deny", "end", "review"]) {
    const refused = await adminToken.post(`/api/v1/access-requests/${id}/${step}`, { json: step === "review" ? { verdict: "justified", comment: "" } : { comment: "" } });
    expect(refused.status, `${step} with a token: ${refused.text}`).toBe(403);
  }
  const withdrawn = await switchToken.post(`/api/v1/access-requests/${id}/cancel`, { json: {} });
  expect(withdrawn.status, withdrawn.text).toBe(200);
  expect(withdrawn.json<{ request: { status: string } }>().request.status).toBe("withdrawn");
  await admin.dispose();
});
