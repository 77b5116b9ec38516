// Command line & tokens, as a person uses it: an operator opens the page from the user menu,
// makes a token, sees it once, copies it, calls the API with it, and revokes it (the API refuses
// it from then on, and the page never shows it again); an administrator revokes an operator's
// token from Everyone's tokens; a nameless token is refused at the field; an auditor is told why
// there is no form; and the page passes axe at phone and laptop width in both themes, with the
// new token on screen. Each test makes its own people, so each passes alone and in any order.
import type { APIRequestContext, Page, PlaywrightWorkerArgs } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { expectAccessible, shootBothThemes } from "./support/screens";

const PASSWORD = "tokens-e2e-person-password";
const TOKEN = /^swbt_[0-9A-Za-z]{46}$/;

/** A new person with this console role, made by the administrator through the API. */
async function newPerson(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string | undefined, prefix: string, role: "operator" | "auditor" = "operator") {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  const email = uniqueEmail(prefix);
  await createUser(admin, { email, name: `${prefix} Tester`, password: PASSWORD, role });
  await admin.dispose();
  return email;
}

/** Fills the form and returns the token the page shows once. */
async function createToken(page: Page, name: string, { days, scope = "Switch roles" }: { days?: string; scope?: string } = {}): Promise<string> {
  const form = page.getByTestId("token-create-form");
  await page.getByTestId("token-name").fill(name);
  await form.getByRole("radio", { name: new RegExp(`^${scope}`) }).check();
  if (days) await page.getByTestId("token-days").selectOption(days);
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("token-created")).toBeVisible();
  const secret = await page.getByTestId("token-secret").inputValue();
  expect(secret).toMatch(TOKEN);
  return secret;
}

/** The row of the person's own token of this name. */
const rowNamed = (page: Page, name: string) => page.getByTestId("token-row").filter({ has: page.getByRole("heading", { name, exact: true }) });

/** GET /api/v1/me with nothing but the token. */
async function meWith(api: APIRequestContext, token: string) {
  return api.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
}

test("[TOKENS]: an operator makes a token from the user menu, copies it, uses it, and revokes it", async ({ page, context, playwright, baseURL }) => {
  const email = await newPerson(playwright, baseURL, "tara.tokens");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signInWithForm(page, email, PASSWORD);

  // From the keyboard: the item sits just above Sign out, the menu's last.
  await page.getByTestId("user-menu").focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowUp");
  await expect(page.getByRole("menuitem", { name: "Command line & tokens" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.waitForURL("**/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "Command line & tokens" })).toBeVisible();
  await expect(page.getByRole("menu")).toBeHidden();
  await expect(page.locator("main")).toContainText(`curl -H "Authorization: Bearer $SWITCHBOARD_TOKEN" ${baseURL}/api/v1/me/menu`);
  await expect(page.getByText("No tokens yet")).toBeVisible();

  // Switch is the default scope.
  await expect(page.getByRole("radio", { name: /^Switch roles/ })).toBeChecked();
  const token = await createToken(page, "laptop CLI", { days: "7" });
  await expect(page.getByTestId("token-created")).toContainText("will not be shown again");
  await expect(page.getByTestId("token-secret")).toBeFocused();
  await page.getByTestId("token-copy").click();
  await expect(page.getByTestId("token-created").getByRole("status").filter({ hasText: "Copied" })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // The new token is in the list, by its last four characters only.
  const row = rowNamed(page, "laptop CLI");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Switch roles");
  await expect(row).toContainText("Active");
  await expect(row).toContainText(`…${token.slice(-4)}`);
  await expect(row).toContainText("in 7 days");
  await expect(row).toContainText("Never used");
  await expect(row).not.toContainText(token);

  // The token stands for the operator.
  const api = await playwright.request.newContext({ baseURL });
  const me = await meWith(api, token);
  expect(me.status(), await me.text()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe(email);

  // Done: the token is gone from the page, and the form is back.
  await page.getByTestId("token-done").click();
  await expect(page.getByTestId("token-created")).toHaveCount(0);
  await expect(page.getByTestId("token-name")).toBeFocused();
  expect(await page.content()).not.toContain(token);

  // Revoked from its row, after a confirmation.
  await row.getByTestId("token-revoke").click();
  const dialog = page.getByRole("dialog", { name: "Revoke this token?" });
  await expect(dialog).toContainText("laptop CLI");
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row).toContainText("Revoked by its owner");
  await expect(row.getByTestId("token-revoke")).toHaveCount(0);
  await expect(page.locator("main").getByRole("status").filter({ hasText: "“laptop CLI” is revoked" })).toBeVisible();

  const refused = await meWith(api, token);
  expect(refused.status()).toBe(401);
  await api.dispose();

  // After a reload: revoked, used once, and the token itself nowhere in the page.
  await page.reload();
  await expect(row).toContainText("Revoked by its owner");
  await expect(row).not.toContainText("Never used");
  await expect(page.getByTestId("token-created")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
});

test("[TOKENS]: an administrator sees an operator's token in Everyone's tokens and revokes it", async ({ page, browser, playwright, baseURL }) => {
  const email = await newPerson(playwright, baseURL, "rory.tokens");
  await signInWithForm(page, email, PASSWORD, "/tokens");
  const token = await createToken(page, "build server", { scope: "Read only" });
  await page.getByTestId("token-done").click();
  // An operator is not shown everyone's tokens.
  await expect(page.getByTestId("all-tokens")).toHaveCount(0);

  const api = await playwright.request.newContext({ baseURL });
  expect((await meWith(api, token)).status()).toBe(200);

  const adminContext = await browser.newContext({ baseURL });
  const admin = await adminContext.newPage();
  await signInWithForm(admin, ADMIN.email, ADMIN.password, "/tokens");
  const everyone = admin.getByTestId("all-tokens");
  await expect(everyone.getByRole("heading", { name: "Everyone's tokens" })).toBeVisible();
  const row = everyone.getByTestId("token-row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("build server");
  await expect(row).toContainText("Read only");
  await expect(row).toContainText(`…${token.slice(-4)}`);
  await expect(row).toContainText("Active");
  // It is not the administrator's own.
  await expect(admin.getByRole("list", { name: "Your tokens" }).getByTestId("token-row").filter({ hasText: "build server" })).toHaveCount(0);

  await row.getByRole("button", { name: `Revoke ${email}'s token build server` }).click();
  const dialog = admin.getByRole("dialog", { name: "Revoke this token?" });
  await expect(dialog).toContainText(email);
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row).toContainText(`Revoked by ${ADMIN.email}`);

  expect((await meWith(api, token)).status()).toBe(401);
  await api.dispose();

  // Everyone's tokens lists those that still work: it is gone after a reload. The operator sees why it stopped.
  await admin.reload();
  await expect(everyone.getByTestId("token-row").filter({ hasText: email })).toHaveCount(0);
  await adminContext.close();
  await page.reload();
  await expect(rowNamed(page, "build server")).toContainText(`Revoked by ${ADMIN.email}`);
});

test("[TOKENS]: a token without a name is refused at the field, and an auditor gets no form", async ({ page, browser, playwright, baseURL }) => {
  const email = await newPerson(playwright, baseURL, "nina.tokens");
  await signInWithForm(page, email, PASSWORD, "/tokens");
  await page.getByTestId("token-name").fill("   ");
  await page.getByTestId("token-create-form").getByRole("button", { name: "Create token" }).click();
  const name = page.getByTestId("token-name");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
  await expect(page.locator("#token-name-error")).toHaveText("Give the token a name, such as the machine it is for");
  await expect(name).toHaveAccessibleDescription("Give the token a name, such as the machine it is for");
  await expect(page.getByTestId("token-created")).toHaveCount(0);
  await expect(page.getByTestId("token-row")).toHaveCount(0);
  await expectAccessible(page, "tokens with a field error");

  // Fixed, it goes through.
  await createToken(page, "fixed name");
  await expect(page.locator("#token-name-error")).toHaveCount(0);

  // An auditor cannot switch, so has no tokens: the page says why instead of offering the form.
  const auditor = await newPerson(playwright, baseURL, "aldo.tokens", "auditor");
  const auditorContext = await browser.newContext({ baseURL });
  const auditorPage = await auditorContext.newPage();
  await signInWithForm(auditorPage, auditor, PASSWORD, "/tokens");
  await expect(auditorPage.getByRole("heading", { level: 1, name: "Command line & tokens" })).toBeVisible();
  await expect(auditorPage.getByTestId("token-create-form")).toHaveCount(0);
  await expect(auditorPage.locator("main")).toContainText("Tokens are for people who switch roles");
  await expectAccessible(auditorPage, "tokens for an auditor");
  await auditorContext.close();
});

test("[TOKENS]: the page passes axe on a phone and a laptop in both themes, with a new token shown", async ({ page, browser, playwright, baseURL }) => {
  // Four axe runs (two widths, two themes) and their screenshots: more than the default minute on
  // a busy two-core machine.
  test.setTimeout(180_000);
  const email = await newPerson(playwright, baseURL, "pia.tokens");
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithForm(page, email, PASSWORD);

  // On a phone the page is in the header's Menu, beside the person.
  await page.getByRole("button", { name: "Menu", exact: true }).click();
  await page.screenshot({ path: "test-results/screens/tokens-phone-menu-390.png" });
  await page.getByRole("link", { name: "Command line & tokens" }).click();
  await page.waitForURL("**/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "Command line & tokens" })).toBeVisible();
  await expectAccessible(page, "tokens, empty");

  // A revoked one and a live one in the list, and the new token on screen.
  await createToken(page, "old script", { days: "30" });
  await page.getByTestId("token-done").click();
  await rowNamed(page, "old script").getByTestId("token-revoke").click();
  await page.getByRole("dialog", { name: "Revoke this token?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(rowNamed(page, "old script")).toContainText("Revoked");
  await createToken(page, "laptop CLI with a rather long name for a phone", { days: "7" });

  const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(viewport);
  // From the top: the header sticks, and a full-page shot of a scrolled page shows it mid-way.
  await page.evaluate(() => window.scrollTo(0, 0));
  await shootBothThemes(page, "tokens-390");
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shootBothThemes(page, "tokens-1440");

  // The user menu's item, as seen.
  await page.getByTestId("user-menu").click();
  await expect(page.getByRole("menuitem", { name: "Command line & tokens" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/tokens-user-menu-1440.png" });
  await page.keyboard.press("Escape");

  // The revoke dialog too.
  await rowNamed(page, "laptop CLI with a rather long name for a phone").getByTestId("token-revoke").click();
  await expect(page.getByRole("dialog", { name: "Revoke this token?" })).toBeVisible();
  await expectAccessible(page, "tokens, revoke dialog");
  await page.keyboard.press("Escape");
  await expect(page.locator("dialog[open]")).toHaveCount(0);

  // The administrator's view, with Everyone's tokens.
  const adminContext = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  const admin = await adminContext.newPage();
  await signInWithForm(admin, ADMIN.email, ADMIN.password, "/tokens");
  await expect(admin.getByTestId("all-tokens").getByTestId("token-row").filter({ hasText: email })).toHaveCount(1);
  await shootBothThemes(admin, "tokens-admin-1440");
  await admin.setViewportSize({ width: 390, height: 844 });
  await shootBothThemes(admin, "tokens-admin-390");
  await adminContext.close();
});
