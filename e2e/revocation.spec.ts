// Revoking one person's live AWS sessions from the Users page, end to end: two operators hold
// credentials for the same role, an administrator revokes the first one's through the dialog,
// and AWS (the sandbox) then denies that person's credentials with an explicit deny while the
// other's keep working. The revocation is in the audit log.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
import { mkdirSync } from "node:fs";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandboxUrl } from "./support/sandbox";
import { ensureAccount, grant, PRODUCTION, registeredRoleId } from "./support/scenario";

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** Temporary credentials for `roleId`, as the operator signed in to `api` gets them. */
async function credentialsFor(api: APIRequestContext, roleId: string): Promise<Credentials> {
  const res = await api.post("/api/v1/sessions", { data: { roleId, kind: "credentials" } });
  expect(res.status(), await res.text()).toBe(200);
  const { accessKeyId, secretAccessKey, sessionToken } = ((await res.json()) as { credentials: Credentials }).credentials;
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** iam:GetRole on the role itself with the credentials: what AWS answers. */
async function getRole(credentials: Credentials, roleName: string): Promise<"ok" | { name: string; message: string }> {
  const iam = new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return "ok";
  } catch (err) {
    const { name, message } = err as Error;
    return { name, message };
  } finally {
    iam.destroy();
  }
}

/** The dialog at phone and laptop width, for people to look at (test-results/screens). */
async function shoot(page: Page, name: string) {
  mkdirSync("test-results/screens", { recursive: true });
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screens/revoke-${name}-${width}.png` });
  }
}

test("[REVOKE]: an admin revokes one operator's AWS sessions from the Users page; the other operator's keep working", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const [first, second] = [uniqueEmail("rita.revoked"), uniqueEmail("kai.kept")];
  const operators: Record<string, Credentials> = {};
  for (const email of [first, second]) {
    await createUser(admin, { email, name: email.split(".")[0]!, password: "revocation-operator-pass", role: "operator" });
    await grant(admin, roleId, email);
    const api = await playwright.request.newContext({ baseURL });
    await signInWithApi(api, email, "revocation-operator-pass");
    operators[email] = await credentialsFor(api, roleId);
    await api.dispose();
  }
  expect(await getRole(operators[first]!, "ReadOnly")).toBe("ok");

  await signInWithForm(page, ADMIN.email, ADMIN.password, "/users");
  await page.getByTestId(`user-row-${first}`).getByRole("button", { name: "Revoke AWS sessions" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke AWS sessions" });
  await expect(dialog).toContainText(`Denies every action to the AWS sessions ${first} started in the last 12 hours, in each role they used; sessions they start afterwards work.`);
  const confirm = dialog.getByRole("button", { name: "Revoke sessions" });
  await expect(confirm).toBeFocused();
  await shoot(page, "confirm");

  await page.keyboard.press("Enter");
  const result = dialog.getByTestId(`revocation-${roleId}`);
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText("Production");
  await expect(result).toContainText(`Sessions of ${first}`);
  await expect(dialog.getByTestId("revocation-results")).toContainText(`Ended in the one role ${first} used.`);
  await shoot(page, "results");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // AWS evaluates the deny on every call the revoked sessions make.
  const revoked = await getRole(operators[first]!, "ReadOnly");
  expect(revoked).toMatchObject({ name: "AccessDenied" });
  expect((revoked as { message: string }).message).toMatch(/explicit deny/);
  expect(await getRole(operators[second]!, "ReadOnly")).toBe("ok");

  const audit = await admin.get(`/api/v1/audit-events?action=session.revoke&actor=${encodeURIComponent(ADMIN.email)}&limit=50`);
  expect(audit.status(), await audit.text()).toBe(200);
  const { events } = (await audit.json()) as { events: Array<{ outcome: string; target: string | null; details: Record<string, unknown> }> };
  expect(events.find((e) => e.details.person === first)).toMatchObject({ outcome: "success", target: expect.stringContaining(":role/ReadOnly") as unknown, details: { scope: "person" } });
  expect(events.some((e) => e.details.person === second)).toBe(false);
  await admin.dispose();
});

test("[REVOKE]: from the Roles page an admin revokes one person's sessions in a role, and removing a grant ends the person's too", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  const roleId = await registeredRoleId(admin, PRODUCTION, "ReadOnly");
  const [named, removed, kept] = [uniqueEmail("nina.named"), uniqueEmail("gus.ungranted"), uniqueEmail("kai.kept")];
  const operators: Record<string, Credentials> = {};
  for (const email of [named, removed, kept]) {
    await createUser(admin, { email, name: email.split(".")[0]!, password: "revocation-operator-pass", role: "operator" });
    await grant(admin, roleId, email);
    const api = await playwright.request.newContext({ baseURL });
    await signInWithApi(api, email, "revocation-operator-pass");
    operators[email] = await credentialsFor(api, roleId);
    await api.dispose();
  }

  await signInWithForm(page, ADMIN.email, ADMIN.password, `/roles?account=${PRODUCTION}`);
  const row = page.getByTestId(`role-account-${PRODUCTION}`).getByTestId("role-row-ReadOnly");
  await row.getByRole("button", { name: "Revoke sessions…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Revoke sessions in / });
  await expect(dialog.getByLabel("One person")).toBeChecked();
  await expect(dialog.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(named);
  await shoot(page, "role-confirm");
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("revoke-sessions-result")).toContainText(`Sessions of ${named}`);
  await shoot(page, "role-result");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.setViewportSize({ width: 1440, height: 900 });

  await row.getByRole("button", { name: /^Grants/ }).click();
  const grants = page.getByRole("dialog", { name: /^Grants for / });
  await expect(grants.getByLabel(/Also end their live sessions in this role/)).toBeChecked();
  await grants.getByRole("button", { name: `Remove the grant to ${removed}` }).click();
  await expect(grants.getByRole("status")).toContainText(`${removed} can no longer use`);
  await expect(grants.getByRole("status")).toContainText(`Sessions of ${removed}`);

  for (const email of [named, removed]) {
    const answer = await getRole(operators[email]!, "ReadOnly");
    expect(answer, email).toMatchObject({ name: "AccessDenied" });
    expect((answer as { message: string }).message).toMatch(/explicit deny/);
  }
  expect(await getRole(operators[kept]!, "ReadOnly")).toBe("ok");
  await admin.dispose();
});
