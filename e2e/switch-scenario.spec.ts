// The heart of Switchboard, end to end in real Chromium against the sandbox: an administrator
// imports the organization, discovers, registers and tests roles, and grants them; an operator
// switches from the keyboard into the AWS console, copies credentials that work with the SDK,
// uses a role that needs an ExternalId, and is refused a role that was never granted.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { Locator, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";

test.describe.configure({ mode: "serial" });

const OPERATOR = { email: uniqueEmail("olga.ops"), password: "olga-operator-password", name: "Olga Operator" };
const roleIds: Record<string, string> = {};

/** What AWS will show as the session name: the operator's email (already in STS's alphabet). */
const sessionName = () => OPERATOR.email;

/** Picks the <option> whose text matches (selectOption takes only an exact label). */
async function selectOptionMatching(select: Locator, pattern: RegExp) {
  const options = await select.locator("option").evaluateAll((els) => els.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? "" })));
  const option = options.find((o) => pattern.test(o.text));
  if (!option) throw new Error(`No option matches ${pattern}; options: ${options.map((o) => o.text).join(" | ")}`);
  await select.selectOption(option.value);
}

/** Ctrl+K, once the menu is live in the page (a shortcut pressed before hydration goes nowhere). */
async function openMenuWithKeyboard(page: Page) {
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
}

async function roleIdByName(page: Page, roleName: string, accountId: string): Promise<string> {
  const res = await page.context().request.get(`/api/v1/roles?accountId=${accountId}`);
  const { roles } = (await res.json()) as { roles: Array<{ id: string; roleName: string }> };
  return roles.find((r) => r.roleName === roleName)!.id;
}

test("[SWITCH]: an admin imports the organization, discovers, registers, tests and grants roles", async ({ page, playwright, baseURL }) => {
  // The operator who will use the roles (the Users page is covered by users.spec.ts).
  const adminApi = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(adminApi);
  await createUser(adminApi, { ...OPERATOR, role: "operator" });
  await adminApi.dispose();

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/accounts");

  // Import from AWS Organizations (through the console's broker).
  await page.getByRole("button", { name: /Import from AWS Organizations/ }).click();
  const importDialog = page.getByRole("dialog", { name: /Import/ });
  for (const id of ["111111111111", "222222222222", "333333333333", "444444444444"]) {
    await expect(importDialog.getByTestId(`org-account-${id}`)).toBeVisible();
    await importDialog.getByTestId(`org-account-${id}`).getByRole("checkbox").check();
  }
  await importDialog.getByRole("button", { name: /Import \d+|Import selected/ }).click();
  await expect(page.getByTestId("account-row-111111111111")).toContainText("Production");
  await expect(page.getByTestId("account-row-444444444444")).toContainText("Test");

  // Discover Production's roles and register three of them.
  await page.goto("/roles");
  await page.getByRole("button", { name: /Discover/ }).click();
  let discover = page.getByRole("dialog", { name: /Discover/ });
  await selectOptionMatching(discover.getByLabel("Account"), /Production/);
  await expect(discover.getByTestId("discovered-ReadOnly")).toContainText(/Console trusted/i);
  await expect(discover.getByTestId("discovered-ThirdPartyAuditor")).toContainText(/ExternalId/i);
  for (const name of ["ReadOnly", "ThirdPartyAuditor", "delegate_read_my_bucket"]) await discover.getByTestId(`discovered-${name}`).getByRole("checkbox").check();
  await discover.getByRole("button", { name: /Register/ }).click();
  await expect(page.getByTestId("role-row-ReadOnly").first()).toBeVisible();

  // …and the Test account's role, which does not trust the broker.
  await page.getByRole("button", { name: /Discover/ }).click();
  discover = page.getByRole("dialog", { name: /Discover/ });
  await selectOptionMatching(discover.getByLabel("Account"), /^Test\b/);
  await expect(discover.getByTestId("discovered-DevelopmentTesters")).toContainText(/Not trusted/i);
  await discover.getByTestId("discovered-DevelopmentTesters").getByRole("checkbox").check();
  await discover.getByRole("button", { name: /Register/ }).click();
  await expect(page.getByTestId("role-row-DevelopmentTesters")).toBeVisible();

  roleIds.readOnly = await roleIdByName(page, "ReadOnly", "111111111111");
  roleIds.auditor = await roleIdByName(page, "ThirdPartyAuditor", "111111111111");
  roleIds.testers = await roleIdByName(page, "DevelopmentTesters", "444444444444");

  // Test: ReadOnly works; the Test role is explained.
  const readOnlyRow = page.getByTestId("role-row-ReadOnly").first();
  await readOnlyRow.getByRole("button", { name: "Test" }).click();
  await expect(page.getByText(/The console can switch into ReadOnly/)).toBeVisible();
  await page.getByTestId("role-row-DevelopmentTesters").getByRole("button", { name: "Test" }).click();
  const explanation = page.getByTestId("test-result-DevelopmentTesters");
  await expect(explanation).toContainText(/trust policy/i);
  await expect(explanation).toContainText("arn:aws:iam::333333333333:user/switchboard");

  // The ExternalId role: set the agreed ExternalId, then it tests fine.
  const auditorRow = page.getByTestId("role-row-ThirdPartyAuditor");
  await auditorRow.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: /Edit/ });
  await edit.getByLabel(/ExternalId/).fill("switchboard-demo-7f3a9c2e");
  await edit.getByRole("button", { name: /Save/ }).click();
  await expect(edit).toBeHidden();
  await auditorRow.getByRole("button", { name: "Test" }).click();
  await expect(page.getByText(/The console can switch into ThirdPartyAuditor/)).toBeVisible();

  // Grant two roles to the operator.
  await page.reload();
  for (const name of ["ReadOnly", "ThirdPartyAuditor"]) {
    await page.getByTestId(`role-row-${name}`).first().getByRole("button", { name: /Grants/ }).click();
    const grants = page.getByRole("dialog", { name: /Grants|Who may use/ });
    await selectOptionMatching(grants.getByLabel("User"), new RegExp(OPERATOR.email.replace(/[.+]/g, "\\$&")));
    await grants.getByRole("button", { name: /Grant/ }).click();
    await expect(grants).toContainText(OPERATOR.email);
    await page.keyboard.press("Escape");
  }
});

test("[SWITCH]: the operator switches from the keyboard into the AWS console, as themselves", async ({ page, context }) => {
  await signInWithForm(page, OPERATOR.email, OPERATOR.password);
  await openMenuWithKeyboard(page);
  const search = page.getByRole("combobox");
  await expect(search).toBeFocused();
  await search.fill("prod readonly");
  await expect(page.getByRole("option").first()).toContainText("ReadOnly");
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.getByTestId("console-signed-in")).toBeVisible();
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${sessionName()}`);
  await expect(consoleTab.locator('[data-field="Source identity"]')).toHaveText(OPERATOR.email);
  // The header remembers it.
  await page.reload();
  await expect(page.getByRole("button", { name: /Switch role/ })).toContainText("ReadOnly");
});

test("[SWITCH]: the operator copies bash credentials, and they work with the AWS SDK", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  // A slow network: the menu's list arrives 1.5 s late, and the operator types ahead —
  // Ctrl+K, "readonly", Shift+Enter — before it is there. The keystrokes must not be lost.
  await page.route("**/api/v1/me/menu", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await signInWithForm(page, OPERATOR.email, OPERATOR.password);
  await openMenuWithKeyboard(page);
  await page.getByRole("combobox").fill("readonly");
  await page.keyboard.press("Shift+Enter");
  const dialog = page.getByRole("dialog", { name: /credentials/i });
  await expect(dialog).toContainText(/expires in/i);
  await dialog.getByRole("tab", { name: /bash/i }).click();
  await expect(dialog.locator("pre")).not.toContainText(/IQoJ/); // masked until revealed
  await dialog.getByRole("button", { name: /^Copy/ }).click();
  await expect(dialog.getByRole("status")).toContainText(/Copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const value = (name: string) => new RegExp(`export ${name}=["']?([^"'\\n]+)`).exec(copied)?.[1];
  const credentials = { accessKeyId: value("AWS_ACCESS_KEY_ID")!, secretAccessKey: value("AWS_SECRET_ACCESS_KEY")!, sessionToken: value("AWS_SESSION_TOKEN")! };
  expect(credentials.accessKeyId).toMatch(/^ASIA/);
  const sts = new STSClient({ endpoint: sandboxUrl(), region: value("AWS_REGION") ?? "us-east-1", credentials, maxAttempts: 1 });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  expect(id.Arn).toBe(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${sessionName()}`);
});

test("[SWITCH]: a role that needs an ExternalId works through the menu", async ({ page, context }) => {
  await signInWithForm(page, OPERATOR.email, OPERATOR.password);
  await page.getByRole("button", { name: /Switch role/ }).click();
  await page.getByRole("combobox").fill("auditor");
  await expect(page.getByRole("option").first()).toContainText("ThirdPartyAuditor");
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/${sessionName()}`);
});

test("[SWITCH]: a role that was not granted is refused, and AWS is never asked", async ({ page }) => {
  await signInWithForm(page, OPERATOR.email, OPERATOR.password);
  const since = await sandbox.lastSeq();
  const deepLink = await page.goto(`/switch/${roleIds.testers}?region=us-east-1`);
  expect(deepLink?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not granted" })).toBeVisible();
  await expect(page.locator("main")).toContainText("This role is not granted to you");
  const api = await page.context().request.post("/api/v1/sessions", { data: { roleId: roleIds.testers, kind: "console" } });
  expect(api.status()).toBe(403);
  expect((await sandbox.calls({ since, action: "AssumeRole" })).filter((c) => String(c.detail.RoleArn).includes("DevelopmentTesters"))).toEqual([]);
  // Not in the menu either.
  await page.goto("/");
  await openMenuWithKeyboard(page);
  await page.getByRole("combobox").fill("DevelopmentTesters");
  await expect(page.getByRole("option")).toHaveCount(0);
});

test("[SWITCH]: a link from another site shows what it opens and asks first", async ({ page }) => {
  await signInWithForm(page, OPERATOR.email, OPERATOR.password);
  const since = await sandbox.lastSeq();
  // A navigation that did not come from the console (typed, bookmarked, or another site).
  await page.goto(`/switch/${roleIds.readOnly}?region=ap-southeast-2`);
  await expect(page.getByTestId("switch-confirm")).toBeVisible();
  await expect(page.locator("main")).toContainText("arn:aws:iam::111111111111:role/ReadOnly");
  await expect(page.locator("main")).toContainText("ap-southeast-2");
  // A form on another site posting to the link gets the same question, not a session.
  const forged = await page.context().request.post(`/switch/${roleIds.readOnly}?region=us-east-1`, { headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(forged.status()).toBe(200);
  expect(await forged.text()).toContain('data-testid="switch-confirm"');
  expect(await sandbox.calls({ since, action: "AssumeRole" })).toEqual([]);
  await page.getByRole("button", { name: "Open the AWS console" }).click();
  await page.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(page.locator('[data-field="Region"]')).toHaveText("ap-southeast-2");
});

test("[SWITCH]: a crafted link followed through the sign-in page still asks first: a GET never issues a session", async ({ page }) => {
  const since = await sandbox.lastSeq();
  // Signed out, the link goes to the sign-in page; after it, the browser comes back to the link
  // as a same-origin navigation, which used to switch straight away.
  await page.goto(`/switch/${roleIds.readOnly}?region=eu-west-1`);
  await page.waitForURL(/\/signin/);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("switch-confirm")).toBeVisible();
  await expect(page.locator("main")).toContainText("eu-west-1");
  const sameOriginGet = await page.context().request.get(`/switch/${roleIds.readOnly}?region=eu-west-1`, { headers: { "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate" } });
  expect(await sameOriginGet.text()).toContain('data-testid="switch-confirm"');
  expect(await sandbox.calls({ since, action: "AssumeRole" })).toEqual([]);
});

test("[SWITCH]: the audit log lists all of it", async ({ page }) => {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/audit");
  const rows = page.getByTestId("audit-rows");
  for (const action of ["account.import", "role.create", "role.test", "grant.create", "session.console", "session.credentials"]) {
    await expect(rows).toContainText(action);
  }
  await page.goto(`/audit?actor=${encodeURIComponent(OPERATOR.email)}&action=session.console&outcome=success`);
  await expect(page.getByTestId("audit-rows").locator("tr")).toHaveCount(3);
  // The refused switches are there too, with the role they asked for.
  await page.goto(`/audit?actor=${encodeURIComponent(OPERATOR.email)}&action=session.console&outcome=denied`);
  await expect(page.getByTestId("audit-rows").locator("tr")).toHaveCount(2);
  await expect(page.getByTestId("audit-rows")).toContainText("arn:aws:iam::444444444444:role/DevelopmentTesters");
  await page.goto("/audit?action=role.test&outcome=denied");
  await expect(page.getByTestId("audit-rows")).toContainText("arn:aws:iam::444444444444:role/DevelopmentTesters");
  await expect(page.getByTestId("audit-rows")).toContainText(/trust policy/i);
});
