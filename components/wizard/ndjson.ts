// Reading the apply route's progress stream: newline-delimited JSON, one event per line, arriving
// in chunks that can split a line (or a multi-byte character) anywhere. Pure and browser-safe.
import { readErrorBody } from "@/components/api/error-body";
import type { ErrorBody } from "@/lib/errors";
import type { ApplyStep } from "@/lib/provision/types";

/** Splits text chunks into complete lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private tail = "";

  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const lines = text.split("\n");
    this.tail = lines.pop() ?? "";
    return lines.map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  }

  /** What is left once the stream ends (a last line without its newline). */
  end(): string[] {
    const rest = this.tail.replace(/\r$/, "");
    this.tail = "";
    return rest.trim() ? [rest] : [];
  }
}

export type CreatedRole = { id: string; roleArn: string; displayName: string };

export type ApplyEvent =
  | { type: "steps"; steps: ApplyStep[] }
  | { type: "result"; ok: boolean; error?: ErrorBody; role?: CreatedRole; steps?: ApplyStep[] };

const STATUSES: ReadonlySet<string> = new Set(["pending", "running", "done", "failed", "rolled-back", "skipped"]);

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

function readSteps(v: unknown): ApplyStep[] | null {
  if (!Array.isArray(v)) return null;
  const steps: ApplyStep[] = [];
  for (const s of v) {
    if (!isRec(s) || typeof s.id !== "string" || typeof s.label !== "string" || typeof s.status !== "string" || !STATUSES.has(s.status)) return null;
    steps.push({ id: s.id, label: s.label, status: s.status as ApplyStep["status"], ...(typeof s.error === "string" && s.error ? { error: s.error } : {}) });
  }
  return steps;
}

/** One line of the stream as an event, or null when it is not one this page knows (ignored, so
 * that the server can add event types without breaking older pages). */
export function parseApplyEvent(line: string): ApplyEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRec(value)) return null;
  if (value.type === "steps") {
    const steps = readSteps(value.steps);
    return steps ? { type: "steps", steps } : null;
  }
  if (value.type === "result" && typeof value.ok === "boolean") {
    const r = value.role;
    const role = isRec(r) && typeof r.id === "string" && typeof r.roleArn === "string" ? { id: r.id, roleArn: r.roleArn, displayName: typeof r.displayName === "string" ? r.displayName : r.roleArn } : undefined;
    const steps = readSteps(value.steps) ?? undefined;
    const error = readErrorBody(value.error);
    return {
      type: "result",
      ok: value.ok,
      ...(error ? { error } : {}),
      ...(role ? { role } : {}),
      ...(steps ? { steps } : {}),
    };
  }
  return null;
}
