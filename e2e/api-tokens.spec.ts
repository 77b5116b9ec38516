// Personal access tokens over HTTP against the running console and the sandbox: a token made by
// the person (through the tokens page's own server action) switches with `Authorization: Bearer`,
// and the credentials it gets are that person's session in AWS; a read token cannot switch; no
// token reaches an administrator's route; the command line's sign-out ends the token; every use
// is in the audit log, "via token <name>".
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { sandbox, sandboxUrl } from "./support/sandbox";
import { callAction, Client, createUser, errorShapeProblem, serverActions, signedIn, switchableRole } from "./security/support";

const ACCOUNT = "820000000041";
const PASSWORD = "token-person-password";
const base = () => process.env.E2E_BASE_URL!;

type Created = { token: string; created: { id: string; name: string; scope: string; status: string } };

/** A token, made the way the tokens page makes it: its server action, signed in as the person. */
async function makeToken(person: Client, arg: { name: string; scope: "switch" | "read"; days: number }): Promise<Created> {
  const action = serverActions().find((a) => a.name === "createTokenAction");
  expect(action, "the createTokenAction server action").toBeTruthy();
  const { result } = await callAction(person, action!, arg);
  expect(result?.ok, JSON.stringify(result)).toBe(true);
  return result!.data as Created;
}

const bearer = (token: string) => new Client(base(), { authorization: `Bearer ${token}` });

let admin: Client;
let operator: { client: Client; email: string };
let roleId: string;

test.beforeAll(async () => {
  admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  const email = uniqueEmail("tokens.operator");
  await createUser(admin, { email, name: "Token Operator", password: PASSWORD, role: "operator" });
  operator = { client: await signedIn(base(), email, PASSWORD), email };
  roleId = (await switchableRole(admin, sandbox, ACCOUNT, "Token Tests", [email])).roleId;
});

test("[TOKENS]: a switch token gets credentials that are the person's AWS session, audited via the token", async () => {
  const { token, created } = await makeToken(operator.client, { name: "laptop CLI", scope: "switch", days: 7 });
  expect(token).toMatch(/^swbt_[0-9A-Za-z]{46}$/);
  expect(created).toMatchObject({ name: "laptop CLI", scope: "switch", status: "active" });

  const cli = bearer(token);
  const me = await cli.get("/api/v1/me");
  expect(me.status, me.text).toBe(200);
  expect(me.json()).toMatchObject({ email: operator.email, token: { name: "laptop CLI", scope: "switch" } });
  const menu = await cli.get("/api/v1/me/menu");
  expect(menu.status).toBe(200);
  expect(menu.json<{ roles: Array<{ id: string }> }>().roles.map((r) => r.id)).toContain(roleId);

  const reply = await cli.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.header("cache-control")).toContain("no-store");
  const session = reply.json<{ credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string }; sessionName: string }>();
  const { accessKeyId, secretAccessKey, sessionToken } = session.credentials;
  const sts = new STSClient({ endpoint: sandboxUrl(), region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${session.sessionName}`);
  // No AWS session outlives the token: this one ends well within its 7 days.
  expect(Date.parse(session.credentials.expiration)).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);

  const audit = await admin.get(`/api/v1/audit-events?actor=${encodeURIComponent(operator.email)}`);
  const events = audit.json<{ events: Array<{ action: string; details: Record<string, unknown> }> }>().events;
  const switched = events.find((e) => e.action === "session.credentials");
  expect(switched?.details).toMatchObject({ viaToken: "laptop CLI" });
  expect(events.filter((e) => e.action === "token.use").map((e) => e.details.operation)).toEqual(expect.arrayContaining(["GET /api/v1/me", "GET /api/v1/me/menu"]));
  expect(JSON.stringify(events)).not.toContain(token);
});

test("[TOKENS]: a read token lists roles but cannot switch; no token reaches an administrator's route or a page", async () => {
  const read = (await makeToken(operator.client, { name: "read only", scope: "read", days: 1 })).token;
  expect((await bearer(read).get("/api/v1/me/menu")).status).toBe(200);
  const refused = await bearer(read).post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
  expect(refused.status).toBe(403);
  expect(refused.json<{ error: { message: string } }>().error.message).toContain("may only list your roles");

  const adminToken = (await makeToken(admin, { name: "admin laptop", scope: "switch", days: 1 })).token;
  for (const [method, path] of [
    ["GET", "/api/v1/users"],
    ["GET", "/api/v1/audit-events"],
    ["POST", "/api/v1/accounts"],
    ["DELETE", `/api/v1/roles/${roleId}`],
    ["POST", `/api/v1/roles/${roleId}/revoke-sessions`],
  ] as const) {
    const reply = await bearer(adminToken).request(method, path, method === "GET" ? {} : { json: {} });
    expect(reply.status, `${method} ${path}: ${reply.text.slice(0, 200)}`).toBe(403);
    expect(reply.json<{ error: { message: string } }>().error.message).toContain("A personal access token cannot do this");
  }
  // Pages and server actions read the session cookie only: a token alone is signed out there.
  const page = await bearer(adminToken).get("/users");
  expect(page.status).toBe(307);
  expect(page.header("location")).toContain("/signin");
  // The role is still there: the refusals changed nothing.
  expect((await admin.get(`/api/v1/roles/${roleId}`)).status).toBe(200);
});

test("[TOKENS]: the command line's sign-out ends the token; a session cookie cannot end a token that way", async () => {
  const { token } = await makeToken(operator.client, { name: "to end", scope: "switch", days: 1 });
  const cookieOnly = await operator.client.delete("/api/v1/me/token");
  expect(cookieOnly.status).toBe(400);
  const ended = await bearer(token).delete("/api/v1/me/token");
  expect(ended.status, ended.text).toBe(200);
  expect(ended.json()).toMatchObject({ token: { status: "revoked", revokedReason: "signed out from the command line" } });
  const after = await bearer(token).get("/api/v1/me");
  expect(after.status).toBe(401);
  expect(after.json<{ error: { details: { token: string } } }>().error.details.token).toBe("revoked");
  // The person's console session is untouched.
  expect((await operator.client.get("/api/v1/me")).status).toBe(200);
});

test("[TOKENS]: disabling the person ends their tokens at once", async () => {
  const email = uniqueEmail("tokens.leaver");
  const id = await createUser(admin, { email, name: "Token Leaver", password: PASSWORD, role: "operator" });
  const leaver = await signedIn(base(), email, PASSWORD);
  const { token } = await makeToken(leaver, { name: "leaver", scope: "switch", days: 1 });
  expect((await bearer(token).get("/api/v1/me")).status).toBe(200);
  expect((await admin.patch(`/api/v1/users/${id}`, { json: { disabled: true } })).status).toBe(200);
  const after = await bearer(token).get("/api/v1/me");
  expect(after.status).toBe(401);
  expect(after.json<{ error: { details: { token: string } } }>().error.details.token).toBe("revoked");
  // Enabled again, the token stays ended.
  expect((await admin.patch(`/api/v1/users/${id}`, { json: { disabled: false } })).status).toBe(200);
  expect((await bearer(token).get("/api/v1/me")).status).toBe(401);
});

test("[TOKENS]: hostile Authorization headers are 401 in the documented shape, never a 5xx, and never fall back to the cookie", async () => {
  const { token } = await makeToken(operator.client, { name: "hostile", scope: "switch", days: 1 });
  const values = [
    "Bearer",
    "Bearer ",
    "Bearer  \t",
    "bearer swbt_",
    `Bearer ${token} ${token}`,
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token.slice(0, -6)}AAAAAA`,
    `Bearer ${"swbt_" + "A".repeat(4000)}`,
    "Basic " + Buffer.from(`${operator.email}:${PASSWORD}`).toString("base64"),
    `Token ${token}`,
    "Bearer ' OR 1=1 --",
    "Bearer swbt_%00%0d%0aSet-Cookie:x=y",
  ];
  const wrong: string[] = [];
  for (const value of values) {
    // The person's own signed-in client: its session cookie is sent too, and must not rescue a bad token.
    const reply = await operator.client.get("/api/v1/me", { headers: { authorization: value } });
    const problem = reply.status !== 401 ? `status ${reply.status}` : errorShapeProblem(reply);
    if (problem) wrong.push(`${JSON.stringify(value.slice(0, 60))}: ${problem} ${reply.text.slice(0, 120)}`);
  }
  expect(wrong).toEqual([]);
});
