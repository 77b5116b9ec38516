import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { appErrorOf, classifyAwsError, describeAwsError, hasAwsCode, isInvalidPrincipal, isThrottling, isTimeout, outcomeUnknown, toAppError, type AwsErrorKind } from "./errors";

/** An error as the SDK throws it: a name, a message, and the HTTP answer's metadata. */
const sdk = (name: string, message: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

describe("classifyAwsError", () => {
  it.each<[string, unknown, AwsErrorKind]>([
    ["no credentials", sdk("CredentialsProviderError", "Could not load credentials from any providers"), "credentials"],
    ["an unknown access key", sdk("InvalidClientTokenId", "The security token included in the request is invalid.", 403), "credentials"],
    ["an expired session", sdk("ExpiredTokenException", "The security token included in the request is expired", 400), "credentials"],
    ["a wrong secret key", sdk("SignatureDoesNotMatch", "signature mismatch", 403), "credentials"],
    ["a refused connection", sdk("Error", "connect ECONNREFUSED 127.0.0.1:4566", undefined, { code: "ECONNREFUSED" }), "unreachable"],
    ["a failed fetch", sdk("TypeError", "fetch failed"), "unreachable"],
    ["the SDK's timeout", sdk("TimeoutError", "Connection timed out after 1000 ms"), "unreachable"],
    ["IAM's throttling", sdk("Throttling", "Rate exceeded", 400), "throttled"],
    ["a 429", sdk("TooManyRequestsException", "slow down", 429), "throttled"],
    ["AccessDenied", sdk("AccessDenied", "User: x is not authorized to perform: iam:CreateRole", 403), "denied"],
    ["AccessDeniedException", sdk("AccessDeniedException", "no", 400), "denied"],
    ["UnauthorizedOperation", sdk("UnauthorizedOperation", "no", 403), "denied"],
    ["NoSuchEntity", sdk("NoSuchEntityException", "The role cannot be found", 404), "not_found"],
    ["EntityAlreadyExists", sdk("EntityAlreadyExistsException", "Role with name x already exists.", 409), "exists"],
    ["DeleteConflict", sdk("DeleteConflictException", "must detach policies first", 409), "conflict"],
    ["MalformedPolicyDocument", sdk("MalformedPolicyDocumentException", "Invalid principal in policy", 400), "invalid"],
    ["ValidationError", sdk("ValidationError", "1 validation error", 400), "invalid"],
    ["UnmodifiableEntity", sdk("UnmodifiableEntityException", "protected", 400), "invalid"],
    ["LimitExceeded", sdk("LimitExceededException", "Cannot exceed quota for RolesPerAccount: 1000", 409), "limit"],
    ["a 500", sdk("ServiceFailure", "boom", 500), "outcome_unknown"],
    ["an answer lost without a known cause", sdk("Error", "socket closed"), "outcome_unknown"],
    ["any other 4xx", sdk("InvalidAction", "no such action", 400), "other"],
  ])("%s", (_name, err, kind) => {
    expect(classifyAwsError(err).kind).toBe(kind);
  });

  it("drops the SDK's Exception suffix from the code, keeps the name, status and SDK attempts", () => {
    const err = sdk("NoSuchEntityException", "gone", 404, { $metadata: { httpStatusCode: 404, attempts: 3 } });
    expect(classifyAwsError(err)).toEqual({ kind: "not_found", name: "NoSuchEntityException", code: "NoSuchEntity", message: "gone", httpStatus: 404, sdkAttempts: 3 });
    expect(classifyAwsError(sdk("Exception", "x")).code).toBe("Exception");
  });

  it("reads anything thrown, not only errors", () => {
    expect(classifyAwsError("boom")).toMatchObject({ kind: "outcome_unknown", name: "Error", message: "boom", sdkAttempts: 1 });
    expect(classifyAwsError(undefined)).toMatchObject({ name: "Error" });
  });
});

describe("the retry predicates", () => {
  it.each<[string, unknown, boolean]>([
    ["Throttling", sdk("Throttling", "x", 400), true],
    ["a 503", sdk("ServiceUnavailable", "x", 503), true],
    ["'Rate exceeded' under another name", sdk("SlowDownPlease", "Rate exceeded", 400), true],
    ["a 500", sdk("ServiceFailure", "x", 500), false],
    ["AccessDenied", sdk("AccessDenied", "x", 403), false],
  ])("isThrottling: %s", (_name, err, expected) => {
    expect(isThrottling(err)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ["no answer", sdk("TimeoutError", "x"), true],
    ["a 500", sdk("ServiceFailure", "x", 500), true],
    ["a 409", sdk("EntityAlreadyExists", "x", 409), false],
  ])("outcomeUnknown: %s", (_name, err, expected) => {
    expect(outcomeUnknown(err)).toBe(expected);
  });

  it("tells an invalid principal from other malformed documents", () => {
    expect(isInvalidPrincipal(sdk("MalformedPolicyDocumentException", 'Invalid principal in policy: "AWS":"arn:aws:iam::1:role/x"', 400))).toBe(true);
    expect(isInvalidPrincipal(sdk("MalformedPolicyDocument", "Syntax errors in policy.", 400))).toBe(false);
    expect(isInvalidPrincipal(sdk("ValidationError", "Invalid principal", 400))).toBe(false);
  });

  it("knows timeouts, and codes with or without the suffix", () => {
    expect(isTimeout(sdk("TimeoutError", "x"))).toBe(true);
    expect(isTimeout(sdk("Error", "x", undefined, { code: "ETIMEDOUT" }))).toBe(true);
    expect(isTimeout(sdk("Error", "x"))).toBe(false);
    expect(hasAwsCode(sdk("NoSuchEntityException", "x", 404), "NoSuchEntity")).toBe(true);
    expect(hasAwsCode(sdk("NoSuchEntity", "x", 404), "NoSuchEntity")).toBe(true);
    expect(hasAwsCode(sdk("NoSuchEntity", "x", 404), "EntityAlreadyExists")).toBe(false);
  });
});

describe("describeAwsError", () => {
  it.each<[string, unknown, string]>([
    ["no credentials", sdk("CredentialsProviderError", "Could not load credentials from any providers"), "Could not list roles: no AWS credentials were found for the console (set them in the environment, a shared credentials file, or run it with an instance/task role)."],
    ["a refused connection", sdk("Error", "connect ECONNREFUSED 127.0.0.1:4566", undefined, { code: "ECONNREFUSED" }), "Could not list roles: the AWS endpoint did not answer (connect ECONNREFUSED 127.0.0.1:4566). Check AWS_ENDPOINT_URL and the network."],
    ["an unknown access key", sdk("InvalidClientTokenId", "bad", 403), "Could not list roles: AWS does not recognise the console's access key (InvalidClientTokenId)."],
    ["an unrecognised client", sdk("UnrecognizedClientException", "bad", 400), "Could not list roles: AWS does not recognise the console's access key (UnrecognizedClientException)."],
    ["an expired session", sdk("ExpiredToken", "expired", 400), "Could not list roles: the console's AWS credentials have expired."],
    ["a wrong secret key", sdk("SignatureDoesNotMatch", "mismatch", 403), "Could not list roles: the console's secret access key does not match its key id."],
    ["a denial, in AWS's words", sdk("AccessDenied", "User: x is not authorized to perform: iam:ListRoles", 403), "Could not list roles: AccessDenied: User: x is not authorized to perform: iam:ListRoles"],
    ["a service error", sdk("ServiceException", "Organizations is having a bad day.", 500), "Could not list roles: ServiceException: Organizations is having a bad day."],
    ["something not an error", "boom", "Could not list roles: Error: unknown error"],
  ])("%s", (_name, err, expected) => {
    expect(describeAwsError(err, "list roles")).toBe(expected);
  });
});

describe("toAppError", () => {
  it.each<[string, unknown, string, number]>([
    ["AWS refusing the console", sdk("AccessDenied", "not authorized", 403), "aws_denied", 403],
    ["an unreachable endpoint", sdk("Error", "fetch failed"), "upstream_error", 502],
    ["throttling", sdk("Throttling", "Rate exceeded", 400), "unavailable", 503],
    ["the console's credentials", sdk("ExpiredToken", "expired", 400), "upstream_error", 502],
    ["a service error", sdk("ServiceFailure", "boom", 500), "upstream_error", 502],
    ["IAM refusing a request", sdk("MalformedPolicyDocument", "Syntax errors", 400), "upstream_error", 502],
  ])("%s", (_name, err, code, status) => {
    const appError = toAppError(err, "list roles");
    expect(appError).toMatchObject({ code, status, message: describeAwsError(err, "list roles") });
    expect(appError.cause).toBe(err);
  });

  it("appErrorOf applies the same rule with the caller's own explanation, and passes an AppError through", () => {
    expect(appErrorOf(sdk("AccessDenied", "x", 403), "The provisioning role may not read R.")).toMatchObject({ code: "aws_denied", message: "The provisioning role may not read R." });
    expect(appErrorOf(sdk("NoSuchEntity", "x", 404), "R is gone.")).toMatchObject({ code: "upstream_error", message: "R is gone." });
    expect(appErrorOf(sdk("Throttling", "Rate exceeded", 400), "Slow down.")).toMatchObject({ code: "unavailable", message: "Slow down.", retryAfter: 5 });
    const own = new AppError("bad_request", "mine");
    expect(toAppError(own, "anything")).toBe(own);
    expect(appErrorOf(own, "anything")).toBe(own);
  });
});
