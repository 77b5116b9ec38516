// The operator's own home: "Your roles" (pinned, recent, granted) with the menu's two actions,
// Console and Credentials, in real Chromium against the sandbox; who to ask when nothing is
// granted; administrators keep their getting-started cards, whose "Switch into a role" opens
// the menu; and Settings shows the store's file path to administrators only. Each test makes
// its own people (e2e/support/scenario.ts), so each passes alone and in any order.
import { createUser, expect, signInAsAdmin, signInWithForm, test as base } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandboxUrl } from "./support/sandbox";
import { shootBothThemes } from "./support/screens";
import { grantedOperator, type Scenario } from "./support/scenario";

const test = base.extend<{ scenario: Scenario }>({
  scenario: async ({ playwright, baseURL }, provide) => {
    const admin = await playwright.request.newContext({ baseURL });
    const scenario = await grantedOperator(admin);
    await admin.dispose();
    await provide(scenario);
  },
});


test("[HOME]: an operator's home lists their roles and switches from there — console and credentials", async ({ page, context, baseURL, scenario: { operator } }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signInWithForm(page, operator.email, operator.password);
  const yours = page.getByRole("region", { name: "Your roles" });
  await expect(yours).toBeVisible();
  const granted = yours.getByRole("region", { name: "Granted to you" });
  await expect(granted.getByTestId("your-role")).toHaveCount(2);
  await expect(granted.getByTestId("your-role").nth(0)).toContainText("ReadOnly");
  await expect(granted.getByTestId("your-role").nth(1)).toContainText("ThirdPartyAuditor");
  // Only what is granted: the Test account's role is not theirs.
  await expect(yours).not.toContainText("DevelopmentTesters");
  await shootBothThemes(page, "home-operator-1440");

  // Console: the menu's POST to /switch/<id>, into a new tab, signed in as the operator.
  const readOnly = yours.getByTestId("your-role").filter({ hasText: "ReadOnly" });
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), readOnly.getByRole("button", { name: /^Console for ReadOnly in Production/ }).click()]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${operator.email}`);
  await consoleTab.close();
  await expect(page.getByTestId("your-roles-status")).toContainText("Opening the AWS console for ReadOnly in Production in a new tab");
  // The switch worked, so the header names it without a reload, and Recent lists it.
  await expect(page.getByTestId("switch-role-button")).toHaveAccessibleName(/last used: ReadOnly in Production/);
  await expect(yours.getByRole("region", { name: "Recent" }).getByTestId("your-role")).toHaveText([/ReadOnly/]);
  await expect(yours.getByRole("region", { name: "Also granted to you" }).getByTestId("your-role")).toHaveText([/ThirdPartyAuditor/]);

  // Credentials: the menu's dialog, for the role with an ExternalId; closing returns focus.
  const auditorCredentials = yours.getByRole("button", { name: /^Credentials for ThirdPartyAuditor in Production/ });
  await auditorCredentials.click();
  const dialog = page.getByRole("dialog", { name: /credentials/i });
  await expect(dialog).toContainText(/expires in/i);
  await expect(dialog).toContainText("ThirdPartyAuditor");
  await dialog.getByRole("button", { name: /^Copy/ }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/AWS_ACCESS_KEY_ID=["']?ASIA/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(auditorCredentials).toBeFocused();

  // Keyboard: Tab reaches the buttons, Enter opens the console.
  await readOnly.getByRole("button", { name: /^Console/ }).focus();
  const [again] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await again.waitForURL(`${sandboxUrl()}/console/**`);
  await again.close();

  // A phone: one column, nothing wider than the window.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(yours.getByTestId("your-role").first()).toBeVisible();
  const box = await yours.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  const buttons = await readOnly.getByRole("button", { name: /^Console/ }).boundingBox();
  expect(buttons!.x + buttons!.width).toBeLessThanOrEqual(390);
  await shootBothThemes(page, "home-operator-390");
});

test("[HOME]: an operator with no roles is told who to ask", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  const email = uniqueEmail("nora.none");
  await createUser(admin, { email, name: "Nora None", password: "nora-operator-password", role: "operator" });
  await admin.dispose();
  await signInWithForm(page, email, "nora-operator-password");
  const yours = page.getByRole("region", { name: "Your roles" });
  await expect(yours.getByRole("heading", { name: "No roles granted to you yet — ask an administrator" })).toBeVisible();
  await expect(yours.getByTestId("your-role")).toHaveCount(0);
  // No administrator's getting-started cards for an operator.
  await expect(page.getByRole("heading", { name: "Register your AWS accounts" })).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(yours).toBeVisible();
  const box = await yours.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await shootBothThemes(page, "home-operator-empty-390");
});

test("[HOME]: an administrator keeps the getting-started cards, and Switch into a role opens the menu", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  const email = uniqueEmail("ada.second");
  await createUser(admin, { email, name: "Adele Admin", password: "adele-admin-password", role: "admin" });
  await admin.dispose();
  await signInWithForm(page, email, "adele-admin-password");
  await expect(page.getByRole("heading", { name: "Welcome, Adele" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Register your AWS accounts/ })).toBeVisible();
  // A new administrator has no roles of their own yet: no "Your roles" (not the whole catalog).
  await expect(page.getByRole("region", { name: "Your roles" })).toHaveCount(0);
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.getByRole("button", { name: "Switch into a role" }).click();
  await expect(page.getByTestId("switch-menu")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Search roles" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("switch-menu")).toBeHidden();
  await shootBothThemes(page, "home-admin-1440");
});

test("[HOME]: Settings shows the store's file path to administrators, not to operators", async ({ page, browser, baseURL, scenario: { operator } }) => {
  await signInWithForm(page, operator.email, operator.password, "/settings");
  const store = page.getByText(/^SQLite/);
  await expect(store).toHaveText("SQLite, for a single instance");
  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await signInWithForm(adminPage, ADMIN.email, ADMIN.password, "/settings");
  await expect(adminPage.getByText(/^SQLite \(.+switchboard\.db\), for a single instance$/)).toBeVisible();
  await adminContext.close();
});
