import { attemptSignIn, createUser, expect, formAlert, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";

test.describe("sign-in", () => {
  test("[AUTH]: the administrator signs in and sees the console", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Accounts", "Roles", "Audit", "Users", "Settings"]);
    await expect(page.getByRole("button", { name: "Switch role" })).toBeVisible();
    await expect(page.getByTestId("sandbox-badge")).toBeVisible();
    await page.getByTestId("user-menu").click();
    await expect(page.getByRole("menu")).toContainText(ADMIN.email);
    await expect(page.getByTestId("console-role")).toHaveText("Administrator");
  });

  test("[AUTH]: a wrong password gets a clear message", async ({ page }) => {
    await attemptSignIn(page, ADMIN.email, "not-the-password");
    await expect(formAlert(page)).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("[AUTH]: an unknown email gets the same message as a wrong password", async ({ page }) => {
    await attemptSignIn(page, uniqueEmail("nobody"), "whatever-password");
    await expect(formAlert(page)).toHaveText("Wrong email or password.");
  });

  test("[AUTH]: after five wrong passwords the account is locked, and the sixth attempt says so", async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(admin);
    const email = uniqueEmail("locky");
    await createUser(admin, { email, name: "Locky", password: "the-right-password", role: "operator" });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await attemptSignIn(page, email, `wrong-password-${attempt}`);
      await expect(formAlert(page)).toHaveText("Wrong email or password.");
    }
    // Even the right password is refused while the lock lasts.
    await attemptSignIn(page, email, "the-right-password");
    await expect(formAlert(page)).toContainText("Too many failed sign-ins: this account is locked for 15 minutes");
    const users = (await (await admin.get("/api/v1/users")).json()) as { users: Array<{ email: string; lockedUntil: string | null }> };
    expect(users.users.find((u) => u.email === email)?.lockedUntil).toBeTruthy();
    await admin.dispose();
  });

  test("[AUTH]: a callbackUrl pointing off the console is ignored", async ({ page, baseURL }) => {
    await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2Fsteal");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/`);
  });
});

test.describe("signed out", () => {
  const pages = ["/", "/accounts", "/roles", "/audit?outcome=failure", "/users", "/settings"];

  test("[AUTH]: every page sends a signed-out visitor to sign in, and back there afterwards", async ({ page, baseURL }) => {
    for (const path of pages) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
      expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(path);
    }
    // Sign in from the last one and land where we were going.
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/settings`);
    await page.goto("/signin?callbackUrl=%2Faudit%3Foutcome%3Dfailure");
    await expect(page).toHaveURL(`${baseURL}/audit?outcome=failure`);
  });

  test("[AUTH]: signing out ends the session, and its cookie no longer works", async ({ page, browser, baseURL }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password, "/settings");
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
    const cookies = await page.context().cookies();
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/users");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fusers/);

    // Replaying the old session cookie after sign-out: refused by every entry point.
    const replay = await browser.newContext({ baseURL });
    await replay.addCookies(cookies);
    expect((await replay.request.get("/api/v1/me")).status()).toBe(401);
    const replayPage = await replay.newPage();
    await replayPage.goto("/users");
    await expect(replayPage).toHaveURL(/\/signin/);
    await replay.close();
  });

  test("[AUTH]: the one-time setup page does not exist once there are users", async ({ page }) => {
    const res = await page.goto("/setup");
    expect(res?.status()).toBe(404);
  });

  test("[AUTH]: the API answers 401 with a JSON error when signed out", async ({ request }) => {
    const res = await request.get("/api/v1/users");
    expect(res.status()).toBe(401);
    expect(res.headers()["cache-control"]).toBe("no-store");
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Sign in first: this API uses your console session." } });
  });

  test("[AUTH]: signing in through the credentials endpoint works for API clients", async ({ request }) => {
    await signInWithApi(request, ADMIN.email, ADMIN.password);
    const me = (await (await request.get("/api/v1/me")).json()) as { email: string; role: string };
    expect(me).toMatchObject({ email: ADMIN.email, role: "admin" });
  });
});
