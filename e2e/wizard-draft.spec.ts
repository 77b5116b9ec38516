// The role wizard keeps a draft: going back, reloading or coming back later loses nothing, and
// on a shared browser one administrator's draft never opens in another's wizard.
import { ensureSandboxAccounts, expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";

const ROLE = `DraftKept_${Date.now().toString(36)}`;

test("[WIZARD-DRAFT]: back, reload and a second admin on the same browser", async ({ page, context }) => {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles/new");
  await ensureSandboxAccounts(context.request);
  await page.reload();

  // Step 1, then step 2 with another account trusted.
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(ROLE);
  await page.getByLabel("Description (optional)").fill("Kept across reloads");
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("wizard-step-2")).toBeVisible();
  await page.getByRole("button", { name: "AWS account" }).click();
  await page.getByLabel("Account ID").fill("222222222222");

  // A reload comes back on step 2 with the entity, and says the draft is back.
  await page.reload();
  await expect(page.getByTestId("wizard-step-2")).toBeVisible();
  await expect(page.getByText("Your draft from earlier is back.")).toBeVisible();
  await expect(page.getByLabel("Account ID")).toHaveValue("222222222222");

  // Back to step 1: nothing lost.
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue(ROLE);
  await expect(page.getByLabel("Description (optional)")).toHaveValue("Kept across reloads");

  // Another administrator signs in on the same browser: an empty wizard, not the first one's draft.
  const other = { email: uniqueEmail("second-admin"), name: "Second Admin", password: "second-admin-password-1", role: "admin" as const };
  expect((await context.request.post("/api/v1/users", { data: other })).status()).toBe(201);
  await context.clearCookies();
  await signInWithForm(page, other.email, other.password, "/roles/new");
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue("");
  await expect(page.getByText("Your draft from earlier is back.")).toHaveCount(0);

  // The first administrator's draft is still there for them.
  await context.clearCookies();
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles/new");
  await expect(page.getByText("Your draft from earlier is back.")).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue(ROLE);

  // Start over discards it, after asking.
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("dialog").getByRole("button", { name: /Start over|Discard/ }).click();
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue("");
  await page.reload();
  await expect(page.getByLabel("Role name")).toHaveValue("");
});
