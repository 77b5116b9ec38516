import { attemptSignIn, createUser, expect, formAlert, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";

test.describe("sign-in", () => {
  test("[AUTH]: the administrator signs in and sees the console", async ({ page }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Accounts", "Roles", "Grants", /^Requests/, "Sessions", "Audit", "Users", "Settings"]);
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

  test("[AUTH]: after repeated wrong passwords each attempt waits longer (1 s, 2 s, 4 s…), the page says so, and an administrator can clear it", async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(admin);
    const email = uniqueEmail("locky");
    const user = await createUser(admin, { email, name: "Locky", password: "the-right-password", role: "operator" });
    // Eight wrong passwords through the sign-in endpoint; from the fifth on, the next attempt
    // must wait (1 s, 2 s, 4 s), and an attempt made during a wait is refused unhashed with 429.
    const guesser = await playwright.request.newContext({ baseURL });
    let failures = 0;
    let refusals = 0;
    while (failures < 8) {
      const csrf = ((await (await guesser.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
      const res = await guesser.post("/api/auth/callback/credentials", { form: { csrfToken: csrf, email, password: `wrong-${failures}`, json: "true" }, maxRedirects: 0 });
      if (res.status() === 429) {
        refusals++;
        const wait = Number(res.headers()["retry-after"]);
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(wait).toBeLessThanOrEqual(8);
        await new Promise((r) => setTimeout(r, wait * 1000));
      } else {
        failures++;
      }
    }
    expect(refusals).toBeGreaterThan(0);
    await guesser.dispose();
    // Now an 8-second wait: even the right password is refused, and the page says how long.
    await attemptSignIn(page, email, "the-right-password");
    await expect(formAlert(page)).toContainText("Too many sign-in attempts. Wait");
    const users = (await (await admin.get("/api/v1/users")).json()) as { users: Array<{ email: string; lockedUntil: string | null }> };
    expect(users.users.find((u) => u.email === email)?.lockedUntil).toBeTruthy();
    // The administrator clears it; the right password works at once.
    expect((await admin.post(`/api/v1/users/${user.id}/clear-sign-in-lock`)).status()).toBe(200);
    await signInWithForm(page, email, "the-right-password");
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

test.describe("redirects after sign-in", () => {
  test("[AUTH]: a signed-in visit to /signin never redirects off the console, dot segments included", async ({ page, baseURL }) => {
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    for (const vector of ["/.//evil.example", "/x/..//evil.example", "/%2e//evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
      const res = await page.context().request.get(`/signin?callbackUrl=${encodeURIComponent(vector)}`, { maxRedirects: 0 });
      expect(res.status(), vector).toBe(307);
      const location = res.headers().location!;
      expect(location, vector).not.toMatch(/^\/[/\\]/);
      expect(new URL(location, baseURL).origin, vector).toBe(new URL(baseURL!).origin);
    }
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
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "You are not signed in, or your console session has ended. Sign in again.", requestId: expect.any(String) } });
  });

  test("[AUTH]: signing in through the credentials endpoint works for API clients", async ({ request }) => {
    await signInWithApi(request, ADMIN.email, ADMIN.password);
    const me = (await (await request.get("/api/v1/me")).json()) as { email: string; role: string };
    expect(me).toMatchObject({ email: ADMIN.email, role: "admin" });
  });
});
