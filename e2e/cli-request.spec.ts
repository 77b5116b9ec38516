// `switchboard request` (issue 15 §2.1) as a person runs it, against the running console and the
// sandbox: an administrator makes an operator eligible for a role entry (not granted); the
// operator lists what they may ask for, asks for it with --wait, and the administrator approves
// through the API while the command line waits; it exits 0 and `switchboard credentials` then
// gives credentials that are the operator's AWS session (STS GetCallerIdentity). Also: a request
// over the role's maximum gets the console's message and exit 2; Ctrl+C leaves the request
// pending (130); withdraw gives up access in force; a denial makes --wait exit 9 with the
// approver's comment.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { callAction, type Client, createUser, serverActions, signedIn, switchableRole } from "./security/support";

const ACCOUNT = "820000000151";
const ACCOUNT_NAME = "CLI Requests";
const ROLE = `${ACCOUNT_NAME}/${ACCOUNT_NAME} admin`;
const PASSWORD = "cli-request-person-password";
const REASON = "INC-42: read the payment logs";
const base = () => process.env.E2E_BASE_URL!;
const BUNDLE = join(process.cwd(), "public", "cli", "switchboard.mjs");

// The exit codes `switchboard --help` documents (cli/errors.ts).
const EXIT = { ok: 0, failure: 1, usage: 2, requestDenied: 9, interrupted: 130 };

type Env = Record<string, string | undefined>;
type Finished = { status: number | null; stdout: string; stderr: string };

let admin: Client;
let person: { client: Client; email: string };
let roleId: string;
let env: Env;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const build = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  const email = uniqueEmail("cli.request");
  await createUser(admin, { email, name: "Cli Requester", password: PASSWORD, role: "operator" });
  person = { client: await signedIn(base(), email, PASSWORD), email };
  // Registered, granted to nobody: the person may only ask for it.
  roleId = (await switchableRole(admin, sandbox, ACCOUNT, ACCOUNT_NAME, [])).roleId;
  const eligible = await admin.put(`/api/v1/roles/${roleId}/eligibility`, { json: { userEmails: [email], groups: [], policy: { maxDurationSeconds: 3600 } } });
  expect(eligible.status, eligible.text).toBe(200);

  const action = serverActions().find((a) => a.name === "createTokenAction");
  expect(action, "the createTokenAction server action").toBeTruthy();
  const { result } = await callAction(person.client, action!, { name: "cli request", scope: "switch", days: 1 });
  expect(result?.ok, JSON.stringify(result)).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), "switchboard-cli-request-"));
  // A home of its own; the console and token from the environment, as in CI.
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, "config"),
    AWS_CONFIG_FILE: join(dir, "aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    SWITCHBOARD_URL: base(),
    SWITCHBOARD_TOKEN: (result!.data as { token: string }).token,
  };
});

function cli(args: string[]): Finished {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { env: env as NodeJS.ProcessEnv, input: "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: Finished) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

type Waiting = { id: string; done: Promise<Finished>; stderr: () => string; interrupt: () => void };

/** `switchboard request … --wait` as a process; resolves once it has asked (printed the id). */
async function startWaiting(args: string[]): Promise<Waiting> {
  const child = spawn(process.execPath, [BUNDLE, "request", ...args, "--wait"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const done = new Promise<Finished>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  await expect.poll(() => /Waiting for/.test(stderr) || child.exitCode !== null, { timeout: 20_000, message: "the CLI asked and waits" }).toBe(true);
  const id = /^Request (\w{26}): /m.exec(stderr)?.[1];
  expect(id, stderr).toBeTruthy();
  expect(stderr).toContain(`Request ${id}: ${base()}/requests/${id}`);
  return { id: id!, done, stderr: () => stderr, interrupt: () => child.kill("SIGINT") };
}

async function finished(w: Waiting): Promise<Finished> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the CLI did not finish:\n${w.stderr()}`)), 30_000));
  return Promise.race([w.done, timeout]);
}

test("[CLI-REQUEST]: roles lists what the person may ask for; over the maximum, the console's message and exit 2", async () => {
  const roles = cli(["request", "roles"]);
  expect(roles.status, show(roles)).toBe(EXIT.ok);
  const row = roles.stdout.split("\n").find((l) => l.startsWith(roleId));
  expect(row, roles.stdout).toBeDefined();
  expect(row!.split(/\s{2,}/).slice(0, 4)).toEqual([roleId, ROLE, "up to 1h", expect.stringContaining("any administrator")]);
  // Not granted yet: the credentials command does not know it.
  expect(cli(["credentials", ROLE]).status).toBe(8);

  const tooLong = cli(["request", ROLE, "--for", "2h", "--reason", REASON]);
  expect(tooLong.status, show(tooLong)).toBe(EXIT.usage);
  expect(tooLong.stderr).toContain(`Duration is at most 1 hour for ${ACCOUNT_NAME} / ${ACCOUNT_NAME} admin.`);
  const noReason = cli(["request", ROLE, "--for", "30m"]);
  expect([noReason.status, noReason.stderr]).toEqual([EXIT.usage, expect.stringContaining('needs a reason: add --reason "…"')]);
  const badTime = cli(["request", ROLE, "--for", "2 hours", "--reason", REASON]);
  expect([badTime.status, badTime.stderr]).toEqual([EXIT.usage, expect.stringContaining("give hours and minutes, e.g. 45m, 90m, 2h or 1h30m")]);
  const list = cli(["request", "list"]);
  expect(list.status, show(list)).toBe(EXIT.ok);
  expect(list.stdout).toBe("");
});

test("[CLI-REQUEST]: Ctrl+C stops waiting (130); the request stays pending until withdrawn", async () => {
  const waiting = await startWaiting([ROLE, "--for", "30m", "--reason", REASON]);
  waiting.interrupt();
  const result = await finished(waiting);
  expect(result.status, show(result)).toBe(EXIT.interrupted);
  expect(result.stderr).toContain(`your request stays pending; withdraw it with switchboard request withdraw ${waiting.id}`);
  const list = cli(["request", "list", "--status", "pending"]);
  expect(list.stdout, show(list)).toMatch(new RegExp(`^${waiting.id}\\s+Waiting for approval\\s+${ROLE}\\s+asked .+ for 30m$`, "m"));
  const again = cli(["request", ROLE, "--for", "30m", "--reason", REASON]);
  expect([again.status, again.stderr]).toEqual([EXIT.failure, expect.stringContaining(`request ${waiting.id} is waiting for approval`)]);
  const withdraw = cli(["request", "withdraw", waiting.id]);
  expect(withdraw.status, show(withdraw)).toBe(EXIT.ok);
  expect(withdraw.stderr).toContain(`Withdrew your request for ${ROLE}.`);
});

test("[CLI-REQUEST]: request --wait, approved by an administrator meanwhile: exit 0, and credentials are the person's AWS session", async () => {
  test.setTimeout(120_000);
  const waiting = await startWaiting([ROLE, "--for", "30m", "--reason", REASON]);
  expect(waiting.stderr()).toContain(`Asked for ${ROLE} for 30 minutes: “${REASON}”.`);
  expect(waiting.stderr()).toMatch(/Approvers: any administrator.*\. They are told now\./);
  // The approver decides in the console (a session, not a token).
  const approve = await admin.post(`/api/v1/access-requests/${waiting.id}/approve`, { json: { comment: "ok" } });
  expect(approve.status, approve.text).toBe(200);
  const result = await finished(waiting);
  expect(result.status, show(result)).toBe(EXIT.ok);
  expect(result.stderr).toMatch(new RegExp(`Approved by ${ADMIN.email} until \\d\\d:\\d\\d: “ok”\\.`));
  expect(result.stderr).toContain(`Switch with: switchboard credentials '${ROLE}'`);

  const json = cli(["credentials", ROLE, "--format", "json"]);
  expect(json.status, show(json)).toBe(EXIT.ok);
  const creds = JSON.parse(json.stdout) as { accessKeyId: string; secretAccessKey: string; sessionToken: string; sessionName: string };
  const { accessKeyId, secretAccessKey, sessionToken } = creds;
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${creds.sessionName}`);

  const list = cli(["request", "list"]);
  expect(list.stdout, show(list)).toMatch(new RegExp(`^${waiting.id}\\s+Active\\s+${ROLE}\\s+until .*\\d\\d:\\d\\d$`, "m"));
  const roles = cli(["request", "roles"]);
  expect(roles.stdout).toMatch(/access until \d\d:\d\d/);
  // Asking again while it is in force: extend instead.
  const again = cli(["request", ROLE, "--for", "30m", "--reason", REASON]);
  expect([again.status, again.stderr]).toEqual([EXIT.failure, expect.stringContaining(`switchboard request extend ${waiting.id} --for 30m`)]);

  // More time: an extension, approved like a request, moves the end.
  const before = /until (.+)$/m.exec(list.stdout)![1];
  const extending = await startWaiting(["extend", waiting.id, "--for", "15m", "--reason", "still reading"]);
  expect(extending.stderr()).toContain(`Asked to extend your access to ${ROLE} by 15 minutes`);
  const approveExt = await admin.post(`/api/v1/access-requests/${extending.id}/approve`, { json: { comment: "fine" } });
  expect(approveExt.status, approveExt.text).toBe(200);
  const extended = await finished(extending);
  expect(extended.status, show(extended)).toBe(EXIT.ok);
  expect(extended.stderr).toMatch(new RegExp(`Approved by ${ADMIN.email} until .+: “fine”\\.`));
  const after = /^\w{26}\s+Active\s+.*until (.+)$/m.exec(cli(["request", "list", "--status", "active"]).stdout)?.[1];
  expect(after).toBeDefined();
  expect(after).not.toBe(before);

  // Giving it up ends the access at once.
  const withdraw = cli(["request", "withdraw", waiting.id]);
  expect(withdraw.status, show(withdraw)).toBe(EXIT.ok);
  expect(withdraw.stderr).toContain(`Gave up your access to ${ROLE}.`);
  expect(cli(["credentials", ROLE]).status).toBe(8);
});

test("[CLI-REQUEST]: request --wait, denied: exit 9 with the approver's comment", async () => {
  const waiting = await startWaiting([ROLE, "--for", "45m", "--reason", REASON]);
  const deny = await admin.post(`/api/v1/access-requests/${waiting.id}/deny`, { json: { comment: "use the read replica" } });
  expect(deny.status, deny.text).toBe(200);
  const result = await finished(waiting);
  expect(result.status, show(result)).toBe(EXIT.requestDenied);
  expect(result.stderr).toContain(`Denied by ${ADMIN.email}: “use the read replica”`);
  const list = cli(["request", "list", "--json"]);
  expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: waiting.id, status: "denied" })]));
});
