// Rate limits with the default budgets (30 switches
// a minute per person; 20 sign-in attempts per 5 minutes per address; a progressive delay per
// account after 5 failures). On consoles of our own, so that the floods never touch the shared
// console every other spec signs in to: one on SQLite (in-memory limiters) that trusts one proxy,
// so X-Forwarded-For stands for distinct client addresses; then two on one fresh Postgres
// database, to show that instances share one budget.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ADMIN } from "../support/accounts";
import { scale } from "./scale";
import {
  Client,
  createUser,
  errorShapeProblem,
  freshPostgresDatabase,
  median,
  pool,
  startOwnConsole,
  startOwnSandbox,
  type OwnConsole,
  type OwnSandbox,
  type Reply,
} from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const PASSWORD = "rate-limit-person-password";
const SIGN_IN_BUDGET = 20;
const SWITCH_BUDGET = 30;

let sandbox: OwnSandbox;
let app: OwnConsole;
let admin: Client;
let roleId: string;

/** A client that comes from `ip` (the console trusts one proxy, which appends the address). */
const from = (base: string, ip: string) => new Client(base, { "x-forwarded-for": ip });

async function person(base: string, label: string, ip: string): Promise<{ client: Client; email: string }> {
  const email = `${label}.${randomBytes(3).toString("hex")}@example.com`;
  await createUser(admin, { email, name: label, password: PASSWORD, role: "operator" });
  expect((await admin.post("/api/v1/grants", { json: { roleId, userEmail: email } })).status).toBe(201);
  const client = from(base, ip);
  await client.signIn(email, PASSWORD);
  return { client, email };
}

const switchOnce = (client: Client) => client.post("/api/v1/sessions", { json: { roleId, kind: "credentials" } });

/** A 429 as documented: Retry-After in whole seconds, the error shape, code rate_limited. */
function tooManyProblem(reply: Reply): string | undefined {
  const retryAfter = Number(reply.header("retry-after"));
  if (!Number.isInteger(retryAfter) || retryAfter < 1) return `Retry-After "${reply.header("retry-after") ?? ""}"`;
  return undefined;
}

async function registerRole(client: Client): Promise<string> {
  expect((await client.post("/api/v1/accounts", { json: { accountId: "111111111111", name: "Production" } })).status).toBe(201);
  const role = await client.post("/api/v1/roles", { json: { accountId: "111111111111", roleName: "ReadOnly" } });
  expect(role.status, role.text).toBe(201);
  return role.json<{ role: { id: string } }>().role.id;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sandbox = await startOwnSandbox();
  // The console-wide STS budget is a separate bucket (its own test belongs with the STS quota);
  // raised here so that only the per-person and per-address budgets are measured.
  app = await startOwnConsole(sandbox, { SWITCHBOARD_TRUST_PROXY: "1", SWITCHBOARD_RATE_STS: "1000/1s" });
  admin = from(app.url, "192.0.2.1");
  await admin.signIn(ADMIN.email, ADMIN.password);
  roleId = await registerRole(admin);
});

test.afterAll(async () => {
  await app?.stop();
  await sandbox?.stop();
});

test("[RATE]: one person's flood of switches gets 429 with Retry-After; another person's switches still succeed", async () => {
  const flooder = await person(app.url, "flooder", "198.51.100.10");
  const other = await person(app.url, "bystander", "198.51.100.11");
  const replies = await pool(Array.from({ length: scale.switchFlood }), 5, () => switchOnce(flooder.client));
  const ok = replies.filter((r) => r.status === 200).length;
  const limited = replies.filter((r) => r.status === 429);
  const others = replies.filter((r) => r.status !== 200 && r.status !== 429);
  const problems = limited.map((r) => tooManyProblem(r) ?? errorShapeProblem(r)).filter(Boolean);
  const bystander = await Promise.all(Array.from({ length: 5 }, () => switchOnce(other.client)));
  const bystanderOk = bystander.filter((r) => r.status === 200).length;
  console.log(
    `rate switch flood: ${replies.length} switches by one person → ${ok} succeeded, ${limited.length} × 429 (Retry-After ${limited[0]?.header("retry-after") ?? "-"} s), ${others.length} other; another person: ${bystanderOk}/${bystander.length} succeeded`,
  );
  expect(others.map((r) => `${r.status} ${r.text.slice(0, 100)}`)).toEqual([]);
  expect(ok).toBeLessThanOrEqual(SWITCH_BUDGET);
  expect(ok).toBeGreaterThan(0);
  expect(limited.length).toBeGreaterThanOrEqual(scale.switchFlood - SWITCH_BUDGET);
  expect(problems).toEqual([]);
  expect(bystanderOk).toBe(bystander.length);
  // Every refusal is audited.
  const audit = await admin.get(`/api/v1/audit-events?actor=${encodeURIComponent(flooder.email)}&outcome=denied`);
  expect(audit.json<{ events: unknown[] }>().events.length).toBeGreaterThan(0);
});

test("[RATE]: a flood of sign-ins from one address gets 429s that cost no password hash, and signed-in switches keep their pace", async () => {
  // Several people take turns at the timed switch, so no one's own switch budget is the limit.
  const timers = await Promise.all(["t1", "t2", "t3", "t4"].map((label, i) => person(app.url, `timer.${label}`, `198.51.100.${20 + i}`)));
  let turn = 0;
  const timedSwitch = async () => {
    const reply = await switchOnce(timers[turn++ % timers.length]!.client);
    expect(reply.status, reply.text.slice(0, 200)).toBe(200);
    return reply.ms;
  };
  for (let i = 0; i < 3; i++) await timedSwitch(); // warm-up
  const before: number[] = [];
  for (let i = 0; i < scale.latencySamples; i++) before.push(await timedSwitch());

  const attacker = "203.0.113.66";
  const statuses = new Map<number, number>();
  /** How long each answer took, by status: a 401 is a password hash (scrypt; a made-up email
   * hashes too), a 429 should be none. */
  const answerMs = new Map<number, number[]>();
  let attempts = 0;
  let firstLimited = false;
  let stop = false;
  let abort = false;
  const limitedReplies: Reply[] = [];
  // The attacker keeps one CSRF token (and its cookie) per connection, as a script would.
  const attackers = await Promise.all(
    Array.from({ length: scale.signInFloodConcurrency }, async () => {
      const client = from(app.url, attacker);
      return { client, csrfToken: await client.csrfToken() };
    }),
  );
  const attempt = async (who: { client: Client; csrfToken: string }) => {
    const email = `victim.${randomBytes(4).toString("hex")}@example.com`;
    const reply = await who.client.post("/api/auth/callback/credentials", { form: { csrfToken: who.csrfToken, email, password: "wrong-password-guess", json: "true" } });
    attempts++;
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    answerMs.set(reply.status, [...(answerMs.get(reply.status) ?? []), reply.ms]);
    if (reply.status === 429) {
      firstLimited = true;
      if (limitedReplies.length < 5) limitedReplies.push(reply);
    }
  };
  const floodStarted = Date.now();
  const flood = Promise.all(
    attackers.map(async (who) => {
      const gap = (1000 * scale.signInFloodConcurrency) / scale.signInFloodPerSecond;
      while (!abort && (!stop || attempts < scale.signInFlood)) {
        const started = Date.now();
        await attempt(who);
        const rest = gap - (Date.now() - started);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      }
    }),
  );
  // The flood's cost is bounded by the budget (20 password hashes); measure once it is spent and
  // the flood is being refused, while it keeps coming.
  const during: number[] = [];
  let measuredFrom = { attempts: 0, at: 0 };
  let measuredTo = { attempts: 0, at: 1 };
  try {
    const started = Date.now();
    while (!firstLimited && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(firstLimited, "the sign-in flood was never refused").toBe(true);
    measuredFrom = { attempts, at: Date.now() };
    for (let i = 0; i < scale.latencySamples; i++) during.push(await timedSwitch());
    measuredTo = { attempts, at: Date.now() };
  } catch (err) {
    abort = true;
    throw err;
  } finally {
    stop = true;
    await flood;
  }
  const floodSeconds = (Date.now() - floodStarted) / 1000;

  // Someone else, from another address, still signs in.
  const elsewhere = from(app.url, "198.51.100.99");
  await elsewhere.signIn(timers[0]!.email, PASSWORD);

  const p50Before = median(before);
  const p50During = median(during);
  const limited = statuses.get(429) ?? 0;
  const floodRate = ((measuredTo.attempts - measuredFrom.attempts) * 1000) / Math.max(1, measuredTo.at - measuredFrom.at);
  const admittedMs = median(answerMs.get(401) ?? []);
  const refusedMs = median(answerMs.get(429) ?? []);
  console.log(
    `rate sign-in flood: ${attempts} attempts from one address in ${floodSeconds.toFixed(1)} s over ${scale.signInFloodConcurrency} connection${scale.signInFloodConcurrency > 1 ? "s" : ""} (${floodRate.toFixed(0)}/s while the switches were timed) → ${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}; answer p50 ${admittedMs.toFixed(1)} ms admitted (a password hash), ${refusedMs.toFixed(1)} ms refused; switch p50 ${p50Before.toFixed(1)} ms before, ${p50During.toFixed(1)} ms during the flood (${(p50During / p50Before).toFixed(2)}×)`,
  );
  expect(limited).toBeGreaterThanOrEqual(attempts - SIGN_IN_BUDGET);
  expect(limitedReplies.map((r) => tooManyProblem(r)).filter(Boolean)).toEqual([]);
  // The limiter's point: once the budget is spent, an attempt is refused before the password is
  // hashed, so a flood costs the console a few ms of routing per attempt, not a hash each. A hash
  // (scrypt, N=2^15) is tens of ms; a refusal that hashed would take at least as long as an
  // admitted attempt.
  expect(answerMs.get(401)?.length ?? 0, "no attempt was admitted and hashed").toBeGreaterThan(0);
  expect(refusedMs, "a refused sign-in took as long as a password hash").toBeLessThan(admittedMs / 3);
  // And people who are signed in keep working at their pace. The switch is answered in a couple
  // of ms, so the flood's routing, sharing the machine's two cores, shows up as a few ms added
  // rather than as a ratio: the bound is twice the normal p50, or the normal p50 plus half a
  // password hash, whichever is larger.
  expect(p50During).toBeLessThanOrEqual(Math.max(2 * p50Before, p50Before + admittedMs / 2));
});

test("[RATE]: after 5 failed sign-ins an account waits (progressive delay, from any address), and the wait ends by itself", async () => {
  const email = `delayed.${randomBytes(3).toString("hex")}@example.com`;
  await createUser(admin, { email, name: "Delayed", password: PASSWORD, role: "auditor" });
  for (let i = 0; i < 5; i++) {
    const reply = await from(app.url, `198.51.100.${40 + i}`).attemptSignIn(email, `wrong-${i}`);
    expect(reply.status, `failure ${i + 1}`).not.toBe(200);
  }
  const refused = await from(app.url, "198.51.100.50").attemptSignIn(email, PASSWORD);
  expect(refused.status).toBe(429);
  const wait = Number(refused.header("retry-after"));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(15 * 60);
  await new Promise((r) => setTimeout(r, wait * 1000 + 200));
  const later = from(app.url, "198.51.100.51");
  await later.signIn(email, PASSWORD);
  console.log(`rate account delay: 5 failures → next attempt 429 with Retry-After ${wait} s; after the wait the right password works`);
});

test("[RATE]: two consoles on one Postgres database share one budget — sign-ins and switches split across both", async () => {
  const db = await freshPostgresDatabase();
  const secret = randomBytes(32).toString("base64");
  let one: OwnConsole | undefined;
  let two: OwnConsole | undefined;
  try {
    const env = { DATABASE_URL: db.url, NEXTAUTH_SECRET: secret, SWITCHBOARD_TRUST_PROXY: "1", SWITCHBOARD_RATE_STS: "1000/1s" };
    one = await startOwnConsole(sandbox, env);
    two = await startOwnConsole(sandbox, env);
    const consoles = [one.url, two.url];

    // Sign-in attempts from one address, alternating between the instances.
    const statuses: number[] = [];
    const attempts = SIGN_IN_BUDGET + 10;
    for (let i = 0; i < attempts; i++) {
      const reply = await from(consoles[i % 2]!, "203.0.113.77").attemptSignIn(`pg.victim.${i}@example.com`, "wrong-password-guess");
      statuses.push(reply.status);
    }
    const admitted = statuses.filter((s) => s !== 429).length;
    const limited = statuses.filter((s) => s === 429).length;

    // One person's switches, alternating between the instances (one cookie works on both).
    const pgAdmin = from(one.url, "192.0.2.10");
    await pgAdmin.signIn(ADMIN.email, ADMIN.password);
    const pgRole = await registerRole(pgAdmin);
    const email = `pg.switcher.${randomBytes(3).toString("hex")}@example.com`;
    await createUser(pgAdmin, { email, name: "Pg Switcher", password: PASSWORD, role: "operator" });
    expect((await pgAdmin.post("/api/v1/grants", { json: { roleId: pgRole, userEmail: email } })).status).toBe(201);
    const onOne = from(one.url, "198.51.100.60");
    await onOne.signIn(email, PASSWORD);
    const onTwo = onOne.clone(onOne.defaults, two.url);
    expect((await onTwo.get("/api/v1/me")).status, "the session works on the second instance").toBe(200);
    const switches = SWITCH_BUDGET + 10;
    const switchStatuses: number[] = [];
    for (let i = 0; i < switches; i++) switchStatuses.push((await (i % 2 ? onTwo : onOne).post("/api/v1/sessions", { json: { roleId: pgRole, kind: "credentials" } })).status);
    const switched = switchStatuses.filter((s) => s === 200).length;
    const switchLimited = switchStatuses.filter((s) => s === 429).length;
    console.log(
      `rate Postgres (2 instances, ${db.name}): ${attempts} sign-in attempts from one address split across both → ${admitted} admitted, ${limited} × 429 (budget ${SIGN_IN_BUDGET}); ${switches} switches by one person split across both → ${switched} succeeded, ${switchLimited} × 429 (budget ${SWITCH_BUDGET})`,
    );
    expect(admitted).toBeLessThanOrEqual(SIGN_IN_BUDGET);
    expect(limited).toBeGreaterThanOrEqual(attempts - SIGN_IN_BUDGET);
    expect(switched).toBeLessThanOrEqual(SWITCH_BUDGET);
    expect(switchLimited).toBeGreaterThanOrEqual(switches - SWITCH_BUDGET);
  } finally {
    await two?.stop();
    await one?.stop();
    await db.drop();
  }
});
