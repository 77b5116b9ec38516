// The shell on a small phone and the theme, in real Chromium: the compact header below lg (one
// Menu button for the pages, the person, the theme and Sign out; Switch role as an icon button
// whose menu is a full-screen sheet), every page at 360 px without sideways scrolling, the theme
// following the system until a choice in the user menu is remembered, and the skip link.
import type { Page } from "@playwright/test";
import { expect, signInWithForm, test } from "./fixtures";
import { widestElements } from "./support/a11y";
import { ADMIN } from "./support/accounts";
import { ensureAccount, grantedOperator, PRODUCTION, registeredRoleId } from "./support/scenario";

/** Whether the page's background, as the browser paints it, is dark (a canvas turns whatever
 * colour syntax the computed style uses into RGB). */
const isDark = (page: Page) =>
  page.evaluate(() => {
    const context = document.createElement("canvas").getContext("2d")!;
    context.fillStyle = getComputedStyle(document.documentElement).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return r! + g! + b! < 3 * 128;
  });
const pageWidth = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));

// A step that cannot happen fails in seconds, not at the test's timeout.
test.use({ actionTimeout: 10_000 });

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 }, colorScheme: "light" });

  test("[RESPONSIVE]: every page fits, and the header's Menu holds the pages, the theme and Sign out", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    for (const path of ["/", "/accounts", "/roles", "/grants", "/sessions", "/audit", "/users", "/tokens", "/settings", "/roles/new"]) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
      const { scroll, viewport } = await pageWidth(page);
      if (scroll > viewport) expect(scroll, `${path} is ${scroll} px wide in a ${viewport} px viewport: ${(await widestElements(page)).join(", ")}`).toBeLessThanOrEqual(viewport);
    }

    await page.goto("/");
    // The desktop's links and user menu are not there to tap.
    await expect(page.getByTestId("user-menu")).toBeHidden();
    const menuButton = page.getByRole("button", { name: "Menu", exact: true });
    await menuButton.click();
    await expect(menuButton).toHaveAttribute("aria-expanded", "true");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(["Accounts", "Roles", "Grants", /^Requests/, "Sessions", "Audit", "Users", "Settings"]);
    // Escape closes it and gives the focus back.
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(menuButton).toBeFocused();

    // The theme, from here: at once, and still after a reload.
    await menuButton.click();
    expect(await isDark(page)).toBe(false);
    await page.getByRole("radio", { name: "Dark" }).check();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    expect(await isDark(page)).toBe(true);

    // A link goes there and closes the sheet.
    await nav.getByRole("link", { name: "Roles" }).click();
    await page.waitForURL("**/roles");
    await expect(nav).toBeHidden();
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");

    // Switch role is an icon button with a name; its menu is a full-screen sheet that closes.
    const switchRole = page.getByRole("button", { name: /^Switch role/ });
    await expect(switchRole).toBeVisible();
    await page.locator('[data-testid="switch-role-button"][data-live]').click();
    const sheet = page.getByTestId("switch-menu");
    await expect(sheet).toBeVisible();
    expect(await sheet.boundingBox()).toEqual({ x: 0, y: 0, width: 360, height: 740 });
    await expect(page.getByRole("combobox", { name: "Search roles" })).toBeFocused();
    await sheet.getByRole("button", { name: "Close" }).click();
    await expect(sheet).toBeHidden();
    await expect(switchRole).toBeFocused();

    // Sign out, from the Menu.
    await menuButton.click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    const { scroll, viewport } = await pageWidth(page);
    expect(scroll).toBeLessThanOrEqual(viewport);
  });
});

test("[RESPONSIVE]: the header fits at every width from a small phone to a laptop", async ({ page }) => {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/accounts");
  // The widest header: Switch role shows the last role used beside its label from xl up.
  await ensureAccount(page.request, PRODUCTION, "Production");
  const roleId = await registeredRoleId(page.request, PRODUCTION, "ReadOnly");
  const switched = await page.request.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(switched.status(), await switched.text()).toBe(200);
  await page.reload();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId("switch-role-last")).toContainText("ReadOnly");
  for (const width of [360, 600, 768, 1023, 1024, 1279, 1280, 1440, 1536, 1920]) {
    await page.setViewportSize({ width, height: 800 });
    const { scroll, viewport } = await pageWidth(page);
    expect(scroll, `${width} px: ${(await widestElements(page)).join(", ")}`).toBeLessThanOrEqual(viewport);
    // Every control of the header is on screen.
    for (const control of await page.locator("header a:visible, header button:visible").all()) {
      const box = (await control.boundingBox())!;
      expect(box.x + box.width, `${width} px: ${await control.textContent()}`).toBeLessThanOrEqual(width);
    }
    // and Switch role's own content fits in it (the last role's name truncates; nothing spills).
    const spill = await page.getByTestId("switch-role-button").evaluate((b) => b.scrollWidth - b.clientWidth);
    expect(spill, `${width} px: Switch role's content is wider than the button`).toBeLessThanOrEqual(0);
  }
});

test.describe("the theme", () => {
  test.use({ colorScheme: "dark" });

  test("[RESPONSIVE]: follows the system, and a choice in the user menu is remembered from the first paint", async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL });
    const { operator } = await grantedOperator(admin);
    await admin.dispose();
    await signInWithForm(page, operator.email, operator.password);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "system");
    expect(await isDark(page)).toBe(true);

    await page.getByTestId("user-menu").click();
    await expect(page.getByRole("menuitemradio", { name: "System" })).toHaveAttribute("aria-checked", "true");
    await page.getByRole("menuitemradio", { name: "Light" }).click();
    await expect(page.getByRole("menuitemradio", { name: "Light" })).toHaveAttribute("aria-checked", "true");
    expect(await isDark(page)).toBe(false);

    // The server writes the choice into the page itself: right on the first paint, no script.
    const html = await (await page.context().request.get("/settings")).text();
    expect(html).toMatch(/<html[^>]*data-theme="light"/);
    await page.reload();
    expect(await isDark(page)).toBe(false);

    // Back to the system's setting.
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitemradio", { name: "System" }).click();
    expect(await isDark(page)).toBe(true);
  });

  test("[RESPONSIVE]: Skip to content is the first stop of the Tab key and lands in the page", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password, "/accounts");
    await expect(page.locator("main h1")).toBeVisible();
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main")).toBeFocused();
  });
});
