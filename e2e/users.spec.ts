import type { Request } from "@playwright/test";
import { attemptSignIn, createUser, expect, formAlert, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";

test.describe("users and console roles", () => {
  test("[USERS]: an admin creates an operator, who is refused the Users page and its actions", async ({ browser, baseURL }) => {
    const adminContext = await browser.newContext({ baseURL });
    const admin = await adminContext.newPage();
    await signInWithForm(admin, ADMIN.email, ADMIN.password, "/users");
    await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();

    const email = uniqueEmail("oscar");
    const password = "oscar-operator-pass";
    await admin.getByRole("button", { name: "Add user" }).click();
    const dialog = admin.getByRole("dialog", { name: "Add a user" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Name").fill("Oscar Operator");
    await dialog.getByLabel("Console role").selectOption("operator");
    await dialog.getByLabel("Initial password").fill(password);
    // Keep the server action request, to replay it later as the operator.
    const actionRequest = admin.waitForRequest((r: Request) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
    await dialog.getByRole("button", { name: "Add user" }).click();
    const captured = await actionRequest;
    await expect(admin.locator("main").getByRole("status")).toHaveText(`${email} can now sign in. Grant roles now`);
    await expect(admin.getByTestId(`user-row-${email}`)).toContainText("Oscar Operator");

    const operatorContext = await browser.newContext({ baseURL });
    const operator = await operatorContext.newPage();
    await signInWithForm(operator, email, password);
    await expect(operator.getByRole("heading", { name: "Welcome, Oscar" })).toBeVisible();
    await expect(operator.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Accounts", "Roles", "Requests", "Sessions", "Settings"]);

    // The page: 403.
    const response = await operator.goto("/users");
    expect(response?.status()).toBe(403);
    await expect(operator.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

    // The API behind the same operations: 403 with the reason.
    const api = await operatorContext.request.get("/api/v1/users");
    expect(api.status()).toBe(403);
    expect(await api.json()).toEqual({ error: { code: "forbidden", message: "Your console role (operator) does not allow this (users.manage).", requestId: expect.any(String) } });
    const apiCreate = await operatorContext.request.post("/api/v1/users", { data: { email: uniqueEmail("x"), name: "X", password: "long-enough-pass", role: "admin" } });
    expect(apiCreate.status()).toBe(403);

    // The server action itself, replayed with the operator's session: refused, nothing created.
    const replayEmail = uniqueEmail("replayed");
    const body = (captured.postData() ?? "").replace(email, replayEmail);
    const replay = await operatorContext.request.post(captured.url(), {
      headers: {
        "next-action": captured.headers()["next-action"]!,
        "next-router-state-tree": captured.headers()["next-router-state-tree"] ?? "",
        "content-type": captured.headers()["content-type"] ?? "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin: baseURL!,
      },
      data: body,
    });
    const replayText = await replay.text();
    expect(replayText).toContain('"code":"forbidden"');
    const list = (await (await adminContext.request.get("/api/v1/users")).json()) as { users: Array<{ email: string }> };
    expect(list.users.map((u) => u.email)).not.toContain(replayEmail);

    await adminContext.close();
    await operatorContext.close();
  });

  test("[USERS]: disabling an operator ends their open session on the next request", async ({ browser, baseURL, playwright }) => {
    const adminApi = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(adminApi);
    const email = uniqueEmail("dora");
    await createUser(adminApi, { email, name: "Dora Operator", password: "dora-operator-pass", role: "operator" });

    const operatorContext = await browser.newContext({ baseURL });
    const operator = await operatorContext.newPage();
    await signInWithForm(operator, email, "dora-operator-pass", "/settings");
    await expect(operator.getByRole("heading", { name: "Settings" })).toBeVisible();

    const adminContext = await browser.newContext({ baseURL });
    const admin = await adminContext.newPage();
    await signInWithForm(admin, ADMIN.email, ADMIN.password, "/users");
    await admin.getByTestId(`user-row-${email}`).getByRole("button", { name: "Disable" }).click();
    await admin.getByRole("dialog", { name: "Disable this person?" }).getByRole("button", { name: "Disable" }).click();
    await expect(admin.locator("main").getByRole("status")).toHaveText(`${email} is disabled and signed out.`);
    await expect(admin.getByTestId(`user-row-${email}`)).toContainText("Disabled");

    await operator.reload();
    await expect(operator).toHaveURL(/\/signin\?callbackUrl=%2Fsettings/);
    expect((await operatorContext.request.get("/api/v1/me")).status()).toBe(401);
    await attemptSignIn(operator, email, "dora-operator-pass");
    await expect(formAlert(operator)).toHaveText("This account is disabled. Ask an administrator if you need access again.");

    await adminApi.dispose();
    await adminContext.close();
    await operatorContext.close();
  });

  test("[USERS]: a role change takes effect on the next request", async ({ browser, baseURL, playwright }) => {
    const adminApi = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(adminApi);
    const email = uniqueEmail("ravi");
    const user = await createUser(adminApi, { email, name: "Ravi", password: "ravi-operator-pass", role: "operator" });
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signInWithForm(page, email, "ravi-operator-pass");
    expect((await page.goto("/audit"))?.status()).toBe(403);
    const patch = await adminApi.patch(`/api/v1/users/${user.id}`, { data: { role: "auditor" } });
    expect(patch.status()).toBe(200);
    expect((await page.goto("/audit"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await adminApi.dispose();
    await context.close();
  });

  test("[USERS]: resetting a password ends the user's sessions and lifts a lock", async ({ browser, baseURL, playwright }) => {
    const adminApi = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(adminApi);
    const email = uniqueEmail("pat");
    const user = await createUser(adminApi, { email, name: "Pat", password: "pat-first-password", role: "operator" });
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signInWithForm(page, email, "pat-first-password");
    await expect(page.getByRole("heading", { name: "Welcome, Pat" })).toBeVisible();
    expect((await adminApi.patch(`/api/v1/users/${user.id}`, { data: { password: "pat-second-password" } })).status()).toBe(200);
    await page.reload();
    await expect(page).toHaveURL(/\/signin/);
    await attemptSignIn(page, email, "pat-first-password");
    await expect(formAlert(page)).toHaveText("Wrong email or password.");
    await signInWithForm(page, email, "pat-second-password");
    await expect(page.getByRole("heading", { name: "Welcome, Pat" })).toBeVisible();
    await adminApi.dispose();
    await context.close();
  });

  test("[USERS]: the last administrator cannot be disabled or demoted by themselves", async ({ playwright, baseURL }) => {
    const adminApi = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(adminApi);
    const me = (await (await adminApi.get("/api/v1/me")).json()) as { id: string };
    const res = await adminApi.patch(`/api/v1/users/${me.id}`, { data: { disabled: true } });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("You cannot disable yourself");
    await adminApi.dispose();
  });
});
