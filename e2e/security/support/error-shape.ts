// The documented error shape: what every error reply and every failed server action must look
// like, and what must never reach a client.
import { ERROR_STATUS as CONSOLE_ERROR_STATUS } from "../../../lib/errors";
import type { Reply } from "./http";

/** Every code the console answers with, and its status — all but `internal`, which is a bug. */
export const ERROR_STATUS: Record<string, number> = Object.fromEntries(Object.entries(CONSOLE_ERROR_STATUS).filter(([code]) => code !== "internal"));

/** Statuses the API may answer an error with. 500 is not one of them: it is a bug. */
export const DOCUMENTED_ERROR_STATUSES = new Set([400, 401, 403, 404, 409, 413, 429, 502, 503]);

/** Things that must never reach a client: stack frames, file paths, AWS's own error documents. */
const LEAKS: Array<[RegExp, string]> = [
  [/\n\s+at [^\n]+[(:]\d+:\d+/, "a stack trace"],
  [/node_modules|\/work\/|webpack-internal|\.next\/server/, "a server file path"],
  [/<ErrorResponse|<Error><Code>|"__type"\s*:/, "an AWS error document"],
  [/TypeError|ReferenceError|SyntaxError: |ZodError|SqliteError|error: relation /, "an internal error name"],
];

export function leakIn(text: string): string | undefined {
  return LEAKS.find(([re]) => re.test(text))?.[1];
}

/** Undefined when an error reply is in the documented shape; otherwise what is wrong with it. */
export function errorShapeProblem(reply: Pick<Reply, "status" | "text" | "header">): string | undefined {
  if (!DOCUMENTED_ERROR_STATUSES.has(reply.status)) return `status ${reply.status} is not a documented error status`;
  const leak = leakIn(reply.text);
  if (leak) return `the body holds ${leak}`;
  if (!/no-store/.test(reply.header("cache-control") ?? "")) return `Cache-Control is "${reply.header("cache-control") ?? ""}", not no-store`;
  if (!/application\/json/.test(reply.header("content-type") ?? "")) return `Content-Type is "${reply.header("content-type") ?? ""}"`;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return "the body is not JSON";
  }
  return actionErrorProblem((body as { error?: unknown } | null)?.error, reply.status);
}

/** Undefined when `{ code, message, requestId, fields?, details? }` is a well-formed error (for
 * `status`, if given). */
export function actionErrorProblem(error: unknown, status?: number): string | undefined {
  if (!error || typeof error !== "object") return "no error object";
  const e = error as { code?: unknown; message?: unknown; fields?: unknown; requestId?: unknown; details?: unknown };
  if (typeof e.code !== "string" || !(e.code in ERROR_STATUS)) return `code ${JSON.stringify(e.code)} is not a documented code`;
  if (status !== undefined && ERROR_STATUS[e.code] !== status) return `code ${e.code} came with status ${status}`;
  if (typeof e.message !== "string" || !e.message.trim()) return "no message";
  if (e.fields !== undefined && (typeof e.fields !== "object" || e.fields === null || Object.values(e.fields).some((v) => typeof v !== "string"))) return "fields is not an object of strings";
  if (typeof e.requestId !== "string" || !e.requestId) return "no requestId";
  if (e.details !== undefined && (typeof e.details !== "object" || e.details === null || Array.isArray(e.details))) return "details is not an object";
  return undefined;
}
