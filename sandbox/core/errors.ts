/** An error the sandbox answers with, in AWS's own terms: the error code a client switches on,
 * the HTTP status AWS uses for it, and a message in AWS's words. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: "Sender" | "Receiver";
  /** Members a JSON-protocol error carries besides its message, e.g. Organizations' `Reason`. */
  readonly members: Record<string, string>;

  constructor(code: string, message: string, status = 400, fault: "Sender" | "Receiver" = "Sender", members: Record<string, string> = {}) {
    super(message);
    this.name = "AwsError";
    this.code = code;
    this.status = status;
    this.fault = fault;
    this.members = members;
  }
}

export const accessDenied = (message: string) => new AwsError("AccessDenied", message, 403);

export const validationError = (message: string) => new AwsError("ValidationError", message, 400);

export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);

export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);

export const deleteConflict = (message: string) => new AwsError("DeleteConflict", message, 409);

export const limitExceeded = (message: string) => new AwsError("LimitExceeded", message, 409);

export const malformedPolicy = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);

export const invalidInput = (message: string) => new AwsError("InvalidInput", message, 400);
