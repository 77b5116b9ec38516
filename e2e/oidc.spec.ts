import type { Page } from "@playwright/test";
import { expect, formAlert, test } from "./fixtures";

/** Through the console's SSO button to the provider's login form and back. */
async function signInWithSso(page: Page, login: string, path = "/") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_OIDC_ISSUER}/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test.describe("single sign-on with a local OpenID provider", () => {
  test("[OIDC]: a member of the admins group signs in as an administrator", async ({ page, baseURL }) => {
    await signInWithSso(page, "olivia.admin", "/users");
    await expect(page).toHaveURL(`${baseURL}/users`);
    await expect(page.getByTestId("user-row-olivia.admin@idp.example")).toContainText("Single sign-on");
    await page.getByTestId("user-menu").click();
    await expect(page.getByTestId("console-role")).toHaveText("Administrator");
  });

  test("[OIDC]: a member of the sre group signs in as an operator", async ({ page, baseURL }) => {
    await signInWithSso(page, "otto.operator");
    await expect(page).toHaveURL(`${baseURL}/`);
    await expect(page.getByRole("heading", { name: "Welcome, Otto" })).toBeVisible();
    await page.getByTestId("user-menu").click();
    await expect(page.getByTestId("console-role")).toHaveText("Operator");
    expect((await page.goto("/users"))?.status()).toBe(403);
    const me = (await (await page.context().request.get("/api/v1/me")).json()) as { role: string; authProvider: string };
    expect(me).toMatchObject({ role: "operator", authProvider: "oidc" });
  });

  test("[OIDC]: someone in no mapped group is refused with a clear message", async ({ page }) => {
    await signInWithSso(page, "nora.nobody");
    await expect(page).toHaveURL(/\/signin\?error=no_role/);
    await expect(formAlert(page)).toHaveText(
      "Your identity provider account is not in any group that gives access to this console. Ask an administrator to add you to one.",
    );
    expect((await page.context().request.get("/api/v1/me")).status()).toBe(401);
  });
});
