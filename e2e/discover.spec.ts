// Discover in real Chromium against the sandbox: a row whose trust policy requires an ExternalId
// asks for it inline and is chosen by typing it; a row that does not trust the console is left
// unticked with who it trusts instead; full-admin roles carry a badge; a role registered with its
// inline ExternalId then tests fine, and its entry shows the role's own maximum session.
// The test makes its own sandbox account and roles, so it passes alone and in any order.
import { expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";
import { sandbox } from "./support/sandbox";
import { createUnregisteredRole } from "./support/scenario";
import { shootDialog } from "./support/dialog-shots";

const EXTERNAL_ID = "discover-e2e-5b1f9c";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const newAccountId = () => `96${String(Date.now()).slice(-10)}`;

test("[DISCOVER]: ExternalId inline, not-trusted rows unticked with their reason, full-admin badges; the registered role tests fine", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const suffix = unique();
  const account = { id: newAccountId(), name: `Discover ${suffix}` };
  const names = { external: `Vendor-${suffix}`, jenkins: `Deployer-${suffix}`, admin: `Admin-${suffix}`, readOnly: `Reader-${suffix}` };
  await sandbox.addAccount(account.id, account.name);
  const api = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(api);
  expect((await api.post("/api/v1/accounts", { data: { accountId: account.id, name: account.name } })).status()).toBe(201);
  await createUnregisteredRole(api, account.id, names.external, { entities: [{ kind: "broker" }], conditions: { externalId: EXTERNAL_ID } }, { description: "Discover spec", maxSessionDuration: 7200 });
  await createUnregisteredRole(api, account.id, names.jenkins, { entities: [{ kind: "account", accountId: "222222222222" }], conditions: {} }, { description: "Discover spec" });
  await createUnregisteredRole(api, account.id, names.admin, { entities: [{ kind: "broker" }], conditions: {} }, { description: "Discover spec", managed: "arn:aws:iam::aws:policy/AdministratorAccess" });
  await createUnregisteredRole(api, account.id, names.readOnly, { entities: [{ kind: "broker" }], conditions: {} }, { description: "Discover spec" });
  await api.dispose();

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await expect(page.getByRole("link", { name: "Create a new IAM role" })).toBeVisible();
  await page.getByRole("button", { name: /^Discover/ }).click();
  const dialog = page.getByRole("dialog", { name: /Discover/ });
  await dialog.getByLabel("Account").selectOption(account.id);
  const row = (name: string) => dialog.getByTestId(`discovered-${name}`);
  const box = (name: string) => row(name).getByRole("checkbox", { name, exact: true });
  await expect(row(names.readOnly)).toBeVisible({ timeout: 15_000 });

  // A role that trusts the console as it is: chosen at once.
  await expect(row(names.readOnly)).toContainText("Console trusted");
  await expect(box(names.readOnly)).toBeChecked();

  // Not trusted: left unticked, saying whom it trusts instead.
  await expect(row(names.jenkins)).toContainText("Not trusted by the console");
  await expect(box(names.jenkins)).not.toBeChecked();
  await expect(row(names.jenkins)).toContainText("Trusts today: account 222222222222");
  await expect(dialog.getByTestId(`discovered-${names.jenkins}-reason`)).toHaveText(
    /^Not trusted by the console \(arn:aws:iam::333333333333:user\/switchboard\): the role trusts only account 222222222222( \(Development\))?\. Add the console to its trust policy before registering it\.$/,
  );
  await expect(box(names.jenkins)).toHaveAccessibleDescription(/trusts only account 222222222222/);

  // Full administrators: AWS Organizations' role by its name, another by AdministratorAccess.
  for (const name of ["OrganizationAccountAccessRole", names.admin]) {
    await expect(row(name).getByText("Full admin", { exact: true })).toBeVisible();
    await expect(box(name)).not.toBeChecked();
  }
  await expect(row(names.admin)).toContainText("The AdministratorAccess managed policy is attached");
  await expect(row(names.readOnly).getByText("Full admin", { exact: true })).toHaveCount(0);

  // The ExternalId row asks for it, and cannot be chosen without it.
  await expect(row(names.external)).toContainText("Needs ExternalId");
  await expect(box(names.external)).toBeDisabled();
  const externalId = row(names.external).getByLabel(`ExternalId for ${names.external} (its trust policy requires one)`);
  await externalId.fill("has space");
  await expect(row(names.external)).toContainText("no spaces");
  await expect(box(names.external)).toBeDisabled();
  await shootDialog(page, dialog, "discover-rows");
  await externalId.fill(EXTERNAL_ID);
  await expect(box(names.external)).toBeEnabled();
  await expect(box(names.external)).toBeChecked();
  await expect(dialog.getByRole("button", { name: "Register 2 roles" })).toBeVisible();

  // Only the role with the ExternalId, so that its own Test is what shows.
  await box(names.readOnly).uncheck();
  await dialog.getByRole("button", { name: "Register 1 role" }).click();
  await expect(dialog).toBeHidden();
  const entry = page.getByTestId(`role-row-${names.external}`);
  await expect(entry).toBeVisible();
  await expect(entry).toContainText("ExternalId");
  await expect(entry).toContainText("role max 2 h");
  await entry.getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId(`test-result-${names.external}`)).toContainText(`The console can switch into ${names.external}`);

  // Its session length says what the role allows, as IAM reported it.
  await entry.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: /Edit/ });
  await expect(edit.getByTestId("role-duration-hint")).toContainText("This role allows sessions of up to 2 h");
  await edit.getByLabel("Session duration hours").fill("3");
  await expect(edit).toContainText("More than this role allows: its maximum session duration in IAM is 2 h");
  await edit.getByRole("button", { name: "Cancel" }).click();

  // Discover again: it is in the catalog now, and the others are as they were.
  await page.getByRole("button", { name: /^Discover/ }).click();
  await dialog.getByLabel("Account").selectOption(account.id);
  await expect(row(names.external)).toContainText("In the catalog");
  await expect(box(names.jenkins)).not.toBeChecked();
});
