import { mkdirSync } from "node:fs";
import { expect, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";

test.describe("the console shell", () => {
  test("[SHELL]: settings show the console's AWS identity and what it means for session length", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password, "/settings");
    await expect(page.getByTestId("broker-arn")).toHaveText("arn:aws:iam::333333333333:user/switchboard");
    await expect(page.getByTestId("broker-kind")).toHaveText("Long-term access keys");
    await expect(page.getByTestId("broker-explanation")).toContainText("up to each role's maximum session duration");
    await expect(page.getByText("the local sandbox at")).toBeVisible();
  });

  test("[SHELL]: pages carry the security headers and a per-request CSP nonce", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    const first = await page.goto("/settings");
    const second = await page.goto("/settings");
    const csp1 = first!.headers()["content-security-policy"]!;
    const csp2 = second!.headers()["content-security-policy"]!;
    expect(csp1).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp1).not.toContain("unsafe-eval");
    expect(csp1).toContain("frame-ancestors 'none'");
    expect(csp1).not.toBe(csp2);
    expect(first!.headers()["x-frame-options"]).toBe("DENY");
    expect(first!.headers()["x-content-type-options"]).toBe("nosniff");
    expect(first!.headers()["referrer-policy"]).toBe("no-referrer");
    // The page still works under that policy: client components hydrated.
    await page.getByTestId("user-menu").click();
    await expect(page.getByRole("menu")).toBeVisible();
  });

  test("[SHELL]: the menus work from the keyboard", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.getByTestId("user-menu").focus();
    await page.keyboard.press("Enter");
    // The first item has the focus; arrows and End move, as the WAI-ARIA menu pattern has it.
    await expect(page.getByRole("menuitemradio", { name: "System" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitemradio", { name: "Light" })).toBeFocused();
    await page.keyboard.press("End");
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toBeHidden();
    await expect(page.getByTestId("user-menu")).toBeFocused();
  });

  test("[SHELL]: screenshots of every page at laptop size", async ({ page }) => {
    mkdirSync("test-results/screens", { recursive: true });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto("/signin");
    await page.screenshot({ path: "test-results/screens/signin.png" });
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    for (const [path, name] of [
      ["/", "home"],
      ["/accounts", "accounts"],
      ["/roles", "roles"],
      ["/audit", "audit"],
      ["/users", "users"],
      ["/settings", "settings"],
    ] as const) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
      await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
    }
  });
});
