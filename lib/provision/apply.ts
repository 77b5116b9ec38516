import "server-only";
import type { IAMClient } from "@aws-sdk/client-iam";
import { classifyAwsError, describeAwsError, isThrottling, outcomeUnknown } from "@/lib/aws/errors";
import { buildWork, ProvisioningUnreachable, type Call, type Op, type StepData, type Undo, type Work } from "./steps";
import { explainStepFailure } from "./steps/explain";
import type { ApplyStep, Plan } from "./types";

// Applying a role-wizard Plan through IAM, one step at a time, in the order of the plan (the
// steps, and how each is undone, are built in ./steps):
//
//   OIDC provider → CreateRole → PutRolePolicy* → AttachRolePolicy* → instance profile (+ role)
//   → source-side policies in the trusted accounts
//
// When a step fails, everything this run created is undone in reverse order, so a failed apply
// never leaves a half-created role behind; what already existed before the run is never deleted
// (a name clash is reported, not "fixed"). Rollback keeps going past its own failures and
// reports each one, because the person has to clean those up by hand.
//
// IAM is eventually consistent: a principal created moments ago can make CreateRole fail with
// "Invalid principal in policy", and a role created a moment ago can be missing for the next
// call (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
// Those cases, and throttling, are retried a bounded number of times with exponential backoff;
// nothing else is.

export type { StepData } from "./steps";
export { sourceTargetOf } from "./steps";

/** The write-ahead record of one step: "running" is written before the step's first IAM call,
 * "done" after it, "undone" once rollback removed it again. After a crash, `rollbackJournal`
 * undoes what the entries say may exist. */
export type JournalEntry = { id: string; status: "running" | "done" | "undone"; undo: boolean; data?: StepData };

export type ApplyDeps = {
  /** IAM in an account, through its provisioning role. */
  iamFor: (accountId: string) => Promise<IAMClient>;
  /** Durably records the journal; awaited before each step's IAM calls, so nothing is created
   * that a restarted console could not find again. A write that fails stops the apply. */
  journal?: (entries: JournalEntry[]) => Promise<void>;
  /** Called with a fresh copy of every step whenever one changes state. */
  onProgress?: (steps: ApplyStep[]) => void;
  /** Attempts per IAM call (first try included) and the first backoff; default 5 and 200 ms. */
  retry?: { attempts: number; baseDelayMs: number };
  /** A display name for an account ("Production"), for the messages; the id is always shown. */
  accountName?: (accountId: string) => string | undefined;
};

/** What applying a plan in IAM came to: each step's status and, on failure, what failed and
 * what rollback left behind, in words for the person. */
export type IamApplyResult = { ok: boolean; steps: ApplyStep[]; error?: string; /** Rollback failed: something is still there. */ rollbackIncomplete?: boolean };

const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 200 };
const MAX_ATTEMPTS = 10;
const MAX_DELAY_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The steps a plan turns into, all pending: what the page shows before and while applying. */
export function applySteps(plan: Plan): ApplyStep[] {
  return buildWork(plan, Date.now(), (id) => `account ${id}`).map((w) => ({ ...w.step }));
}

/** What applying and rolling back share: IAM clients per account (made once), calls with bounded
 * retries, and messages that name accounts. */
function runtime(deps: Pick<ApplyDeps, "iamFor" | "retry" | "accountName">) {
  const attempts = Math.min(MAX_ATTEMPTS, Math.max(1, Math.floor(deps.retry?.attempts ?? DEFAULT_RETRY.attempts)));
  const baseDelayMs = Math.min(MAX_DELAY_MS, Math.max(0, deps.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs));
  const account = (id: string) => {
    const name = deps.accountName?.(id);
    return name ? `${name} (${id})` : `account ${id}`;
  };

  const clients = new Map<string, Promise<IAMClient>>();
  const iamIn = (accountId: string) => {
    let client = clients.get(accountId);
    if (!client) {
      client = deps.iamFor(accountId).catch((err: unknown) => {
        clients.delete(accountId);
        throw new ProvisioningUnreachable(describeAwsError(err, `reach ${account(accountId)} through its provisioning role`), err);
      });
      clients.set(accountId, client);
    }
    return client;
  };

  /** One IAM call with bounded retries; remembers on `work` whether an attempt's outcome was
   * unknown (so a later "already exists" may be this run's own doing). */
  const callFor = (w: Work | undefined, tally: { attempts: number }): Call => async (_op, fn, retryAlso) => {
    for (let attempt = 1; ; attempt++) {
      tally.attempts = attempt;
      try {
        return await fn();
      } catch (err) {
        if (w && (outcomeUnknown(err) || classifyAwsError(err).sdkAttempts > 1)) w.unknown = true;
        const retryable = isThrottling(err) || (retryAlso?.(err) ?? false);
        if (!retryable || attempt >= attempts) throw err;
        // Exponential backoff with jitter: base·2^(n-1), between half and all of it.
        const delay = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1));
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  };

  /** Runs one undo; the problem in plain words when it fails. */
  const undoOne = async (accountId: string, undo: Undo): Promise<string | undefined> => {
    const tally = { attempts: 1 };
    let op = undo.op;
    const call: Call = (o, fn, retryAlso) => {
      op = o;
      // Undoing runs right after creating: a thing may not be visible yet.
      return callFor(undefined, tally)(o, fn, retryAlso);
    };
    try {
      await undo.run(await iamIn(accountId), call);
      return undefined;
    } catch (err) {
      return explainStepFailure(err, op, account, tally.attempts);
    }
  };

  return { account, iamIn, callFor, undoOne };
}

/** Creates everything the plan lists, in order; on the first failure, undoes what this run
 * created (newest first) and says what failed and why. Plans with blocking lint findings are
 * refused before any AWS call. With `deps.journal`, each step is recorded before and after its
 * IAM calls, so that a console that dies halfway can be rolled back by `rollbackJournal`. */
export async function applyPlan(plan: Plan, deps: ApplyDeps, startedAt = Date.now()): Promise<IamApplyResult> {
  const { account, iamIn, callFor, undoOne } = runtime(deps);
  const work = buildWork(plan, startedAt, account);
  const steps = work.map((w) => w.step);
  const emit = () => {
    try {
      deps.onProgress?.(steps.map((s) => ({ ...s })));
    } catch {
      // A listener that throws (a closed stream) must not stop the apply halfway, or its rollback.
    }
  };
  const set = (step: ApplyStep, status: ApplyStep["status"], error?: string) => {
    step.status = status;
    if (error === undefined) delete step.error;
    else step.error = error;
    emit();
  };

  const blocking = plan.findings.filter((f) => f.severity === "error");
  if (blocking.length) {
    for (const step of steps) step.status = "skipped";
    return {
      ok: false,
      steps: steps.map((s) => ({ ...s })),
      error: `Nothing was created: the plan has ${blocking.length === 1 ? "a blocking finding" : `${blocking.length} blocking findings`}: ${blocking.map((f) => f.message).join(" ")}`,
    };
  }

  const journal: JournalEntry[] = [];
  const writeJournal = async () => {
    if (!deps.journal) return;
    try {
      await deps.journal(journal.map((e) => ({ ...e })));
    } catch (err) {
      throw new JournalUnwritable(err);
    }
  };

  const done: Array<{ step: ApplyStep; accountId: string; undo: Undo; entry: JournalEntry }> = [];
  let failure: { message: string; work: Work; unknown: boolean } | undefined;

  for (const w of work) {
    set(w.step, "running");
    const tally = { attempts: 1 };
    let op: Op = { doing: w.step.label.charAt(0).toLowerCase() + w.step.label.slice(1), permission: "iam:*", accountId: w.accountId };
    const call: Call = (o, fn, retryAlso) => {
      op = o;
      return callFor(w, tally)(o, fn, retryAlso);
    };
    const entry: JournalEntry = { id: w.step.id, status: "running", undo: false };
    w.remember = async (data) => {
      w.data = data;
      entry.data = data;
      await writeJournal();
    };
    try {
      journal.push(entry);
      await writeJournal();
      const iam = await iamIn(w.accountId);
      const outcome = await w.run(iam, call, w);
      if (outcome.undo) done.push({ step: w.step, accountId: w.accountId, undo: outcome.undo, entry });
      entry.status = "done";
      entry.undo = Boolean(outcome.undo);
      set(w.step, outcome.status, outcome.note);
      await writeJournal();
    } catch (err) {
      const message = err instanceof JournalUnwritable ? err.message : explainStepFailure(err, op, account, tally.attempts);
      // Any attempt without a clear answer (not only the last) may have created something.
      failure = { message, work: w, unknown: w.unknown };
      if (w.step.status === "running") set(w.step, "failed", message);
      break;
    }
  }

  if (!failure) return { ok: true, steps: steps.map((s) => ({ ...s })) };

  for (const step of steps) {
    if (step.status === "pending") set(step, "skipped", "Not attempted: an earlier step failed.");
  }

  // Roll back, newest first. The failed step comes first when an attempt of it went unanswered:
  // it may have created something even though no answer came back.
  const problems: string[] = [];
  const failedEntry = journal.find((e) => e.id === failure.work.step.id && e.status === "running");
  if (failure.unknown && failure.work.cleanup) {
    const problem = await undoOne(failure.work.accountId, failure.work.cleanup);
    if (problem) {
      problems.push(problem);
      set(failure.work.step, "failed", `${failure.message} It may have been created anyway, and removing it failed: ${problem}`);
    } else if (failedEntry) {
      failedEntry.status = "undone";
    }
  } else if (failedEntry && !failure.unknown) {
    // A clear refusal created nothing.
    failedEntry.status = "undone";
  }
  for (const { step, accountId, undo, entry } of done.reverse()) {
    const problem = await undoOne(accountId, undo);
    if (problem) {
      problems.push(problem);
      set(step, "done", `Could not undo this, so it is still in ${account(accountId)}: ${problem} Remove it by hand.`);
    } else {
      entry.status = "undone";
      set(step, "rolled-back");
    }
  }
  // Best effort: what is still "running" or "done" here is what a restart would try again.
  await writeJournal().catch(() => undefined);

  const error = problems.length
    ? `${failure.message} Rolling back was incomplete, so some of it is still there: ${problems.join(" ")}`
    : `${failure.message} ${done.length ? "Everything created before it was removed again." : "Nothing was left behind."}`;
  return { ok: false, steps: steps.map((s) => ({ ...s })), error, ...(problems.length ? { rollbackIncomplete: true } : {}) };
}

/** The journal could not be written: the step is not attempted (nothing unrecorded is created). */
class JournalUnwritable extends Error {
  constructor(cause: unknown) {
    super("The console could not record the next step in its store, so it stopped before making it.", { cause });
    this.name = "JournalUnwritable";
  }
}

export type RollbackResult = { ok: boolean; entries: JournalEntry[]; problems: string[] };

/**
 * Undoes, newest first, what a journal says an interrupted apply may have left: a "done" step
 * through its undo, a "running" one (its outcome never known) through its cleanup, which only
 * removes what this run created (CreateDate not before `startedAt`, the planned trust policy).
 * Safe to run again: each undo treats "already gone" as done. Returns the journal as it now stands.
 */
export async function rollbackJournal(plan: Plan, startedAt: number, entries: JournalEntry[], deps: Pick<ApplyDeps, "iamFor" | "retry" | "accountName">): Promise<RollbackResult> {
  const { account, undoOne } = runtime(deps);
  const byId = new Map(buildWork(plan, startedAt, account).map((w) => [w.step.id, w]));
  const out = entries.map((e) => ({ ...e }));
  const problems: string[] = [];
  for (const entry of [...out].reverse()) {
    const w = byId.get(entry.id);
    if (!w || entry.status === "undone") continue;
    w.data = entry.data;
    const undo = entry.status === "running" ? w.cleanup : entry.undo ? w.revert : undefined;
    if (!undo) {
      entry.status = "undone";
      continue;
    }
    const problem = await undoOne(w.accountId, undo);
    if (problem) problems.push(`${w.step.label}: ${problem}`);
    else entry.status = "undone";
  }
  return { ok: problems.length === 0, entries: out, problems };
}
