// The Grants page: many roles to many people at once, filters in the address, removal in bulk
// with the offer to end live sessions; the Users page's granted-roles panel and "Grant roles now".
// Everything is created per test (people with unique emails), so each test passes alone and in
// any order.
import type { APIRequestContext } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { ensureAccount, PRODUCTION, registeredRoleId, TEST_ACCOUNT } from "./support/scenario";

const PASSWORD = "grants-operator-password";

async function menuRoleIds(request: APIRequestContext): Promise<string[]> {
  const res = await request.get("/api/v1/me/menu");
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { roles: Array<{ id: string }> }).roles.map((r) => r.id);
}

test("[GRANTS]: an admin grants two roles to two people at once, finds one person's grants, and removes them in bulk, ending their sessions", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  await ensureAccount(admin, TEST_ACCOUNT, "Test");
  const readOnly = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const testers = await registeredRoleId(admin, TEST_ACCOUNT, "DevelopmentTesters");
  const [gina, hugo] = [uniqueEmail("gina.grants"), uniqueEmail("hugo.grants")];
  await createUser(admin, { email: gina, name: "Gina Grants", password: PASSWORD, role: "operator" });
  await createUser(admin, { email: hugo, name: "Hugo Grants", password: PASSWORD, role: "operator" });

  // A link with ?grant= opens the form with that person chosen.
  await signInWithForm(page, ADMIN.email, ADMIN.password, `/grants?grant=${encodeURIComponent(gina)}`);
  const form = page.getByRole("form", { name: "Grant roles" });
  await expect(form.getByRole("checkbox", { name: `Gina Grants (${gina})` })).toBeChecked();
  await form.getByRole("checkbox", { name: `Hugo Grants (${hugo})` }).check();
  await form.getByRole("searchbox", { name: "Find roles" }).fill("ReadOnly");
  await form.getByRole("checkbox", { name: "ReadOnly in Production (111111111111)" }).check();
  await form.getByRole("searchbox", { name: "Find roles" }).fill("DevelopmentTesters");
  await form.getByRole("checkbox", { name: "DevelopmentTesters in Test (444444444444)" }).check();
  await expect(form).toContainText("2 roles × 2 people or groups = 4 grants");
  await form.getByRole("button", { name: "Grant 4 grants" }).click();
  await expect(page.locator("main").getByRole("status").first()).toHaveText("Made 4 new grants.");

  // Each person now has both roles in their menu.
  const ginaRequest = await playwright.request.newContext({ baseURL });
  await signInWithApi(ginaRequest, gina, PASSWORD);
  expect((await menuRoleIds(ginaRequest)).sort()).toEqual([readOnly, testers].sort());

  // Granting the same again is harmless and says so.
  await form.getByRole("checkbox", { name: `Gina Grants (${gina})` }).check();
  await form.getByRole("searchbox", { name: "Find roles" }).fill("ReadOnly");
  await form.getByRole("checkbox", { name: "ReadOnly in Production (111111111111)" }).check();
  await form.getByRole("button", { name: "Grant 1 grant" }).click();
  await expect(page.locator("main").getByRole("status").first()).toHaveText("Nothing new to grant. 1 pair was granted already and left as they were.");

  // Gina holds live credentials in ReadOnly before her grants go.
  const switched = await ginaRequest.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } });
  expect(switched.status(), await switched.text()).toBe(200);

  // Her grants only, through the person filter (kept in the address).
  await page.getByLabel("Person or group").selectOption(`user:${gina}`);
  await expect(page).toHaveURL(new RegExp(`[?&]user=${encodeURIComponent(gina).replace(/\./g, "\\.")}`));
  await expect(page.getByRole("heading", { name: /^2 grants of \d+$/ })).toBeVisible();
  await page.getByRole("checkbox", { name: "Select all 2 shown" }).check();
  await page.getByRole("button", { name: "Remove 2 grants" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove 2 grants?" });
  await expect(dialog.getByRole("list", { name: "Grants to remove" }).getByRole("listitem")).toHaveCount(2);
  await expect(dialog.getByRole("checkbox", { name: /Also end their live sessions/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Remove 2 grants" }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.locator("main").getByRole("status").first()).toHaveText("Removed 2 grants. Their live sessions in those roles that started before now are denied every action.");
  await expect(page.getByRole("heading", { name: "No grants match these filters" })).toBeVisible();

  // Gina lost both; Hugo kept his.
  expect(await menuRoleIds(ginaRequest)).toEqual([]);
  const hugoRequest = await playwright.request.newContext({ baseURL });
  await signInWithApi(hugoRequest, hugo, PASSWORD);
  expect((await menuRoleIds(hugoRequest)).sort()).toEqual([readOnly, testers].sort());

  // Audited: one grant.delete per grant and a revocation per role, for Gina only.
  const audit = await admin.get(`/api/v1/audit-events?${new URLSearchParams({ action: "session.revoke", actor: ADMIN.email, limit: "50" })}`);
  const { events } = (await audit.json()) as { events: Array<{ outcome: string; target: string | null; details: Record<string, unknown> }> };
  const ginas = events.filter((e) => e.details.person === gina);
  expect(ginas.map((e) => e.target?.split(":role/")[1]).sort()).toEqual(["DevelopmentTesters", "ReadOnly"]);
  expect(ginas.every((e) => e.outcome === "success")).toBe(true);

  // The Users page shows Hugo's roles, with a way to his grants.
  await page.goto("/users");
  await page.getByRole("button", { name: `2 roles granted to ${hugo}: show` }).click();
  const panel = page.getByRole("list", { name: `Roles granted to ${hugo}` });
  await expect(panel.getByRole("listitem")).toHaveText(["ReadOnly Production", "DevelopmentTesters Test"], { useInnerText: true });
  await page.getByRole("link", { name: "Manage their grants" }).click();
  await expect(page).toHaveURL(/\/grants\?user=/);
  // Of however many the console has (no other grants is possible when this test runs first).
  await expect(page.getByRole("heading", { name: /^2 grants( of \d+)?$/ })).toBeVisible();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(3);
  for (const context of [admin, ginaRequest, hugoRequest]) await context.dispose();
});

test("[GRANTS]: after adding a person, Grant roles now opens the Grants page with them chosen; operators are refused it", async ({ page, playwright, baseURL }) => {
  const email = uniqueEmail("nora.new");
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a user" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Nora New");
  await dialog.getByLabel("Console role").selectOption("operator");
  await dialog.getByLabel("Initial password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Add user" }).click();
  await page.getByRole("link", { name: "Grant roles now" }).click();
  await expect(page).toHaveURL(/\/grants\?grant=/);
  await expect(page.getByRole("form", { name: "Grant roles" }).getByRole("checkbox", { name: `Nora New (${email})` })).toBeChecked();

  // Nobody but those who manage grants gets the page or its API.
  const nora = await playwright.request.newContext({ baseURL });
  await signInWithApi(nora, email, PASSWORD);
  expect((await nora.get("/grants")).status()).toBe(403);
  for (const [path, data] of [
    ["/api/v1/grants/batch", { roleIds: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], userEmails: [email] }],
    ["/api/v1/grants/batch-delete", { ids: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"] }],
  ] as const) {
    const res = await nora.post(path, { data });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Your console role (operator) does not allow this (grants.manage).");
  }
  await nora.dispose();
});
