// Editing a catalog role's trust policy and cloning a role through the wizard, in Chromium
// against the sandbox. The role is created through POST /api/v1/provisioning/apply in
// Production, trusting the console; an administrator adds Development's account to its trust,
// sees the diff, saves (audited as provisioning.trust_update), then clones it.
import type { APIRequestContext } from "@playwright/test";
import { ensureSandboxAccounts, expect, signInWithForm, test } from "./fixtures";
import { ADMIN } from "./support/accounts";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DEV_ROOT = "arn:aws:iam::222222222222:root";

/** A role in Production through the console's provisioning, trusting `entities`. */
async function createRole(request: APIRequestContext, roleName: string, entities: Array<Record<string, string>>) {
  await ensureSandboxAccounts(request);
  const applied = await request.post("/api/v1/provisioning/apply", {
    data: {
      document: {
        target: { accountId: "111111111111", roleName, path: "/", description: "Edited by the e2e test", maxSessionDuration: 3600, tags: [{ key: "team", value: "platform" }] },
        trust: { entities, conditions: {} },
        permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [{ name: "read-only", template: { id: "read-only" } }] },
        applySourcePolicies: [],
      },
      acknowledgeWarnings: true,
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  const { ok } = (await applied.json()) as { ok: boolean };
  expect(ok).toBe(true);
}

test("[WIZARD-EDIT]: an admin adds Development to a role's trust, sees the diff, saves; the audit log has it", async ({ page }) => {
  const ROLE = `EditTrust_${unique()}`;
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await createRole(page.context().request, ROLE, [{ kind: "broker" }]);

  await page.goto("/roles");
  await page.getByRole("link", { name: `Edit trust of ${ROLE}` }).click();
  await expect(page.getByRole("heading", { name: `Edit trust: ${ROLE}` })).toBeVisible();
  const current = await page.getByTestId("trust-current").textContent();
  expect(current).toContain("TrustSwitchboardBroker");
  await expect(page.getByTestId("trust-diff-empty")).toBeVisible();

  // Add Development's account root in a statement of its own.
  const policy = JSON.parse(current ?? "{}") as { Statement: unknown[] };
  policy.Statement.push({ Sid: "TrustDevelopment", Effect: "Allow", Principal: { AWS: DEV_ROOT }, Action: "sts:AssumeRole" });
  await page.getByLabel("Proposed trust policy").fill(JSON.stringify(policy, null, 2));

  const diff = page.getByTestId("trust-diff");
  await expect(diff.locator('[data-kind="add"]', { hasText: DEV_ROOT })).toBeVisible();
  await expect(diff.locator('[data-kind="remove"]')).toHaveCount(0);
  await expect(page.getByTestId("trust-findings-error")).toHaveCount(0);
  // A whole account trusted without a condition is worth a warning, which must be ticked.
  const ack = page.getByRole("checkbox", { name: /save anyway/ });
  if (await ack.count()) {
    await expect(page.getByTestId("trust-save")).toBeDisabled();
    await ack.check();
  }
  await page.getByTestId("trust-save").click();
  await expect(page.getByTestId("trust-outcome")).toContainText("Saved");

  // Read live again: IAM has the new policy.
  await page.reload();
  await expect(page.getByTestId("trust-current")).toContainText(DEV_ROOT);

  const audit = await page.context().request.get("/api/v1/audit-events?action=provisioning.trust_update");
  expect(audit.status()).toBe(200);
  const { events } = (await audit.json()) as { events: Array<{ outcome: string }> };
  expect(events.some((e) => e.outcome === "success" && JSON.stringify(e).includes(`role/${ROLE}`))).toBe(true);
});

test("[WIZARD-EDIT]: Clone prefills the wizard from the live role, without a target account", async ({ page }) => {
  // A role of its own that trusts the console and Development, as the test above leaves its.
  const ROLE = `CloneTrust_${unique()}`;
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/");
  await createRole(page.context().request, ROLE, [{ kind: "broker" }, { kind: "account", accountId: "222222222222" }]);
  await page.goto("/roles");
  await page.getByRole("link", { name: `Clone ${ROLE}` }).click();
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
  await expect(page).toHaveURL(/\/roles\/new$/);
  await expect(page.getByText(`Copied from ${ROLE}`)).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue(ROLE);
  await expect(page.getByLabel("Description (optional)")).toHaveValue("Edited by the e2e test");
  await expect(page.getByLabel("Target account")).toHaveValue("");

  await page.getByLabel("Target account").selectOption("222222222222");
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("wizard-step-2")).toBeVisible();
  await expect(page.getByTestId("trusted-entity-0")).toHaveAttribute("data-kind", "broker");
  await expect(page.getByTestId("trusted-entity-1")).toHaveAttribute("data-kind", "account");
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("wizard-step-3")).toBeVisible();
  await expect(page.getByTestId("wizard-step-3")).toContainText("ReadOnlyAccess");
});
