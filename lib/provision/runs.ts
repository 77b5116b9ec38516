import "server-only";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import type { Database, ProvisionRunState } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { applySteps, rollbackJournal, type ApplyDeps, type JournalEntry } from "./apply";
import type { ApplyStep, Plan } from "./types";

// The role wizard's write-ahead log: persist the intent before IAM CreateRole, reconcile on
// start-up, and accept idempotency keys. A run row is written before the first
// IAM call and its journal around every step, each write awaited, so a console killed halfway
// leaves a record of everything it may have created. Runs hold a lease that every journal write
// renews; a "running" run whose lease has run out belongs to a process that is gone, and
// `reconcileRuns` (at start-up, and before each new apply on any instance) rolls it back.

/** How long a run may go without writing its journal before another process may take it over.
 * A step is a few IAM calls with bounded retries (seconds), so this is generous. */
export const LEASE_MS = 2 * 60_000;

/** What a run answered, kept for a client that retries with the same Idempotency-Key. */
export type StoredResult = { ok: boolean; steps: ApplyStep[]; error?: string; role?: { id: string; roleArn: string; displayName: string } };

export type RunHandle = {
  id: string;
  startedAt: number;
  /** For ApplyDeps.journal: records the entries and renews the lease. */
  journal: (entries: JournalEntry[]) => Promise<void>;
  finish: (state: Exclude<ProvisionRunState, "running">, result: StoredResult) => Promise<void>;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Records a run before anything is created. A second run with the same (actor, key) is refused. */
export async function startRun(
  input: { actor: { id: string; email: string }; plan: Plan; idempotencyKey?: string },
  db?: Kysely<Database>,
): Promise<RunHandle> {
  const store = db ?? (await getDb());
  const id = newId();
  const startedAt = Date.now();
  try {
    await store
      .insertInto("provision_runs")
      .values({
        id,
        actor_id: input.actor.id,
        actor_email: input.actor.email,
        aws_account_id: input.plan.accountId,
        role_arn: input.plan.roleArn,
        idempotency_key: input.idempotencyKey ?? null,
        state: "running",
        plan: JSON.stringify(input.plan),
        journal: "[]",
        result: null,
        started_at: iso(startedAt),
        lease_until: iso(startedAt + LEASE_MS),
        updated_at: iso(startedAt),
      })
      .execute();
  } catch (err) {
    if (input.idempotencyKey && isUniqueViolation(err)) {
      throw new AppError("conflict", "A request with this Idempotency-Key is already being applied. Wait for it, then ask again with the same key for its result.");
    }
    throw err;
  }
  return {
    id,
    startedAt,
    journal: async (entries) => {
      const now = Date.now();
      await store
        .updateTable("provision_runs")
        .set({ journal: JSON.stringify(entries), lease_until: iso(now + LEASE_MS), updated_at: iso(now) })
        .where("id", "=", id)
        .where("state", "=", "running")
        .execute();
    },
    finish: async (state, result) => {
      const now = Date.now();
      await store.updateTable("provision_runs").set({ state, result: JSON.stringify(result), updated_at: iso(now) }).where("id", "=", id).execute();
    },
  };
}

/** An earlier run by the same person with the same Idempotency-Key: its answer once finished. */
export async function findRunByKey(actorId: string, key: string, db?: Kysely<Database>): Promise<{ state: ProvisionRunState; result: StoredResult | null; roleArn: string } | undefined> {
  const store = db ?? (await getDb());
  const row = await store
    .selectFrom("provision_runs")
    .select(["state", "result", "role_arn"])
    .where("actor_id", "=", actorId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  if (!row) return undefined;
  return { state: row.state, result: row.result ? (JSON.parse(row.result) as StoredResult) : null, roleArn: row.role_arn };
}

export type ReconciledRun = { id: string; roleArn: string; state: "succeeded" | "rolled_back" | "rollback_incomplete" | "retry_later"; problems: string[] };

/** How long a failing rollback of an interrupted run is retried before it is left to people. */
export const GIVE_UP_MS = 60 * 60_000;

/**
 * Rolls back every run whose process is gone (still "running", lease expired): what its journal
 * says may exist is removed, newest first, through each account's provisioning role. Each run is
 * claimed with a conditional update first, so two instances never reconcile the same run. Every
 * reconciled run gets an audit event.
 */
/** Who started a run: the reconciler acts in their name (their AWS identity in CloudTrail). */
export type RunActor = { actorId: string; actorEmail: string };

export async function reconcileRuns(
  deps: Pick<ApplyDeps, "accountName" | "retry"> & { iamFor: (accountId: string, run: RunActor) => Promise<IAMClient>; db?: Kysely<Database>; now?: number },
): Promise<ReconciledRun[]> {
  const store = deps.db ?? (await getDb());
  const now = deps.now ?? Date.now();
  const stale = await store
    .selectFrom("provision_runs")
    .select(["id", "lease_until"])
    .where("state", "=", "running")
    .where("lease_until", "<", iso(now))
    .orderBy("id")
    .execute();
  const out: ReconciledRun[] = [];
  for (const candidate of stale) {
    const claimed = await store
      .updateTable("provision_runs")
      .set({ lease_until: iso(now + LEASE_MS), updated_at: iso(now) })
      .where("id", "=", candidate.id)
      .where("state", "=", "running")
      .where("lease_until", "=", candidate.lease_until)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const row = await store.selectFrom("provision_runs").selectAll().where("id", "=", candidate.id).executeTakeFirstOrThrow();
    const plan = JSON.parse(row.plan) as Plan;
    const entries = JSON.parse(row.journal) as JournalEntry[];
    // Every step done and the role in the catalog: the apply finished and only its own record
    // was not written (the store failed at the very end). That role is in use; keep it.
    const complete = applySteps(plan).every((step) => entries.some((e) => e.id === step.id && e.status === "done"));
    const entry = complete ? await catalogEntry(store, plan) : undefined;
    if (entry) {
      // What the client would have got, for a retry with the same Idempotency-Key.
      const result: StoredResult = { ok: true, steps: [], role: { id: entry.id, roleArn: row.role_arn, displayName: entry.display_name } };
      await store.updateTable("provision_runs").set({ state: "succeeded", result: JSON.stringify(result), updated_at: iso(Date.now()) }).where("id", "=", row.id).execute();
      out.push({ id: row.id, roleArn: row.role_arn, state: "succeeded", problems: [] });
      continue;
    }
    const actor: RunActor = { actorId: row.actor_id, actorEmail: row.actor_email };
    const rolled = await rollbackJournal(plan, Date.parse(row.started_at), entries, { ...deps, iamFor: (accountId) => deps.iamFor(accountId, actor) });
    // A rollback that failed (AWS unreachable, a permission missing) is tried again at the next
    // start or apply, for a while; after that the run is left as incomplete, for people.
    const retryLater = !rolled.ok && now - Date.parse(row.started_at) < GIVE_UP_MS;
    const state = rolled.ok ? "rolled_back" : "rollback_incomplete";
    const error = rolled.ok
      ? `The console stopped while creating ${plan.roleName}; when it started again it removed what that run had created.`
      : `The console stopped while creating ${plan.roleName}; removing what that run had created failed, so some of it is still there: ${rolled.problems.join(" ")}`;
    await recordAudit(
      {
        action: "provisioning.reconcile",
        outcome: rolled.ok ? "success" : "failure",
        actor: null,
        actorEmail: row.actor_email,
        target: { type: "iam-role", label: row.role_arn },
        awsAccountId: row.aws_account_id,
        reason: error,
        details: { runId: row.id, startedAt: row.started_at, steps: entries.length, undone: rolled.entries.filter((e) => e.status === "undone").length },
      },
      store,
    );
    await store
      .updateTable("provision_runs")
      .set(
        retryLater
          ? { journal: JSON.stringify(rolled.entries), updated_at: iso(Date.now()) }
          : { state, journal: JSON.stringify(rolled.entries), result: JSON.stringify({ ok: false, steps: [], error } satisfies StoredResult), updated_at: iso(Date.now()) },
      )
      .where("id", "=", row.id)
      .execute();
    out.push({ id: row.id, roleArn: row.role_arn, state: retryLater ? "retry_later" : state, problems: rolled.problems });
  }
  return out;
}

/** The catalog's entry for the plan's role, if any (names are case-insensitive in IAM). */
async function catalogEntry(store: Kysely<Database>, plan: Plan): Promise<{ id: string; display_name: string } | undefined> {
  return store
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.id", "roles.display_name"])
    .where("accounts.aws_account_id", "=", plan.accountId)
    .where((eb) => eb(eb.fn("lower", ["roles.role_name"]), "=", plan.roleName.toLowerCase()))
    .executeTakeFirst();
}
