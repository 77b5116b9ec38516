// The wizard's other half (issue 13), in Chromium against the sandbox: after creating a role the
// Next steps hand over the source-side policy (copied and downloaded as JSON), grant the role to
// an operator who then finds it in their menu, and Test the switch; the Review catches a role
// name the account already has and a managed policy that does not exist, at their fields; and a
// field reached with Tab is never left under the sticky footer, on a phone or a laptop.
import { readFileSync } from "node:fs";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, ensureSandboxAccounts, expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { createFromReview } from "./support/wizard";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DEVELOPER = "arn:aws:iam::222222222222:user/developer";
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/wizard-${name}.png`, fullPage: true });

async function openWizard(page: Page) {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await ensureSandboxAccounts(page.context().request);
  await page.goto("/roles/new");
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
}

const next = (page: Page) => page.getByRole("button", { name: /^Next/ }).click();


/** How far the page scrolls sideways, and the innermost elements that reach past the viewport's
 * right edge, so that a page wider than a phone says what made it so. */
const widerThanViewport = (page: Page) =>
  page.evaluate(() => {
    const past = (el: Element) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
    const culprits = [...document.body.querySelectorAll("*")]
      .filter((el) => past(el) && ![...el.children].some(past))
      .slice(0, 10)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")} "${(el.textContent ?? "").trim().slice(0, 40)}" → ${Math.round(el.getBoundingClientRect().right)}`);
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, culprits };
  });

/** A role in Production made through the API (the admin's signed-in request context). */
async function existingRole(request: APIRequestContext, roleName: string) {
  const applied = await request.post("/api/v1/provisioning/apply", {
    data: {
      document: {
        target: { accountId: "111111111111", roleName, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
        trust: { entities: [{ kind: "broker" }], conditions: {} },
        permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
        applySourcePolicies: [],
      },
      acknowledgeWarnings: true,
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
}

test("[WIZARD-NEXT]: Next steps hand over the source-side policy, grant the role to an operator and test the switch", async ({ page, browser, context, baseURL }) => {
  const ROLE = `NextSteps_${unique()}`;
  const roleArn = `arn:aws:iam::111111111111:role/${ROLE}`;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await openWizard(page);
  const operator = { email: uniqueEmail("next-steps-operator"), name: "Nia Next", password: "next-steps-operator-pw-1", role: "operator" as const };
  await createUser(page.context().request, operator);
  await page.reload();

  // The console (to switch from the menu) and Development's developer, whose policy is not attached.
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(ROLE);
  await next(page);
  await expect(page.getByTestId("trusted-entity-0")).toHaveAttribute("data-kind", "broker");
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill(DEVELOPER);
  await next(page);
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await next(page);

  // Development is registered, so trusting it without a condition is information, with the
  // organization's advice, not a warning to acknowledge.
  const findings = page.getByTestId("lint-findings");
  await expect(findings).toContainText("no ExternalId is needed");
  await expect(findings).toContainText("aws:PrincipalOrgID");
  await expect(page.getByRole("checkbox", { name: /create the role anyway/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: /Attach it in Development now/ })).not.toBeChecked();

  await createFromReview(page);
  // While it starts, the planned steps are already listed.
  await expect(page.getByTestId("apply-steps")).toBeVisible();
  await expect(page.getByTestId("apply-result")).toHaveAttribute("data-ok", "true", { timeout: 30_000 });
  await expect(page.getByTestId("apply-checking")).toHaveCount(0);
  await expect(page.getByText(/If a step fails/)).toHaveCount(0);
  const nextSteps = page.getByTestId("next-steps");
  await expect(nextSteps.getByRole("heading", { name: "Next steps" })).toBeVisible();

  // 1. The other half, for Development's developer: copied and downloaded, the same JSON.
  const handOff = page.getByTestId("next-source-policy-0");
  await expect(handOff).toHaveAttribute("data-account", "222222222222");
  await expect(handOff).toContainText(DEVELOPER);
  await page.getByTestId("next-source-policy-0-code-copy").click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { Version: string; Statement: Array<{ Effect: string; Action: string | string[]; Resource: string }> };
  expect(copied.Version).toBe("2012-10-17");
  expect(copied.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Resource: roleArn })]);
  expect([copied.Statement[0]!.Action].flat()).toContain("sts:AssumeRole");
  const [download] = await Promise.all([page.waitForEvent("download"), handOff.getByRole("button", { name: /^Download/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  expect(JSON.parse(readFileSync((await download.path())!, "utf8"))).toEqual(copied);

  // 2. Granted to the operator from here.
  const grant = page.getByTestId("next-grant");
  await grant.getByLabel("Person", { exact: true }).selectOption(operator.email);
  await grant.getByRole("button", { name: "Grant" }).click();
  await expect(grant.getByRole("status")).toContainText(`${ROLE} is granted to ${operator.email}`);
  await expect(page.getByTestId("next-granted")).toContainText(operator.email);

  // 3. The Test: a real AssumeRole from the console.
  await page.getByTestId("next-test-button").click();
  await expect(page.getByTestId("next-test-result")).toContainText(`The console can switch into ${ROLE}`);
  await expect(page.getByTestId("next-test-result")).toContainText(`arn:aws:sts::111111111111:assumed-role/${ROLE}/`);

  await shot(page, "next-steps-1440");
  await page.setViewportSize(PHONE);
  await expect(nextSteps).toBeVisible();
  const wide = await widerThanViewport(page);
  expect(wide.overflow, wide.culprits.join("\n")).toBeLessThanOrEqual(0);
  await shot(page, "next-steps-390");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "next-steps-390-dark");

  // The operator finds it in their Switch role menu.
  const theirs = await browser.newContext({ baseURL });
  const operatorPage = await theirs.newPage();
  await signInWithForm(operatorPage, operator.email, operator.password);
  await operatorPage.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  await operatorPage.keyboard.press("Control+k");
  await operatorPage.getByRole("combobox", { name: "Search roles" }).fill(ROLE);
  await expect(operatorPage.getByRole("option").first()).toContainText(ROLE);
  await theirs.close();
});

test("[WIZARD-NEXT]: the source-side policy attached by the wizard is not handed over again", async ({ page }) => {
  const ROLE = `NextAttached_${unique()}`;
  await openWizard(page);
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(ROLE);
  await next(page);
  await page.getByRole("button", { name: "Remove trusted entity 1" }).click();
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill(DEVELOPER);
  await next(page);
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await next(page);
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  await page.getByRole("checkbox", { name: /Attach it in Development now/ }).check();
  await createFromReview(page);
  await expect(page.getByTestId("apply-result")).toHaveAttribute("data-ok", "true", { timeout: 30_000 });
  await expect(page.getByTestId("next-source-policies")).toHaveCount(0);
  await expect(page.getByTestId("next-source-attached")).toContainText("on developer in Development (222222222222)");
  // It does not trust the console: nothing to grant or test from here, and the page says why.
  await expect(page.getByTestId("next-grant")).toHaveCount(0);
  await expect(page.getByTestId("next-no-console")).toContainText("does not trust Switchboard");
});

test("[WIZARD-NEXT]: Review catches a role name the account has and a managed policy that does not exist", async ({ page }) => {
  const TAKEN = `Taken_${unique()}`;
  await openWizard(page);
  await existingRole(page.context().request, TAKEN);

  // The same name in other capitals: IAM names are unique whatever the case.
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(TAKEN.toUpperCase());
  await next(page);
  await next(page);
  const search = page.getByRole("searchbox", { name: "Search managed policies" });
  await search.fill("arn:aws:iam::aws:policy/NoSuchPolicyForE2E");
  await search.press("Enter");
  await expect(page.getByRole("list", { name: "Chosen managed policies" })).toContainText("NoSuchPolicyForE2E");
  await next(page);

  const failure = page.getByTestId("wizard-plan-error");
  await expect(failure).toContainText("Some answers need a change");
  await expect(page.getByTestId("wizard-plan-error-step-1")).toContainText(`A role named ${TAKEN.toUpperCase()} already exists in Production (111111111111)`);
  await expect(page.getByTestId("wizard-plan-error-step-3")).toContainText("AWS has no managed policy arn:aws:iam::aws:policy/NoSuchPolicyForE2E");
  await expect(page.getByTestId("wizard-create")).toBeDisabled();
  await shot(page, "review-caught");

  // To the field, with the message beside it; a free name clears it.
  await page.getByTestId("wizard-plan-error-step-1").getByRole("button", { name: "Go to Where" }).click();
  const name = page.getByLabel("Role name");
  await expect(name).toBeFocused();
  await expect(page.getByTestId("wizard-step-1")).toContainText("Choose another name, or register the existing role");
  await name.fill(`${TAKEN}_2`);
  await next(page);
  await next(page);
  await next(page);
  await expect(page.getByTestId("wizard-plan-error-step-1")).toHaveCount(0);
  await page.getByTestId("wizard-plan-error-step-3").getByRole("button", { name: "Go to What" }).click();
  await expect(page.getByTestId("wizard-step-3")).toContainText("NoSuchPolicyForE2E: AWS has no managed policy");
  await page.getByRole("button", { name: "Remove NoSuchPolicyForE2E" }).click();
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await next(page);
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  await expect(page.getByTestId("wizard-plan-error")).toHaveCount(0);
});

/** Tabs through the step from its heading to its footer; every field focused on the way must be
 * wholly above the sticky footer. Returns how many were checked. */
async function tabAboveFooter(page: Page): Promise<number> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("#wizard-step-heading").focus();
  let checked = 0;
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press("Tab");
    const where = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        const footer = document.querySelector('[data-testid="wizard-step-footer"]');
        if (!el || !footer || el === document.body) return null;
        if (footer.contains(el)) return { inFooter: true as const };
        const box = el.getBoundingClientRect();
        return { inFooter: false as const, bottom: Math.round(box.bottom), footerTop: Math.round(footer.getBoundingClientRect().top), what: `${el.tagName}#${el.id} ${el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? ""}` };
      });
    const first = await where();
    if (!first) continue;
    if (first.inFooter) return checked;
    checked++;
    await expect.poll(async () => {
      const now = await where();
      return now && !now.inFooter && now.bottom <= now.footerTop ? "clear" : JSON.stringify(now);
    }, { message: `focused ${first.what}` }).toBe("clear");
  }
  throw new Error("Tab never reached the footer");
}

for (const viewport of [PHONE, LAPTOP]) {
  test(`[WIZARD-NEXT]: at ${viewport.width}×${viewport.height}, a field reached with Tab is never under the sticky footer`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openWizard(page);
    await page.getByLabel("Target account").selectOption("111111111111");
    await page.getByLabel("Role name").fill(`Focus_${unique()}`);
    if (viewport === PHONE) expect(await tabAboveFooter(page)).toBeGreaterThan(4);
    await next(page);
    await next(page);
    // What, made long: three inline policies above the managed policies.
    const add = page.getByRole("group", { name: "Add an inline policy" });
    await add.getByRole("button", { name: /bucket/i }).click();
    await add.getByRole("button", { name: /read-only/i }).click();
    await add.getByRole("button", { name: "Write JSON" }).click();
    await expect(page.getByRole("list", { name: "Managed policies" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);
    expect(await tabAboveFooter(page)).toBeGreaterThan(10);
    await shot(page, `what-${viewport.width}`);
  });
}
