// A role whose trust policy does not trust the console's broker, end to end in real Chromium
// against the sandbox: the Roles page's Test explains it and "Add this statement for me" fixes it
// (diff first, written through Edit trust's path, audited), after which the Test passes; a failed
// switch lands an operator on a page in the console's own frame with details to copy for an
// administrator (no policy JSON) and leaves the header's "last used" alone; an administrator's
// failed switch shows the explanation and the JSON, and fixes it from there. Each test creates its
// own IAM role with the AWS SDK, so each passes alone and in any order.
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { APIRequest, APIRequestContext, Locator, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { shootBothThemes } from "./support/screens";
import { sandbox, sandboxUrl, sandboxUserKeys } from "./support/sandbox";
import { grant } from "./support/scenario";

/** This spec's own sandbox account, so no other spec's roles or grants are touched. */
const ACCOUNT = "820000000013";
const ACCOUNT_NAME = "Fix Trust Tests";
const BROKER = "arn:aws:iam::333333333333:user/switchboard";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** IAM in the spec's account, as the sandbox's broker user through the account's provisioning
 * role (which trusts the broker's account), exactly as an administrator would with the CLI. */
async function iamInAccount(): Promise<IAMClient> {
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: sandboxUserKeys("switchboard"), maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, RoleSessionName: "fix-trust-spec" }));
  const c = out.Credentials!;
  return new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, maxAttempts: 1 });
}

/** A new IAM role that trusts the Development account and not the console's broker, registered in
 * the console; returns its name, entry id and ARN. */
async function untrustingRole(admin: APIRequestContext): Promise<{ name: string; id: string; arn: string }> {
  await sandbox.addAccount(ACCOUNT, ACCOUNT_NAME);
  const account = await admin.post("/api/v1/accounts", { data: { accountId: ACCOUNT, name: ACCOUNT_NAME } });
  expect([201, 409], await account.text()).toContain(account.status());
  const name = `NotYetTrusted-${unique()}`;
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }] };
  await (await iamInAccount()).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const created = await admin.post("/api/v1/roles", { data: { accountId: ACCOUNT, roleName: name } });
  expect(created.status(), await created.text()).toBe(201);
  const { role } = (await created.json()) as { role: { id: string; roleArn: string } };
  return { name, id: role.id, arn: role.roleArn };
}

async function adminApi(playwright: { request: APIRequest }, baseURL: string | undefined) {
  const api = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(api);
  return api;
}

/** The dialog's diff, its checks and Confirm: warnings (if the rules raise any) acknowledged. */
async function confirmAddStatement(page: Page, screen: string): Promise<Locator> {
  const dialog = page.getByRole("dialog", { name: /^Add the statement to/ });
  await expect(dialog).toBeVisible();
  const added = dialog.getByTestId("add-trust-statement-diff").locator('[data-kind="add"]');
  await expect(added.filter({ hasText: BROKER })).toHaveCount(1);
  await shootBothThemes(page, screen, false);
  await expect(added.filter({ hasText: "sts:AssumeRole" })).toHaveCount(1);
  await expect(dialog.getByTestId("add-trust-statement-diff").locator('[data-kind="remove"]')).toHaveCount(0);
  const acknowledge = dialog.getByRole("checkbox", { name: /I have read the/ });
  if (await acknowledge.count()) await acknowledge.check();
  await dialog.getByRole("button", { name: "Add the statement" }).click();
  await expect(dialog.getByTestId("add-trust-statement-saved")).toContainText("now allows the console");
  return dialog;
}

test("[FIX-TRUST]: Add this statement for me fixes a role the Test explained, and the next Test passes", async ({ page, playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const role = await untrustingRole(api);
  await api.dispose();

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  const row = page.getByTestId(`role-row-${role.name}`);
  await row.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByTestId(`test-result-${role.name}`);
  await expect(result).toContainText(`does not trust the console's broker (${BROKER})`);
  await result.getByRole("button", { name: "Add this statement for me" }).click();
  const dialog = await confirmAddStatement(page, "fix-trust-diff-1440");
  await dialog.getByRole("button", { name: "Test again" }).click();
  await expect(page.getByTestId(`test-result-${role.name}`)).toContainText(`The console can switch into ${role.name}`);

  // Written through Edit trust's path: audited as provisioning.trust_update.
  await page.goto(`/audit?action=provisioning.trust_update`);
  const audited = page.getByTestId("audit-rows").locator("tr").filter({ hasText: `role/${role.name}` }).first();
  await expect(audited).toContainText("provisioning.trust_update");
  await expect(audited).toContainText("success");
});

test("[FIX-TRUST]: an operator's failed switch opens the console's own page with details to copy, no JSON, and is not the last role used", async ({ page, context, playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const role = await untrustingRole(api);
  const operator = { email: uniqueEmail("olga.fails"), password: "olga-operator-password" };
  await createUser(api, { ...operator, name: "Olga Operator", role: "operator" });
  await grant(api, role.id, operator.email);
  await api.dispose();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });

  await signInWithForm(page, operator.email, operator.password);
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  const [tab] = await Promise.all([context.waitForEvent("page"), page.getByRole("button", { name: `Console for ${role.name} in ${ACCOUNT_NAME}` }).click()]);
  await tab.waitForURL(/\/switch\/[^/]+\/failed\?/);
  const url = new URL(tab.url());
  expect(url.pathname).toBe(`/switch/${role.id}/failed`);
  // Only the request id and the region travel in the address.
  expect([...url.searchParams.keys()].sort()).toEqual(["region", "request"]);
  const requestId = url.searchParams.get("request")!;

  // In the console's own frame: its header, the role and account named, in plain words.
  await expect(tab.getByTestId("switch-role-button")).toBeVisible();
  await expect(tab.getByRole("heading", { level: 1 })).toHaveText(`${role.name} is not set up for the console yet`);
  await expect(tab.getByTestId("switch-failed-reason")).toContainText("The role does not trust this console yet");
  await expect(tab.getByTestId("switch-failed-reason")).toContainText("An administrator of this console can fix it");
  await expect(tab.getByTestId("switch-failed-arn")).toHaveText(role.arn);
  await expect(tab.getByTestId("switch-failed")).toContainText(ACCOUNT_NAME);
  // No policy JSON, and nothing to change IAM with.
  await expect(tab.locator("main pre")).toHaveCount(0);
  await expect(tab.locator("main")).not.toContainText('"Principal"');
  await expect(tab.getByRole("button", { name: "Add this statement for me" })).toHaveCount(0);
  await shootBothThemes(tab, "switch-failed-operator-1440");

  // The details, for an administrator.
  await tab.getByRole("button", { name: "Copy details for an administrator" }).click();
  await expect(tab.getByTestId("switch-failed").getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  const copied = await tab.evaluate(() => navigator.clipboard.readText());
  for (const part of [`Role ARN: ${role.arn}`, `Account: ${ACCOUNT_NAME} (${ACCOUNT})`, `Request id: ${requestId}`, "Time: 20", "What failed: The trust policy of"]) expect(copied).toContain(part);
  expect(copied).not.toContain("SigninToken");

  // Not cached, and a reload is a harmless GET of the same page.
  const again = await context.request.get(tab.url());
  expect(again.status()).toBe(200);
  expect(again.headers()["cache-control"]).toContain("no-store");

  // A phone.
  await tab.setViewportSize({ width: 390, height: 844 });
  const box = await tab.getByTestId("switch-failed").boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await shootBothThemes(tab, "switch-failed-operator-390");

  // Back is a button, to the operator's roles.
  await tab.getByRole("button", { name: "Back to your roles" }).click();
  await tab.waitForURL(`${baseURL}/`);
  await expect(tab.getByRole("region", { name: "Your roles" })).toBeVisible();

  // The failed role did not become the header's last used, live or after a reload.
  await expect(page.getByTestId("switch-role-button")).not.toHaveAccessibleName(new RegExp(role.name));
  await page.reload();
  await expect(page.getByTestId("switch-role-button")).toHaveAccessibleName("Switch role");
  await expect(page.getByRole("region", { name: "Recent" })).toHaveCount(0);
  // …and the home page shows it as failing, with the reason, as the menu does.
  const failing = page.getByTestId("your-role").filter({ hasText: role.name });
  await expect(failing.getByTestId("your-role-health")).toHaveText("Fails: not trusted");
});

test("[FIX-TRUST]: an administrator's failed switch shows the explanation and the JSON, and Add this statement for me fixes it there", async ({ page, context, playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const role = await untrustingRole(api);
  await api.dispose();

  await signInWithForm(page, ADMIN.email, ADMIN.password);
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByRole("combobox", { name: "Search roles" }).fill(role.name);
  await expect(page.getByRole("option").first()).toContainText(role.name);
  const [tab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await tab.waitForURL(/\/switch\/[^/]+\/failed\?/);

  await expect(tab.getByRole("heading", { level: 1 })).toHaveText(`AWS did not let the console switch into ${role.name}`);
  await expect(tab.getByTestId("switch-failed-reason")).toContainText(`does not trust the console's broker (${BROKER})`);
  await expect(tab.getByRole("heading", { name: `Add this statement to the trust policy of ${role.arn}` })).toBeVisible();
  const statement = JSON.parse((await tab.getByTestId("switch-failed-statement").textContent()) ?? "") as { Principal: { AWS: string } };
  expect(statement.Principal.AWS).toBe(BROKER);
  await shootBothThemes(tab, "switch-failed-admin-1440");

  await tab.getByRole("button", { name: "Add this statement for me" }).click();
  const dialog = await confirmAddStatement(tab, "switch-failed-admin-diff-1440");
  // Try again: the same same-origin POST, in this tab, now signs in.
  await dialog.getByRole("button", { name: "Try the switch again" }).click();
  await tab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(tab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${ADMIN.email}`);
  // That switch worked: the console's other page now names it as the last used.
  await expect(page.getByTestId("switch-role-button")).toHaveAccessibleName(new RegExp(`last used: ${role.name}`));
});
