// Access on request that expires, with two console instances on one Postgres database (issue 15
// §4): the grant check ends the access at once on both instances, and the work that follows —
// marking the request expired, announcing it, revoking the person's live AWS sessions — is done
// once, not twice, whichever instance's expiry job looks first (each piece is claimed by one
// conditional UPDATE in the store). Consoles and sandbox of our own; the clock is the store's
// (the request's end is moved into the past, as if its time had run out).
import { randomBytes } from "node:crypto";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { ADMIN } from "./support/accounts";
import { Client, createUser, freshPostgresDatabase, startOwnConsole, startOwnSandbox, type OwnConsole, type OwnSandbox } from "./security/support";

test.describe.configure({ timeout: 240_000 });

const PASSWORD = "expiry-instances-password";
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

let sandbox: OwnSandbox;
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let one: OwnConsole;
let two: OwnConsole;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  sandbox = await startOwnSandbox();
  db = await freshPostgresDatabase();
  // Both instances look for expired access every 10 s (the shortest the setting takes), so that
  // both are looking during the test.
  const env = { DATABASE_URL: db.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64"), SWITCHBOARD_ACCESS_EXPIRY_INTERVAL: "10s", SWITCHBOARD_ROLE_HEALTH_INTERVAL: "off" };
  one = await startOwnConsole(sandbox, env);
  two = await startOwnConsole(sandbox, env);
});

test.afterAll(async () => {
  await two?.stop();
  await one?.stop();
  await db?.drop();
  await sandbox?.stop();
});

async function canRead(c: Creds): Promise<string> {
  const iam = new IAMClient({ endpoint: sandbox.url, region: "us-east-1", credentials: c, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: "ReadOnly" }));
    return "ok";
  } catch (err) {
    return (err as Error).name;
  } finally {
    iam.destroy();
  }
}

test("[ACCESS-EXPIRY]: two instances on one Postgres — access ends on both at once; the expiry is recorded, announced and revoked once", async () => {
  const admin = new Client(two.url);
  await admin.signIn(ADMIN.email, ADMIN.password);
  expect((await admin.post("/api/v1/accounts", { json: { accountId: "111111111111", name: "Production" } })).status).toBe(201);
  const role = await admin.post("/api/v1/roles", { json: { accountId: "111111111111", roleName: "ReadOnly" } });
  expect(role.status, role.text).toBe(201);
  const roleId = role.json<{ role: { id: string } }>().role.id;
  const email = `exa.expiry.${randomBytes(3).toString("hex")}@example.com`;
  await createUser(admin, { email, name: "Exa Expiry", password: PASSWORD, role: "operator" });
  expect((await admin.put(`/api/v1/roles/${roleId}/eligibility`, { json: { userEmails: [email], groups: [], policy: { maxDurationSeconds: 3600 } } })).status).toBe(200);

  // Asked on instance one, approved on instance two, switched on instance one.
  const operator = new Client(one.url);
  await operator.signIn(email, PASSWORD);
  const asked = await operator.post("/api/v1/access-requests", { json: { roleId, durationSeconds: 900, reason: "expiry across instances" } });
  expect(asked.status, asked.text).toBe(201);
  const id = asked.json<{ request: { id: string } }>().request.id;
  const approved = await admin.post(`/api/v1/access-requests/${id}/approve`, { json: { comment: "ok" } });
  expect(approved.status, approved.text).toBe(200);
  const switched = await operator.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
  expect(switched.status, switched.text).toBe(200);
  const { accessKeyId, secretAccessKey, sessionToken } = switched.json<{ credentials: Creds }>().credentials;
  const creds = { accessKeyId, secretAccessKey, sessionToken };
  expect(await canRead(creds)).toBe("ok");

  // Its time runs out.
  const since = await sandbox.api.lastSeq();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const past = new Date(Date.now() - 1000).toISOString();
    await client.query("update access_requests set ends_at = $1 where id = $2", [past, id]);
    await client.query("update grants set expires_at = $1 where access_request_id = $2", [past, id]);
  } finally {
    await client.end();
  }

  // Both instances refuse the next switch at once, before any job has run, with no AWS call.
  for (const on of [one, two]) {
    const again = await operator.clone(operator.defaults, on.url).post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });
    expect(again.status, again.text).toBe(403);
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/^Your access to ReadOnly ended at /);
  }

  // Within a few looks of the two jobs, the request is expired and the sessions revoked.
  await expect
    .poll(async () => (await admin.get(`/api/v1/access-requests/${id}`)).json<{ request: { status: string; revocation: { state: string } } }>().request, { timeout: 60_000, intervals: [1000] })
    .toMatchObject({ status: "expired", revocation: { state: "done" } });
  expect(await canRead(creds)).toBe("AccessDenied");
  // Give the other instance time for at least one more look: it must find nothing to do.
  await new Promise((resolve) => setTimeout(resolve, 13_000));

  const writes = (await sandbox.api.calls({ since })).filter((c) => c.action === "PutRolePolicy");
  expect(writes.length, "the revocation is written into the role once").toBe(1);
  const events = async (action: string) =>
    (await admin.get(`/api/v1/audit-events?action=${action}&limit=100`)).json<{ events: Array<{ details: { accessRequestId?: string }; actorEmail: string | null }> }>().events.filter((e) => e.details.accessRequestId === id);
  expect((await events("access.expire")).length, "one expiry event").toBe(1);
  const revokes = await events("session.revoke");
  expect(revokes.length, "one revocation event").toBe(1);
  expect(revokes[0]!.actorEmail, "made by the console itself").toBeNull();
  expect(one.output() + two.output()).not.toContain("looking for access that expired failed");
});
