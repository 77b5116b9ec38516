// The Active sessions view, end to end: an operator gets credentials through the API, an
// administrator sees that session on /sessions (person, role, kind, expiry, Active), revokes the
// person's sessions in the role (through the API, then through the row's own button for a second
// operator), and the rows say Revoked. The operator sees only their own sessions. Screenshots at
// phone and laptop width go to test-results/screens.
import { mkdirSync } from "node:fs";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { ensureAccount, grant, PRODUCTION, registeredRoleId } from "./support/scenario";

const PASSWORD = "active-sessions-operator-pass";

type ActiveSessionsAnswer = { scope: string; sessions: Array<{ person: { email: string }; role: { id: string; label: string }; kind: string; revoked: unknown }> };

async function shoot(page: Page, name: string) {
  mkdirSync("test-results/screens", { recursive: true });
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screens/active-sessions-${name}-${width}.png`, fullPage: true });
  }
}

/** A new operator granted the role, signed in through `api`, holding credentials for it. */
async function operatorWithCredentials(admin: APIRequestContext, api: APIRequestContext, roleId: string, prefix: string): Promise<string> {
  const email = uniqueEmail(prefix);
  await createUser(admin, { email, name: prefix, password: PASSWORD, role: "operator" });
  await grant(admin, roleId, email);
  await signInWithApi(api, email, PASSWORD);
  const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(res.status(), await res.text()).toBe(200);
  return email;
}

test("[SESSIONS]: an admin sees an operator's live session, revokes it, and the row says Revoked", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const apis = [await playwright.request.newContext({ baseURL }), await playwright.request.newContext({ baseURL })] as const;
  const first = await operatorWithCredentials(admin, apis[0], roleId, "sam.sessions");
  const second = await operatorWithCredentials(admin, apis[1], roleId, "uma.sessions");

  // The operator sees their own session, and nobody else's.
  const own = await apis[0].get("/api/v1/sessions/active");
  expect(own.status()).toBe(200);
  const ownBody = (await own.json()) as ActiveSessionsAnswer;
  expect(ownBody.scope).toBe("own");
  expect(ownBody.sessions.map((s) => s.person.email)).toEqual([first]);
  expect(ownBody.sessions[0]).toMatchObject({ role: { id: roleId }, kind: "credentials", revoked: null });

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/sessions");
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" })).toHaveAttribute("aria-current", "page");
  const rowOf = (email: string) => page.getByTestId("session-row").filter({ hasText: email });
  const row = rowOf(first);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("ReadOnly");
  await expect(row).toContainText(`Production · ${PRODUCTION}`);
  await expect(row).toContainText("Credentials");
  await expect(row).toContainText(/in \d+ (h|min)/);
  await expect(row).toContainText("Active");

  // The filter narrows the list to one person.
  await page.getByLabel("Filter by person, role or account").fill(first);
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await shoot(page, "active");
  await page.setViewportSize({ width: 1440, height: 900 });

  // Revoked through the API: the row says so on the next load.
  const revoked = await admin.post(`/api/v1/roles/${roleId}/revoke-sessions`, { data: { userEmail: first } });
  expect(revoked.status(), await revoked.text()).toBe(200);
  await page.reload();
  await page.getByLabel("Filter by person, role or account").fill(first);
  await expect(row).toContainText("Revoked");
  await expect(row).toContainText(`by ${ADMIN.email}`);
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  // The other operator's session in the same role is untouched.
  await page.getByLabel("Filter by person, role or account").fill(second);
  await expect(rowOf(second)).toContainText("Active");

  // Revoked through the row's own button: one click arms it, the second confirms.
  await rowOf(second).getByRole("button", { name: `Revoke ${second}'s sessions in ReadOnly` }).click();
  await rowOf(second).getByRole("button", { name: `Revoke ${second}'s sessions in this role` }).click();
  await expect(page.locator("main").getByRole("status").filter({ hasText: `Sessions of ${second}` })).toBeVisible();
  await expect(rowOf(second)).toContainText("Revoked");
  await page.getByLabel("Filter by person, role or account").fill("");
  await shoot(page, "revoked");

  // The operator's page shows only their own session, now revoked.
  const operatorPage = await page.context().browser()!.newPage({ baseURL });
  await signInWithForm(operatorPage, first, PASSWORD, "/sessions");
  await expect(operatorPage.getByRole("heading", { name: "Active sessions" })).toBeVisible();
  await expect(operatorPage.getByTestId("session-row")).toHaveCount(1);
  await expect(operatorPage.getByTestId("session-row")).toContainText("Revoked");
  await expect(operatorPage.getByTestId("session-row")).not.toContainText(first);
  await operatorPage.close();

  for (const api of apis) await api.dispose();
  await admin.dispose();
});
