// Import from a config file, as an administrator uses it in real Chromium against the sandbox: a
// mixed ~/.aws/config is pasted; the preview shows the new account and roles, the role already in
// the catalog, the SSO profile skipped with its reason and the unreadable line with its number;
// one role is unticked, the account renamed; Register adds the rest in one step, and the new role
// is in the catalog (tested) and in the Switch Role menu, its registration audited with the
// import as its source. An operator reaches neither the action nor the route (403, audited).
// The dialog passes axe at 390 and 1440 px in both themes. The spec makes its own sandbox
// accounts, so it passes alone and in any order.
import { expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox } from "./support/sandbox";
import { shootDialog } from "./support/dialog-shots";
import { screenPath } from "./support/screens";
import { callAction, createUser, serverActions, signedIn, type Client } from "./security/support";

const base = () => process.env.E2E_BASE_URL!;
const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
// Two fresh sandbox accounts: the first registered before the import, the second only in the file.
const KNOWN = `97${String(Date.now()).slice(-10)}`;
const NEW = `98${String(Date.now()).slice(-10)}`;
// Every new sandbox account has this role, trusting the console's broker.
const ROLE = "OrganizationAccountAccessRole";
const NEW_PROFILE = `imp-${unique}-admin`;
const UNTICKED_PROFILE = `imp-${unique}-breakglass`;

/** A team's ~/.aws/config, as people keep it: comments, [default], a role already in the catalog,
 * a new account's roles (one through the other), an SSO profile and a malformed role_arn. */
const FILE = `# Team profiles — shared in the wiki
[default]
region = eu-west-1

[profile known-admin]
role_arn = arn:aws:iam::${KNOWN}:role/${ROLE}
credential_source = Environment

[profile ${NEW_PROFILE}]
role_arn = arn:aws:iam::${NEW}:role/${ROLE}
credential_source = Environment
region = eu-central-1

[profile ${UNTICKED_PROFILE}]
role_arn = arn:aws:iam::${NEW}:role/BreakGlass
source_profile = ${NEW_PROFILE}
mfa_serial = arn:aws:iam::${NEW}:mfa/ada

[profile dev-sso]
sso_session = corp
sso_account_id = ${NEW}
sso_role_name = ReadOnly

[profile broken]
role_arn = arn:aws:iam::12345:role/Short
`;

let admin: Client;

test.beforeAll(async () => {
  admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  await sandbox.addAccount(KNOWN, `Known ${unique}`);
  await sandbox.addAccount(NEW, `New ${unique}`);
  expect((await admin.post("/api/v1/accounts", { json: { accountId: KNOWN, name: `Known ${unique}` } })).status).toBe(201);
  const role = await admin.post("/api/v1/roles", { json: { accountId: KNOWN, roleName: ROLE } });
  expect(role.status, role.text).toBe(201);
});

test("[IMPORT]: an administrator pastes a mixed config file, sees the preview with its lines, and registers the new account and role", async ({ page }) => {
  // Eight axe runs and their screenshots, the import and the registration's test: more than the
  // default minute on a busy two-core machine.
  test.setTimeout(240_000);
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await page.getByRole("button", { name: "Import from a config file" }).first().click();
  const dialog = page.locator("dialog[open]");
  await expect(dialog.getByRole("heading", { name: "Import from a config file" })).toBeVisible();
  // Nothing to read yet: Preview waits for text.
  await expect(dialog.getByRole("button", { name: "Preview" })).toBeDisabled();
  // The keyboard reaches the text first (the dialog focuses its first field: the format).
  await expect(dialog.getByLabel("Format")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Choose a file…" })).toBeFocused();
  await dialog.getByLabel("Configuration").fill(FILE);
  await shootDialog(page, dialog, "config-import-paste", { noSidewaysInside: true });
  await dialog.getByRole("button", { name: "Preview" }).click();

  const summary = dialog.getByTestId("config-import-summary");
  await expect(summary).toHaveText("AWS CLI config (~/.aws/config) (detected) · 6 profiles: 2 new roles, 1 already registered, 2 skipped, 1 line not read");
  // The new account, its name suggested from its profiles' names and editable.
  const account = dialog.getByTestId(`config-import-account-${NEW}`);
  await expect(account).toBeVisible();
  await expect(account.getByLabel("Name")).toHaveValue(`imp-${unique}`);
  await expect(dialog.getByText(`Already registered: Known ${unique} (${KNOWN}).`)).toBeVisible();
  // Each role with its line: the one in the catalog ticked and fixed, the new ones ticked.
  await expect(dialog.getByTestId("config-import-role-5")).toHaveAttribute("data-status", "registered");
  await expect(dialog.getByTestId("config-import-role-5").getByRole("checkbox")).toBeDisabled();
  await expect(dialog.getByTestId("config-import-role-9")).toHaveAttribute("data-status", "new");
  await expect(dialog.getByTestId("config-import-role-9")).toContainText("Line 9 · profile " + NEW_PROFILE + " · via credential_source Environment · eu-central-1");
  await expect(dialog.getByTestId("config-import-role-14")).toContainText(`via ${NEW_PROFILE}`);
  await expect(dialog.getByTestId("config-import-role-14")).toContainText("The profile asks for MFA (mfa_serial).");
  // Skipped and unreadable, each with its line and reason.
  await expect(dialog.getByTestId("config-import-skipped")).toContainText("Line 2 (default): No role_arn (only region): nothing to register.");
  await expect(dialog.getByTestId("config-import-skipped")).toContainText("Line 19 (dev-sso): IAM Identity Center profile: not a role the console can assume.");
  await expect(dialog.getByTestId("config-import-problems")).toContainText("Line 25 (broken): role_arn arn:aws:iam::12345:role/Short: the account id 12345 is not 12 digits.");
  await expect(dialog.getByRole("button", { name: "Register 2 roles and 1 account" })).toBeEnabled();

  // Unticking the account leaves its roles out, and says so; ticking it again brings them back.
  await account.getByRole("checkbox").uncheck();
  await expect(dialog.getByTestId("config-import-role-9")).toContainText("its account is not ticked");
  await expect(dialog.getByRole("button", { name: "Nothing to register" })).toBeDisabled();
  await account.getByRole("checkbox").check();
  await account.getByLabel("Name").fill(`Imported ${unique}`);
  await account.getByLabel("Environment").selectOption("development");
  await dialog.getByTestId("config-import-role-14").getByRole("checkbox").uncheck();
  await expect(dialog.getByRole("button", { name: "Register 1 role and 1 account" })).toBeEnabled();
  await shootDialog(page, dialog, "config-import-preview", { noSidewaysInside: true });
  // The end of the preview: the lines not read and the profiles skipped.
  await dialog.getByTestId("config-import-skipped").scrollIntoViewIfNeeded();
  await shootDialog(page, dialog, "config-import-preview-end", { noSidewaysInside: true });

  await dialog.getByRole("button", { name: "Register 1 role and 1 account" }).click();
  await expect(dialog).toHaveCount(0, { timeout: 30_000 });
  const result = page.getByTestId("config-import-result");
  await expect(result).toContainText("Imported 1 role and 1 account from the config file.");
  await expect(result).toContainText(`Accounts: Imported ${unique} (${NEW}).`);
  await expect(result).toContainText(`Roles: ${NEW_PROFILE}.`);

  // In the catalog, under its new account, tested as it was registered.
  const section = page.getByTestId(`role-account-${NEW}`);
  await expect(section.getByRole("heading", { name: `Imported ${unique}` })).toBeVisible();
  await expect(section.getByTestId(`role-row-${ROLE}`)).toContainText(NEW_PROFILE);
  await expect(section.getByTestId(`role-health-${ROLE}`)).toHaveAttribute("data-health", "ok", { timeout: 20_000 });
  await expect(section.getByText("BreakGlass")).toHaveCount(0);
  await page.screenshot({ path: screenPath("config-import-result-1440-light"), fullPage: true });

  // In the Switch Role menu.
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByTestId("switch-menu-search").fill(NEW_PROFILE);
  await expect(page.getByRole("option").filter({ hasText: NEW_PROFILE })).toBeVisible();
  await page.keyboard.press("Escape");

  // Audited as registrations, with the import as their source.
  for (const [action, details] of [
    ["account.create", { source: "config-import", environment: "development" }],
    ["role.create", { source: "config-import" }],
  ] as const) {
    const reply = await admin.get(`/api/v1/audit-events?format=json&account=${NEW}&action=${action}`);
    expect(reply.status, reply.text).toBe(200);
    // ?format=json downloads the events as a JSON array.
    const events = reply.json<Array<{ actorEmail: string; details: Record<string, unknown> }>>();
    expect(events, action).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorEmail: ADMIN.email, details });
  }
});

test("[IMPORT]: the same file through the API: a dry run changes nothing, and an operator is refused the route and the action (403, audited)", async () => {
  const before = await admin.get("/api/v1/roles");
  const preview = await admin.post("/api/v1/catalog/import?dryRun=true", { json: { text: FILE } });
  expect(preview.status, preview.text).toBe(200);
  expect(preview.header("cache-control")).toBe("no-store");
  const plan = preview.json<{ plan: { roles: Array<{ roleArn: string; status: string }>; problems: Array<{ line: number }> } }>().plan;
  expect(plan.roles.find((r) => r.roleArn === `arn:aws:iam::${KNOWN}:role/${ROLE}`)?.status).toBe("registered");
  expect(plan.problems.map((p) => p.line)).toEqual([25]);
  expect((await admin.get("/api/v1/roles")).text).toBe(before.text);
  // Bad input is a 400 that says what to fix.
  const empty = await admin.post("/api/v1/catalog/import?dryRun=true", { json: { text: "  " } });
  expect(empty.status).toBe(400);
  expect(empty.json<{ error: { message: string } }>().error.message).toContain("Paste a configuration, or choose its file");

  const email = uniqueEmail("otto.import");
  await createUser(admin, { email, name: "Otto Import", password: "config-import-operator-pw", role: "operator" });
  const operator = await signedIn(base(), email, "config-import-operator-pw");
  const refused = await operator.post("/api/v1/catalog/import", { json: { text: FILE } });
  expect(refused.status).toBe(403);
  expect(refused.json<{ error: { code: string } }>().error.code).toBe("forbidden");
  const action = serverActions().find((a) => a.name === "applyConfigImportAction");
  expect(action, "the action is in the build").toBeDefined();
  const { result } = await callAction(operator, action!, { text: FILE });
  expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
  const denied = await admin.get(`/api/v1/audit-events?format=json&actor=${encodeURIComponent(email)}&outcome=denied`);
  const operations = denied.json<Array<{ action: string; details: { operation?: string } }>>().filter((e) => e.action === "access.denied").map((e) => e.details.operation);
  expect(operations).toEqual(expect.arrayContaining(["POST /api/v1/catalog/import", "action roles.manage"]));
  // Nothing was registered by the refusals.
  expect((await admin.get("/api/v1/roles")).text).toBe(before.text);
});
