// The browser's client for the console's own JSON API (/api/v1/…): one fetch setup, and every
// failure turned into one error type, ApiError, that pages show as written. Browser-only: it
// lives under components/ with the code that calls it, because lib/ is the server-only core.
import { errorOfAnswer, errorText, type ClientError } from "./error-body";

/** The server's explanation of an AWS denial (an aws_denied error's `details.explanation`):
 * which half of the trust is missing and the statement that would add it. */
export type DenialExplanation = {
  kind: string;
  summary: string;
  fix?: { where: string; statement: unknown };
};

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

function explanationOf(value: unknown): DenialExplanation | undefined {
  if (!isRec(value) || typeof value.summary !== "string") return undefined;
  const fix = isRec(value.fix) && typeof value.fix.where === "string" ? { where: value.fix.where, statement: value.fix.statement } : undefined;
  return { kind: typeof value.kind === "string" ? value.kind : "unknown", summary: value.summary, fix };
}

/** A failed call: the HTTP status (0 when there was no answer) and the error body. Its message
 * is the one to show, with the request id when the failure is a generic one. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: ClientError;
  constructor(status: number, error: ClientError) {
    super(errorText(error));
    this.name = "ApiError";
    this.status = status;
    this.error = error;
  }

  get code(): ClientError["code"] {
    return this.error.code;
  }

  get explanation(): DenialExplanation | undefined {
    return explanationOf(this.error.details?.explanation);
  }
}

/** The ApiError for a failed answer: the server's own error when it sent one, a plain
 * explanation of the status otherwise. */
export async function errorFrom(res: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await res.json();
  } catch {
    payload = undefined;
  }
  return new ApiError(res.status, errorOfAnswer(payload, res.status, res.headers.get("X-Request-Id")));
}

/** fetch() for the console's API: never cached (answers can hold credentials), cookies sent
 * to this origin only, and a network failure turned into an ApiError that says so. */
export async function apiFetch(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; accept?: string } = {}): Promise<Response> {
  const accept = init.accept ?? "application/json";
  try {
    return await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? { Accept: accept } : { Accept: accept, "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: init.signal,
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, { code: "network", message: "The console could not be reached. Check your connection and try again." });
  }
}

/** Fetches JSON from the console's API; throws ApiError with the server's own message. */
export async function requestJson<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal; onResponse?: (res: Response) => void } = {},
): Promise<T> {
  const res = await apiFetch(path, init);
  init.onResponse?.(res);
  if (!res.ok) throw await errorFrom(res);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, { code: "bad_response", message: "The console sent an answer this page cannot read. Reload the page and try again." });
  }
}
