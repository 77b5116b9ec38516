// A broken role shows as broken in the catalog, the menu and the Grants dialog, after a reload
// and after a background re-test. On a console of our own, whose background re-test runs every
// 10 seconds (SWITCHBOARD_ROLE_HEALTH_INTERVAL; off on the shared console), against a sandbox
// of our own in which the role's trust policy is changed with the AWS SDK, as someone would in
// IAM.
import { CreateRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { startOwnConsole, startOwnSandbox, type OwnConsole, type OwnSandbox } from "./security/support/consoles";

const PROD = "111111111111";
const ROLE_NAME = "HealthWatched";
const ROLE_ARN = `arn:aws:iam::${PROD}:role/${ROLE_NAME}`;
const OPERATOR_PASSWORD = "role-health-operator-password";
const TRUSTS_CONSOLE = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] };
const TRUSTS_DEVELOPMENT_ONLY = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" };
/** Rounds every 10 s, each at most a second for the few entries here; a margin for a slow machine. */
const BACKGROUND_WAIT_MS = 45_000;

let sandbox: OwnSandbox;
let app: OwnConsole;
let iam: IAMClient;
let roleId = "";
const operator = { email: uniqueEmail("health.operator"), password: OPERATOR_PASSWORD };

test.describe.configure({ timeout: 150_000 });

/** IAM in Production through its provisioning role, with the broker's keys: how an administrator
 * outside the console would change the role. */
async function productionIam(s: OwnSandbox): Promise<IAMClient> {
  const sts = new STSClient({ endpoint: s.url, region: "us-east-1", credentials: s.broker, maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`, RoleSessionName: "someone-in-iam" }));
  const c = out.Credentials!;
  return new IAMClient({ endpoint: s.url, region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, maxAttempts: 1 });
}

const setTrust = (statement: object) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }));

async function signedIn(browser: Browser, email: string, password: string): Promise<{ page: Page; request: APIRequestContext; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: app.url });
  const page = await context.newPage();
  await page.goto("/signin?callbackUrl=%2Froles");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/roles", { timeout: 15_000 });
  return { page, request: context.request, close: () => context.close() };
}

const row = (page: Page) => page.getByTestId(`role-row-${ROLE_NAME}`);
const healthOf = (page: Page) => page.getByTestId(`role-health-${ROLE_NAME}`);

async function openMenu(page: Page) {
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByTestId("switch-menu-search").fill(ROLE_NAME);
  return page.getByRole("option").filter({ hasText: ROLE_NAME });
}

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(150_000);
  sandbox = await startOwnSandbox();
  app = await startOwnConsole(sandbox, { SWITCHBOARD_ROLE_HEALTH_INTERVAL: "10s", SWITCHBOARD_ROLE_HEALTH_RATE: "20/1s" });
  iam = await productionIam(sandbox);
  await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [TRUSTS_CONSOLE] }) }));

  const admin = await playwright.request.newContext({ baseURL: app.url });
  const csrf = (await (await admin.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await admin.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" }, maxRedirects: 0 });
  expect((await admin.post("/api/v1/accounts", { data: { accountId: PROD, name: "Production", environment: "production" } })).status()).toBe(201);
  // Registering tests the entry at once: it works.
  const registered = await admin.post("/api/v1/roles", { data: { accountId: PROD, roleName: ROLE_NAME } });
  expect(registered.status(), await registered.text()).toBe(201);
  const { role } = (await registered.json()) as { role: { id: string; health: { ok: boolean; source: string } | null } };
  expect(role.health).toMatchObject({ ok: true, source: "registered" });
  roleId = role.id;
  expect((await admin.post("/api/v1/users", { data: { ...operator, name: "Otto Operator", role: "operator" } })).status()).toBe(201);
  expect((await admin.post("/api/v1/grants", { data: { roleId, userEmail: operator.email } })).status()).toBe(201);
  await admin.dispose();
});

test.afterAll(async () => {
  await app?.stop();
  await sandbox?.stop();
});

test("[HEALTH]: a broken role shows as broken in the catalog, the menu and the Grants dialog, after a reload and after a background re-test", async ({ browser }) => {
  const admin = await signedIn(browser, ADMIN.email, ADMIN.password);
  const { page } = admin;
  await expect(healthOf(page)).toHaveAttribute("data-health", "ok");
  await expect(healthOf(page)).toContainText("Works");
  await expect(healthOf(page)).toContainText("by the test when it was registered");

  // Settings say how often roles are tested again.
  await page.goto("/settings");
  await expect(page.getByTestId("role-health-interval")).toContainText("every 10 seconds, at most 20 per second");
  await page.goto("/roles");

  // Someone edits the trust policy in IAM: the console is no longer trusted.
  await setTrust(TRUSTS_DEVELOPMENT_ONLY);

  // The background re-test finds it; the page shows it once loaded again.
  await expect(async () => {
    await page.reload();
    await expect(healthOf(page)).toHaveAttribute("data-health", "failing", { timeout: 1_000 });
  }).toPass({ timeout: BACKGROUND_WAIT_MS, intervals: [2_000] });
  await expect(healthOf(page)).toContainText("Fails: not trusted");
  await expect(healthOf(page)).toContainText(/tested (just now|\d+ min ago) by the background re-test/);
  // The full sentence behind "Why?", from the keyboard.
  await healthOf(page).getByText("Why?").focus();
  await page.keyboard.press("Enter");
  await expect(healthOf(page)).toContainText(`The trust policy of ${ROLE_ARN} does not trust the console's broker`);
  await page.screenshot({ path: "test-results/screens/role-health-catalog.png", fullPage: true });
  // On a phone the status line wraps under the role; the page does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(healthOf(page)).toContainText("Fails: not trusted");
  await page.screenshot({ path: "test-results/screens/role-health-catalog-390.png", fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // A reload keeps it.
  await page.reload();
  await expect(healthOf(page)).toHaveAttribute("data-health", "failing");

  // The Grants dialog warns before anyone is given it.
  await row(page).getByRole("button", { name: /^Grants/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("grants-health")).toContainText(`${ROLE_NAME} failed its last test (not trusted)`);
  await expect(dialog.getByTestId("grants-health")).toContainText("People you grant it to cannot switch into it until it is fixed.");
  await page.screenshot({ path: "test-results/screens/role-health-grants.png" });
  await page.keyboard.press("Escape");

  // The menu shows it greyed out, with the reason.
  const option = await openMenu(page);
  await expect(option.getByTestId("switch-menu-role-health")).toHaveText("Fails: not trusted");
  await expect(option).toHaveAttribute("aria-label", /failed its last test: not trusted/);
  await page.screenshot({ path: "test-results/screens/role-health-menu.png" });
  await page.keyboard.press("Escape");

  // The API's role entry carries it, and the audit log has the background test, with no person.
  const api = (await (await admin.request.get(`/api/v1/roles/${roleId}`)).json()) as { role: { health: Record<string, unknown> } };
  expect(api.role.health).toMatchObject({ ok: false, code: "aws_denied", why: "not_trusted", source: "background" });
  const audit = (await (await admin.request.get("/api/v1/audit-events?action=role.test&outcome=denied")).json()) as {
    events: Array<{ actorEmail: string | null; target: string | null; details: Record<string, unknown> }>;
  };
  expect(audit.events.find((e) => e.target === ROLE_ARN && e.details.source === "background")).toMatchObject({ actorEmail: null, details: { why: "not_trusted", sessionName: "switchboard-health-check" } });

  // The operator granted it sees the same, in their menu and their Roles page, without the
  // administrators' details.
  const person = await signedIn(browser, operator.email, operator.password);
  await expect(healthOf(person.page)).toContainText("Fails: not trusted");
  await expect(row(person.page)).not.toContainText(/Added by hand|Discovered|Created with the wizard/);
  await expect(row(admin.page)).toContainText("Added by hand");
  await person.page.screenshot({ path: "test-results/screens/role-health-operator.png", fullPage: true });
  const operatorOption = await openMenu(person.page);
  await expect(operatorOption.getByTestId("switch-menu-role-health")).toHaveText("Fails: not trusted");
  await person.close();

  // Fixed in IAM; the administrator's Test passes, and that is what the page shows after a reload.
  await setTrust(TRUSTS_CONSOLE);
  await page.reload();
  await row(page).getByRole("button", { name: "Test", exact: true }).click();
  await expect(page.getByTestId(`test-result-${ROLE_NAME}`)).toContainText(`The console can switch into ${ROLE_NAME}`);
  await page.reload();
  await expect(healthOf(page)).toHaveAttribute("data-health", "ok");
  await expect(healthOf(page)).toContainText(/by an administrator's Test|by the background re-test/);
  const fixed = await openMenu(page);
  await expect(fixed).toBeVisible();
  await expect(fixed.getByTestId("switch-menu-role-health")).toHaveCount(0);
  await admin.close();
});
