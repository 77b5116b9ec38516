// Issue 14 §4, seed 003's credential_source, in Chromium against the sandbox. A new role that
// trusts a role which is itself an EC2 instance role (it trusts ec2.amazonaws.com; made here in
// Development, which the console reads through its provisioning role): the Review's ~/.aws/config
// export starts with credential_source = Ec2InstanceMetadata and says why; choosing
// source_profile changes the text, and the AWS CLI (v1) reads the downloaded file. The
// credentials dialog's config tab offers credential_source, remembers the choice, and Copy takes
// that text. Screenshots at 390 and 1440 px in both themes, each checked with axe.
// The spec makes its own IAM role, account, entry and person, so it passes alone and in any order.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Locator, Page } from "@playwright/test";
import { ensureSandboxAccounts, expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl, sandboxUserKeys } from "./support/sandbox";
import { expectAccessible, screenPath } from "./support/screens";
import { createUser, signedIn, switchableRole } from "./security/support";

const DEVELOPMENT = "222222222222";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const APP_SERVER = `app-server-${unique()}`;
const APP_SERVER_ARN = `arn:aws:iam::${DEVELOPMENT}:role/${APP_SERVER}`;
// The credentials dialog's own account and person.
const ACCOUNT = "820000000071";
const ACCOUNT_NAME = "Credential Source";
const PASSWORD = "credential-source-person-password";
let email: string;

/** IAM in Development through its OrganizationAccountAccessRole, as an administrator would. */
async function iamInDevelopment(): Promise<IAMClient> {
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: sandboxUserKeys("switchboard"), maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEVELOPMENT}:role/OrganizationAccountAccessRole`, RoleSessionName: "credential-source-spec" }));
  const c = out.Credentials!;
  return new IAMClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, maxAttempts: 1 });
}

test.beforeAll(async () => {
  // An EC2 instance role: what code on an instance runs as.
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await (await iamInDevelopment()).send(new CreateRoleCommand({ RoleName: APP_SERVER, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const admin = await signedIn(process.env.E2E_BASE_URL!, ADMIN.email, ADMIN.password);
  email = uniqueEmail("cara.source");
  await createUser(admin, { email, name: "Cara Source", password: PASSWORD, role: "operator" });
  await switchableRole(admin, sandbox, ACCOUNT, ACCOUNT_NAME, [email]);
});

/** This file as the only AWS config, and no other file or AWS setting of the machine. */
function aws(configFile: string, ...args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_"))) as NodeJS.ProcessEnv;
  return execFileSync("aws", args, { encoding: "utf8", env: { ...env, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: test.info().outputPath("no-credentials") } });
}

/** The wizard up to Review: a role in Production that trusts the console and the EC2 instance role. */
async function reviewTrustingAppServer(page: Page, roleName: string) {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await ensureSandboxAccounts(page.context().request);
  await page.goto("/roles/new");
  await expect(page.getByTestId("wizard-step-1")).toBeVisible();
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(roleName);
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("trusted-entity-0")).toHaveAttribute("data-kind", "broker");
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill(APP_SERVER_ARN);
  await page.getByRole("button", { name: /^Next/ }).click();
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  await page.getByTestId("export-tab-config").click();
}

/** The shot of one part of the page as it lies there (an element shot would scroll it under the
 * sticky header), after axe has looked at the page. */
async function shootSection(page: Page, section: Locator, name: string, { modal = false } = {}) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scroll, `no sideways scroll at ${width} px`).toBeLessThanOrEqual(viewport);
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await expectAccessible(page, `${name} ${width} (${theme})`);
      // A modal dialog sits in the viewport, whatever the page's height.
      if (modal) {
        await page.screenshot({ path: screenPath(`${name}-${width}-${theme}`) });
        continue;
      }
      // From the top, so that the sticky header stays at the top of the full page.
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = (await section.boundingBox())!;
      await page.screenshot({ path: screenPath(`${name}-${width}-${theme}`), fullPage: true, clip: { x: 0, y: Math.max(0, box.y - 16), width, height: box.height + 32 } });
    }
    await page.emulateMedia({ colorScheme: "light" });
  }
}

test("[CREDENTIAL-SOURCE]: the wizard's ~/.aws/config export defaults to Ec2InstanceMetadata for a role that trusts an EC2 instance role, and says why", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const roleName = `UsedFromEc2_${unique()}`;
  await reviewTrustingAppServer(page, roleName);

  const options = page.getByTestId("export-config-source");
  const note = page.getByTestId("export-config-source-note");
  const code = page.getByTestId("export-config");
  await expect(note).toHaveAttribute("data-reason", "credential_source");
  await expect(note).toContainText(`Role ${APP_SERVER} is an EC2 instance role (it trusts ec2.amazonaws.com)`);
  await expect(options.getByTestId("export-config-source-Ec2InstanceMetadata")).toBeChecked();
  await expect(code).toContainText(`role_arn = arn:aws:iam::111111111111:role/${roleName}\ncredential_source = Ec2InstanceMetadata\n`);
  await expect(code).not.toContainText("source_profile");

  // Copy takes what is shown; the download is what the AWS CLI reads.
  await page.getByTestId("export-config-copy").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("credential_source = Ec2InstanceMetadata");
  const [file] = await Promise.all([page.waitForEvent("download"), code.getByRole("button", { name: /^Download/ }).click()]);
  const path = test.info().outputPath(file.suggestedFilename());
  await file.saveAs(path);
  const profile = /^\[profile ([^\]]+)\]$/m.exec(readFileSync(path, "utf8"))?.[1];
  expect(profile).toBeTruthy();
  expect(aws(path, "configure", "get", "credential_source", "--profile", profile!).trim()).toBe("Ec2InstanceMetadata");
  expect(aws(path, "configure", "get", "role_arn", "--profile", profile!).trim()).toBe(`arn:aws:iam::111111111111:role/${roleName}`);

  await shootSection(page, options.locator(".."), "credential-source-wizard");

  // source_profile, by choice: the text follows, and the reason stays.
  await options.getByTestId("export-config-source-source_profile").check();
  await expect(code).toContainText("\nsource_profile = default\n");
  await expect(code).not.toContainText("credential_source");
  await options.getByTestId("export-config-source-EcsContainer").check();
  await expect(code).toContainText("\ncredential_source = EcsContainer\n");
  // The other exports are as they were.
  await page.getByTestId("export-tab-terraform").click();
  await expect(page.getByTestId("export-config-source")).toHaveCount(0);
  await expect(page.getByTestId("export-terraform")).not.toContainText("credential_source");
});

test("[CREDENTIAL-SOURCE]: trusting a role of an account the console does not know keeps source_profile, and says it could not check", async ({ page }) => {
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/roles");
  await ensureSandboxAccounts(page.context().request);
  await page.goto("/roles/new");
  await page.getByLabel("Target account").selectOption("111111111111");
  await page.getByLabel("Role name").fill(`Unknown_${unique()}`);
  await page.getByRole("button", { name: /^Next/ }).click();
  await page.getByRole("button", { name: "Role or user ARN" }).click();
  await page.getByLabel("Role or user ARN").fill("arn:aws:iam::987654321098:role/app-server");
  await page.getByRole("button", { name: /^Next/ }).click();
  await page.getByRole("group", { name: "Add an inline policy" }).getByRole("button", { name: /read-only/i }).click();
  await page.getByRole("button", { name: /^Next/ }).click();
  await expect(page.getByTestId("wizard-trust-policy")).toBeVisible();
  await page.getByTestId("export-tab-config").click();
  const note = page.getByTestId("export-config-source-note");
  await expect(note).toHaveAttribute("data-reason", "unchecked");
  await expect(note).toContainText("Account 987654321098 is not registered in the console, so it could not check what role app-server trusts.");
  await expect(page.getByTestId("export-config-source-source_profile")).toBeChecked();
  await expect(page.getByTestId("export-config")).toContainText("\nsource_profile = default\n");
});

test("[CREDENTIAL-SOURCE]: the credentials dialog's config tab offers credential_source, remembers it, and Copy takes it", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signInWithForm(page, email, PASSWORD);
  const open = async () => {
    await page.getByRole("region", { name: "Your roles" }).getByRole("button", { name: new RegExp(`^Credentials for ${ACCOUNT_NAME} admin`) }).click();
    const dialog = page.getByRole("dialog", { name: /credentials/i });
    await expect(dialog).toContainText(/expires in/i);
    await dialog.getByRole("tab", { name: "Config file role profile" }).click();
    return dialog;
  };
  let dialog = await open();
  const text = dialog.getByTestId("credentials-text");
  const source = dialog.getByTestId("credentials-config-source");
  // The default is as it was: the person's own profile.
  await expect(source).toHaveValue("source_profile");
  await expect(text).toContainText("\nsource_profile = default\n");

  await source.selectOption("Ec2InstanceMetadata");
  await expect(text).toContainText("\ncredential_source = Ec2InstanceMetadata\n");
  await expect(text).not.toContainText("source_profile");
  await expect(dialog.getByLabel("Source profile")).toHaveCount(0);
  await expect(dialog).toContainText("For code on an EC2 instance whose instance role the role trusts");
  await dialog.getByTestId("credentials-copy").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`[profile credential-source-organizationaccountaccessrole]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole\ncredential_source = Ec2InstanceMetadata\n`);
  expect(copied).not.toContain("source_profile");

  await shootSection(page, dialog, "credential-source-dialog", { modal: true });

  // Remembered: the next dialog, after a reload, starts with it.
  await page.keyboard.press("Escape");
  await page.reload();
  dialog = await open();
  await expect(dialog.getByTestId("credentials-config-source")).toHaveValue("Ec2InstanceMetadata");
  await expect(dialog.getByTestId("credentials-text")).toContainText("credential_source = Ec2InstanceMetadata");
  await dialog.getByTestId("credentials-config-source").selectOption("source_profile");
  await expect(dialog.getByTestId("credentials-text")).toContainText("\nsource_profile = default\n");
});
