// The Switch Role menu says what Enter did: "Opened Production / ReadOnly in a new tab", in a
// polite live region under the header's button, and — when the browser blocks the new tab — says
// so in the open menu with a link that opens it. Also: the menu's own request gets the compact,
// gzipped data, while the API's default answer stays the objects form. Each test sets up its own
// operator (e2e/support/scenario.ts), so it passes alone and in any order.
import { gunzipSync } from "node:zlib";
import { expect, signInWithForm, test as base } from "./fixtures";
import { sandboxUrl } from "./support/sandbox";
import { grantedOperator, type Scenario } from "./support/scenario";

const test = base.extend<{ scenario: Scenario }>({
  scenario: async ({ playwright, baseURL }, provide) => {
    const admin = await playwright.request.newContext({ baseURL });
    const scenario = await grantedOperator(admin);
    await admin.dispose();
    await provide(scenario);
  },
});

test("[MENU]: Enter opens the console in a new tab, and the menu says so politely", async ({ page, context, scenario: { operator } }) => {
  await signInWithForm(page, operator.email, operator.password);
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByRole("combobox", { name: "Search roles" }).fill("prod readonly");
  await expect(page.getByRole("option").first()).toContainText("ReadOnly");
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  // Said at once (it fades after a few seconds), under the button, the menu closed.
  const status = page.getByTestId("switch-menu-status");
  await expect(status).toHaveRole("status");
  await expect(status).toHaveText("Opened Production / ReadOnly in a new tab.");
  await expect(status).toBeVisible();
  await expect(page.getByTestId("switch-menu")).toBeHidden();
  await page.screenshot({ path: "test-results/screens/menu-opened-1440-light.png" });
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  // The new tab has no handle on the console's page.
  expect(await consoleTab.evaluate(() => window.opener)).toBeNull();
  await consoleTab.close();
  // Opening the menu again starts afresh.
  await page.keyboard.press("Control+k");
  await expect(status).toHaveText("");
});

test("[MENU]: a blocked new tab is said in the menu, with a link that opens it", async ({ page, context, scenario: { operator } }) => {
  // A pop-up blocker: window.open answers null, as browsers do when they block one.
  await page.addInitScript(() => {
    window.open = () => null;
  });
  await signInWithForm(page, operator.email, operator.password);
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByRole("combobox", { name: "Search roles" }).fill("prod readonly");
  await expect(page.getByRole("option").first()).toContainText("ReadOnly");
  await page.keyboard.press("Enter");

  // The menu stays open and says it, once to screen readers (the live region) and on screen.
  const menu = page.getByTestId("switch-menu");
  await expect(menu).toBeVisible();
  await expect(page.getByTestId("switch-menu-status")).toHaveText("Your browser blocked the new tab for Production / ReadOnly.");
  const blocked = page.getByTestId("switch-menu-blocked");
  await expect(blocked).toContainText("Your browser blocked the new tab for Production / ReadOnly.");
  await page.screenshot({ path: "test-results/screens/menu-blocked-1440-light.png" });
  // On a phone, in the dark: the sheet shows the same line.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(blocked).toBeVisible();
  await page.screenshot({ path: "test-results/screens/menu-blocked-390-dark.png" });
  await page.setViewportSize({ width: 1440, height: 900 });
  const link = blocked.getByRole("link", { name: "Open Production / ReadOnly" });
  // The link leads to the switch's confirmation page (a GET issues nothing), in a new tab.
  await expect(link).toHaveAttribute("href", /^\/switch\/[0-9A-Z]{26}\?region=/);
  await expect(link).toHaveAttribute("target", "_blank");
  const [confirmTab] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await confirmTab.waitForLoadState();
  expect(new URL(confirmTab.url()).pathname).toMatch(/^\/switch\//);
  await confirmTab.close();
  await expect(menu).toBeHidden();
  await expect(page.getByTestId("switch-menu-status")).toHaveText("Opened Production / ReadOnly in a new tab.");
});

test("[MENU]: the menu's data comes compact and gzipped; the API's default stays objects", async ({ page, scenario: { operator } }) => {
  const prefetch = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/me/menu");
  await signInWithForm(page, operator.email, operator.password);
  const response = await prefetch;
  expect(response.status()).toBe(200);
  // Gzipped by the console, named by the media type (Next.js drops Content-Encoding), unzipped
  // by the page.
  expect(await response.headerValue("content-type")).toBe("application/vnd.switchboard.menu+gzip");
  // The same request again, from the test (the page's own body may be gone once it has read it).
  const again = await page.request.get("/api/v1/me/menu", { headers: { accept: "application/vnd.switchboard.menu+gzip" } });
  expect(again.headers()["content-type"]).toBe("application/vnd.switchboard.menu+gzip");
  const zipped = await again.body();
  expect([zipped[0], zipped[1]]).toEqual([0x1f, 0x8b]);
  const compact = JSON.parse(gunzipSync(zipped).toString("utf8")) as { v: number; roles: { id: string[] } };
  expect(compact.v).toBe(3); // MENU_WIRE_VERSION (lib/catalog/menu-wire.ts)
  expect(compact.roles.id.length).toBeGreaterThan(0);
  await page.locator('[data-testid="switch-role-button"][data-live]').click();
  await expect(page.getByRole("option").first()).toBeVisible();

  // Without asking: the objects form, uncompressed, the same roles.
  const objects = await page.request.get("/api/v1/me/menu");
  expect(objects.headers()["content-type"]).toBe("application/json");
  const body = (await objects.json()) as { roles: Array<{ id: string }> };
  expect(body.roles.map((r) => r.id).sort()).toEqual([...compact.roles.id].sort());
});
