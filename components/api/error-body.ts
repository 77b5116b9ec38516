// Reading the console's one error shape in the browser. Every failure the server explains arrives
// as an ErrorBody: under `error` in an API route's answer, in a server action's
// `{ ok: false, error }`, and in the provisioning stream's last line. Pure and browser-safe.
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "@/lib/errors";

/** Failures only the page can see: no answer at all, an answer that is not the console's JSON
 * (a proxy's HTML page, a restart), or a bug in the page itself. */
export type ClientErrorCode = "network" | "http_error" | "bad_response" | "unexpected";

/** An ErrorBody as the page holds it: the server's, or one the page made up for a failure the
 * server could not explain. */
export type ClientError = Omit<ErrorBody, "code"> & { code: ErrorCode | ClientErrorCode };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** An ErrorBody, or null when `value` is not one (only the parts of the shape are kept). */
export function readErrorBody(value: unknown): ErrorBody | null {
  if (!isRec(value) || typeof value.code !== "string" || !Object.hasOwn(ERROR_STATUS, value.code)) return null;
  if (typeof value.message !== "string" || !value.message) return null;
  const fields = isRec(value.fields) ? Object.fromEntries(Object.entries(value.fields).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  return {
    code: value.code as ErrorCode,
    message: value.message,
    ...(typeof value.requestId === "string" && value.requestId ? { requestId: value.requestId } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(isRec(value.details) ? { details: value.details } : {}),
    ...(typeof value.retryAfter === "number" && value.retryAfter > 0 ? { retryAfter: value.retryAfter } : {}),
  };
}

/** What to say when an answer holds no ErrorBody, from its status alone. */
export function statusMessage(status: number): string {
  if (status === 401) return "Your console session has ended. Sign in again.";
  if (status === 403) return "Your console role does not allow this.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  if (status >= 500) return `The console could not answer (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/**
 * The error of a failed API answer (`{ error: ErrorBody }`): the server's own when it sent one,
 * else one made from the status. `requestId` is the X-Request-Id header, for answers whose body
 * does not carry it. `messageFor` lets a page word the status-only messages for what it was
 * doing ("your draft is kept").
 */
export function errorOfAnswer(payload: unknown, status: number, requestId?: string | null, messageFor: (status: number) => string | undefined = () => undefined): ClientError {
  const body = isRec(payload) ? readErrorBody(payload.error) : null;
  const id = body?.requestId ?? (requestId || undefined);
  if (body) return { ...body, ...(id ? { requestId: id } : {}) };
  return { code: "http_error", message: messageFor(status) ?? statusMessage(status), ...(id ? { requestId: id } : {}) };
}

/** Codes whose message cannot tell the person what to do: the request id is what they can give
 * an administrator, who finds the server's log line by it. */
const GENERIC: ReadonlySet<ClientError["code"]> = new Set(["internal", "upstream_error", "unavailable", "http_error", "bad_response"]);

/** The message to show: the error's own, with its request id when the failure is a generic one
 * and the message does not already name it. */
export function errorText(error: Pick<ClientError, "code" | "message" | "requestId">): string {
  if (!error.requestId || !GENERIC.has(error.code) || error.message.includes(error.requestId)) return error.message;
  return `${error.message} Request id: ${error.requestId}.`;
}
