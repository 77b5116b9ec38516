import { AppError } from "@/lib/errors";

// The one reading of an AWS error: what kind of failure it is, and the rule that turns it into
// the console's own error. Callers explain a failure in their own words (which call, in which
// account, needing which permission), but they all ask this module what happened. The SDK's own
// messages are kept when they are AWS's words to a caller (an AccessDenied names who was refused
// what); transport failures get a sentence that says what to check. Never includes credentials.

export type AwsErrorKind =
  /** The console's own AWS credentials are missing, unknown, expired or wrongly signed. */
  | "credentials"
  /** No HTTP answer: the endpoint, the network or a timeout. */
  | "unreachable"
  | "throttled"
  /** AWS refused the caller (AccessDenied and its relatives). */
  | "denied"
  | "not_found"
  | "exists"
  /** Another change is in the way (DeleteConflict, ConcurrentModification). */
  | "conflict"
  /** AWS refused the request itself (a malformed policy, a bad parameter, a protected entity). */
  | "invalid"
  /** An account quota (LimitExceeded). */
  | "limit"
  /** A server error: the call may or may not have taken effect. */
  | "outcome_unknown"
  | "other";

export type AwsErrorInfo = {
  kind: AwsErrorKind;
  /** The error's name as the SDK has it ("NoSuchEntityException"). */
  name: string;
  /** AWS's error code: the SDK names modeled errors after their shapes, NoSuchEntity →
   * NoSuchEntityException, so the suffix is dropped. */
  code: string;
  message: string;
  httpStatus?: number;
  /** How many attempts the SDK itself made (its own retries); 1 when it does not say. */
  sdkAttempts: number;
};

type SdkError = { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };

const CREDENTIALS = new Set(["CredentialsProviderError", "InvalidClientTokenId", "UnrecognizedClient", "ExpiredToken", "SignatureDoesNotMatch"]);
const DENIED = new Set(["AccessDenied", "UnauthorizedOperation", "NotAuthorized"]);
const THROTTLING = new Set(["Throttling", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled", "SlowDown"]);
const BY_CODE: Record<string, AwsErrorKind> = {
  NoSuchEntity: "not_found",
  NotFound: "not_found",
  ResourceNotFound: "not_found",
  EntityAlreadyExists: "exists",
  AlreadyExists: "exists",
  DeleteConflict: "conflict",
  ConcurrentModification: "conflict",
  MalformedPolicyDocument: "invalid",
  ValidationError: "invalid",
  InvalidInput: "invalid",
  InvalidParameterValue: "invalid",
  UnmodifiableEntity: "invalid",
  LimitExceeded: "limit",
};
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|fetch failed/i;

/** What kind of failure an error from the AWS SDK (or its transport) is. */
export function classifyAwsError(err: unknown): AwsErrorInfo {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const info = {
    name,
    code: name.replace(/(.)Exception$/, "$1"),
    message: e.message ?? String(err),
    httpStatus: e.$metadata?.httpStatusCode,
    sdkAttempts: e.$metadata?.attempts ?? 1,
  };
  return { kind: kindOf(info, e.code), ...info };
}

function kindOf(e: Omit<AwsErrorInfo, "kind">, transportCode: string | undefined): AwsErrorKind {
  if (CREDENTIALS.has(e.code) || /Could not load credentials/i.test(e.message)) return "credentials";
  if (DENIED.has(e.code)) return "denied";
  if (THROTTLING.has(e.code) || e.httpStatus === 429 || /rate exceeded/i.test(e.message)) return "throttled";
  const byCode = BY_CODE[e.code];
  if (byCode) return byCode;
  if (e.httpStatus === undefined && (e.code === "TimeoutError" || UNREACHABLE.test(transportCode ?? "") || UNREACHABLE.test(e.message))) return "unreachable";
  if (e.httpStatus === undefined || e.httpStatus >= 500) return "outcome_unknown";
  return "other";
}

/** Worth trying again after a pause: AWS said to slow down, or was briefly unavailable (503). */
export function isThrottling(err: unknown): boolean {
  const e = classifyAwsError(err);
  return e.kind === "throttled" || e.httpStatus === 503;
}

/** No answer, or a server error: the call may or may not have taken effect. */
export function outcomeUnknown(err: unknown): boolean {
  const { httpStatus } = classifyAwsError(err);
  return httpStatus === undefined || httpStatus >= 500;
}

/** IAM refused a policy naming a principal it does not know, which is what a principal created
 * moments ago looks like (IAM is eventually consistent):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency */
export function isInvalidPrincipal(err: unknown): boolean {
  const e = classifyAwsError(err);
  return e.code === "MalformedPolicyDocument" && /invalid principal/i.test(e.message);
}

/** The SDK gave up waiting for an answer (its own timeout, or the socket's). */
export function isTimeout(err: unknown): boolean {
  return classifyAwsError(err).code === "TimeoutError" || (err as SdkError | undefined)?.code === "ETIMEDOUT";
}

/** Whether AWS answered with this error code (with or without the SDK's "Exception" suffix). */
export const hasAwsCode = (err: unknown, code: string): boolean => classifyAwsError(err).code === code;

/** "Could not <doing>: …", in plain words for the person. */
export function describeAwsError(err: unknown, doing: string): string {
  const e = classifyAwsError(err);
  const raw = (err ?? {}) as SdkError;
  if (e.name === "CredentialsProviderError" || /Could not load credentials/i.test(raw.message ?? "")) {
    return `Could not ${doing}: no AWS credentials were found for the console (set them in the environment, a shared credentials file, or run it with an instance/task role).`;
  }
  if (raw.code === "ECONNREFUSED" || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed/i.test(raw.message ?? "")) {
    return `Could not ${doing}: the AWS endpoint did not answer (${raw.message ?? e.name}). Check AWS_ENDPOINT_URL and the network.`;
  }
  if (e.code === "InvalidClientTokenId" || e.code === "UnrecognizedClient") {
    return `Could not ${doing}: AWS does not recognise the console's access key (${e.name}).`;
  }
  if (e.code === "ExpiredToken") return `Could not ${doing}: the console's AWS credentials have expired.`;
  if (e.code === "SignatureDoesNotMatch") return `Could not ${doing}: the console's secret access key does not match its key id.`;
  return `Could not ${doing}: ${e.name}: ${raw.message ?? "unknown error"}`;
}

/** An AWS failure as the console's own error, "Could not <doing>: …". */
export function toAppError(err: unknown, doing: string): AppError {
  return appErrorOf(err, describeAwsError(err, doing));
}

/** Seconds to suggest waiting after AWS throttled the console. The SDK has already retried with
 * backoff by then, so the person waits a little longer than its last pause. */
export const THROTTLED_RETRY_AFTER_SECONDS = 5;

/** The rule for an AWS failure as the console's own error, in the caller's own words: AWS
 * refusing the caller is `aws_denied` (403); AWS throttling the console is `unavailable` (503,
 * with Retry-After); anything else that came from AWS (unreachable, the console's credentials, a
 * service error, a request AWS refused) is `upstream_error` (502). An AppError passes through. */
export function appErrorOf(err: unknown, message: string): AppError {
  if (err instanceof AppError) return err;
  const { kind } = classifyAwsError(err);
  if (kind === "denied") return new AppError("aws_denied", message, { cause: err });
  if (kind === "throttled") return new AppError("unavailable", message, { cause: err, retryAfter: THROTTLED_RETRY_AFTER_SECONDS });
  return new AppError("upstream_error", message, { cause: err });
}
