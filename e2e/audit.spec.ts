// The audit log reads as words: plain labels for actions (with the code beside them), ARNs short
// with the full value on hover and copy, registered accounts to pick from, and a bad filter named
// at its field while the table and the exports stay.
import { expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";
import { ensureAccount, PRODUCTION, registeredRoleId } from "./support/scenario";

test("[AUDIT]: actions in words, short ARNs that copy in full, an account picker, and a bad filter that keeps the table", async ({ page, context, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  // An event of our own to find: a test of the role (its target is the role's ARN).
  const tested = await admin.post(`/api/v1/roles/${roleId}/test`);
  expect(tested.status(), await tested.text()).toBe(200);
  await admin.dispose();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });

  await signInWithForm(page, ADMIN.email, ADMIN.password, `/audit?action=role.test&account=${PRODUCTION}`);
  const rows = page.getByTestId("audit-rows");
  const row = rows.locator("tr").first();
  await expect(row).toContainText("Tested a role");
  await expect(row).toContainText("role.test");
  const arn = row.locator('abbr[title="arn:aws:iam::111111111111:role/ReadOnly"]');
  await expect(arn).toHaveText("role/ReadOnly");
  await expect(row).toContainText(PRODUCTION);
  await row.getByRole("button", { name: "Copy the ARN arn:aws:iam::111111111111:role/ReadOnly" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("arn:aws:iam::111111111111:role/ReadOnly");

  // The filters show what they filter by: actions by name, accounts from the registry.
  await expect(page.getByLabel("Action")).toHaveValue("role.test");
  await expect(page.getByLabel("Action").locator("option:checked")).toHaveText("Tested a role");
  await expect(page.getByLabel("AWS account").locator("option:checked")).toHaveText(/\(111111111111\)$/);

  // A bad filter: named at its field; the rest still filter the table, and the exports stay.
  await page.goto("/audit?action=role.test&account=12345");
  await expect(page.locator("#audit-account-error")).toHaveText("Account must be a 12-digit AWS account id");
  await expect(page.getByLabel("AWS account")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("status").filter({ hasText: "One filter was not applied" })).toBeVisible();
  await expect(rows.locator("tr").first()).toContainText("Tested a role");
  const csv = page.getByRole("link", { name: "Export CSV" });
  await expect(csv).toBeVisible();
  expect(await csv.getAttribute("href")).toBe("/api/v1/audit-events?action=role.test&format=csv");
});
