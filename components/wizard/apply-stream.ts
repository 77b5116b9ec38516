// Creating the role: POST /api/v1/provisioning/apply, reading its NDJSON progress as it arrives.
// Browser-only. Never throws: every way it can end is an ApplyOutcome the page can show.
import { errorOfAnswer, errorText } from "@/components/api/error-body";
import type { ErrorBody } from "@/lib/errors";
import type { ApplyStep, LintFinding, WizardDocument } from "@/lib/provision/types";
import { LineSplitter, parseApplyEvent, type CreatedRole } from "./ndjson";

export type ApplyOutcome =
  /** The server ran the apply and said how it ended. */
  | { kind: "result"; ok: boolean; error?: ErrorBody; role?: CreatedRole; steps: ApplyStep[] }
  /** The server refused before creating anything (invalid document, unacknowledged warnings,
   * no permission, signed out). */
  | { kind: "refused"; status: number; code: string; message: string; fields?: Record<string, string>; findings?: LintFinding[]; stepUp?: "password" | "oidc" }
  /** The answer stopped before its result line: what happened in AWS is not known. */
  | { kind: "interrupted"; message: string; steps: ApplyStep[] };

const APPLY_PATH = "/api/v1/provisioning/apply";

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** The status-only messages, worded for creating a role. */
function messageFor(status: number): string | undefined {
  if (status === 401) return "Your console session has ended. Sign in again, then come back: your draft is kept.";
  if (status === 403) return "Your console role does not allow creating roles.";
  return undefined;
}

const isFinding = (f: unknown): f is LintFinding => {
  if (!isRec(f)) return false;
  return typeof f.message === "string" && typeof f.severity === "string" && typeof f.rule === "string" && typeof f.where === "string";
};

/** The server refused (`{ error: ErrorBody }`): its message, the fields and findings to show
 * (from the error's details), and the sign-in it wants first. */
async function refusal(res: Response): Promise<ApplyOutcome> {
  let payload: unknown;
  try {
    payload = await res.json();
  } catch {
    payload = undefined;
  }
  const error = errorOfAnswer(payload, res.status, res.headers.get("X-Request-Id"), messageFor);
  const findings = Array.isArray(error.details?.findings) ? error.details.findings.filter(isFinding) : undefined;
  return {
    kind: "refused",
    status: res.status,
    code: error.code,
    message: errorText(error),
    ...(error.fields ? { fields: error.fields } : {}),
    ...(findings?.length ? { findings } : {}),
    ...(error.code === "step_up_required" ? { stepUp: error.details?.stepUp === "oidc" ? ("oidc" as const) : ("password" as const) } : {}),
  };
}

const INTERRUPTED =
  "The connection to the console closed before it reported the result, so the page cannot tell whether the role was created. " +
  "Look for it on the Roles page (or in the account) before you try again.";

/** A fresh Idempotency-Key: 128 random bits (crypto.randomUUID needs a secure context; this
 * works over plain http too). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type ApplyBody = { document: WizardDocument; acknowledgeWarnings: boolean };

/** POST /api/v1/provisioning/apply with the key; `stream` asks for NDJSON progress. */
const postApply = (body: ApplyBody, key: string, stream: boolean) =>
  fetch(APPLY_PATH, {
    method: "POST",
    headers: { Accept: stream ? "application/x-ndjson" : "application/json", "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });

/**
 * After the progress stream broke: asks the server again with the same Idempotency-Key, which
 * answers with the first request's outcome once it has one (409 while it still runs), or applies
 * it now if the first request never arrived. Gives up after about half a minute.
 */
async function askAgain(body: ApplyBody, key: string, steps: ApplyStep[]): Promise<ApplyOutcome> {
  for (let attempt = 0; attempt < 12; attempt++) {
    await sleep(attempt === 0 ? 500 : 2_500);
    let res: Response;
    try {
      res = await postApply(body, key, false);
    } catch {
      continue;
    }
    if (res.status === 409) continue;
    if (!res.ok) return refusal(res);
    const event = parseApplyEvent(JSON.stringify({ type: "result", ...((await res.json().catch(() => ({}))) as Rec) }));
    if (event?.type !== "result") break;
    return { kind: "result", ok: event.ok, steps: event.steps ?? steps, ...(event.error ? { error: event.error } : {}), ...(event.role ? { role: event.role } : {}) };
  }
  return { kind: "interrupted", message: INTERRUPTED, steps };
}

export async function streamApply(
  body: ApplyBody,
  onSteps: (steps: ApplyStep[]) => void,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<ApplyOutcome> {
  let res: Response;
  try {
    res = await postApply(body, idempotencyKey, true);
  } catch {
    return { kind: "refused", status: 0, code: "network", message: "The console could not be reached, so nothing was created. Check your connection and try again." };
  }
  if (!res.ok) return refusal(res);
  if (!res.body) return askAgain(body, idempotencyKey, []);

  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const lines = new LineSplitter();
  let steps: ApplyStep[] = [];
  const handle = (line: string): ApplyOutcome | null => {
    const event = parseApplyEvent(line);
    if (!event) return null;
    if (event.type === "steps") {
      steps = event.steps;
      onSteps(steps);
      return null;
    }
    if (event.steps) {
      steps = event.steps;
      onSteps(steps);
    }
    return { kind: "result", ok: event.ok, steps, ...(event.error ? { error: event.error } : {}), ...(event.role ? { role: event.role } : {}) };
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      for (const line of done ? lines.end() : lines.push(value)) {
        const outcome = handle(line);
        if (outcome) return outcome;
      }
      if (done) break;
    }
  } catch {
    // the connection dropped mid-stream
  } finally {
    // Stops reading once the result is in (or the connection broke); the server is done by then.
    reader.cancel().catch(() => undefined);
  }
  return askAgain(body, idempotencyKey, steps);
}
