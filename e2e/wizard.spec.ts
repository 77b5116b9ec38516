// The role wizard end to end in Chromium against the sandbox, the tutorials' scenario: an
// administrator creates a read-my-bucket role in Production for Development's developer, with
// the source-side policy attached in Development; the developer's own keys can assume it only
// once that policy is there. Then a role for operators, trusted by the console, created and
// switched into from the menu. Every test registers the sandbox accounts it uses (whoever got
// there first) and names its roles uniquely, so each passes alone and in any order.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Page } from "@playwright/test";
import { ensureSandboxAccounts, expect, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";
import { sandbox, sandboxUrl, sandboxUserKeys } from "./support/sandbox";
import { createFromReview } from "./support/wizard";

/** A suffix no other test or run uses (IAM role names take it as it is). */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DEVELOPER = "arn:aws:iam::222222222222:user/developer";

const sts = (keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: keys, maxAttempts: 1 });

/** Each step at laptop size, for people to look at (test-results/screens). */
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/wizard-${name}.png`, fullPage: true });

/** Signed in as the administrator, on the wizard's first step, with Production and Development
 * (where the source-side policy goes) in the registry. */
async function openWizard(page: Page) {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await ensureSandboxAccounts(page.context().request);
  await page.goto("/roles/new");
}

async function next(page: Page) {
  await page.getByRole("button", { name: /^Next/ }).click();
}

/** Creates from Review and waits for the apply to finish (its steps, then the link to the new
 * entry). */
async function create(page: Page) {
  await createFromReview(page);
  await expect(page.getByTestId("apply-steps")).toBeVisible();
  await expect(page.getByRole("link", { name: /Open in the catalog/ })).toBeVisible({ timeout: 30_000 });
}

test("[WIZARD]: a cross-account read-my-bucket role, with the source-side policy in Development", async ({ page }) => {
  const READ_ROLE = `read_my_bucket_${unique()}`;
  await openWizard(page);

  // 1 Where
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(READ_ROLE);
  await page.getByLabel("Description (optional)").fill("Development's developer reads my bucket");
  await shot(page, "1-where");
  await next(page);

  // 2 Who: not the console; Development's developer.
  await expect(page.getByTestId("wizard-step-2")).toBeVisible();
  const entities = page.locator('[data-testid^="trusted-entity-"]');
  if ((await entities.count()) > 0) await page.getByRole("button", { name: "Remove trusted entity 1" }).click();
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill(DEVELOPER);
  await shot(page, "2-who");
  await next(page);

  // 3 What: the tutorials' read_my_bucket.
  await expect(page.getByTestId("wizard-step-3")).toBeVisible();
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /bucket/i }).click();
  await page.getByLabel("Bucket name").fill("my-bucket");
  await shot(page, "3-what");
  await next(page);

  // 4 Review: policies, the source-side policy, exports.
  await expect(page.getByTestId("wizard-step-4")).toBeVisible();
  await expect(page.getByTestId("wizard-trust-policy")).toContainText(DEVELOPER);
  await expect(page.getByTestId("wizard-role-arn")).toHaveText(`arn:aws:iam::111111111111:role/${READ_ROLE}`);
  await expect(page.getByTestId("quota-trustPolicy")).toContainText("of 2,048 characters");
  await expect(page.getByTestId("quota-inlinePolicies")).toContainText("of 10,240 characters");
  await expect(page.getByRole("meter", { name: "Managed policies size" })).toHaveAttribute("aria-valuetext", "0 of 10 policies");
  const source = page.getByTestId("source-policy-222222222222");
  await expect(source).toContainText("sts:AssumeRole");
  await page.getByTestId("export-tab-terraform").click();
  await expect(page.getByTestId("export-terraform")).toContainText('resource "aws_iam_role"');
  await page.getByTestId("export-tab-cloudformation").click();
  await expect(page.getByTestId("export-cloudformation")).toContainText("AWS::IAM::Role");
  await shot(page, "4-review");

  // Created first without the source-side policy: the developer cannot assume it yet.
  await create(page);
  await shot(page, "5-created");

  const developer = sts(sandboxUserKeys("developer"));
  const denied = await developer.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::111111111111:role/${READ_ROLE}`, RoleSessionName: "dev" })).catch((e: Error) => e);
  expect(String(denied)).toContain("is not authorized to perform: sts:AssumeRole");
});

test("[WIZARD]: with the source-side policy applied, Development's developer can assume the new role", async ({ page }) => {
  const role = `read_my_bucket_${unique()}_2`;
  await openWizard(page);
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(role);
  await next(page);
  const entities = page.locator('[data-testid^="trusted-entity-"]');
  if ((await entities.count()) > 0) await page.getByRole("button", { name: "Remove trusted entity 1" }).click();
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill(DEVELOPER);
  await next(page);
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /bucket/i }).click();
  await page.getByLabel("Bucket name").fill("my-bucket");
  await next(page);
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  await page.getByRole("checkbox", { name: /Attach it in Development now/ }).check();
  await create(page);

  const developer = sts(sandboxUserKeys("developer"));
  const out = await developer.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::111111111111:role/${role}`, RoleSessionName: "dev" }));
  expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::111111111111:assumed-role/${role}/dev`);
});

test("[WIZARD]: a role for operators, trusted by the console, switched into from the menu", async ({ page, context }) => {
  const OPS_ROLE = `OperatorsReadOnly_${unique()}`;
  await openWizard(page);
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(OPS_ROLE);
  await next(page);
  await expect(page.getByTestId("trusted-entity-0")).toHaveAttribute("data-kind", "broker");
  await next(page);
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await next(page);
  await expect(page.getByTestId("wizard-trust-policy")).toContainText("sts:SetSourceIdentity");
  await create(page);

  await page.goto("/");
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await page.keyboard.press("Control+k");
  await page.getByRole("combobox", { name: "Search roles" }).fill(OPS_ROLE);
  await expect(page.getByRole("option").first()).toContainText(OPS_ROLE);
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
  await consoleTab.waitForURL(`${sandboxUrl()}/console/**`);
  await expect(consoleTab.locator('[data-field="Signed in as"]')).toHaveText(`arn:aws:sts::111111111111:assumed-role/${OPS_ROLE}/${ADMIN.email}`);
});

test("[WIZARD]: when the progress stream breaks before the result, the page asks again and shows what really happened", async ({ page }) => {
  const role = `StreamCut_${unique()}`;
  await openWizard(page);
  // The apply runs to the end on the server, but the browser loses the last line (a proxy
  // timeout, a flaky network): the page must find out the outcome rather than guess.
  let cut = false;
  await page.route("**/api/v1/provisioning/apply", async (route) => {
    if (cut) return route.continue();
    cut = true;
    const response = await route.fetch();
    const lines = (await response.text()).trim().split("\n");
    expect(lines.at(-1)).toContain('"type":"result"');
    await route.fulfill({ response, body: `${lines.slice(0, -1).join("\n")}\n` });
  });
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(role);
  await next(page);
  await next(page);
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await next(page);
  const since = await sandbox.lastSeq();
  await create(page);
  expect(cut).toBe(true);
  // Created once: asking again returned the first answer instead of creating it a second time.
  expect((await sandbox.calls({ since, action: "CreateRole" })).map((c) => c.outcome)).toEqual(["Success"]);
  await expect(page.getByText(/cannot tell whether the role was created/)).toHaveCount(0);
});
