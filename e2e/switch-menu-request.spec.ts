// The Switch Role menu lists the roles a person may ask for (issue 15 §2.1): an administrator
// makes an operator eligible for a role entry; the operator, who may use nothing yet, opens the
// menu with Ctrl+K, is told they can ask, types part of the role's name and finds it under "Ask
// for access" (greyed, named for a screen reader as a request); Enter lands on the Requests page
// with the request dialog for that role open; once sent, the menu's row says "Requested" and leads
// to their requests. Once granted, the entry shows once, as usable, above what is still to ask
// for. The open menu is axe-clean and drawn at 390 and 1440 px in both themes.
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { AXE_TAGS } from "./support/a11y";
import { uniqueEmail } from "./support/accounts";
import { PRODUCTION, ensureAccount, registeredRoleId } from "./support/scenario";
import { screenPath } from "./support/screens";

test.describe.configure({ timeout: 120_000 });

const PASSWORD = "menu-request-password";

/** axe-core over the open menu (the header's panel, which the page checks leave to the header). */
async function expectMenuAccessible(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).include('[data-testid="switch-menu"]').withTags(AXE_TAGS).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  expect(found, `axe: ${state}`).toEqual([]);
}

async function openMenu(page: Page) {
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("switch-menu-list")).toBeVisible();
}

test("[MENU-REQUEST]: an eligible operator finds the role under Ask for access, Enter opens its request, and the row then says Requested", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const tag = randomBytes(3).toString("hex");
  const roleName = `AskMenu${tag}`;
  const roleId = await registeredRoleId(admin, PRODUCTION, roleName);
  const otherName = `${roleName}Ops`;
  const otherId = await registeredRoleId(admin, PRODUCTION, otherName);
  const email = uniqueEmail("mona.menu");
  await createUser(admin, { email, name: "Mona Menu", password: PASSWORD, role: "operator" });
  for (const id of [roleId, otherId]) {
    const eligible = await admin.put(`/api/v1/roles/${id}/eligibility`, { data: { userEmails: [email], groups: [], policy: { maxDurationSeconds: 3600 } } });
    expect(eligible.status(), await eligible.text()).toBe(200);
  }

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInWithForm(page, email, PASSWORD, "/");
  await openMenu(page);
  // Nothing usable, something to ask for: not the "no roles" empty state.
  await expect(page.getByTestId("switch-menu-empty")).toHaveCount(0);
  await expect(page.getByTestId("switch-menu-only-requestable")).toContainText("You can ask for the 2 below");

  await page.getByTestId("switch-menu-search").fill(tag.toUpperCase());
  const group = page.getByTestId("switch-menu-list").getByRole("group", { name: "Ask for access" });
  const option = group.getByRole("option", { name: `Request Production / ${roleName} — you need approval` });
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expect(option).toContainText("On request");
  // Its one action is to ask: no console, credentials or pin.
  const actions = page.getByTestId("switch-menu-row-actions");
  await expect(actions.getByRole("link", { name: `Request ${roleName}` })).toHaveAttribute("href", `/requests?ask=${roleId}`);
  await expect(actions.getByRole("button")).toHaveCount(0);
  await expect(group.getByRole("option")).toHaveCount(2);
  await expect(page.getByTestId("switch-menu")).toContainText("2 roles in 1 group");

  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await expect(option).toBeVisible();
      await expectMenuAccessible(page, `menu with a requestable role ${width} ${theme}`);
      await page.screenshot({ path: screenPath(`switch-menu-request-${width}-${theme}`) });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Enter: to the Requests page, the dialog for that role open.
  await page.getByTestId("switch-menu-search").press("Enter");
  await expect(page).toHaveURL(new RegExp(`/requests\\?ask=${roleId}$`));
  await expect(page.getByTestId("switch-menu")).toBeHidden();
  const dialog = page.getByRole("dialog").filter({ hasText: roleName });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Why you need it/).fill("Checking the read replica for INC-815");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByText(new RegExp(`Your request for Production / ${roleName} is sent`))).toBeVisible();

  // The menu, opened again, says it is requested, and leads to their requests.
  await openMenu(page);
  await page.getByTestId("switch-menu-search").fill(roleName);
  const requested = page.getByRole("option", { name: `Requested Production / ${roleName} — waiting for approval` });
  await expect(requested).toBeVisible();
  await expect(requested).toContainText("Requested");
  await expect(page.getByTestId("switch-menu-row-actions").getByRole("link", { name: `See your request for ${roleName}` })).toHaveAttribute("href", "/requests?tab=mine");
  await expectMenuAccessible(page, "menu with a requested role");
  await page.screenshot({ path: screenPath("switch-menu-requested-1440-light") });
  await page.getByTestId("switch-menu-search").press("Enter");
  await expect(page).toHaveURL(/\/requests\?tab=mine$/);
  await expect(page.getByRole("tab", { name: /Your requests/ })).toHaveAttribute("aria-selected", "true");

  // Granted (and still eligible): listed once, as usable, above what is still to ask for.
  const granted = await admin.post("/api/v1/grants", { data: { roleId, userEmail: email } });
  expect(granted.status(), await granted.text()).toBe(201);
  await page.reload();
  await openMenu(page);
  await expect(page.getByTestId("switch-menu-only-requestable")).toHaveCount(0);
  await page.getByTestId("switch-menu-search").fill(tag);
  const list = page.getByTestId("switch-menu-list");
  await expect(list.locator(`[data-role-id="${roleId}"]`)).toHaveCount(1);
  await expect(list.getByTestId("switch-menu-role").filter({ hasText: roleName })).toHaveAttribute("data-role-id", roleId);
  await expect(group.getByRole("option")).toHaveCount(1);
  await expect(group.getByRole("option", { name: `Request Production / ${otherName} — you need approval` })).toBeVisible();
  await page.getByTestId("switch-menu-search").press("End");
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await expectMenuAccessible(page, `menu with usable and requestable roles ${width} ${theme}`);
      await page.screenshot({ path: screenPath(`switch-menu-request-mixed-${width}-${theme}`) });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await admin.dispose();
});
