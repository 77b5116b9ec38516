// The /switch/<id> confirmation page is plain HTML outside React (app/switch/[roleId]/html.ts),
// yet follows the console's theme: the cookie's "dark" or "light" pins it, "system" (or no
// cookie) follows the operating system, with no violation of axe's rules (contrast at AA) in
// either, at 390 and 1440 px; and its Content-Security-Policy still allows no inline script.
import type { Page } from "@playwright/test";
import { expect, signInWithForm, test as base } from "./fixtures";
import { SCREENS } from "./support/a11y";
import { expectAccessible } from "./support/screens";
import { grantedOperator, type Scenario } from "./support/scenario";

const test = base.extend<{ scenario: Scenario }>({
  scenario: async ({ playwright, baseURL }, provide) => {
    const admin = await playwright.request.newContext({ baseURL });
    const scenario = await grantedOperator(admin);
    await admin.dispose();
    await provide(scenario);
  },
});

/** The page's background and text luminance: dark is a dark background under light text. */
async function shade(page: Page): Promise<"light" | "dark"> {
  const { bg, fg } = await page.evaluate(() => {
    const main = getComputedStyle(document.querySelector("main")!);
    return { bg: main.backgroundColor, fg: main.color };
  });
  // Computed colours come back as rgb(); light-dark() resolves before they do.
  const lum = (rgb: string) => {
    const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  expect(Math.abs(lum(bg) - lum(fg)), `${bg} / ${fg}`).toBeGreaterThan(100);
  return lum(bg) < lum(fg) ? "dark" : "light";
}

async function setThemeCookie(page: Page, baseURL: string, value: string) {
  await page.context().addCookies([{ name: "switchboard-theme", value, url: baseURL }]);
}

test("[SWITCH-THEME]: the confirmation page follows the theme cookie, and the system setting when it says system", async ({ page, baseURL, scenario: { operator, roleIds } }) => {
  await signInWithForm(page, operator.email, operator.password);
  const url = `/switch/${roleIds.readOnly}?region=us-east-1`;

  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    // The cookie says dark: dark, even where the system is light.
    await setThemeCookie(page, baseURL!, "dark");
    await page.emulateMedia({ colorScheme: "light" });
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId("switch-confirm")).toBeVisible();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    expect(await shade(page)).toBe("dark");
    await expectAccessible(page, `switch confirm dark ${width}`);
    // Nothing wider than the window, and the 12-digit account id is never broken across lines
    // (long names and the ARN wrap where they must instead).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await page.getByTestId("switch-confirm-account-id").evaluate((el) => el.getClientRects().length)).toBe(1);
    await page.screenshot({ path: `${SCREENS}/switch-confirm-${width}-dark.png`, fullPage: true });

    // The cookie says light: light, even where the system is dark.
    await setThemeCookie(page, baseURL!, "light");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(url);
    expect(await shade(page)).toBe("light");
    await expectAccessible(page, `switch confirm light ${width}`);
    await page.screenshot({ path: `${SCREENS}/switch-confirm-${width}-light.png`, fullPage: true });
  }

  // "system" follows the operating system, both ways, without a reload of the cookie.
  await setThemeCookie(page, baseURL!, "system");
  await page.goto(url);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await shade(page)).toBe("dark");
  await page.emulateMedia({ colorScheme: "light" });
  expect(await shade(page)).toBe("light");
  // A forged value is "system", as on the console's own pages.
  await setThemeCookie(page, baseURL!, "purple");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(url);
  expect(await page.locator("html").getAttribute("data-theme")).toBe("system");
  expect(await shade(page)).toBe("dark");
});

test("[SWITCH-THEME]: the themed page still runs no inline script: a strict CSP and no script on the page", async ({ page, baseURL, scenario: { operator, roleIds } }) => {
  await signInWithForm(page, operator.email, operator.password);
  await setThemeCookie(page, baseURL!, "dark");
  const res = await page.goto(`/switch/${roleIds.readOnly}?region=us-east-1`);
  const csp = (await res?.headerValue("content-security-policy")) ?? "";
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(scriptSrc).toMatch(/'nonce-/);
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  await expect(page.locator("script")).toHaveCount(0);
  expect(await shade(page)).toBe("dark");
});
