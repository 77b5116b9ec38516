import "server-only";
import type { IAMClient } from "@aws-sdk/client-iam";
import { classifyAwsError, hasAwsCode } from "@/lib/aws/errors";
import type { ApplyStep, Plan } from "../types";

// What every step builder shares: the shape of a step (its IAM calls, its undo, its cleanup after
// an unknown outcome), and the small helpers they use to compare what IAM has with the plan.

/** What a step must remember for another process to undo it: the source-side step's earlier
 * policy of the same name (null: there was none). */
export type StepData = { previous: string | null };

/** What an IAM call is for, to explain its failure: "creating role X" in which account, needing
 * which permission, about which thing. */
export type Op = {
  doing: string;
  permission: string;
  accountId: string;
  /** "A role named X", for "already exists" and "does not exist". */
  thing?: string;
  /** Which policy, for MalformedPolicyDocument. */
  policy?: string;
  /** A managed policy being attached, to tell a missing policy from a missing role. */
  policyArn?: string;
};

/** One IAM call with the runner's bounded retries; `retryAlso` names failures worth another try
 * besides throttling (eventual consistency). */
export type Call = <T>(op: Op, fn: () => Promise<T>, retryAlso?: (err: unknown) => boolean) => Promise<T>;

export type Undo = { op: Op; run: (iam: IAMClient, call: Call) => Promise<void> };

export type Outcome = { status: "done" | "skipped"; note?: string; undo?: Undo };

export type Work = {
  step: ApplyStep;
  accountId: string;
  /** Whether an attempt of this step ended without a clear answer (set by `call`). */
  unknown: boolean;
  run: (iam: IAMClient, call: Call, work: Work) => Promise<Outcome>;
  /** After a failure whose outcome is unknown: remove what the step may have created anyway. */
  cleanup?: Undo;
  /** The undo of the step once done, rebuilt from the plan (and `data`) by another process. */
  revert?: Undo;
  /** What the step remembered; `remember` records it in the journal before going on. */
  data?: StepData;
  remember: (data: StepData) => Promise<void>;
};

/** What a step builder is given: the plan, and how to name accounts and recognise what this run
 * created. */
export type StepContext = {
  plan: Plan;
  /** "Production (111111111111)", or "account 111111111111". */
  account: (id: string) => string;
  /** Whether IAM's CreateDate says the entity was created by this run. */
  recent: (date: Date | undefined) => boolean;
};

/** A pending step of the plan. */
export function work(step: Omit<ApplyStep, "status">, accountId: string, run: Work["run"], cleanup?: Undo, revert?: Undo): Work {
  const w: Work = { step: { ...step, status: "pending" }, accountId, unknown: false, run, cleanup, revert, remember: async (data) => void (w.data = data) };
  return w;
}

/** A failure this module explains itself (no AWS error behind it). */
export class PlanStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanStepError";
  }
}

/** The provisioning role of an account could not be assumed (or its client built); the message
 * already says so in plain words. */
export class ProvisioningUnreachable extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "ProvisioningUnreachable";
  }
}

/** Whether an attempt of the step may already have done what it failed to confirm: an answer
 * was lost (`w.unknown`) or the SDK itself retried. */
export const retried = (w: Work, err: unknown): boolean => w.unknown || classifyAwsError(err).sdkAttempts > 1;

/** A NoSuchEntity right after creating something is IAM's eventual consistency: ask again. */
export const notFoundYet = (err: unknown): boolean => hasAwsCode(err, "NoSuchEntity");

export function ignoreNoSuchEntity(err: unknown): void {
  // Already gone: what an undo wanted.
  if (!hasAwsCode(err, "NoSuchEntity")) throw err;
}

/** A read that answers undefined when the thing is not there. */
export function undefinedIfMissing(err: unknown): undefined {
  if (hasAwsCode(err, "NoSuchEntity")) return undefined;
  throw err;
}

/** JSON with object keys sorted, to compare documents regardless of key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
export function decodeDocument(encoded: string | undefined): unknown {
  if (encoded === undefined) return undefined;
  for (const text of [safeDecode(encoded), encoded]) {
    try {
      return JSON.parse(text);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const sameDocument = (stored: string | undefined, wanted: unknown): boolean => canonical(decodeDocument(stored)) === canonical(wanted);

export const lastSegment = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** The plan's tags as IAM takes them (none: undefined, not an empty list). */
export const iamTags = (plan: Plan) => (plan.tags.length ? plan.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined);
