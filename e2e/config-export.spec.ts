// "Export your roles" on the tokens page, as a person uses it: an operator with one granted role
// downloads the AWS config file in each of its three styles and AWS Extend Switch Roles'
// configuration; the AWS CLI (v1, installed here) reads the source_profile file and finds the
// profile and its role ARN; the section passes axe at phone and laptop width in both themes.
// The spec makes its own person and account, so it passes alone and in any order.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox } from "./support/sandbox";
import { expectAccessible, screenPath } from "./support/screens";
import { createUser, signedIn, switchableRole } from "./security/support";

const ACCOUNT = "820000000061";
const ACCOUNT_NAME = "Config Export";
const PASSWORD = "config-export-person-password";
// profileNameFor(account name, role name), lib/aws/credential-formats.ts.
const PROFILE = "config-export-organizationaccountaccessrole";

let email: string;
let role: { roleId: string; roleArn: string };

test.beforeAll(async () => {
  const admin = await signedIn(process.env.E2E_BASE_URL!, ADMIN.email, ADMIN.password);
  email = uniqueEmail("erin.export");
  await createUser(admin, { email, name: "Erin Export", password: PASSWORD, role: "operator" });
  role = await switchableRole(admin, sandbox, ACCOUNT, ACCOUNT_NAME, [email]);
});

/** Clicks a Download button and saves what the browser gets; returns its path and text. */
async function downloaded(page: Page, testId: string, filename: string): Promise<{ path: string; text: string }> {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  expect(file.suggestedFilename()).toBe(filename);
  const path = test.info().outputPath(`${testId}-${Date.now()}`, filename);
  await file.saveAs(path);
  return { path, text: readFileSync(path, "utf8") };
}

/** This file as the only AWS config, and no other file or AWS setting of the machine. */
function awsEnv(configFile: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_"))) as NodeJS.ProcessEnv;
  return { ...env, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: test.info().outputPath("no-credentials") };
}

/** The AWS CLI (v1) with this file as its config. */
const aws = (configFile: string, ...args: string[]) => execFileSync("aws", args, { encoding: "utf8", env: awsEnv(configFile) });

/** The profiles the AWS CLI finds in this file. `aws configure list-profiles` is version 2's; it
 * prints botocore's `Session().available_profiles`, which this asks the Python that runs v1's
 * `aws` (its script's interpreter, through pyenv's shim where there is one). */
function listProfiles(configFile: string): string[] {
  let script = execFileSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).trim();
  if (script.includes("/.pyenv/shims/")) script = execFileSync("pyenv", ["which", "aws"], { encoding: "utf8" }).trim();
  const python = /^#!\s*(\S+)/.exec(readFileSync(script, "utf8"))?.[1];
  expect(python, `the interpreter of ${script}`).toBeTruthy();
  const code = "import botocore.session; print('\\n'.join(botocore.session.Session().available_profiles))";
  return execFileSync(python!, ["-c", code], { encoding: "utf8", env: awsEnv(configFile) }).split("\n").filter(Boolean);
}

test("[EXPORT]: an operator exports their role in each style, and the AWS CLI reads the file", async ({ page }) => {
  await signInWithForm(page, email, PASSWORD, "/tokens");
  const section = page.getByTestId("export-roles");
  await expect(section.getByRole("heading", { level: 2, name: "Export your roles" })).toBeVisible();

  // credential_process is the default: what `switchboard config export` writes.
  await expect(section.getByTestId("export-style-credential_process")).toBeChecked();
  const processFile = await downloaded(page, "export-config-download", "config");
  expect(processFile.text).toContain(`[profile ${PROFILE}]\ncredential_process = switchboard credentials ${role.roleId} --format credential-process\nregion = `);
  expect(aws(processFile.path, "configure", "get", "credential_process", "--profile", PROFILE).trim()).toBe(`switchboard credentials ${role.roleId} --format credential-process`);

  // source_profile: the person names their own profile; the session is named as the console names it.
  await section.getByTestId("export-style-source_profile").check();
  await section.getByTestId("export-source-profile").fill("corp-sso");
  await expect(section.getByTestId("export-config-preview")).toContainText("source_profile = corp-sso");
  const sourceFile = await downloaded(page, "export-config-download", "config");
  expect(sourceFile.text).toContain(`role_arn = ${role.roleArn}\nsource_profile = corp-sso\nrole_session_name = `);
  expect(listProfiles(sourceFile.path)).toEqual([PROFILE]);
  expect(aws(sourceFile.path, "configure", "get", "role_arn", "--profile", PROFILE).trim()).toBe(role.roleArn);
  expect(aws(sourceFile.path, "configure", "get", "source_profile", "--profile", PROFILE).trim()).toBe("corp-sso");

  // A name that would break the file is refused at the field, and nothing can be taken.
  await section.getByTestId("export-source-profile").fill("two words");
  await expect(section.getByText("A profile name: letters, digits")).toBeVisible();
  await expect(section.getByTestId("export-config-download")).toBeDisabled();
  await section.getByTestId("export-source-profile").fill("default");

  // credential_source: the person picks where the credentials come from.
  await section.getByTestId("export-style-credential_source").check();
  await section.getByTestId("export-credential-source").selectOption("EcsContainer");
  const sourceless = await downloaded(page, "export-config-download", "config");
  expect(sourceless.text).toContain(`role_arn = ${role.roleArn}\ncredential_source = EcsContainer\n`);
  expect(sourceless.text).not.toContain("source_profile");
  expect(aws(sourceless.path, "configure", "get", "credential_source", "--profile", PROFILE).trim()).toBe("EcsContainer");

  // AWS Extend Switch Roles.
  const aesr = await downloaded(page, "export-aesr-download", "aesr-config.txt");
  expect(aesr.text).toContain(`[profile ${ACCOUNT_NAME}]\naws_account_id = ${ACCOUNT}\nrole_name = OrganizationAccountAccessRole\ncolor = `);
  expect(aesr.text).toMatch(/^color = [0-9a-f]{6}$/m);
});

test("[EXPORT]: the section passes axe on a phone and a laptop in both themes", async ({ page }) => {
  // Four axe runs (two widths, two themes) and their screenshots: more than the default minute on
  // a busy two-core machine.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithForm(page, email, PASSWORD, "/tokens");
  const section = page.getByTestId("export-roles");
  await section.getByTestId("export-style-source_profile").check();
  await expect(section.getByTestId("export-config-preview")).toContainText("source_profile = default");

  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    // The long lines scroll inside the preview's own box, never the page.
    const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scroll).toBeLessThanOrEqual(viewport);
    if (width === 390) {
      const preview = await section.getByTestId("export-config-preview").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(preview.scroll).toBeGreaterThan(preview.client);
    }
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
      await expectAccessible(page, `tokens export ${width} (${theme})`);
      // The section as it lies on the page: an element shot would scroll it under the sticky header.
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = (await section.boundingBox())!;
      await page.screenshot({ path: screenPath(`tokens-export-${width}-${theme}`), fullPage: true, clip: { x: 0, y: box.y - 16, width, height: box.height + 32 } });
    }
    await page.emulateMedia({ colorScheme: "light" });
  }
});
