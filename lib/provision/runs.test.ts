// Crash safety of the role wizard: a console process
// applying a plan is killed with SIGKILL at different points, in a real child process writing
// its journal to a real SQLite store, against the sandbox over HTTP; then the reconciler (what
// the next start-up or apply runs) must leave nothing behind in IAM, record what it did in the
// audit log, and never take over a run that is still alive. Also: idempotency keys.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { GetInstanceProfileCommand, GetRoleCommand, ListRolesCommand, type IAMClient } from "@aws-sdk/client-iam";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROD, awsPolicy, failure, roleArn, session } from "@/sandbox/iam-test-support";
import { startTestSandbox, type Creds, type TestSandbox } from "@/sandbox/testing";
import type { JournalEntry } from "./apply";
import type { Plan, PolicyJson } from "./types";

// The config (and so the store) is read from the environment on first use.
const dir = mkdtempSync(join(tmpdir(), "switchboard-runs-"));
const DATABASE_URL = `file:${join(dir, "store.db")}`;
const savedDatabaseUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL = DATABASE_URL;
afterAll(() => {
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
});

const { getDb } = await import("@/lib/db/client");
const { findRunByKey, reconcileRuns, startRun, LEASE_MS } = await import("./runs");

const CHILD = fileURLToPath(new URL("./testing/apply-child.ts", import.meta.url));
const ACTOR = { id: "01JCRASHTEST0000000000000A", email: "crash@example.com" };

let t: TestSandbox;
let provisioning: Creds;
let iam: IAMClient;

beforeAll(async () => {
  t = await startTestSandbox();
  provisioning = await session(t, roleArn(PROD, "OrganizationAccountAccessRole"), "crash@example.com");
  iam = t.iam(provisioning);
  await getDb();
});

afterEach(async () => {
  await t.admin.clearFaults();
});

afterAll(async () => {
  await t.close();
});

const policy = (...statements: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement: statements });

function makePlan(roleName: string): Plan {
  return {
    accountId: PROD,
    partition: "aws",
    roleName,
    path: "/",
    roleArn: roleArn(PROD, roleName),
    description: "Created by the crash test",
    maxSessionDuration: 3600,
    tags: [],
    permissionsBoundaryArn: null,
    trustPolicy: policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
    inlinePolicies: [{ name: "read_my_bucket", document: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" }) }],
    managedPolicyArns: [awsPolicy("ReadOnlyAccess")],
    instanceProfile: { name: roleName, path: "/" },
    oidcProvider: null,
    sourcePolicies: [],
    effectiveSessionSeconds: 3600,
    findings: [],
  };
}

const iamDeps = { iamFor: async () => iam, retry: { attempts: 3, baseDelayMs: 5 } };
const afterLease = () => Date.now() + LEASE_MS + 1_000;

/** Runs the apply in a child process, with IAM slowed by `latencyMs` per call so that the kill
 * lands between a journal write and the call's answer, and kills it (SIGKILL) at the first
 * journal write that `killAt` accepts. Returns once any request the child had in flight has
 * finished in the sandbox, with the last journal the child printed. */
async function applyAndKill(plan: Plan, killAt: (entries: JournalEntry[]) => boolean, latencyMs: number): Promise<JournalEntry[]> {
  await t.admin.addFault({ service: "iam", latencyMs });
  const input = join(dir, `${plan.roleName}.json`);
  writeFileSync(input, JSON.stringify({ endpoint: t.url, credentials: provisioning, plan, actor: ACTOR }));
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", CHILD], {
    env: { ...process.env, DATABASE_URL, CHILD_INPUT: input, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let last: JournalEntry[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const parsed = JSON.parse(line) as JournalEntry[] | { finished: boolean };
    if (!Array.isArray(parsed)) throw new Error(`the child finished before it was killed (ok: ${parsed.finished})`);
    last = parsed;
    if (killAt(parsed)) {
      child.kill("SIGKILL");
      break;
    }
  }
  await exited;
  await new Promise((resolve) => setTimeout(resolve, 2 * latencyMs + 100));
  await t.admin.clearFaults();
  if (!last.length) throw new Error(`the child wrote no journal: ${stderr}`);
  return last;
}

const at = (id: string, status: JournalEntry["status"]) => (entries: JournalEntry[]) => entries.at(-1)?.id === id && entries.at(-1)?.status === status;
const gone = async (send: Promise<unknown>) => (await failure(send)).name;

describe("a console killed while creating a role", () => {
  it.each([
    ["while CreateRole is in flight", at("role", "running")],
    ["right after the role was created", at("role", "done")],
    ["while AttachRolePolicy is in flight", at(`managed:${awsPolicy("ReadOnlyAccess")}`, "running")],
    ["after the last step, before the run was marked finished", at("instance-profile-role", "done")],
  ])("%s leaves nothing behind once reconciled", async (_, killAt) => {
    const plan = makePlan(`killed-${Math.random().toString(36).slice(2, 8)}`);
    const journal = await applyAndKill(plan, killAt, 150);

    const db = await getDb();
    const row = await db.selectFrom("provision_runs").selectAll().where("role_arn", "=", plan.roleArn).executeTakeFirstOrThrow();
    expect(row.state).toBe("running");
    // The store has at least what the child printed (it may have written the next step's
    // "running" before the signal arrived).
    expect((JSON.parse(row.journal) as JournalEntry[]).slice(0, journal.length)).toEqual(journal);

    // Not before the lease runs out: the process might still be alive.
    expect(await reconcileRuns({ ...iamDeps, db })).toEqual([]);
    const reconciled = await reconcileRuns({ ...iamDeps, db, now: afterLease() });
    expect(reconciled).toEqual([{ id: row.id, roleArn: plan.roleArn, state: "rolled_back", problems: [] }]);

    expect(await gone(iam.send(new GetRoleCommand({ RoleName: plan.roleName })))).toBe("NoSuchEntityException");
    expect(await gone(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: plan.roleName })))).toBe("NoSuchEntityException");
    const after = await db.selectFrom("provision_runs").select(["state", "result"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after.state).toBe("rolled_back");
    expect(JSON.parse(after.result ?? "{}")).toMatchObject({ ok: false, error: `The console stopped while creating ${plan.roleName}; when it started again it removed what that run had created.` });
    const audit = await db.selectFrom("audit_events").selectAll().where("action", "=", "provisioning.reconcile").where("target_label", "=", plan.roleArn).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "success", actor_email: ACTOR.email, aws_account_id: PROD });
    // Done once: a second pass finds nothing.
    expect(await reconcileRuns({ ...iamDeps, db, now: afterLease() })).toEqual([]);
  }, 60_000);

  it("keeps a role whose run had finished and was registered, when only the run's own record was lost", async () => {
    const plan = makePlan(`finished-${Math.random().toString(36).slice(2, 8)}`);
    await applyAndKill(plan, at("instance-profile-role", "done"), 100);
    const db = await getDb();
    // The catalog has the role (the console registered it, then died before closing the run).
    const now = new Date().toISOString();
    const accountId = "01JPRODACCOUNT000000000000";
    await db.insertInto("accounts").values({ id: accountId, aws_account_id: PROD, name: "Production", color: "#dc2626", created_at: now, updated_at: now }).onConflict((oc) => oc.doNothing()).execute();
    const entryId = `01JROLE${Math.random().toString(36).slice(2, 8).toUpperCase().padEnd(19, "0")}`;
    await db.insertInto("roles").values({ id: entryId, account_id: accountId, role_name: plan.roleName.toUpperCase(), display_name: "Finished", created_at: now, updated_at: now }).execute();

    const reconciled = await reconcileRuns({ ...iamDeps, db, now: afterLease() });
    expect(reconciled.map((r) => [r.roleArn, r.state])).toEqual([[plan.roleArn, "succeeded"]]);
    const row = await db.selectFrom("provision_runs").select(["state", "result"]).where("role_arn", "=", plan.roleArn).executeTakeFirstOrThrow();
    expect(row.state).toBe("succeeded");
    expect(JSON.parse(row.result ?? "null")).toEqual({ ok: true, steps: [], role: { id: entryId, roleArn: plan.roleArn, displayName: "Finished" } });
    expect((await iam.send(new GetRoleCommand({ RoleName: plan.roleName }))).Role?.RoleName).toBe(plan.roleName);
  }, 60_000);

  it("a run is reconciled by one instance only, however many look at once", async () => {
    const plan = makePlan(`raced-${Math.random().toString(36).slice(2, 8)}`);
    await applyAndKill(plan, at("role", "done"), 100);
    const db = await getDb();
    const now = afterLease();
    const results = await Promise.all([1, 2, 3].map(() => reconcileRuns({ ...iamDeps, db, now })));
    expect(results.flat().map((r) => r.roleArn)).toEqual([plan.roleArn]);
    const roles = (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName);
    expect(roles).not.toContain(plan.roleName);
  }, 60_000);

  it("a rollback that cannot reach AWS is tried again later, and nothing is marked done meanwhile", async () => {
    const plan = makePlan(`unreachable-${Math.random().toString(36).slice(2, 8)}`);
    await applyAndKill(plan, at("role", "done"), 100);
    const db = await getDb();
    const down = { iamFor: async () => Promise.reject(new Error("connect ECONNREFUSED")), retry: { attempts: 1, baseDelayMs: 1 } };
    const first = await reconcileRuns({ ...down, db, now: afterLease() });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ roleArn: plan.roleArn, state: "retry_later" });
    expect((await db.selectFrom("provision_runs").select("state").where("role_arn", "=", plan.roleArn).executeTakeFirstOrThrow()).state).toBe("running");
    // AWS is back: the next pass (after the renewed lease) removes the role.
    const second = await reconcileRuns({ ...iamDeps, db, now: afterLease() + LEASE_MS });
    expect(second.map((r) => [r.roleArn, r.state])).toEqual([[plan.roleArn, "rolled_back"]]);
    expect(await gone(iam.send(new GetRoleCommand({ RoleName: plan.roleName })))).toBe("NoSuchEntityException");
  }, 60_000);
});

describe("the reconciler's identity", () => {
  it("acts for the person who started the run, so CloudTrail names them", async () => {
    const plan = makePlan(`orphan-${Math.random().toString(36).slice(2, 8)}`);
    const run = await startRun({ actor: ACTOR, plan });
    await run.journal([{ id: "role", status: "running", undo: true }]);
    const asked: unknown[] = [];
    const reconciled = await reconcileRuns({ ...iamDeps, iamFor: async (_accountId, actor) => (asked.push(actor), iam), db: await getDb(), now: afterLease() });
    expect(reconciled.map((r) => r.roleArn)).toContain(plan.roleArn);
    expect(asked.length).toBeGreaterThan(0);
    for (const actor of asked) expect(actor).toEqual({ actorId: ACTOR.id, actorEmail: ACTOR.email });
  });
});

describe("idempotency keys", () => {
  it("refuses a second run with the same key while the first is running, and returns the first answer once it has finished", async () => {
    const plan = makePlan("idempotent");
    const run = await startRun({ actor: ACTOR, plan, idempotencyKey: "key-1" });
    await expect(startRun({ actor: ACTOR, plan, idempotencyKey: "key-1" })).rejects.toMatchObject({ code: "conflict" });
    expect(await findRunByKey(ACTOR.id, "key-1")).toEqual({ state: "running", result: null, roleArn: plan.roleArn });
    const answer = { ok: true, steps: [], role: { id: "r1", roleArn: plan.roleArn, displayName: "idempotent" } };
    await run.finish("succeeded", answer);
    expect(await findRunByKey(ACTOR.id, "key-1")).toEqual({ state: "succeeded", result: answer, roleArn: plan.roleArn });
    // Keys belong to a person: the same key from someone else is another request.
    expect(await findRunByKey("01JSOMEONEELSE000000000000", "key-1")).toBeUndefined();
    await startRun({ actor: { id: "01JSOMEONEELSE000000000000", email: "else@example.com" }, plan, idempotencyKey: "key-1" });
  });
});
