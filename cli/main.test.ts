// The commands end to end against a stubbed console (fakeIo): what each prints where, what it
// stores, and which exit code each failure gets. e2e/cli.spec.ts runs the bundle against the real
// console and sandbox.
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tokenFromBytes } from "@/lib/tokens/format";
import { EXIT } from "./errors";
import { HELP, run } from "./main";
import { fakeIo, MENU, type Call } from "./test-support";

const TOKEN = tokenFromBytes(new Uint8Array(64).map((_, i) => (i * 37) % 240))!;
const URL_ = "https://switchboard.example.com";
const ME = { id: "u1", email: "ada@example.com", name: "Ada", role: "operator", session: { endsAt: "2030-01-01T00:00:00Z" }, token: { id: "t1", name: "laptop", scope: "switch" } };
const CREDS = {
  kind: "credentials",
  credentials: { accessKeyId: "ASIAEXAMPLEEXAMPLE01", secretAccessKey: "c2VjcmV0/c2VjcmV0+c2VjcmV0", sessionToken: "dG9rZW4=", expiration: "2030-01-01T01:00:00Z" },
  profileName: "production-readonly",
  sessionName: "ada@example.com",
  region: "us-east-1",
  roleArn: "arn:aws:iam::111111111111:role/ReadOnly",
  assumedRoleArn: "arn:aws:sts::111111111111:assumed-role/ReadOnly/ada@example.com",
  roleLabel: "Read only",
  accountName: "Production",
  expiresAt: "2030-01-01T01:00:00Z",
  durationSeconds: 3600,
};
const signedIn = { SWITCHBOARD_URL: URL_, SWITCHBOARD_TOKEN: TOKEN };
const error = (status: number, code: string, message: string, details?: object) => ({ status, json: { error: { code, message, requestId: "req-1", details } } });

describe("switchboard", () => {
  it("prints its help with every exit code; no command is a usage error", async () => {
    const { io, stdout } = fakeIo({});
    expect(await run([], io)).toBe(EXIT.usage);
    expect(stdout()).toBe(HELP);
    for (const code of Object.values(EXIT)) expect(HELP).toMatch(new RegExp(`^  ${code}  `, "m"));
    const unknown = fakeIo({});
    expect(await run(["frobnicate"], unknown.io)).toBe(EXIT.usage);
    expect(unknown.stderr()).toContain("Unknown command frobnicate");
  });

  it("login checks the token, stores it 0600 in $XDG_CONFIG_HOME, and never prints it", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
    const { io, calls, stdout, stderr } = fakeIo({ "GET /api/v1/me": { status: 200, json: ME } }, { homedir: home, env: { XDG_CONFIG_HOME: join(home, "xdg") } });
    expect(await run(["login", `${URL_}/`, "--token", TOKEN], io)).toBe(EXIT.ok);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const file = join(home, "xdg", "switchboard", "config.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: URL_, token: TOKEN });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(stderr()).toContain("Signed in to https://switchboard.example.com as Ada <ada@example.com> (operator)");
    expect(stdout() + stderr()).not.toContain(TOKEN);
  });

  it("login reads the token from standard input; without one it starts a device sign-in (cli/device-login.test.ts)", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
    const piped = fakeIo({ "GET /api/v1/me": { status: 200, json: ME } }, { homedir: home, readStdin: async () => `${TOKEN}\n` });
    expect(await run(["login", URL_], piped.io)).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(join(home, ".config", "switchboard", "config.json"), "utf8")).token).toBe(TOKEN);

    const none = fakeIo({}, { homedir: home });
    expect(await run(["login", URL_, "--no-browser"], none.io)).toBe(EXIT.unreachable);
    expect(none.calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /api/v1/device/authorizations"]);
    expect(none.calls[0]?.headers.authorization).toBeUndefined();
  });

  it.each([
    [["login", URL_, "--token", "swbt_short"], EXIT.usage, "not a Switchboard access token"],
    [["login", "http://switchboard.example.com", "--token", TOKEN], EXIT.usage, "plain http"],
    [["login", "ftp://x", "--token", TOKEN], EXIT.usage, "starts with https://"],
  ])("login %j → exit %i", async (argv, code, message) => {
    const { io, stderr, calls } = fakeIo({});
    expect(await run(argv, io)).toBe(code);
    expect(stderr()).toContain(message);
    expect(calls).toHaveLength(0);
  });

  it("login refuses a token the console refuses, and stores nothing", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
    const { io, stderr } = fakeIo({ "GET /api/v1/me": error(401, "unauthorized", "This access token has been revoked.", { token: "revoked" }) }, { homedir: home });
    expect(await run(["login", URL_, "--token", TOKEN], io)).toBe(EXIT.tokenRefused);
    expect(stderr()).toContain("This access token has been revoked. (request req-1)");
    expect(() => statSync(join(home, ".config", "switchboard", "config.json"))).toThrow();
  });

  it("is not signed in without a stored token or SWITCHBOARD_TOKEN", async () => {
    const { io, stderr } = fakeIo({}, { homedir: mkdtempSync(join(tmpdir(), "switchboard-cli-test-")) });
    expect(await run(["roles"], io)).toBe(EXIT.notSignedIn);
    expect(stderr()).toContain("Not signed in");
  });

  it("logout ends the token in the console and forgets it; an ended token is forgotten too", async () => {
    for (const answer of [{ status: 200, json: { token: { status: "revoked" } } }, error(401, "unauthorized", "This access token has been revoked.", { token: "revoked" })]) {
      const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
      mkdirSync(join(home, ".config", "switchboard"), { recursive: true });
      writeFileSync(join(home, ".config", "switchboard", "config.json"), JSON.stringify({ url: URL_, token: TOKEN }));
      const { io, calls } = fakeIo({ "DELETE /api/v1/me/token": answer }, { homedir: home });
      expect(await run(["logout"], io)).toBe(EXIT.ok);
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["DELETE /api/v1/me/token"]);
      expect(() => statSync(join(home, ".config", "switchboard", "config.json"))).toThrow();
    }
  });

  it("logout keeps the token when the console cannot be reached: it is still live there", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
    mkdirSync(join(home, ".config", "switchboard"), { recursive: true });
    writeFileSync(join(home, ".config", "switchboard", "config.json"), JSON.stringify({ url: URL_, token: TOKEN }));
    const { io, stderr } = fakeIo({}, { homedir: home });
    expect(await run(["logout"], io)).toBe(EXIT.unreachable);
    expect(stderr()).toContain("was NOT ended");
    expect(statSync(join(home, ".config", "switchboard", "config.json")).isFile()).toBe(true);
  });

  it("roles prints the table on stdout, a header only on a terminal", async () => {
    const { io, stdout } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU } }, { env: signedIn, stdoutIsTTY: true });
    expect(await run(["roles", "prod"], io)).toBe(EXIT.ok);
    expect(stdout().split("\n")[0]).toMatch(/^ID\s+ACCOUNT\/ROLE\s+ACCOUNT\s+REGION$/);
    expect(stdout()).toContain("01J00000000000000000000001  Production/Admin");
    expect(stdout()).not.toContain("Staging");
  });

  const switched = (calls: Call[]) => calls.filter((c) => c.path === "/api/v1/sessions").map((c) => c.body);

  it.each([
    ["env", /^# Temporary credentials for arn:aws:iam::111111111111:role\/ReadOnly, valid until 2030-01-01T01:00:00Z\nexport AWS_ACCESS_KEY_ID='ASIAEXAMPLEEXAMPLE01'\n/],
    ["fish", /^set -gx AWS_SESSION_TOKEN 'dG9rZW4='$/m],
    ["powershell", /^\$Env:AWS_REGION='us-east-1'$/m],
    ["dotenv", /^AWS_DEFAULT_REGION=us-east-1$/m],
  ])("credentials --format %s", async (format, expected) => {
    const { io, stdout, stderr, calls } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU }, "POST /api/v1/sessions": { status: 200, json: CREDS } }, { env: signedIn });
    expect(await run(["credentials", "production/read only", "--format", format, "--region", "us-east-1", "--duration", "2h"], io)).toBe(EXIT.ok);
    expect(stdout()).toMatch(expected);
    expect(stderr()).toBe("");
    expect(switched(calls)).toEqual([{ roleId: "01J00000000000000000000002", kind: "credentials", region: "us-east-1", durationSeconds: 7200 }]);
  });

  it("credentials --format credential-process prints exactly the AWS CLI's JSON, with one request for an entry id", async () => {
    const { io, stdout, stderr, calls } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU }, "POST /api/v1/sessions": { status: 200, json: CREDS } }, { env: signedIn });
    expect(await run(["credentials", "01J00000000000000000000002", "--format", "credential-process"], io)).toBe(EXIT.ok);
    expect(calls.map((c) => c.path)).toEqual(["/api/v1/sessions"]);
    expect(JSON.parse(stdout())).toEqual({ Version: 1, AccessKeyId: "ASIAEXAMPLEEXAMPLE01", SecretAccessKey: "c2VjcmV0/c2VjcmV0+c2VjcmV0", SessionToken: "dG9rZW4=", Expiration: "2030-01-01T01:00:00Z" });
    expect(stderr()).toBe("");
  });

  it.each([
    ["a role not granted (forbidden)", error(403, "forbidden", "This role is not granted to you. Ask an administrator for a grant."), EXIT.notGranted, "not granted to you"],
    ["a read token", error(403, "forbidden", "This token may only list your roles."), EXIT.notGranted, "may only list your roles"],
    ["an entry gone since the menu", error(404, "not_found", "No such role entry."), EXIT.roleNotFound, "No such role entry."],
    ["AWS's refusal", error(403, "aws_denied", "The trust policy does not trust the broker.", { explanation: { summary: "The trust policy does not trust the broker.", fix: { where: "the trust policy of X", statement: { Effect: "Allow" } } } }), EXIT.awsRefused, "An administrator can fix it in the trust policy of X"],
    ["AWS failing", error(502, "upstream_error", "AWS STS could not be reached."), EXIT.awsRefused, "AWS failed: AWS STS could not be reached."],
    ["an expired token", error(401, "unauthorized", "This access token has expired.", { token: "expired" }), EXIT.tokenRefused, "switchboard login"],
    ["a bad region", error(400, "bad_request", "region: not a region"), EXIT.usage, "region: not a region"],
    ["a load balancer's page", { status: 502, text: "<html>Bad gateway</html>" }, EXIT.unreachable, "without a Switchboard error"],
    ["a redirect", { status: 307, text: "" }, EXIT.unreachable, "redirected"],
  ])("credentials refused: %s", async (_what, answer, code, message) => {
    const { io, stdout, stderr } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU }, "POST /api/v1/sessions": answer }, { env: signedIn });
    expect(await run(["credentials", "prod/admin"], io)).toBe(code);
    expect(stderr()).toContain(message);
    expect(stdout()).toBe("");
  });

  it("several matching roles: lists them, switches into none", async () => {
    const { io, stderr, calls } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU } }, { env: signedIn });
    expect(await run(["credentials", "admin"], io)).toBe(EXIT.roleNotFound);
    expect(stderr()).toContain('"admin" matches 2 roles');
    expect(switched(calls)).toEqual([]);
  });

  it("the console unreachable: exit 7, and the token is never in the message", async () => {
    const { io, stderr } = fakeIo({}, { env: signedIn });
    expect(await run(["roles"], io)).toBe(EXIT.unreachable);
    expect(stderr()).toContain("Could not reach the console at https://switchboard.example.com: ECONNREFUSED");
    expect(stderr()).not.toContain(TOKEN);
  });

  it.each([
    [["credentials"], "Missing the role"],
    [["credentials", "a", "b"], "Too many arguments"],
    [["credentials", "a", "--format", "yaml"], "--format yaml"],
    [["credentials", "a", "--duration", "forever"], "--duration forever"],
    [["exec", "a"], "Missing the command to run after --"],
    [["roles", "--nope"], "Unknown option '--nope'"],
    [["config", "import"], "Unknown config command import"],
  ])("usage: %j", async (argv, message) => {
    const { io, stderr } = fakeIo({ "GET /api/v1/me/menu": { status: 200, json: MENU } }, { env: signedIn });
    expect(await run(argv, io)).toBe(EXIT.usage);
    expect(stderr()).toContain(message);
  });

  it("config export writes the block after the person's profiles, keeps a backup, and the second run changes nothing", async () => {
    const home = mkdtempSync(join(tmpdir(), "switchboard-cli-test-"));
    const file = join(home, "aws-config");
    const mine = "[profile mine]\nregion = us-west-2\n";
    writeFileSync(file, mine, { mode: 0o640 });
    const routes = { "GET /api/v1/me/menu": { status: 200, json: MENU } };
    const dry = fakeIo(routes, { env: { ...signedIn, AWS_CONFIG_FILE: file }, homedir: home });
    expect(await run(["config", "export", "--dry-run"], dry.io)).toBe(EXIT.ok);
    expect(dry.stdout()).toContain("+[profile production-readonly]");
    expect(readFileSync(file, "utf8")).toBe(mine);

    const first = fakeIo(routes, { env: { ...signedIn }, homedir: home });
    expect(await run(["config", "export", "--file", "~/aws-config"], first.io)).toBe(EXIT.ok);
    const written = readFileSync(file, "utf8");
    expect(written.startsWith(`${mine}\n# >>> switchboard (managed, do not edit) >>>\n`)).toBe(true);
    expect(written).toContain("credential_process = switchboard credentials 01J00000000000000000000004 --format credential-process\nregion = eu-west-1\n");
    expect(readFileSync(`${file}.switchboard-backup`, "utf8")).toBe(mine);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(first.stdout()).toMatch(/^production-adminrole\s+Production\/Admin$/m);

    const second = fakeIo(routes, { env: { ...signedIn, AWS_CONFIG_FILE: file }, homedir: home });
    expect(await run(["config", "export"], second.io)).toBe(EXIT.ok);
    expect(second.stderr()).toContain("No changes: the 4 profiles");
    expect(readFileSync(file, "utf8")).toBe(written);
  });
});
