// The command line (cli/, bundled by scripts/build-cli.mjs) as a person runs it, against the
// running console and the sandbox: sign in with a personal access token, list roles, get
// credentials that are the person's AWS session, run a command with them, open the console,
// write AWS CLI profiles that the real AWS CLI (v1) uses through credential_process, sign out
// (after which the AWS CLI fails with Switchboard's message), and the documented exit codes.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { callAction, Client, createUser, serverActions, signedIn, switchableRole } from "./security/support";

const ACCOUNT = "820000000051";
const ACCOUNT_NAME = "CLI Tests";
const PASSWORD = "cli-person-password";
const base = () => process.env.E2E_BASE_URL!;
const BUNDLE = join(process.cwd(), "public", "cli", "switchboard.mjs");

// The exit codes `switchboard --help` documents (cli/errors.ts).
const EXIT = { usage: 2, notSignedIn: 3, tokenRefused: 4, notGranted: 5, awsRefused: 6, unreachable: 7, roleNotFound: 8 };

let admin: Client;
let person: { client: Client; email: string };
let roleId: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const build = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  const email = uniqueEmail("cli.person");
  await createUser(admin, { email, name: "Cli Person", password: PASSWORD, role: "operator" });
  person = { client: await signedIn(base(), email, PASSWORD), email };
  roleId = (await switchableRole(admin, sandbox, ACCOUNT, ACCOUNT_NAME, [email])).roleId;
});

async function makeToken(scope: "switch" | "read", name = `cli ${scope}`): Promise<string> {
  const action = serverActions().find((a) => a.name === "createTokenAction");
  expect(action, "the createTokenAction server action").toBeTruthy();
  const { result } = await callAction(person.client, action!, { name, scope, days: 1 });
  expect(result?.ok, JSON.stringify(result)).toBe(true);
  return (result!.data as { token: string }).token;
}

type Env = Record<string, string | undefined>;
type Home = { dir: string; env: Env };

/** A home of its own: nothing of this machine's AWS or Switchboard settings leaks in. */
function freshHome(): Home {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-cli-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  // What `curl -o ~/.local/bin/switchboard` gives a person: a `switchboard` on PATH.
  writeFileSync(join(bin, "switchboard"), `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" "$@"\n`);
  chmodSync(join(bin, "switchboard"), 0o755);
  const env: Env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, "config"),
    AWS_CONFIG_FILE: join(dir, "aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  return { dir, env };
}

type Run = { status: number | null; stdout: string; stderr: string };

function cli(home: Home, args: string[], opts: { env?: Env; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { env: { ...home.env, ...opts.env } as NodeJS.ProcessEnv, input: opts.input ?? "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function signedInHome(scope: "switch" | "read" = "switch"): Promise<{ home: Home; token: string }> {
  const token = await makeToken(scope);
  const home = freshHome();
  const login = cli(home, ["login", base(), "--token", token]);
  expect(login.status, login.stderr).toBe(0);
  return { home, token };
}

const show = (r: Run) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

test("[CLI]: login checks the token and stores it for its owner only; roles lists the person's roles", async () => {
  const token = await makeToken("switch", "laptop");
  const home = freshHome();
  // The token on standard input keeps it out of the shell's history and the process list.
  const login = cli(home, ["login", base()], { input: `${token}\n` });
  expect(login.status, show(login)).toBe(0);
  expect(login.stderr).toContain(`as Cli Person <${person.email}> (operator)`);
  expect(login.stderr).toContain('Token "laptop", scope switch');
  expect(login.stdout + login.stderr).not.toContain(token);
  const stored = join(home.env.XDG_CONFIG_HOME!, "switchboard", "config.json");
  expect(JSON.parse(readFileSync(stored, "utf8"))).toEqual({ url: base(), token });
  expect(statSync(stored).mode & 0o777).toBe(0o600);
  expect(statSync(join(home.env.XDG_CONFIG_HOME!, "switchboard")).mode & 0o777).toBe(0o700);

  const roles = cli(home, ["roles"]);
  expect(roles.status, show(roles)).toBe(0);
  const row = roles.stdout.split("\n").find((l) => l.startsWith(roleId));
  expect(row, roles.stdout).toBeDefined();
  expect(row!.split(/\s{2,}/)).toEqual([roleId, `${ACCOUNT_NAME}/${ACCOUNT_NAME} admin`, ACCOUNT, expect.stringMatching(/^[a-z]{2}(-[a-z]+)+-\d$/)]);
  // Fuzzy, like the web menu: a typo still finds it.
  const query = cli(home, ["roles", "cli tset"]);
  expect(query.status, show(query)).toBe(0);
  expect(query.stdout).toContain(roleId);
  const json = cli(home, ["roles", "--json"]);
  expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: roleId, accountId: ACCOUNT, roleName: "OrganizationAccountAccessRole" })]);
});

test("[CLI]: credentials are the person's AWS session, in each format; credential-process prints only its JSON", async () => {
  const { home } = await signedInHome();
  const json = cli(home, ["credentials", `${ACCOUNT_NAME}/${ACCOUNT_NAME} admin`, "--format", "json"]);
  expect(json.status, show(json)).toBe(0);
  const creds = JSON.parse(json.stdout) as { accessKeyId: string; secretAccessKey: string; sessionToken: string; sessionName: string; region: string };
  const { accessKeyId, secretAccessKey, sessionToken } = creds;
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${creds.sessionName}`);
  // Nothing secret on stderr.
  expect(json.stderr).toBe("");

  const env = cli(home, ["credentials", roleId]);
  expect(env.status, show(env)).toBe(0);
  expect(env.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='[A-Z0-9]+'$/m);
  expect(env.stdout).toContain(`export AWS_DEFAULT_REGION='${creds.region}'`);

  const process = cli(home, ["credentials", roleId, "--format", "credential-process", "--duration", "15m"]);
  expect(process.status, show(process)).toBe(0);
  expect(process.stderr).toBe("");
  const parsed = JSON.parse(process.stdout) as Record<string, unknown>;
  expect(Object.keys(parsed).sort()).toEqual(["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"]);
  expect(parsed.Version).toBe(1);
});

test("[CLI]: exec runs the command with the role's credentials and exits with its code", async () => {
  const { home } = await signedInHome();
  const script = "console.log(JSON.stringify(['AWS_ACCESS_KEY_ID','AWS_SECRET_ACCESS_KEY','AWS_SESSION_TOKEN','AWS_REGION','AWS_DEFAULT_REGION'].map((k) => Boolean(process.env[k]))))";
  const run = cli(home, ["exec", roleId, "--", process.execPath, "-e", script], { env: { AWS_PROFILE: "someone-else" } });
  expect(run.status, show(run)).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual([true, true, true, true, true]);
  const failing = cli(home, ["exec", roleId, "--", process.execPath, "-e", "process.exit(42)"]);
  expect(failing.status).toBe(42);
  const missing = cli(home, ["exec", roleId]);
  expect(missing.status).toBe(EXIT.usage);
});

test("[CLI]: console --print prints the AWS console sign-in URL", async () => {
  const { home } = await signedInHome();
  const run = cli(home, ["console", roleId, "--print", "--service", "s3"]);
  expect(run.status, show(run)).toBe(0);
  const url = new URL(run.stdout.trim());
  expect(url.protocol).toMatch(/^https?:$/);
  expect(url.searchParams.get("Action")).toBe("login");
  expect(url.searchParams.get("SigninToken")).toBeTruthy();
});

test("[CLI]: config export writes profiles the AWS CLI uses; after logout the AWS CLI fails with Switchboard's message", async () => {
  test.setTimeout(120_000);
  const { home } = await signedInHome();
  const file = home.env.AWS_CONFIG_FILE!;
  mkdirSync(join(home.dir, "aws"));
  const mine = "[default]\nregion = eu-central-1\n\n[profile mine]\nregion = us-west-2\noutput = json\n";
  writeFileSync(file, mine);

  const dry = cli(home, ["config", "export", "--dry-run"]);
  expect(dry.status, show(dry)).toBe(0);
  expect(dry.stdout).toContain("+# >>> switchboard (managed, do not edit) >>>");
  expect(readFileSync(file, "utf8")).toBe(mine);

  const first = cli(home, ["config", "export"]);
  expect(first.status, show(first)).toBe(0);
  const written = readFileSync(file, "utf8");
  expect(written.startsWith(mine)).toBe(true);
  expect(readFileSync(`${file}.switchboard-backup`, "utf8")).toBe(mine);
  const profile = /\[profile ([^\]]+)\]\ncredential_process = switchboard credentials (\S+) --format credential-process/.exec(written);
  expect(profile?.[2], written).toBe(roleId);
  const second = cli(home, ["config", "export"]);
  expect(second.status, show(second)).toBe(0);
  expect(second.stderr).toContain("No changes");
  expect(readFileSync(file, "utf8")).toBe(written);

  const aws = () => spawnSync("aws", ["sts", "get-caller-identity", "--profile", profile![1]!, "--endpoint-url", sandboxUrl(), "--output", "json"], { env: home.env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 });
  const ok = aws();
  expect(ok.status, ok.stderr).toBe(0);
  const sessionName = (JSON.parse(cli(home, ["credentials", roleId, "--format", "json"]).stdout) as { sessionName: string }).sessionName;
  expect((JSON.parse(ok.stdout) as { Arn: string }).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${sessionName}`);
  // boto3, a second client of the same profile: botocore runs credential_process itself.
  const boto3 = spawnSync(
    "python3",
    ["-c", "import boto3,sys; print(boto3.Session(profile_name=sys.argv[1]).client('sts', endpoint_url=sys.argv[2], region_name='us-east-1').get_caller_identity()['Arn'])", profile![1]!, sandboxUrl()],
    { env: home.env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 },
  );
  expect(boto3.status, boto3.stderr).toBe(0);
  expect(boto3.stdout.trim()).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${sessionName}`);

  const stored = join(home.env.XDG_CONFIG_HOME!, "switchboard", "config.json");
  const copy = join(home.dir, "config.json.copy");
  cpSync(stored, copy);
  const logout = cli(home, ["logout"]);
  expect(logout.status, show(logout)).toBe(0);
  expect(existsSync(stored)).toBe(false);
  const signedOut = aws();
  expect(signedOut.status).not.toBe(0);
  expect(signedOut.stderr).toContain("Error when retrieving credentials from custom-process");
  expect(signedOut.stderr).toContain("Not signed in");

  // A copy of the token kept elsewhere is ended too: the console refuses it.
  mkdirSync(join(home.env.XDG_CONFIG_HOME!, "switchboard"), { recursive: true });
  cpSync(copy, stored);
  const revoked = aws();
  expect(revoked.status).not.toBe(0);
  expect(revoked.stderr).toContain("Error when retrieving credentials from custom-process");
  expect(revoked.stderr).toMatch(/revoked/i);
  expect(cli(home, ["roles"]).status).toBe(EXIT.tokenRefused);
});

test("[CLI]: each kind of failure has its own exit code and a plain message", async () => {
  const { home, token } = await signedInHome();

  const nobody = cli(freshHome(), ["roles"]);
  expect([nobody.status, nobody.stderr]).toEqual([EXIT.notSignedIn, expect.stringContaining("Not signed in")]);

  // Without a token, login starts a device sign-in (e2e/device-login.spec.ts); where no console answers, it says so.
  const noConsole = cli(freshHome(), ["login", "http://127.0.0.1:9", "--no-browser"]);
  expect([noConsole.status, noConsole.stderr]).toEqual([EXIT.unreachable, expect.stringContaining("Could not reach the console at http://127.0.0.1:9")]);
  const malformed = cli(freshHome(), ["login", base(), "--token", "swbt_not-a-token"]);
  expect(malformed.status).toBe(EXIT.usage);
  expect(malformed.stderr).not.toContain("swbt_not-a-token");

  const unknownRole = cli(home, ["credentials", "no-such-role-anywhere"]);
  expect([unknownRole.status, unknownRole.stderr]).toEqual([EXIT.roleNotFound, expect.stringContaining('No role of yours matches "no-such-role-anywhere"')]);
  // An entry id goes to the console as it is; the console knows no such entry.
  const unknownId = cli(home, ["credentials", "01JZZZZZZZZZZZZZZZZZZZZZZZ"]);
  expect([unknownId.status, unknownId.stderr]).toEqual([EXIT.roleNotFound, expect.stringContaining("switchboard roles")]);
  const badFormat = cli(home, ["credentials", roleId, "--format", "yaml"]);
  expect(badFormat.status).toBe(EXIT.usage);
  const badOption = cli(home, ["roles", "--colour"]);
  expect(badOption.status).toBe(EXIT.usage);

  const { home: readHome } = await signedInHome("read");
  const readOnly = cli(readHome, ["credentials", roleId]);
  expect([readOnly.status, readOnly.stderr]).toEqual([EXIT.notGranted, expect.stringContaining("may only list your roles")]);

  const unreachable = cli(freshHome(), ["roles"], { env: { SWITCHBOARD_URL: "http://127.0.0.1:9", SWITCHBOARD_TOKEN: token } });
  expect([unreachable.status, unreachable.stderr]).toEqual([EXIT.unreachable, expect.stringContaining("Could not reach the console at http://127.0.0.1:9")]);
  expect(unreachable.stderr).not.toContain(token);

  // A token that is no longer the person's: revoked from the console side.
  const ended = await new Client(base(), { authorization: `Bearer ${token}` }).delete("/api/v1/me/token");
  expect(ended.status).toBe(200);
  const refused = cli(home, ["roles"]);
  expect([refused.status, refused.stderr]).toEqual([EXIT.tokenRefused, expect.stringContaining("switchboard login")]);
});

test("[CLI]: AWS refusing the switch exits 6 with the console's explanation", async () => {
  // A person of their own: nobody has credentials for them in the console's cache.
  const email = uniqueEmail("cli.refused");
  await createUser(admin, { email, name: "Cli Refused", password: PASSWORD, role: "operator" });
  const grant = await admin.post("/api/v1/grants", { json: { roleId, userEmail: email } });
  expect(grant.status, grant.text).toBe(201);
  const client = await signedIn(base(), email, PASSWORD);
  const action = serverActions().find((a) => a.name === "createTokenAction")!;
  const token = ((await callAction(client, action, { name: "refused", scope: "switch", days: 1 })).result!.data as { token: string }).token;
  const home = freshHome();
  expect(cli(home, ["login", base(), "--token", token]).status).toBe(0);
  await sandbox.addFault({ service: "sts", action: "AssumeRole", code: "AccessDenied", status: 403, message: "User is not authorized to perform: sts:AssumeRole", count: 1 });
  try {
    const run = cli(home, ["credentials", roleId]);
    expect(run.status, show(run)).toBe(EXIT.awsRefused);
    expect(run.stderr).toContain("AWS refused");
    // The console's explanation: where to fix it, and the statement to add.
    expect(run.stderr).toContain('"Action": "sts:AssumeRole"');
    expect(run.stdout).toBe("");
  } finally {
    await sandbox.clearFaults();
    // The refusal marked the entry failing; a working switch marks it working again.
    cli(home, ["credentials", roleId]);
  }
});

test("[CLI]: the console serves the command line to anyone, as the one file the README's curl installs", async () => {
  // Signed out, as curl is: the download is not behind the sign-in (it holds no secret).
  const reply = await new Client(base()).get("/cli/switchboard.mjs");
  expect(reply.status, reply.text.slice(0, 200)).toBe(200);
  expect(reply.header("content-type")).toMatch(/javascript/);
  expect(reply.header("x-content-type-options")).toBe("nosniff");
  expect(reply.body.equals(readFileSync(BUNDLE))).toBe(true);
  const home = freshHome();
  const installed = join(home.dir, "bin", "switchboard.mjs");
  writeFileSync(installed, reply.body, { mode: 0o755 });
  const version = spawnSync(process.execPath, [installed, "--version"], { env: home.env as NodeJS.ProcessEnv, encoding: "utf8" });
  expect(version.status, version.stderr).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});
