// Device sign-in end to end (issue 14 §2, after RFC 8628): `switchboard login <url>` runs as a
// real process (the bundle, HOME and XDG_CONFIG_HOME in a temporary directory), prints an address
// and a code on stderr; a person opens the address in Chromium, signed out, goes through the
// sign-in and back to the page with the code filled in, checks the device and approves; the
// command line exits 0 and its next commands work, with credentials that are the person's AWS
// session (STS GetCallerIdentity against the sandbox). Also: denying makes it exit 9; a used
// code cannot be approved again; a bad code is told plainly; Ctrl+C stops it (130); an auditor is
// told why they cannot approve; the page passes axe at 390 and 1440 px in both themes and works
// from the keyboard.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { Page } from "@playwright/test";
import { expect, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { expectAccessible, shootBothThemes } from "./support/screens";
import { createUser, signedIn, switchableRole } from "./security/support";

const ACCOUNT = "820000000071";
const ACCOUNT_NAME = "Device Tests";
const PASSWORD = "device-person-password";
const base = () => process.env.E2E_BASE_URL!;
const BUNDLE = join(process.cwd(), "public", "cli", "switchboard.mjs");
const CODE = /^ {2}([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})$/m;
const TOKEN = /swbt_[0-9A-Za-z]{46}/;

// The exit codes `switchboard --help` documents (cli/errors.ts).
const EXIT = { ok: 0, deviceDenied: 9, interrupted: 130 };

let person: { email: string; name: string };
let roleId: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const build = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  const admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  person = { email: uniqueEmail("device.person"), name: "Device Person" };
  await createUser(admin, { email: person.email, name: person.name, password: PASSWORD, role: "operator" });
  roleId = (await switchableRole(admin, sandbox, ACCOUNT, ACCOUNT_NAME, [person.email])).roleId;
});

type Env = Record<string, string | undefined>;
type Home = { dir: string; env: Env };

/** A home of its own: nothing of this machine's AWS or Switchboard settings leaks in. */
function freshHome(): Home {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-device-"));
  return {
    dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, "config"),
      AWS_CONFIG_FILE: join(dir, "aws", "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws", "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  };
}

const storedConfig = (home: Home) => join(home.env.XDG_CONFIG_HOME!, "switchboard", "config.json");

type Finished = { status: number | null; stdout: string; stderr: string };
type Login = { code: string; address: string; complete: string; child: ChildProcessWithoutNullStreams; done: Promise<Finished>; stderr: () => string };

/** `switchboard login <console> --no-browser`, started as a process with nothing on standard
 * input; resolves once it has printed the code. */
async function startLogin(home: Home): Promise<Login> {
  const child = spawn(process.execPath, [BUNDLE, "login", base(), "--no-browser"], { env: home.env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] }) as unknown as ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const done = new Promise<Finished>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  await expect.poll(() => CODE.test(stderr) || child.exitCode !== null, { timeout: 20_000, message: "the CLI printed a code" }).toBe(true);
  const code = CODE.exec(stderr)?.[1];
  expect(code, stderr).toBeTruthy();
  const address = /^ {2}(https?:\/\/\S+\/device)$/m.exec(stderr)?.[1];
  const complete = /^Or open (\S+)$/m.exec(stderr)?.[1];
  expect(address, stderr).toBe(`${base()}/device`);
  expect(complete, stderr).toBe(`${base()}/device?code=${code}`);
  return { code: code!, address: address!, complete: complete!, child, done, stderr: () => stderr };
}

/** The CLI's end, within its next poll or two. */
async function finished(login: Login): Promise<Finished> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the CLI did not finish:\n${login.stderr()}`)), 30_000));
  return Promise.race([login.done, timeout]);
}

function cli(home: Home, args: string[]): Finished {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { env: home.env as NodeJS.ProcessEnv, input: "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: Finished) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** From the page with the code in its field: Continue, and the request shown. */
async function lookUp(page: Page, code: string) {
  await expect(page.getByTestId("device-code")).toHaveValue(code);
  await page.getByTestId("device-continue").click();
  await expect(page.getByTestId("device-request")).toBeVisible();
}

test("[DEVICE]: switchboard login, approved in Chromium after signing in; the CLI's next commands are the person's AWS session", async ({ page }) => {
  test.setTimeout(120_000);
  const home = freshHome();
  const login = await startLogin(home);

  // Signed out: the address leads through the sign-in and back, with the code kept.
  await page.goto(login.complete);
  await page.waitForURL((url) => url.pathname === "/signin");
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/device?code=${login.code}`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/device");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in a command line" })).toBeVisible();

  await lookUp(page, login.code);
  const request = page.getByTestId("device-request");
  await expect(request.getByRole("heading")).toContainText(/“switchboard CLI on host .+ \(linux\)” asks to sign in as you/);
  await expect(request).toContainText(login.code);
  await expect(request).toContainText("valid 30 days");
  await expect(page.getByTestId("device-warning")).toContainText("Approve only if you started this sign-in yourself, just now");
  await page.getByTestId("device-approve").click();
  await expect(page.getByTestId("device-approved")).toBeVisible();
  await expect(page.getByTestId("device-tokens-link")).toHaveAttribute("href", "/tokens");

  const result = await finished(login);
  expect(result.status, show(result)).toBe(EXIT.ok);
  expect(result.stderr).toContain(`Signed in to ${base()} as ${person.name} <${person.email}> (operator).`);
  expect(result.stderr).toMatch(/Token "switchboard CLI on host .+ \(linux\)", scope switch\./);
  expect(result.stdout + result.stderr).not.toMatch(TOKEN);
  const stored = JSON.parse(readFileSync(storedConfig(home), "utf8")) as { url: string; token: string };
  expect(stored.url).toBe(base());
  expect(stored.token).toMatch(new RegExp(`^${TOKEN.source}$`));
  expect(statSync(storedConfig(home)).mode & 0o777).toBe(0o600);

  // Its next commands work, as the person.
  const roles = cli(home, ["roles"]);
  expect(roles.status, show(roles)).toBe(0);
  expect(roles.stdout).toContain(roleId);
  const json = cli(home, ["credentials", roleId, "--format", "json"]);
  expect(json.status, show(json)).toBe(0);
  const creds = JSON.parse(json.stdout) as { accessKeyId: string; secretAccessKey: string; sessionToken: string; sessionName: string };
  expect(creds.sessionName).toBe(person.email);
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken }, maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${person.email}`);

  // The token is in the person's list, made by signing in from the command line.
  await page.getByTestId("device-tokens-link").click();
  await page.waitForURL("**/tokens");
  const row = page.getByTestId("token-row").filter({ hasText: "made by signing in from the command line" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/switchboard CLI on host .+ \(linux\)/);
});

test("[DEVICE]: denied from the keyboard — the CLI exits 9 and stores nothing", async ({ page }) => {
  const home = freshHome();
  const login = await startLogin(home);
  await signInWithForm(page, person.email, PASSWORD, `/device?code=${login.code}`);
  await expect(page.getByTestId("device-code")).toHaveValue(login.code);
  // Continue has the focus when the code came in the address.
  await expect(page.getByTestId("device-continue")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("device-request")).toBeVisible();
  // The request's heading takes the focus; Approve, then Deny, follow.
  await expect(page.getByTestId("device-request").getByRole("heading")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("device-approve")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("device-deny")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("device-denied")).toBeVisible();
  await expect(page.getByTestId("device-denied").getByRole("heading")).toBeFocused();

  const result = await finished(login);
  expect(result.status, show(result)).toBe(EXIT.deviceDenied);
  expect(result.stderr).toContain("The sign-in was denied in the console: nothing was stored.");
  expect(existsSync(storedConfig(home))).toBe(false);
});

test("[DEVICE]: a used code cannot be approved again; a code that finds nothing, or is no code, is told plainly", async ({ page }) => {
  const home = freshHome();
  const login = await startLogin(home);
  await signInWithForm(page, person.email, PASSWORD, `/device?code=${login.code}`);
  await lookUp(page, login.code);
  await page.getByTestId("device-approve").click();
  await expect(page.getByTestId("device-approved")).toBeVisible();
  expect((await finished(login)).status).toBe(EXIT.ok);

  await page.getByRole("button", { name: "Sign in another command line" }).click();
  const field = page.getByTestId("device-code");
  await expect(field).toHaveValue("");
  const tryCode = async (typed: string, expected: string | RegExp) => {
    await field.fill(typed);
    await page.getByTestId("device-continue").click();
    await expect(page.locator("#device-code-error")).toContainText(expected);
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toBeFocused();
    await expect(page.getByTestId("device-request")).toHaveCount(0);
  };
  // Typed in lower case without the dash: still the same code.
  await tryCode(login.code.toLowerCase().replace("-", ""), `The code ${login.code} was already approved and cannot be used again. Run switchboard login again for a new code.`);
  await tryCode("ZZZZ-ZZZZ", "No command-line sign-in has the code ZZZZ-ZZZZ.");
  await tryCode("hello", "That is not a sign-in code: codes are 8 letters (no vowels, no digits), like BCDF-GHJK.");
});

test("[DEVICE]: Ctrl+C while it waits stops the CLI with exit 130; nothing is stored", async () => {
  const home = freshHome();
  const login = await startLogin(home);
  login.child.kill("SIGINT");
  const result = await finished(login);
  expect(result.status, show(result)).toBe(EXIT.interrupted);
  expect(result.stderr).toContain("Stopped: nothing was stored.");
  expect(existsSync(storedConfig(home))).toBe(false);
});

test("[DEVICE]: an auditor, who cannot switch roles, is told why instead of given the form", async ({ page }) => {
  const admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  const email = uniqueEmail("device.auditor");
  await createUser(admin, { email, name: "Device Auditor", password: PASSWORD, role: "auditor" });
  await signInWithForm(page, email, PASSWORD, "/device?code=BCDF-GHJK");
  await expect(page.locator("main")).toContainText("Your console role cannot sign in a command line");
  await expect(page.getByTestId("device-code-form")).toHaveCount(0);
  await expectAccessible(page, "device page for an auditor");
});

test("[DEVICE]: the approval page passes axe on a phone and a laptop in both themes, without sideways scrolling", async ({ page }) => {
  // Eight axe runs and their screenshots: more than the default minute on a busy two-core machine.
  test.setTimeout(180_000);
  const home = freshHome();
  const login = await startLogin(home);
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithForm(page, person.email, PASSWORD, `/device?code=${login.code}`);
  await shootBothThemes(page, "device-code-390");
  await lookUp(page, login.code);
  const noSideways = async () => {
    const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scroll).toBeLessThanOrEqual(viewport);
  };
  await noSideways();
  await shootBothThemes(page, "device-confirm-390");
  await page.setViewportSize({ width: 1440, height: 900 });
  await shootBothThemes(page, "device-confirm-1440");
  await page.getByTestId("device-approve").click();
  await expect(page.getByTestId("device-approved")).toBeVisible();
  await shootBothThemes(page, "device-approved-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await noSideways();
  expect((await finished(login)).status).toBe(EXIT.ok);
});
