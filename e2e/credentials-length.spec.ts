// The credentials dialog's session length, end to end in real Chromium against the sandbox: it
// offers only the lengths the console grants for the entry (here the entry's own 8 hours, on a
// role whose MaxSessionDuration allows 12), choosing one issues new credentials in one request
// and says when they expire, and the credentials really last that long (AssumeRole's
// DurationSeconds in the sandbox's log, the Expiration the credential_process format carries).
// And the copy buttons keep their size when they say "Copied", at 390 px where they sit in a row.
// The spec makes its own account, IAM role, entry and operator, so it passes alone and in any order.
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Locator, Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithForm, test as base } from "./fixtures";
import { uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl, sandboxUserKeys } from "./support/sandbox";
import { screenPath, shootBothThemes } from "./support/screens";
import { grant } from "./support/scenario";

const ACCOUNT = "820000000031";
const ACCOUNT_NAME = "Credential Length Tests";
/** The broker's account (a long-term IAM user there): not role chaining, so up to 12 hours. */
const BROKER_ACCOUNT = "333333333333";
const ENTRY_SECONDS = 8 * 3600;

type Fixture = { operator: { email: string; password: string }; roleName: string };

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** IAM in the spec's account through its OrganizationAccountAccessRole, as an administrator would. */
async function iamInAccount(): Promise<IAMClient> {
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: sandboxUserKeys("switchboard"), maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, RoleSessionName: "credentials-length-spec" }));
  const c = out.Credentials!;
  return new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, maxAttempts: 1 });
}

const test = base.extend<{ fixture: Fixture }>({
  fixture: async ({ playwright, baseURL }, provide) => {
    const admin = await playwright.request.newContext({ baseURL });
    await signInAsAdmin(admin);
    await sandbox.addAccount(ACCOUNT, ACCOUNT_NAME);
    const account = await admin.post("/api/v1/accounts", { data: { accountId: ACCOUNT, name: ACCOUNT_NAME } });
    expect([201, 409], await account.text()).toContain(account.status());
    // A role that allows 12-hour sessions, trusting the broker's account; the entry allows 8.
    const roleName = `LongSessions-${unique()}`;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${BROKER_ACCOUNT}:root` }, Action: "sts:AssumeRole" }] };
    await (await iamInAccount()).send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: 43200 }));
    const created = await admin.post("/api/v1/roles", { data: { accountId: ACCOUNT, roleName, sessionDuration: ENTRY_SECONDS, sourceIdentity: false } });
    expect(created.status(), await created.text()).toBe(201);
    const { role } = (await created.json()) as { role: { id: string } };
    const operator = { email: uniqueEmail("len.ops"), password: "length-operator-password", name: "Len Operator" };
    await createUser(admin, { ...operator, role: "operator" });
    await grant(admin, role.id, operator.email);
    await admin.dispose();
    await provide({ operator, roleName });
  },
});

async function openCredentials(page: Page, roleName: string): Promise<Locator> {
  const yours = page.getByRole("region", { name: "Your roles" });
  await yours.getByRole("button", { name: new RegExp(`^Credentials for ${roleName}`) }).click();
  const dialog = page.getByRole("dialog", { name: /credentials/i });
  await expect(dialog).toContainText(/expires in/i);
  return dialog;
}

/** The Expiration in the credential_process format (what the SDKs read). */
async function expirationShown(dialog: Locator): Promise<number> {
  await dialog.getByRole("tab", { name: "credential_process" }).click();
  const text = (await dialog.getByTestId("credentials-text").textContent()) ?? "";
  const expiration = /"Expiration":\s*"([^"]+)"/.exec(text)?.[1];
  expect(expiration, text).toBeTruthy();
  return Date.parse(expiration!);
}

test("[CREDENTIALS]: the operator chooses how long credentials last, among the lengths the console grants", async ({ page, fixture: { operator, roleName } }) => {
  await signInWithForm(page, operator.email, operator.password);
  const since = await sandbox.lastSeq();
  const dialog = await openCredentials(page, roleName);
  const lengths = dialog.getByRole("group", { name: "Session length" });
  // The entry's 8 hours is the ceiling: 12 hours is not offered, though the IAM role allows it.
  await expect(lengths.getByRole("button")).toHaveText(["15 min", "1 h", "4 h", "8 h"]);
  await expect(lengths.getByRole("button", { name: "8 h" })).toHaveAttribute("aria-pressed", "true");
  await expect(lengths).toHaveAccessibleDescription(/Up to 8 hours for this role/);
  const firstExpiry = await expirationShown(dialog);
  expect(Math.abs(firstExpiry - (Date.now() + ENTRY_SECONDS * 1000))).toBeLessThan(120_000);

  // Keyboard: Tab to "4 h", Enter. One request, with progress, and the focus stays put.
  const fourHours = lengths.getByRole("button", { name: "4 h" });
  await fourHours.focus();
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/sessions") && r.method() === "POST") requests.push(r.postData() ?? "");
  });
  await page.keyboard.press("Enter");
  await expect(fourHours).toHaveAttribute("aria-pressed", "true");
  await expect(fourHours).toBeFocused();
  await expect(dialog).toContainText(/expires in 3:5\d:\d\d/i);
  expect(requests.map((body) => JSON.parse(body) as { durationSeconds?: number }).map((b) => b.durationSeconds)).toEqual([4 * 3600]);
  const expiry = await expirationShown(dialog);
  expect(Math.abs(expiry - (Date.now() + 4 * 3600 * 1000))).toBeLessThan(120_000);
  // The clock time it names is that expiry.
  expect(Date.parse((await dialog.getByTestId("credentials-expires-at").locator("time").getAttribute("datetime")) ?? "")).toBe(expiry);

  // AWS was asked for exactly that (in the operator's name: not the console's own Test of the entry).
  const assumed = (await sandbox.calls({ since, action: "AssumeRole" })).filter((c) => String(c.detail.RoleArn).endsWith(`/${roleName}`) && c.detail.RoleSessionName === operator.email);
  expect(assumed.map((c) => c.detail.DurationSeconds)).toEqual([ENTRY_SECONDS, 4 * 3600]);

  // 15 minutes by mouse.
  await lengths.getByRole("button", { name: "15 min" }).click();
  await expect(dialog).toContainText(/expires in 1[45]:\d\d/i);
  const short = await expirationShown(dialog);
  expect(Math.abs(short - (Date.now() + 900 * 1000))).toBeLessThan(120_000);
  await shootBothThemes(page, "dialog-credentials-length-1440", false);
});

test("[CREDENTIALS]: at 390 px the copy button keeps its size when it says Copied, and nothing beside it moves", async ({ page, context, baseURL, fixture: { operator, roleName } }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithForm(page, operator.email, operator.password);
  const dialog = await openCredentials(page, roleName);
  const lengths = dialog.getByRole("group", { name: "Session length" });
  // The length choice fits the phone's dialog.
  const group = (await lengths.boundingBox())!;
  expect(group.x + group.width).toBeLessThanOrEqual(390);
  await shootBothThemes(page, "dialog-credentials-length-390", false);
  await dialog.getByRole("tab", { name: /bash/i }).click();
  const copy = dialog.getByTestId("credentials-copy");
  const reveal = dialog.getByRole("button", { name: "Reveal" });
  // Measured where the click will leave it: on screen (the dialog scrolls on a phone).
  await copy.scrollIntoViewIfNeeded();
  const before = { copy: (await copy.boundingBox())!, reveal: (await reveal.boundingBox())! };
  await copy.click();
  // The hidden label is out of the name, so this is what people see and hear.
  await expect(copy).toHaveAccessibleName("Copied");
  await expect(dialog.getByRole("status").filter({ hasText: "Copied" })).toHaveCount(1);
  const after = { copy: (await copy.boundingBox())!, reveal: (await reveal.boundingBox())! };
  expect(after.copy).toEqual(before.copy);
  expect(after.reveal).toEqual(before.reveal);
  // While it says Copied (axe over both themes takes longer than the label lasts).
  await page.screenshot({ path: screenPath("dialog-credentials-copied-390") });
  // And back: the label returns, at the same size.
  await expect(copy).toHaveAccessibleName("Copy", { timeout: 5_000 });
  expect((await copy.boundingBox())!).toEqual(before.copy);
});
