// Secrets never leak: run the switch (console and credentials), the role wizard (plan
// and apply), single sign-on and the failure paths (a role AWS refuses, STS throttling, a
// federation outage, an IAM failure during apply) at LOG_LEVEL=debug on a console of our own —
// once on SQLite, once on a fresh Postgres database — then search everything the console left
// behind for every secret of the run: the broker's secret key, each issued secret key, session
// token and console sign-in token, NEXTAUTH_SECRET, the OIDC client secret, the passwords.
// Places searched: the console's stdout/stderr, the SQLite files or every Postgres table, the
// audit export (CSV and JSON), the HTML and RSC payloads of every page, and every file under
// .next/static. Bar: 0 hits (a credential may appear only in the one response that issued it).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { ADMIN } from "../support/accounts";
import { OIDC_CLIENT, startOidcProvider } from "../support/oidc-provider";
// @ts-expect-error -- plain ESM helper shared with npm run demo
import { freePort } from "../../scripts/lib/stack.mjs";
import { scale } from "./scale";
import { Client, createUser, dumpPostgres, freshPostgresDatabase, signedIn, startOwnConsole, startOwnSandbox, type OwnConsole, type OwnSandbox } from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const OPERATOR = { email: "canary.operator@example.com", name: "Canary Operator", password: "canary-operator-password" };
const PRODUCTION = "111111111111";
const TEST_ACCOUNT = "444444444444";

type Secret = { name: string; value: string };

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** The forms a secret takes when it is written somewhere: as is, URL-encoded, JSON-escaped, and
 * (for long ones) its first 20 characters, which is what a truncating logger would leave. */
function needles(secret: Secret): Array<{ name: string; needle: string }> {
  const forms = new Set([secret.value, encodeURIComponent(secret.value), JSON.stringify(secret.value).slice(1, -1)]);
  if (secret.value.length >= 32) forms.add(secret.value.slice(0, 20));
  return [...forms].map((needle) => ({ name: secret.name, needle }));
}

/** Where each secret was found: `[place, secret]` pairs. */
function search(places: Array<{ place: string; content: string | Buffer }>, secrets: Secret[]): string[] {
  const hits: string[] = [];
  const all = secrets.flatMap(needles);
  for (const { place, content } of places) {
    const text = typeof content === "string" ? content : content.toString("latin1");
    for (const { name, needle } of all) {
      const inPlace = typeof content === "string" ? text.includes(needle) : content.includes(Buffer.from(needle, "utf8"));
      if (inPlace) hits.push(`${place}: ${name}`);
    }
  }
  return [...new Set(hits)];
}

type Stack = { sandbox: OwnSandbox; app: OwnConsole & { dataDir: string }; oidc: { issuer: string; close(): Promise<void> } };

async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  const sandbox = await startOwnSandbox();
  const oidcPort = await freePort();
  // The console's port is only known once it starts; the provider needs the redirect URI first.
  const consolePort = await freePort();
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const oidc = await startOidcProvider({ port: oidcPort, redirectUri: `${consoleUrl}/api/auth/callback/oidc` });
  const app = await startOwnConsole(sandbox, {
    LOG_LEVEL: "debug",
    NEXTAUTH_URL: consoleUrl,
    SWITCHBOARD_OIDC_ISSUER: oidc.issuer,
    SWITCHBOARD_OIDC_CLIENT_ID: OIDC_CLIENT.id,
    SWITCHBOARD_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    SWITCHBOARD_OIDC_NAME: "Acme SSO",
    SWITCHBOARD_OIDC_SCOPES: "openid email profile groups",
    SWITCHBOARD_OIDC_ROLE_MAPPING: "platform-admins=admin,sre=operator,security=auditor",
    ...extraEnv,
  }, undefined, consolePort);
  return { sandbox, app, oidc };
}

async function stopStack(stack: Stack | undefined) {
  await stack?.app.stop();
  await stack?.sandbox.stop();
  await stack?.oidc.close();
}

/** The flows, as the people who use the console run them; returns the secrets they produced and
 * the responses that are allowed to hold them (excluded from the search by construction). */
async function exercise(
  stack: Stack,
  browser: Browser,
): Promise<{ secrets: Secret[]; pages: Array<{ place: string; content: string }>; audit: Array<{ place: string; content: string }>; issuing: Array<{ place: string; content: string }> }> {
  const { app, sandbox } = stack;
  const secrets: Secret[] = [
    { name: "broker secret key", value: sandbox.broker.secretAccessKey },
    { name: "NEXTAUTH_SECRET", value: app.env.NEXTAUTH_SECRET! },
    { name: "OIDC client secret", value: OIDC_CLIENT.secret },
    { name: "admin password", value: ADMIN.password },
    { name: "operator password", value: OPERATOR.password },
  ];
  const issued = (what: string, value: string | undefined) => {
    expect(value, what).toBeTruthy();
    secrets.push({ name: `${what} ${value!.slice(0, 6)}…`, value: value! });
  };

  // The responses that issued a credential: the one place it may appear (the search's control).
  const issuing: Array<{ place: string; content: string }> = [];
  const admin = await signedIn(app.url);
  await createUser(admin, { ...OPERATOR, role: "operator" });
  for (const [accountId, name] of [[PRODUCTION, "Production"], [TEST_ACCOUNT, "Test"]]) {
    expect((await admin.post("/api/v1/accounts", { json: { accountId, name } })).status).toBe(201);
  }
  const register = async (body: Record<string, unknown>) => {
    const reply = await admin.post("/api/v1/roles", { json: body });
    expect(reply.status, reply.text).toBe(201);
    return reply.json<{ role: { id: string } }>().role.id;
  };
  const readOnly = await register({ accountId: PRODUCTION, roleName: "ReadOnly" });
  const auditor = await register({ accountId: PRODUCTION, roleName: "ThirdPartyAuditor", externalId: "switchboard-demo-7f3a9c2e" });
  const denied = await register({ accountId: TEST_ACCOUNT, roleName: "DevelopmentTesters" });
  for (const roleId of [readOnly, auditor, denied]) {
    for (const grant of [{ userEmail: OPERATOR.email }, { group: "sre" }]) expect((await admin.post("/api/v1/grants", { json: { roleId, ...grant } })).status).toBe(201);
  }

  // Switches: credentials (API), console URL (API), and the /switch handoff (the form POST).
  const operator = await signedIn(app.url, OPERATOR.email, OPERATOR.password);
  for (const roleId of [readOnly, auditor]) {
    const creds = await operator.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
    expect(creds.status, creds.text).toBe(200);
    const { credentials } = creds.json<{ credentials: { secretAccessKey: string; sessionToken: string } }>();
    issued("issued secret key", credentials.secretAccessKey);
    issued("issued session token", credentials.sessionToken);
    issuing.push({ place: "POST /api/v1/sessions (credentials)", content: creds.text });
    const consoleSession = await operator.post("/api/v1/sessions", { json: { roleId, kind: "console", region: "eu-west-1" } });
    expect(consoleSession.status, consoleSession.text).toBe(200);
    issued("console sign-in token (API)", new URL(consoleSession.json<{ consoleUrl: string }>().consoleUrl).searchParams.get("SigninToken") ?? undefined);
    const handoff = await operator.post(`/switch/${roleId}`, { headers: { origin: new URL(app.url).origin, "sec-fetch-site": "same-origin" }, form: {} });
    expect(handoff.status, handoff.text.slice(0, 300)).toBe(200);
    issued("console sign-in token (/switch)", /name="SigninToken"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="SigninToken"/.exec(handoff.text)?.slice(1).find(Boolean));
    issuing.push({ place: "POST /api/v1/sessions (console)", content: consoleSession.text }, { place: "POST /switch (handoff)", content: handoff.text });
  }

  // The wizard: plan and apply (the broker assumes the account's provisioning role).
  const document = {
    target: { accountId: PRODUCTION, roleName: `CanaryRole${Date.now().toString(36)}`, path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
    applySourcePolicies: [],
  };
  expect((await admin.post("/api/v1/provisioning/plan", { json: document })).status).toBe(200);
  const applied = await admin.post("/api/v1/provisioning/apply", { json: { document, acknowledgeWarnings: true } });
  expect(applied.status, applied.text).toBe(200);

  // Failure paths: a role AWS refuses; STS throttled; the federation endpoint down; IAM failing mid-apply.
  expect((await operator.post("/api/v1/sessions", { json: { roleId: denied, kind: "credentials" } })).status).toBe(403);
  await sandbox.api.addFault({ service: "sts", action: "AssumeRole", code: "ThrottlingException", status: 400, message: "Rate exceeded", count: 10 });
  // Another duration than the switches above: credentials the console already holds for those
  // would be served from its cache without asking STS.
  expect((await operator.post("/api/v1/sessions", { json: { roleId: readOnly, kind: "credentials", durationSeconds: 900 } })).status).toBeGreaterThanOrEqual(429);
  await sandbox.api.clearFaults();
  await sandbox.api.addFault({ service: "signin", code: "InternalFailure", status: 500, count: 10 });
  expect((await operator.post("/api/v1/sessions", { json: { roleId: readOnly, kind: "console" } })).status).toBeGreaterThanOrEqual(500);
  await sandbox.api.clearFaults();
  await sandbox.api.addFault({ service: "iam", action: "AttachRolePolicy", code: "ServiceFailure", status: 500, count: 10 });
  const failedApply = await admin.post("/api/v1/provisioning/apply", { json: { document: { ...document, target: { ...document.target, roleName: `${document.target.roleName}X` } }, acknowledgeWarnings: true } });
  expect(failedApply.status).toBeLessThan(500);
  await sandbox.api.clearFaults();
  // A wrong password, a refused permission, a malformed body.
  await new Client(app.url).attemptSignIn(OPERATOR.email, "not-the-password");
  expect((await operator.post("/api/v1/accounts", { json: { accountId: "222222222222", name: "x" } })).status).toBe(403);
  expect((await operator.post("/api/v1/sessions", { headers: { "content-type": "application/json" }, body: "{not json" })).status).toBe(400);

  // Single sign-on through the browser (the client secret is used at the token endpoint).
  const context = await browser.newContext({ baseURL: app.url });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
  await page.locator('input[name="login"]').fill("otto.operator");
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL(`${app.url}/`);
  const sso = await page.context().request.post("/api/v1/sessions", { data: { roleId: readOnly, kind: "credentials" } });
  expect(sso.status()).toBe(200);
  const ssoCreds = ((await sso.json()) as { credentials: { secretAccessKey: string; sessionToken: string } }).credentials;
  issued("issued secret key (SSO)", ssoCreds.secretAccessKey);
  issued("issued session token (SSO)", ssoCreds.sessionToken);
  const pages: Array<{ place: string; content: string }> = [];
  for (const path of ["/", "/accounts", "/roles", `/roles/${readOnly}/trust`, "/roles/new", "/audit", "/users", "/settings"]) {
    const response = await page.goto(path);
    pages.push({ place: `Chromium ${path} (SSO operator)`, content: (await response?.text()) ?? "" });
  }
  await context.close();

  // Rendered pages and their RSC payloads, as the administrator and the operator.
  for (const [who, client] of [["admin", admin], ["operator", operator]] as const) {
    for (const path of ["/", "/accounts", "/roles", `/roles/${readOnly}/trust`, "/roles/new", "/audit", "/audit?outcome=denied", "/users", "/settings", "/signin", "/setup", "/nope", `/switch/${readOnly}`]) {
      pages.push({ place: `${who} GET ${path}`, content: (await client.get(path)).text });
      pages.push({ place: `${who} RSC ${path}`, content: (await client.get(path, { headers: { rsc: "1" } })).text });
    }
    for (const path of ["/api/v1/me", "/api/v1/me/menu", "/api/v1/accounts", "/api/v1/roles", "/api/v1/grants", "/api/v1/users"]) pages.push({ place: `${who} GET ${path}`, content: (await client.get(path)).text });
  }
  const audit = [
    { place: "audit export CSV", content: (await admin.get("/api/v1/audit-events?format=csv")).text },
    { place: "audit export JSON", content: (await admin.get("/api/v1/audit-events?format=json")).text },
  ];
  expect(audit[0]!.content.split("\n").length, "the audit export holds the run").toBeGreaterThan(20);
  return { secrets, pages, audit, issuing };
}

function staticFiles(): Array<{ place: string; content: Buffer }> {
  const dir = join(process.cwd(), ".next", "static");
  return filesUnder(dir).map((f) => ({ place: f.slice(process.cwd().length + 1), content: readFileSync(f) }));
}

test("[CANARY]: SQLite console at LOG_LEVEL=debug — no secret of the run in logs, database files, audit export, pages or .next/static", async ({ browser }) => {
  let stack: Stack | undefined;
  try {
    stack = await startStack();
    const { secrets, pages, audit, issuing } = await exercise(stack, browser);
    // The search finds each issued credential where it was issued (so 0 hits elsewhere means 0).
    expect(search(issuing, secrets).length).toBeGreaterThanOrEqual(issuing.length);
    await stack.app.stop({ keepData: true });
    const places = [
      { place: "console stdout/stderr", content: stack.app.output() },
      ...filesUnder(stack.app.dataDir).map((f) => ({ place: `data dir ${f.slice(stack!.app.dataDir.length)}`, content: readFileSync(f) })),
      ...audit,
      ...pages,
      ...staticFiles(),
    ];
    const hits = search(places, secrets);
    console.log(`canary (SQLite): ${secrets.length} secrets × ${places.length} places (log ${stack.app.output().length} bytes, ${pages.length} pages and API answers, ${places.length - pages.length - 3} files), ${hits.length} hits`);
    expect(hits).toEqual([]);
  } finally {
    await stopStack(stack);
  }
});

test("[CANARY]: Postgres console at LOG_LEVEL=debug — no secret of the run in logs, any table, the audit export or pages", async ({ browser }) => {
  const db = await freshPostgresDatabase();
  let stack: Stack | undefined;
  try {
    stack = await startStack({ DATABASE_URL: db.url });
    const { secrets, pages, audit, issuing } = await exercise(stack, browser);
    expect(search(issuing, secrets).length).toBeGreaterThanOrEqual(issuing.length);
    const tables = await dumpPostgres(db.url);
    await stack.app.stop({ keepData: true });
    const places = [{ place: "console stdout/stderr", content: stack.app.output() }, { place: `postgres ${db.name} (every table)`, content: tables }, ...audit, ...pages];
    const hits = search(places, secrets);
    console.log(`canary (Postgres ${db.name}): ${secrets.length} secrets × ${places.length} places (${tables.length} bytes of table rows), ${hits.length} hits`);
    expect(hits).toEqual([]);
  } finally {
    await stopStack(stack);
    await db.drop();
  }
});
