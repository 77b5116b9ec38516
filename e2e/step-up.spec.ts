// Step-up: an administrator whose sign-in is older than 15 minutes is asked to
// confirm their password before a trust policy is changed, in the page, and the save goes through
// once they have; the API answers 401 step_up_required until then. In Chromium, against the sandbox.
import { createUser, ensureSandboxAccounts, expect, signInAsAdmin, signInWithForm, test } from "./fixtures";
import { uniqueEmail } from "./support/accounts";
import { ageSessions } from "./support/store";

const ROLE = `StepUp_${Date.now().toString(36)}`;

test("[STEP-UP]: an old sign-in must confirm the password before a trust policy changes; then it saves", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureSandboxAccounts(admin);
  const me = { email: uniqueEmail("stepup"), password: "step-up-admin-password" };
  await createUser(admin, { ...me, name: "Stella Stepup", role: "admin" });
  const applied = await admin.post("/api/v1/provisioning/apply", {
    data: {
      document: {
        target: { accountId: "111111111111", roleName: ROLE, path: "/", description: "Step-up e2e", maxSessionDuration: 3600, tags: [] },
        trust: { entities: [{ kind: "broker" }], conditions: {} },
        permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
        applySourcePolicies: [],
      },
      acknowledgeWarnings: true,
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  await admin.dispose();

  await signInWithForm(page, me.email, me.password, "/roles");
  // Twenty minutes later, as far as the store is concerned.
  ageSessions(me.email, 20);

  // The API says what is needed.
  const roles = (await (await page.context().request.get("/api/v1/roles")).json()) as { roles: Array<{ id: string; roleName: string }> };
  const role = roles.roles.find((r) => r.roleName === ROLE)!;
  const refused = await page.context().request.post("/api/v1/provisioning/apply", { data: { document: {}, acknowledgeWarnings: false } });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("step_up_required");

  await page.goto(`/roles/${role.id}/trust`);
  const current = await page.getByTestId("trust-current").textContent();
  const policy = JSON.parse(current ?? "{}") as { Statement: Array<Record<string, unknown>> };
  policy.Statement[0]!.Sid = "TrustSwitchboardBrokerStepUp";
  await page.getByLabel("Proposed trust policy").fill(JSON.stringify(policy, null, 2));
  const ack = page.getByRole("checkbox", { name: /save anyway/ });
  if (await ack.count()) await ack.check();
  await page.getByTestId("trust-save").click();

  const prompt = page.getByTestId("step-up");
  await expect(prompt).toContainText("needs a sign-in from the last 15 minutes");
  await page.screenshot({ path: "test-results/screens/step-up-1440.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screens/step-up-390.png", fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // A wrong password is said so, next to the field; the right one saves.
  await prompt.getByLabel("Your password").fill("not-my-password");
  await prompt.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(prompt).toContainText("That password is not right");
  await prompt.getByLabel("Your password").fill(me.password);
  await prompt.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page.getByTestId("trust-outcome")).toContainText("Saved");
  await expect(page.getByTestId("step-up")).toHaveCount(0);

  const events = (await (await page.context().request.get(`/api/v1/audit-events?${new URLSearchParams({ actor: me.email })}`)).json()) as {
    events: Array<{ action: string; outcome: string }>;
  };
  expect(events.events).toEqual(expect.arrayContaining([expect.objectContaining({ action: "auth.step_up", outcome: "success" }), expect.objectContaining({ action: "provisioning.trust_update", outcome: "success" })]));
});
