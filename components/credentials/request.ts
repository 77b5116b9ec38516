// Calls to the console's own JSON API from the browser, with its error shape turned into one
// error type that the menu and the credentials dialog can show as written. Browser-safe.

/** The server's explanation of an AWS denial: which half of the trust is missing and the
 * statement that would add it. */
export type DenialExplanation = {
  kind: string;
  summary: string;
  fix?: { where: string; statement: unknown };
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly explanation: DenialExplanation | undefined;
  constructor(status: number, code: string, message: string, explanation?: DenialExplanation) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.explanation = explanation;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function explanationOf(value: unknown): DenialExplanation | undefined {
  if (!isRecord(value) || typeof value.summary !== "string") return undefined;
  const fix = isRecord(value.fix) && typeof value.fix.where === "string" ? { where: value.fix.where, statement: value.fix.statement } : undefined;
  return { kind: typeof value.kind === "string" ? value.kind : "unknown", summary: value.summary, fix };
}

/** What to say when the server's answer is not its JSON error (a proxy's HTML page, a restart). */
function fallbackMessage(status: number): string {
  if (status === 401) return "Your console session has ended. Sign in again.";
  if (status === 403) return "Your console role does not allow this.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  if (status >= 500) return `The console could not answer (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/** The ApiError for a failed answer: the server's own code and message when it sent its JSON
 * error, a plain explanation of the status otherwise. */
export async function errorFrom(res: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await res.json();
  } catch {
    payload = undefined;
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const message = typeof error?.message === "string" && error.message ? error.message : fallbackMessage(res.status);
  return new ApiError(res.status, typeof error?.code === "string" ? error.code : "http_error", message, explanationOf(error?.explanation));
}

/** fetch() for the console's API: never cached (answers can hold credentials), cookies sent
 * to this origin only, and a network failure turned into an ApiError that says so. */
export async function apiFetch(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  try {
    return await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: init.signal,
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, "network", "The console could not be reached. Check your connection and try again.");
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
    throw new ApiError(res.status, "bad_response", "The console sent an answer this page cannot read. Reload the page and try again.");
  }
}
