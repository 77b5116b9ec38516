// Grants that expire (issue 15 §1): an administrator grants a role for a while on the Grants page,
// the operator switches and the credentials work against the sandbox; once the expiry has passed
// (set in the store: the shortest choice, an hour, is too long to wait) the menu no longer lists
// the role and POST /api/v1/sessions is refused with when access ended, while the Grants page
// still lists the grant as expired; renewed through PATCH /api/v1/grants/{id}, the switch works
// again. Everything is created for this test alone.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandboxUrl } from "./support/sandbox";
import { ensureAccount, PRODUCTION, registeredRoleId } from "./support/scenario";
import { expectAccessible, screenPath } from "./support/screens";

const PASSWORD = "expiry-operator-password";

/** What another instance's clock passing the expiry looks like: the grant's expiry moved into the past. */
function expireInStore(grantId: string, at: string): void {
  const db = new Database(process.env.E2E_STORE!);
  try {
    db.pragma("busy_timeout = 5000");
    expect(db.prepare("update grants set expires_at = ? where id = ?").run(at, grantId).changes).toBe(1);
  } finally {
    db.close();
  }
}

async function menu(request: APIRequestContext) {
  const res = await request.get("/api/v1/me/menu");
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { roles: Array<{ id: string; accessEndsAt?: string }> }).roles;
}

test("[GRANT-EXPIRY]: a grant for an hour works, ends at its expiry (menu, switch), is listed as expired, and can be renewed", async ({ page, playwright, browser, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const readOnly = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const email = uniqueEmail("erin.expiry");
  await createUser(admin, { email, name: "Erin Expiry", password: PASSWORD, role: "operator" });

  // The admin grants ReadOnly for an hour on the Grants page.
  await signInWithForm(page, ADMIN.email, ADMIN.password, `/grants?grant=${encodeURIComponent(email)}`);
  const form = page.getByRole("form", { name: "Grant roles" });
  await form.getByRole("searchbox", { name: "Find roles" }).fill("ReadOnly");
  await form.getByRole("checkbox", { name: "ReadOnly in Production (111111111111)" }).check();
  await form.getByLabel("Expires", { exact: true }).selectOption("1h");
  await form.getByRole("button", { name: "Grant 1 grant" }).click();
  await expect(page.locator("main").getByRole("status").first()).toHaveText("Made 1 new grant.");
  await page.getByLabel("Person or group").selectOption(`user:${email}`);
  const grants = (await (await admin.get(`/api/v1/grants?userEmail=${encodeURIComponent(email)}`)).json()) as { grants: Array<{ id: string; expiresAt: string | null }> };
  expect(grants.grants).toHaveLength(1);
  const grant = grants.grants[0]!;
  expect(Date.parse(grant.expiresAt!) - Date.now()).toBeGreaterThan(55 * 60_000);
  expect(Date.parse(grant.expiresAt!) - Date.now()).toBeLessThanOrEqual(3600_000);
  const row = page.getByTestId(`grant-row-${grant.id}`);
  await expect(row).toContainText(/Expires in (59 min|1 h)/);

  // The operator sees it in the menu, marked as ending, and switches: the credentials work.
  const operator = await playwright.request.newContext({ baseURL });
  await signInWithApi(operator, email, PASSWORD);
  expect((await menu(operator)).find((r) => r.id === readOnly)?.accessEndsAt).toBe(grant.expiresAt);
  // In the browser: the row says so (the only role granted to them, so the menu shows it).
  const operatorPage = await (await browser.newContext({ baseURL })).newPage();
  await signInWithForm(operatorPage, email, PASSWORD, "/");
  await operatorPage.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await operatorPage.keyboard.press("Control+k");
  const option = operatorPage.getByRole("option").filter({ hasText: "ReadOnly" });
  await expect(option.getByTestId("switch-menu-role-ends")).toHaveText(/^Access ends in (5\d min|1 h)$/);
  await expect(option).toHaveAttribute("aria-label", /access ends in (5\d min|1 h)/);
  await operatorPage.context().close();
  const switched = await operator.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } });
  expect(switched.status(), await switched.text()).toBe(200);
  const { credentials } = (await switched.json()) as { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } };
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });
  expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toContain(":assumed-role/ReadOnly/");
  sts.destroy();
  // A second switch comes from the credential cache.
  expect((await operator.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } })).status()).toBe(200);

  // The expiry passes.
  const ended = new Date(Date.now() - 2000).toISOString();
  expireInStore(grant.id, ended);
  expect((await menu(operator)).map((r) => r.id)).not.toContain(readOnly);
  const refused = await operator.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } });
  expect(refused.status()).toBe(403);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: "forbidden", message: `Your access to ReadOnly ended at ${ended.slice(0, 10)} ${ended.slice(11, 19)} UTC; ask an administrator.` });

  // The Grants page still lists it, as expired, in a way that reads on a phone in both themes.
  await page.reload();
  await expect(row).toContainText("Expired");
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expectAccessible(page, `grants with an expired grant ${width} ${theme}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: screenPath(`grant-expired-${width}-${theme}`), fullPage: width === 390 });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });

  // Renewed through the API (a time in the past is refused with what to fix), the switch works again.
  const past = await admin.patch(`/api/v1/grants/${grant.id}`, { data: { expiresAt: "2020-01-01T00:00:00Z" } });
  expect(past.status()).toBe(400);
  expect(((await past.json()) as { error: { message: string } }).error.message).toContain("The expiry must be in the future");
  const renewed = await admin.patch(`/api/v1/grants/${grant.id}`, { data: { expiresAt: null } });
  expect(renewed.status(), await renewed.text()).toBe(200);
  expect(((await renewed.json()) as { grant: { expiresAt: string | null } }).grant.expiresAt).toBeNull();
  expect((await operator.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } })).status()).toBe(200);
  expect((await operator.get("/api/v1/grants")).status()).toBe(403);
  expect((await operator.patch(`/api/v1/grants/${grant.id}`, { data: { expiresAt: null } })).status()).toBe(403);

  // Changed on the page: the dialog's Save expiry.
  await page.reload();
  await row.getByRole("button", { name: /^Change when the grant/ }).click();
  const dialog = page.getByRole("dialog", { name: "Change when this grant expires" });
  await dialog.getByLabel("Expires", { exact: true }).selectOption("8h");
  await dialog.getByRole("button", { name: "Save expiry" }).click();
  await expect(page.locator("main").getByRole("status").first()).toContainText(`The grant to ${email} now ends at`);
  await expect(row).toContainText(/Expires in (7|8) h/);
});
