// The heart of Switchboard, end to end in real Chromium against the sandbox: an administrator
// imports accounts from the organization, discovers, registers and tests roles, and grants them;
// an operator switches from the keyboard into the AWS console, copies credentials that work with
// the SDK, uses a role that needs an ExternalId, and is refused a role that was never granted.
// Every test sets up what it needs itself (e2e/support/scenario.ts), so each passes alone and in
// any order.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { Locator, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test as base } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { createUnregisteredRole, grantedOperator, registeredRoleId, type Scenario } from "./support/scenario";

/** Each test's own operator, granted ReadOnly and ThirdPartyAuditor in Production. */
const test = base.extend<{ scenario: Scenario }>({
  scenario: async ({ playwright, baseURL }, provide) => {
    const admin = await playwright.request.newContext({ baseURL });
    const scenario = await grantedOperator(admin);
    await admin.dispose();
    await provide(scenario);
  },
});

/** A name no other test or run uses (role names and account names take it as it is). */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A 12-digit account id for a new sandbox account: `prefix` (two digits) and the clock. */
const newAccountId = (prefix: string) => `${prefix}${String(Date.now()).slice(-10)}`;

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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");


test("[SWITCH]: an admin imports the organization, discovers, registers, tests and grants roles", async ({ page, playwright, baseURL }) => {
  // Two new accounts in the sandbox organization, so that there is something to import and
  // discover whatever ran before; their roles are as the seeded Production's and Test's.
  const suffix = unique();
  const production = { id: newAccountId("97"), name: `Production ${suffix}` };
  const testAccount = { id: newAccountId("98"), name: `Test ${suffix}` };
  const names = { readOnly: `ReadOnly-${suffix}`, auditor: `ThirdPartyAuditor-${suffix}`, bucket: `delegate_read_my_bucket-${suffix}`, testers: `DevelopmentTesters-${suffix}` };
  await sandbox.addAccount(production.id, production.name);
  await sandbox.addAccount(testAccount.id, testAccount.name);
  // The operator who will use the roles (the Users page is covered by users.spec.ts).
  const operator = { email: uniqueEmail("olga.ops"), password: "olga-operator-password", name: "Olga Operator" };
  const adminApi = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(adminApi);
  await createUser(adminApi, { ...operator, role: "operator" });

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/accounts");

  // Import from AWS Organizations (through the console's broker).
  await page.getByRole("button", { name: /Import from AWS Organizations/ }).click();
  const importDialog = page.getByRole("dialog", { name: /Import/ });
  for (const { id } of [production, testAccount]) await expect(importDialog.getByTestId(`org-account-${id}`)).toBeVisible();
  // Only these two: other specs' accounts stay as they are.
  await importDialog.getByRole("button", { name: "Select none" }).click();
  for (const { id } of [production, testAccount]) await importDialog.getByTestId(`org-account-${id}`).getByRole("checkbox").check();
  await importDialog.getByRole("button", { name: /Import \d+|Import selected/ }).click();
  // The dialog closes and the page says what was imported.
  await expect(importDialog).toBeHidden();
  await expect(page.locator("main").getByRole("status").filter({ hasText: "Imported 2 accounts from AWS Organizations." })).toContainText(`${production.name} (${production.id})`);
  await expect(page.getByTestId(`account-row-${production.id}`)).toContainText("Production");
  await expect(page.getByTestId(`account-row-${testAccount.id}`)).toContainText("Test");

  // Roles in them as the seeded accounts have: one that trusts the console, one that trusts it
  // with an ExternalId, one for another account, and (in Test) one that does not trust it.
  await createUnregisteredRole(adminApi, production.id, names.readOnly, { entities: [{ kind: "broker" }], conditions: {} }, { description: "Switch scenario" });
  await createUnregisteredRole(adminApi, production.id, names.auditor, { entities: [{ kind: "broker" }], conditions: { externalId: "switchboard-demo-7f3a9c2e" } }, { description: "Switch scenario" });
  await createUnregisteredRole(adminApi, production.id, names.bucket, { entities: [{ kind: "account", accountId: "222222222222" }], conditions: {} }, { description: "Switch scenario" });
  await createUnregisteredRole(adminApi, testAccount.id, names.testers, { entities: [{ kind: "account", accountId: "222222222222" }], conditions: {} }, { description: "Switch scenario" });
  await adminApi.dispose();

  // Discover Production's roles and register three of them.
  await page.goto("/roles");
  await page.getByRole("button", { name: /Discover/ }).click();
  let discover = page.getByRole("dialog", { name: /Discover/ });
  await selectOptionMatching(discover.getByLabel("Account"), new RegExp(escapeRegExp(production.name)));
  await expect(discover.getByTestId(`discovered-${names.readOnly}`)).toContainText(/Console trusted/i);
  await expect(discover.getByTestId(`discovered-${names.auditor}`)).toContainText(/ExternalId/i);
  // An ExternalId row is chosen by typing its ExternalId.
  await discover.getByLabel(`ExternalId for ${names.auditor} (its trust policy requires one)`).fill("switchboard-demo-7f3a9c2e");
  for (const name of [names.readOnly, names.auditor, names.bucket]) await discover.getByTestId(`discovered-${name}`).getByRole("checkbox").check();
  await discover.getByRole("button", { name: /Register/ }).click();
  await expect(page.getByTestId(`role-row-${names.readOnly}`)).toBeVisible();

  // …and the Test account's role, which does not trust the broker.
  await page.getByRole("button", { name: /Discover/ }).click();
  discover = page.getByRole("dialog", { name: /Discover/ });
  await selectOptionMatching(discover.getByLabel("Account"), new RegExp(escapeRegExp(testAccount.name)));
  await expect(discover.getByTestId(`discovered-${names.testers}`)).toContainText(/Not trusted/i);
  await discover.getByTestId(`discovered-${names.testers}`).getByRole("checkbox").check();
  await discover.getByRole("button", { name: /Register/ }).click();
  await expect(page.getByTestId(`role-row-${names.testers}`)).toBeVisible();

  // Test: ReadOnly works; the Test role is explained.
  await page.getByTestId(`role-row-${names.readOnly}`).getByRole("button", { name: "Test" }).click();
  await expect(page.getByText(`The console can switch into ${names.readOnly}`)).toBeVisible();
  await page.getByTestId(`role-row-${names.testers}`).getByRole("button", { name: "Test" }).click();
  const explanation = page.getByTestId(`test-result-${names.testers}`);
  await expect(explanation).toContainText(/trust policy/i);
  await expect(explanation).toContainText("arn:aws:iam::333333333333:user/switchboard");

  // The ExternalId role: set the agreed ExternalId, then it tests fine.
  const auditorRow = page.getByTestId(`role-row-${names.auditor}`);
  await auditorRow.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: /Edit/ });
  await edit.getByLabel(/ExternalId/).fill("switchboard-demo-7f3a9c2e");
  await edit.getByRole("button", { name: /Save/ }).click();
  await expect(edit).toBeHidden();
  await auditorRow.getByRole("button", { name: "Test" }).click();
  await expect(page.getByText(`The console can switch into ${names.auditor}`)).toBeVisible();

  // Grant two roles to the operator.
  await page.reload();
  for (const name of [names.readOnly, names.auditor]) {
    await page.getByTestId(`role-row-${name}`).getByRole("button", { name: /Grants/ }).click();
    const grants = page.getByRole("dialog", { name: /Grants|Who may use/ });
    await selectOptionMatching(grants.getByLabel("User"), new RegExp(escapeRegExp(operator.email)));
    await grants.getByRole("button", { name: /Grant/ }).click();
    await expect(grants).toContainText(operator.email);
    await page.keyboard.press("Escape");
  }
});

test("[SWITCH]: the operator switches from the keyboard into the AWS console, as themselves", async ({ page, context, scenario: { operator } }) => {
  await signInWithForm(page, operator.email, operator.password);
  await openMenuWithKeyboard(page);
  const search = page.getByRole("combobox");
  await expect(search).toBeFocused();
  await search.fill("prod readonly");
  await expect(page.getByRole("option").first()).toContainText("ReadOnly");
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.getByTestId("console-signed-in")).toBeVisible();
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${operator.email}`);
  await expect(consoleTab.locator('[data-field="Source identity"]')).toHaveText(operator.email);
  // The header remembers it.
  await page.reload();
  await expect(page.getByRole("button", { name: /Switch role/ })).toContainText("ReadOnly");
});

test("[SWITCH]: the operator copies bash credentials, and they work with the AWS SDK", async ({ page, context, baseURL, scenario: { operator } }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  // A slow network: the menu's list arrives 1.5 s late, and the operator types ahead —
  // Ctrl+K, "readonly", Shift+Enter — before it is there. The keystrokes must not be lost.
  await page.route("**/api/v1/me/menu", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await signInWithForm(page, operator.email, operator.password);
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
  expect(id.Arn).toBe(`arn:aws:sts::111111111111:assumed-role/ReadOnly/${operator.email}`);
});

test("[SWITCH]: a role that needs an ExternalId works through the menu", async ({ page, context, scenario: { operator } }) => {
  await signInWithForm(page, operator.email, operator.password);
  await page.getByRole("button", { name: /Switch role/ }).click();
  await page.getByRole("combobox").fill("auditor");
  await expect(page.getByRole("option").first()).toContainText("ThirdPartyAuditor");
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/ThirdPartyAuditor/${operator.email}`);
});

test("[SWITCH]: a role that was not granted is refused, and AWS is never asked", async ({ page, scenario: { operator, roleIds } }) => {
  await signInWithForm(page, operator.email, operator.password);
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

test("[SWITCH]: a link from another site shows what it opens and asks first", async ({ page, scenario: { operator, roleIds } }) => {
  await signInWithForm(page, operator.email, operator.password);
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

test("[SWITCH]: a crafted link followed through the sign-in page still asks first: a GET never issues a session", async ({ page, scenario: { operator, roleIds } }) => {
  const since = await sandbox.lastSeq();
  // Signed out, the link goes to the sign-in page; after it, the browser comes back to the link
  // as a same-origin navigation, which used to switch straight away.
  await page.goto(`/switch/${roleIds.readOnly}?region=eu-west-1`);
  await page.waitForURL(/\/signin/);
  await page.getByLabel("Email").fill(operator.email);
  await page.getByLabel("Password").fill(operator.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("switch-confirm")).toBeVisible();
  await expect(page.locator("main")).toContainText("eu-west-1");
  const sameOriginGet = await page.context().request.get(`/switch/${roleIds.readOnly}?region=eu-west-1`, { headers: { "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate" } });
  expect(await sameOriginGet.text()).toContain('data-testid="switch-confirm"');
  expect(await sandbox.calls({ since, action: "AssumeRole" })).toEqual([]);
});

test("[SWITCH]: the audit log lists all of it", async ({ page, playwright, baseURL, scenario: { operator, roleIds } }) => {
  // What this test's own people do, through the API: the admin imports an account, registers a
  // role in it, tests the role that does not trust the console (and grants, in the scenario);
  // the operator switches three times, copies credentials once, and is refused twice.
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  const spare = { id: newAccountId("96"), name: `Audit ${unique()}` };
  await sandbox.addAccount(spare.id, spare.name);
  const imported = await admin.post("/api/v1/accounts/import", { data: { accountIds: [spare.id] } });
  expect(imported.status(), await imported.text()).toBe(200);
  await registeredRoleId(admin, spare.id, "OrganizationAccountAccessRole");
  const tested = await admin.post(`/api/v1/roles/${roleIds.testers}/test`);
  expect(((await tested.json()) as { result: { ok: boolean } }).result.ok).toBe(false);
  await admin.dispose();

  const api = await playwright.request.newContext({ baseURL });
  await signInWithApi(api, operator.email, operator.password);
  for (const roleId of [roleIds.readOnly, roleIds.auditor, roleIds.readOnly]) {
    const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "console" } });
    expect(res.status(), await res.text()).toBe(200);
  }
  expect((await api.post("/api/v1/sessions", { data: { roleId: roleIds.readOnly, kind: "credentials" } })).status()).toBe(200);
  expect((await api.get(`/switch/${roleIds.testers}?region=us-east-1`)).status()).toBe(403);
  expect((await api.post("/api/v1/sessions", { data: { roleId: roleIds.testers, kind: "console" } })).status()).toBe(403);
  await api.dispose();

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/audit");
  const rows = page.getByTestId("audit-rows");
  for (const action of ["account.import", "role.create", "role.test", "grant.create", "session.console", "session.credentials"]) {
    await expect(rows).toContainText(action);
  }
  await page.goto(`/audit?actor=${encodeURIComponent(operator.email)}&action=session.console&outcome=success`);
  await expect(page.getByTestId("audit-rows").locator("tr")).toHaveCount(3);
  // The refused switches are there too, with the role they asked for.
  await page.goto(`/audit?actor=${encodeURIComponent(operator.email)}&action=session.console&outcome=denied`);
  await expect(page.getByTestId("audit-rows").locator("tr")).toHaveCount(2);
  // ARNs read short, with the full ARN on hover.
  const testersArn = page.getByTestId("audit-rows").locator('abbr[title="arn:aws:iam::444444444444:role/DevelopmentTesters"]');
  await expect(testersArn.first()).toHaveText("role/DevelopmentTesters");
  await page.goto("/audit?action=role.test&outcome=denied");
  await expect(testersArn.first()).toBeVisible();
  await expect(page.getByTestId("audit-rows")).toContainText(/trust policy/i);
});
