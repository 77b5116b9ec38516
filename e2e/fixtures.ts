import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN } from "./support/accounts";

export { expect };

export const test = base.extend({
  // The console's address is only known once global setup has started it. (Playwright's
  // fixture callback is conventionally named `use`; it is not a React hook.)
  baseURL: async ({}, provide) => {
    await provide(process.env.E2E_BASE_URL);
  },
});

/** Our own alerts (Next.js's route announcer is also role=alert, outside <main>). */
export const formAlert = (page: Page) => page.locator("main").getByRole("alert");

/** Fills and submits the sign-in form the way a person does, without assuming it works. */
export async function attemptSignIn(page: Page, email: string, password: string, path = "/") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in through the form and waits until the console has taken us where we were going. */
export async function signInWithForm(page: Page, email: string, password: string, path = "/") {
  await attemptSignIn(page, email, password, path);
  await page.waitForURL((url) => url.pathname !== "/signin", { timeout: 15_000 });
}

/** Signs in through next-auth's credentials endpoint with its CSRF token (no UI), leaving the
 * session cookie in the request context (and its browser context). */
export async function signInWithApi(request: APIRequestContext, email: string, password: string): Promise<void> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
  const me = await request.get("/api/v1/me");
  expect(me.status(), `signing in ${email}`).toBe(200);
}

export const signInAsAdmin = (request: APIRequestContext) => signInWithApi(request, ADMIN.email, ADMIN.password);

export async function createUser(adminRequest: APIRequestContext, user: { email: string; name: string; password: string; role: "admin" | "operator" | "auditor" }) {
  const res = await adminRequest.post("/api/v1/users", { data: user });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { user: { id: string; email: string } }).user;
}

/** The sandbox's Production, Development and Operations accounts in the registry (another spec
 * may have registered or imported them already), through the signed-in request context. */
export async function ensureSandboxAccounts(request: APIRequestContext) {
  for (const [accountId, name] of [
    ["111111111111", "Production"],
    ["222222222222", "Development"],
    ["333333333333", "Operations"],
  ]) {
    const res = await request.post("/api/v1/accounts", { data: { accountId, name } });
    expect([201, 409]).toContain(res.status());
  }
}
