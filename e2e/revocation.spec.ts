// Revoking one person's live AWS sessions from the Users page, end to end: two operators hold
// credentials (and, in the whole scenario, sandbox console sessions) for the same role, an
// administrator revokes the first one's through the dialog, and AWS (the sandbox) then denies that
// person's credentials with an explicit deny — to the SDK, to the AWS CLI and on the console
// page — while the other's keep working, and a session the first person starts afterwards works.
// The Active sessions view marks the revoked sessions, and the revocation is in the audit log.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandboxUrl } from "./support/sandbox";
import { ensureAccount, grant, PRODUCTION, registeredRoleId } from "./support/scenario";

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** A credentials switch into `roleId` by the operator signed in to `api`: the credentials and the
 * session's ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session name>`). */
async function switchForCredentials(api: APIRequestContext, roleId: string): Promise<{ credentials: Credentials; assumedRoleArn: string }> {
  const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { credentials: Credentials; assumedRoleArn: string };
  const { accessKeyId, secretAccessKey, sessionToken } = body.credentials;
  return { credentials: { accessKeyId, secretAccessKey, sessionToken }, assumedRoleArn: body.assumedRoleArn };
}

/** Temporary credentials for `roleId`, as the operator signed in to `api` gets them. */
const credentialsFor = async (api: APIRequestContext, roleId: string): Promise<Credentials> => (await switchForCredentials(api, roleId)).credentials;

/** iam:GetRole on the role itself with the credentials: what AWS answers. */
async function getRole(credentials: Credentials, roleName: string): Promise<"ok" | { name: string; message: string }> {
  const iam = new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return "ok";
  } catch (err) {
    const { name, message } = err as Error;
    return { name, message };
  } finally {
    iam.destroy();
  }
}

/** The dialog at phone and laptop width, for people to look at (test-results/screens). */
async function shoot(page: Page, name: string) {
  mkdirSync("test-results/screens", { recursive: true });
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screens/revoke-${name}-${width}.png` });
  }
}

/** Both widths of a page taken whole, for people to look at (test-results/screens). */
async function shootWhole(page: Page, name: string) {
  mkdirSync("test-results/screens", { recursive: true });
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** A console switch into `roleId` by the operator signed in to `api`, followed in a browser of
 * that person's own (its own cookies, so its own sandbox console session): the sign-in URL the
 * console answers goes through the sandbox's federation endpoint (Action=login) to its console
 * page. */
async function openConsole(browser: Browser, api: APIRequestContext, roleId: string): Promise<Page> {
  const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "console" } });
  expect(res.status(), await res.text()).toBe(200);
  const { consoleUrl } = (await res.json()) as { consoleUrl: string };
  expect(new URL(consoleUrl).searchParams.get("Action")).toBe("login");
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(consoleUrl);
  await page.waitForURL(`${sandboxUrl()}/console/**`);
  return page;
}

const run = promisify(execFile);

/** Whether the AWS CLI is installed. It is not an npm package and `npm test` does not install
 * it: without it the scenario leaves its CLI checks out and says so in an annotation ("not run"). */
const hasAwsCli = run("aws", ["--version"], { timeout: 30_000 }).then(
  () => true,
  () => false,
);

/** `aws iam get-role` through the AWS CLI, which signs and parses with its own code (botocore),
 * not ours. The credentials go in its environment, never on its command line, and nothing of this
 * machine's own AWS settings is read: no AWS_* variable of ours, a HOME of its own (the CLI reads
 * ~/.aws). What it printed is returned, never the credentials. */
async function cliGetRole(credentials: Credentials, roleName: string): Promise<{ ok: true; arn: string } | { ok: false; exitCode: number; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), "switchboard-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });
  try {
    const { stdout } = await run("aws", ["iam", "get-role", "--role-name", roleName, "--endpoint-url", sandboxUrl(), "--output", "json"], { env, timeout: 60_000 });
    return { ok: true, arn: (JSON.parse(stdout) as { Role: { Arn: string } }).Role.Arn };
  } catch (err) {
    const { code, stderr } = err as { code?: number; stderr?: string };
    return { ok: false, exitCode: typeof code === "number" ? code : -1, stderr: (stderr ?? "").trim() };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A name part shared by the scenario's people, so the Active sessions filter shows just them. */
const uniqueTag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("[REVOKE]: an admin revokes one operator's AWS sessions from the Users page; the other operator's keep working", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const [first, second] = [uniqueEmail("rita.revoked"), uniqueEmail("kai.kept")];
  const operators: Record<string, Credentials> = {};
  for (const email of [first, second]) {
    await createUser(admin, { email, name: email.split(".")[0]!, password: "revocation-operator-pass", role: "operator" });
    await grant(admin, roleId, email);
    const api = await playwright.request.newContext({ baseURL });
    await signInWithApi(api, email, "revocation-operator-pass");
    operators[email] = await credentialsFor(api, roleId);
    await api.dispose();
  }
  expect(await getRole(operators[first]!, "ReadOnly")).toBe("ok");

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/users");
  await page.getByTestId(`user-row-${first}`).getByRole("button", { name: "Revoke AWS sessions" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke AWS sessions" });
  await expect(dialog).toContainText(`Denies every action to the AWS sessions ${first} started in the last 12 hours, in each role they used; sessions they start afterwards work.`);
  const confirm = dialog.getByRole("button", { name: "Revoke sessions" });
  await expect(confirm).toBeFocused();
  await shoot(page, "confirm");

  await page.keyboard.press("Enter");
  const result = dialog.getByTestId(`revocation-${roleId}`);
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText("Production");
  await expect(result).toContainText(`Sessions of ${first}`);
  await expect(dialog.getByTestId("revocation-results")).toContainText(`Ended in the one role ${first} used.`);
  await shoot(page, "results");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // AWS evaluates the deny on every call the revoked sessions make.
  const revoked = await getRole(operators[first]!, "ReadOnly");
  expect(revoked).toMatchObject({ name: "AccessDenied" });
  expect((revoked as { message: string }).message).toMatch(/explicit deny/);
  expect(await getRole(operators[second]!, "ReadOnly")).toBe("ok");

  const audit = await admin.get(`/api/v1/audit-events?action=session.revoke&actor=${encodeURIComponent(ADMIN.email)}&limit=50`);
  expect(audit.status(), await audit.text()).toBe(200);
  const { events } = (await audit.json()) as { events: Array<{ outcome: string; target: string | null; details: Record<string, unknown> }> };
  expect(events.find((e) => e.details.person === first)).toMatchObject({ outcome: "success", target: expect.stringContaining(":role/ReadOnly") as unknown, details: { scope: "person" } });
  expect(events.some((e) => e.details.person === second)).toBe(false);
  await admin.dispose();
});

test("[REVOKE]: from the Roles page an admin revokes one person's sessions in a role, and removing a grant ends the person's too", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const [named, removed, kept] = [uniqueEmail("nina.named"), uniqueEmail("gus.ungranted"), uniqueEmail("kai.kept")];
  const operators: Record<string, Credentials> = {};
  for (const email of [named, removed, kept]) {
    await createUser(admin, { email, name: email.split(".")[0]!, password: "revocation-operator-pass", role: "operator" });
    await grant(admin, roleId, email);
    const api = await playwright.request.newContext({ baseURL });
    await signInWithApi(api, email, "revocation-operator-pass");
    operators[email] = await credentialsFor(api, roleId);
    await api.dispose();
  }

  await signInWithForm(page, ADMIN.email, ADMIN.password, `/roles?account=${PRODUCTION}`);
  const row = page.getByTestId(`role-account-${PRODUCTION}`).getByTestId("role-row-ReadOnly");
  await row.getByRole("button", { name: "Revoke sessions…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Revoke sessions in / });
  await expect(dialog.getByLabel("One person")).toBeChecked();
  await expect(dialog.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(named);
  await shoot(page, "role-confirm");
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("revoke-sessions-result")).toContainText(`Sessions of ${named}`);
  await shoot(page, "role-result");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.setViewportSize({ width: 1440, height: 900 });

  await row.getByRole("button", { name: /^Grants/ }).click();
  const grants = page.getByRole("dialog", { name: /^Grants for / });
  await expect(grants.getByLabel(/Also end their live sessions in this role/)).toBeChecked();
  await grants.getByRole("button", { name: `Remove the grant to ${removed}` }).click();
  await expect(grants.getByRole("status")).toContainText(`${removed} can no longer use`);
  await expect(grants.getByRole("status")).toContainText(`Sessions of ${removed}`);

  for (const email of [named, removed]) {
    const answer = await getRole(operators[email]!, "ReadOnly");
    expect(answer, email).toMatchObject({ name: "AccessDenied" });
    expect((answer as { message: string }).message).toMatch(/explicit deny/);
  }
  expect(await getRole(operators[kept]!, "ReadOnly")).toBe("ok");
  await admin.dispose();
});

test("[REVOKE]: two operators hold credentials and console sessions; revoking the first's ends them in the SDK, the AWS CLI and the console but not their next switch, and the Active sessions view and audit log show it", async ({ page, browser, playwright, baseURL }) => {
  test.slow();
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const roleArn = `arn:aws:iam::${PRODUCTION}:role/ReadOnly`;
  const tag = uniqueTag();
  const [first, second] = [uniqueEmail(`rita.${tag}`), uniqueEmail(`kai.${tag}`)];
  type Holder = { api: APIRequestContext; credentials: Credentials; assumedRoleArn: string; console: Page };
  const people: Record<string, Holder> = {};
  for (const email of [first, second]) {
    await createUser(admin, { email, name: email.split(".")[0]!, password: "revocation-operator-pass", role: "operator" });
    await grant(admin, roleId, email);
    const api = await playwright.request.newContext({ baseURL });
    await signInWithApi(api, email, "revocation-operator-pass");
    const { credentials, assumedRoleArn } = await switchForCredentials(api, roleId);
    people[email] = { api, credentials, assumedRoleArn, console: await openConsole(browser, api, roleId) };
  }
  const [rita, kai] = [people[first]!, people[second]!];

  // Before: both people's credentials and console sessions work, and a repeat switch is served
  // from the console's credential cache (lib/sessions/credential-cache.ts) — what a revocation
  // must stop.
  for (const [email, person] of Object.entries(people)) {
    expect(await getRole(person.credentials, "ReadOnly"), email).toBe("ok");
    await expect(person.console.getByTestId("console-signed-in")).toBeVisible();
    await expect(person.console.locator('[data-field="Signed in as"]')).toHaveText(person.assumedRoleArn);
  }
  const repeat = await switchForCredentials(rita.api, roleId);
  expect(repeat.credentials.accessKeyId === rita.credentials.accessKeyId, "a repeat switch is served from the credential cache").toBe(true);

  // The administrator revokes the first person's sessions from the Users page.
  const revokedFrom = new Date().toISOString();
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/users");
  await page.getByTestId(`user-row-${first}`).getByRole("button", { name: "Revoke AWS sessions" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke AWS sessions" });
  await dialog.getByRole("button", { name: "Revoke sessions" }).click();
  await expect(dialog.getByTestId(`revocation-${roleId}`)).toHaveAttribute("data-ok", "true");
  // The first person's next switch, straight away (usually within the revocation's own second,
  // which the deny covers: its time is rounded up to the whole second, lib/revocation/policy.ts):
  // new credentials, not the cached ones, and they must work.
  const fresh = await switchForCredentials(rita.api, roleId);
  expect(fresh.credentials.accessKeyId === rita.credentials.accessKeyId, "the next switch must not hand back the revoked credentials").toBe(false);
  await expect(dialog.getByTestId("revocation-results")).toContainText(`Ended in the one role ${first} used.`);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // The SDK: AWS's explicit-deny answer for the first person's old credentials; the second
  // person's, and the first person's new ones, get the role.
  const denial = (assumedRoleArn: string) => `User: ${assumedRoleArn} is not authorized to perform: iam:GetRole on resource: ${roleArn} with an explicit deny in an identity-based policy`;
  expect(await getRole(rita.credentials, "ReadOnly")).toEqual({ name: "AccessDenied", message: denial(rita.assumedRoleArn) });
  expect(await getRole(kai.credentials, "ReadOnly")).toBe("ok");
  expect(await getRole(fresh.credentials, "ReadOnly")).toBe("ok");

  // The sandbox console page, reloaded: the first person's session is revoked, the second's is not.
  const reloaded = await rita.console.reload();
  expect(reloaded?.status()).toBe(403);
  await expect(rita.console.getByTestId("console-revoked")).toHaveText("Your session has been revoked");
  await expect(rita.console.getByTestId("console-revoked-reason")).toHaveText(
    "Your session has been revoked: an explicit deny in an identity-based policy (role ReadOnly inline policy SwitchboardRevokedSessions) denies every action.",
  );
  await expect(rita.console.locator('[data-field="Signed in as"]')).toHaveText(rita.assumedRoleArn);
  await expect(rita.console.getByTestId("console-signed-in")).toHaveCount(0);
  await shootWhole(rita.console, "revoke-console-denied");
  expect((await kai.console.reload())?.status()).toBe(200);
  await expect(kai.console.getByTestId("console-signed-in")).toBeVisible();
  await expect(kai.console.getByTestId("console-revoked")).toHaveCount(0);

  // The AWS CLI, with the credentials in its environment: the same explicit deny for the first
  // person's old credentials; the role for the second person's and the first person's new ones.
  if (await hasAwsCli) {
    const refused = await cliGetRole(rita.credentials, "ReadOnly");
    if (refused.ok) throw new Error("the AWS CLI got the role with revoked credentials");
    // A service error: 255 from CLI v1, 254 from v2.
    // https://docs.aws.amazon.com/cli/latest/userguide/cli-chap-returncodes.html
    expect([254, 255]).toContain(refused.exitCode);
    expect(refused.stderr).toContain(`An error occurred (AccessDenied) when calling the GetRole operation: ${denial(rita.assumedRoleArn)}`);
    expect(await cliGetRole(kai.credentials, "ReadOnly")).toEqual({ ok: true, arn: roleArn });
    expect(await cliGetRole(fresh.credentials, "ReadOnly")).toEqual({ ok: true, arn: roleArn });
  } else {
    test.info().annotations.push({ type: "not run", description: "the AWS CLI (`aws`) is not installed on this machine: the CLI checks were left out" });
  }

  // The Active sessions view: both people's sessions (credentials and console each), the first
  // person's marked revoked by the administrator, and the first person's new credentials active.
  await page.goto("/sessions");
  await page.getByLabel("Filter by person, role or account").fill(tag);
  const rows = page.getByTestId("session-row");
  const rowsOf = (email: string) => rows.filter({ hasText: email });
  await expect(rows).toHaveCount(5);
  for (const kind of ["Credentials", "Console"]) {
    const [revoked, kept] = [rowsOf(first).filter({ hasText: "Revoked" }).filter({ hasText: kind }), rowsOf(second).filter({ hasText: kind })];
    await expect(revoked).toHaveCount(1);
    await expect(revoked).toContainText(`by ${ADMIN.email}`);
    await expect(kept).toHaveCount(1);
    await expect(kept).toContainText("Active");
  }
  await expect(rowsOf(first).filter({ hasText: "Active" })).toHaveCount(1);
  await expect(rowsOf(first).filter({ hasText: "Active" })).toContainText("Credentials");
  await expect(rowsOf(second).filter({ hasText: "Revoked" })).toHaveCount(0);
  await expect(rowsOf(first).filter({ hasText: "Revoked" }).getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await expect(rowsOf(second).getByRole("button", { name: /Revoke/ })).toHaveCount(2);
  await shootWhole(page, "revoke-active-sessions");

  // The audit log: one revocation, by the administrator, naming the person and the role.
  const audit = await admin.get(`/api/v1/audit-events?${new URLSearchParams({ action: "session.revoke", actor: ADMIN.email, from: revokedFrom, limit: "50" })}`);
  expect(audit.status(), await audit.text()).toBe(200);
  const { events } = (await audit.json()) as { events: Array<{ id: string; outcome: string; target: string | null; details: Record<string, unknown> }> };
  const revocations = events.filter((e) => e.details.person === first);
  expect(revocations).toHaveLength(1);
  const [revocation] = revocations;
  expect(revocation).toMatchObject({ outcome: "success", target: roleArn, details: { scope: "person", person: first } });
  expect(events.some((e) => e.details.person === second)).toBe(false);
  // …and on the Audit page, as a person reads it.
  await page.goto(`/audit?${new URLSearchParams({ action: "session.revoke", actor: ADMIN.email, from: revokedFrom })}`);
  const auditRow = page.getByTestId(`audit-event-${revocation!.id}`);
  await expect(auditRow).toContainText("session.revoke");
  await expect(auditRow.locator(`abbr[title="${roleArn}"]`)).toHaveText(/^role\//);
  await auditRow.getByRole("button", { name: /^Details of Revoked live AWS sessions/ }).click();
  await expect(page.locator(`#audit-details-${revocation!.id}`)).toContainText(`"person": "${first}"`);

  // A console session the first person opens after the revocation works too.
  const freshConsole = await openConsole(browser, rita.api, roleId);
  await expect(freshConsole.getByTestId("console-signed-in")).toBeVisible();
  // The view shows the new sessions as active beside the revoked ones.
  await page.goto("/sessions");
  await page.getByLabel("Filter by person, role or account").fill(first);
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: "Revoked" })).toHaveCount(2);
  await expect(rows.filter({ hasText: "Active" })).toHaveCount(2);

  await freshConsole.context().close();
  for (const person of Object.values(people)) {
    await person.console.context().close();
    await person.api.dispose();
  }
  await admin.dispose();
});
