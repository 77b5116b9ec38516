// Every page, dialog and the open Switch Role menu, on a phone (390×844) and a laptop
// (1440×900), in the light and the dark theme: an operator signs in, switches into the AWS
// console from the menu, copies credentials and signs out; an administrator walks every page,
// dialog and wizard step. Each state must pass axe-core (WCAG 2.2 A/AA and best practices) with
// no violation of any impact, and no page may be wider than its viewport. Screenshots of each
// state go to test-results/screens/<state>-<width>-<theme>.png for people to look at.
//
// One browser context per width and theme (the test's own), with the theme set the way people
// set it: the dark runs follow the operating system's dark setting, the light runs its light one.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, signInWithForm, test } from "./fixtures";
import { Inspector, type Theme, type Viewport } from "./support/a11y";
import { ADMIN } from "./support/accounts";
import { sandboxUrl } from "./support/sandbox";
import { grantedOperator, PRODUCTION, type Scenario } from "./support/scenario";

const VIEWPORTS: Viewport[] = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
];
const THEMES: Theme[] = ["light", "dark"];

/** Below Tailwind's lg breakpoint (1024 px) the header is the compact one. */
const isPhone = (page: Page) => (page.viewportSize()?.width ?? 1440) < 1024;

async function openSwitchMenu(page: Page) {
  await page.locator('[data-testid="switch-role-button"][data-live]').click();
  await expect(page.getByTestId("switch-menu")).toBeVisible();
  await expect(page.getByTestId("switch-menu-list")).toBeVisible();
}

/** The account menu: the user menu on a laptop, the header's Menu button on a phone. */
async function openAccountMenu(page: Page) {
  if (isPhone(page)) await page.getByRole("button", { name: "Menu", exact: true }).click();
  else await page.getByTestId("user-menu").click();
}

async function signOut(page: Page) {
  await openAccountMenu(page);
  await page.getByRole(isPhone(page) ? "button" : "menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
}

/** Waits until the page's own content is there (every console page has one h1 in main). */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main h1").first()).toBeVisible();
}

async function closeDialog(page: Page) {
  await page.keyboard.press("Escape");
  await expect(page.locator("dialog[open]")).toHaveCount(0);
}

/** The operator's part: sign in, switch into the AWS console from the menu, copy credentials,
 * sign out — every state checked on the way. */
async function operatorJourney(page: Page, context: BrowserContext, scenario: Scenario, inspect: Inspector) {
  const { operator } = scenario;
  await inspect.step("signin", async () => {
    await page.goto("/signin");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await inspect.check(page, "signin");
  });
  await signInWithForm(page, operator.email, operator.password);
  await inspect.step("operator-home", async () => {
    await expect(page.locator("main h1").first()).toBeVisible();
    await inspect.check(page, "operator-home");
  });
  await inspect.step("operator-account-menu", async () => {
    await openAccountMenu(page);
    await expect(page.getByText(operator.email).first()).toBeVisible();
    await inspect.check(page, "account-menu", { fullPage: false });
    await page.keyboard.press("Escape");
  });

  await inspect.step("menu", async () => {
    await openSwitchMenu(page);
    await inspect.check(page, "menu", { fullPage: false });
    // The menu is on screen, whole: on a phone it is a full-screen sheet.
    const box = (await page.getByTestId("switch-menu").boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    if (isPhone(page)) expect(box.width).toBe(viewport.width);
  });

  await inspect.step("switch", async () => {
    await page.getByRole("combobox", { name: "Search roles" }).fill("readonly");
    const option = page.getByRole("option").first();
    await expect(option).toContainText("ReadOnly");
    await inspect.check(page, "menu-search", { fullPage: false });
    // A tap (or click) on the role opens the AWS console in a new tab.
    const [consoleTab] = await Promise.all([context.waitForEvent("page"), option.click()]);
    await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
    await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${operator.email}`);
    await consoleTab.close();
  });

  await inspect.step("credentials", async () => {
    await openSwitchMenu(page);
    await page.getByRole("combobox", { name: "Search roles" }).fill("readonly");
    await expect(page.getByRole("option").first()).toContainText("ReadOnly");
    await page.getByTestId("switch-menu").getByRole("button", { name: /^Credentials/ }).first().click();
    const dialog = page.getByRole("dialog", { name: /credentials/i });
    await expect(dialog).toContainText(/expires in/i);
    await dialog.getByRole("tab", { name: /bash/i }).click();
    await inspect.check(page, "dialog-credentials", { fullPage: false });
    await dialog.getByRole("button", { name: /^Copy/ }).click();
    await expect(dialog.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/export AWS_ACCESS_KEY_ID=["']?ASIA/);
    await closeDialog(page);
  });

  await inspect.step("operator-pages", async () => {
    for (const [path, state] of [
      ["/roles", "operator-roles"],
      ["/sessions", "operator-sessions"],
      ["/tokens", "operator-tokens"],
      ["/requests", "operator-requests"],
    ] as const) {
      await visit(page, path);
      await inspect.check(page, state);
    }
  });

  await signOutOrForget(page, inspect, "operator-sign-out");
}

/** Signs out through the account menu; if that fails (recorded), the walk goes on signed out. */
async function signOutOrForget(page: Page, inspect: Inspector, state: string) {
  await inspect.step(state, () => signOut(page));
  if (!page.url().includes("/signin")) await page.context().clearCookies();
}

/** The administrator's part: every page, dialog and wizard step. */
async function adminWalk(page: Page, scenario: Scenario, inspect: Inspector) {
  await signInWithForm(page, ADMIN.email, ADMIN.password);
  for (const [path, state] of [
    ["/", "home"],
    ["/accounts", "accounts"],
    ["/roles", "roles"],
    ["/grants", "grants"],
    ["/sessions", "sessions"],
    ["/audit", "audit"],
    ["/users", "users"],
    // Not "tokens": e2e/tokens.spec.ts writes tokens-<width>-<theme>.png.
    ["/tokens", "admin-tokens"],
    ["/settings", "settings"],
    ["/settings/webhooks", "settings-webhooks"],
    ["/requests?tab=all", "requests-all"],
    ["/access-reviews", "access-reviews-page"],
  ] as const) {
    await inspect.step(state, async () => {
      await visit(page, path);
      await inspect.check(page, state);
    });
  }

  await inspect.step("dialog-add-account", async () => {
    await visit(page, "/accounts");
    await page.getByRole("button", { name: "Add account" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    // The first field has the focus, not Close.
    await expect(dialog.getByRole("textbox").first()).toBeFocused();
    await inspect.check(page, "dialog-add-account", { fullPage: false });
    await closeDialog(page);
  });

  await inspect.step("roles-dialogs", async () => {
    await visit(page, "/roles");
    await page.getByRole("button", { name: /^(Add role|Register an existing role)/ }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await inspect.check(page, "dialog-add-role", { fullPage: false });
    await closeDialog(page);

    await page.getByRole("button", { name: /^Discover/ }).click();
    const discover = page.getByRole("dialog", { name: /Discover/ });
    await discover.getByLabel("Account").selectOption(PRODUCTION);
    await expect(discover.getByTestId("discovered-ReadOnly")).toBeVisible({ timeout: 15_000 });
    await inspect.check(page, "dialog-discover", { fullPage: false });
    await closeDialog(page);

    const row = page.getByTestId(`role-account-${PRODUCTION}`).getByTestId("role-row-ReadOnly");
    await row.getByRole("button", { name: /^Grants/ }).click();
    const grants = page.getByRole("dialog", { name: /Grants/ });
    await expect(grants).toContainText(scenario.operator.email);
    await inspect.check(page, "dialog-grants", { fullPage: false });
    await closeDialog(page);

    await row.getByRole("button", { name: "Test" }).click();
    await expect(page.getByTestId("test-result-ReadOnly").first()).toBeVisible({ timeout: 15_000 });
    await inspect.check(page, "roles-tested");
  });

  await inspect.step("trust-editor", async () => {
    await visit(page, `/roles/${scenario.roleIds.readOnly}/trust`);
    const proposed = page.getByTestId("trust-proposed");
    const current = await proposed.inputValue();
    // A change, to show the diff view (never saved).
    await proposed.fill(current.replace(/"Allow"/, '"Deny"'));
    await expect(page.getByTestId("trust-diff")).toBeVisible();
    await inspect.check(page, "trust-editor");
  });

  await inspect.step("wizard", async () => {
    await visit(page, "/roles/new");
    const next = () => page.getByRole("button", { name: /^Next/ }).click();
    // A draft left by an earlier run in this browser context cannot exist: the context is new.
    await page.getByLabel("Target account").selectOption(PRODUCTION);
    await page.getByLabel("Role name").fill("A11yCheck");
    await inspect.check(page, "wizard-1-where");
    await next();
    await expect(page.getByTestId("wizard-step-2")).toBeVisible();
    await inspect.check(page, "wizard-2-who");
    await next();
    await expect(page.getByTestId("wizard-step-3")).toBeVisible();
    await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
    await inspect.check(page, "wizard-3-what");
    await next();
    await expect(page.getByTestId("wizard-step-4")).toBeVisible();
    await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
    await inspect.check(page, "wizard-4-review");
  });

  await inspect.step("admin-menu", async () => {
    await visit(page, "/");
    await openSwitchMenu(page);
    await inspect.check(page, "menu-admin", { fullPage: false });
    await page.keyboard.press("Escape");
  });

  await signOutOrForget(page, inspect, "admin-sign-out");
}

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`at ${viewport.width}×${viewport.height}, ${theme}`, () => {
      // A step that cannot happen fails in seconds, not at the test's timeout.
      test.use({ viewport, colorScheme: theme, actionTimeout: 10_000 });

      test(`[A11Y]: every page, dialog and the menu at ${viewport.width} px in the ${theme} theme: no axe violation, nothing wider than the screen`, async ({ page, context, playwright, baseURL }) => {
        // About 40 pages and states, each checked by axe in both ways: ~90 s on a quiet machine,
        // twice that when the machine is shared; the action timeout above catches a real hang.
        test.setTimeout(300_000);
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
        const admin = await playwright.request.newContext({ baseURL });
        const scenario = await grantedOperator(admin);
        await admin.dispose();

        const inspect = new Inspector(viewport, theme);
        await operatorJourney(page, context, scenario, inspect);
        await adminWalk(page, scenario, inspect);
        inspect.save("a11y");
        expect(inspect.problems, inspect.problems.map((p) => `${p.state} [${p.kind}] ${p.detail}`).join("\n")).toEqual([]);
      });
    });
  }
}
