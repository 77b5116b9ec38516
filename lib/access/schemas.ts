// Input schemas for access on request (issue 15): the request policy of a role entry, who is
// eligible, and each step of a request. Shared: the API routes, the server actions and the
// browser's forms read the same rules and messages.
import { z } from "zod";
import { groupField, idField } from "@/lib/catalog/schemas";
import { emailField } from "@/lib/users/schemas";

/** AWS's shortest and longest role session (AssumeRole DurationSeconds,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): access on request
 * lasts between the two, so one switch can cover it and none outlives it by more than 12 hours. */
export const MIN_ACCESS_SECONDS = 900;
export const MAX_ACCESS_SECONDS = 43_200;

/** What a policy looks like when an administrator has not written one. */
export const DEFAULT_POLICY = {
  approverUsers: [] as string[],
  approverGroups: [] as string[],
  anyAdmin: true,
  approvalsRequired: 1 as 1 | 2,
  maxDurationSeconds: 3600,
  reasonRequired: true,
  ticketPattern: null as string | null,
  breakGlass: false,
  revokeOnEnd: true,
};

const durationField = z
  .number({ error: "Enter a duration in seconds" })
  .int("A duration is a whole number of seconds")
  .min(MIN_ACCESS_SECONDS, "A duration is at least 15 minutes")
  .max(MAX_ACCESS_SECONDS, "A duration is at most 12 hours");

/** A ticket reference pattern: a JavaScript regular expression, anchored by us (the whole
 * reference must match). Kept short and compiled here, so a bad one is refused when it is saved. */
export const ticketPatternField = z
  .string()
  .trim()
  .min(1, "Enter a pattern, or leave the ticket out")
  .max(200, "A ticket pattern has at most 200 characters")
  .refine((p) => compiles(p), "This is not a valid regular expression (JavaScript syntax), e.g. [A-Z]+-\\d+")
  .refine((p) => isSimple(p), "Keep the ticket pattern simple: letters, character classes and at most three repeats, without groups or alternatives (e.g. INC-\\d+ or [A-Z]{2,10}-\\d+)");

/** A pattern the console runs on what people type must not be able to take it down: without
 * groups, alternatives or back-references, and with at most three repeats, matching a reference of
 * at most 64 characters takes at most about 64^4 steps, whatever the pattern (no catastrophic
 * backtracking: https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS). */
function isSimple(pattern: string): boolean {
  let repeats = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9k]/.test(next)) return false;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(" || c === ")" || c === "|") return false;
    else if (c === "*" || c === "+" || c === "?" || c === "{") repeats++;
  }
  return repeats <= 3;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** Does a ticket reference match the policy's pattern? The whole reference must match. */
export function ticketMatches(pattern: string, ticket: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, "u").test(ticket);
  } catch {
    return false;
  }
}

export const requestPolicyInput = z
  .object({
    approverEmails: z.array(emailField).max(50, "Name at most 50 approvers; use a group for more").default([]),
    approverGroups: z.array(groupField).max(20, "Name at most 20 approver groups").default([]),
    anyAdmin: z.boolean().default(DEFAULT_POLICY.anyAdmin),
    approvalsRequired: z.union([z.literal(1), z.literal(2)], { error: "Approvals required is 1 or 2" }).default(1),
    maxDurationSeconds: durationField.default(DEFAULT_POLICY.maxDurationSeconds),
    reasonRequired: z.boolean().default(true),
    ticketPattern: ticketPatternField.nullable().default(null),
    breakGlass: z.boolean().default(false),
    revokeOnEnd: z.boolean().default(true),
  })
  .strict();
export type RequestPolicyInput = z.infer<typeof requestPolicyInput>;

export const eligibilityInput = z
  .object({
    /** Everyone who may ask for the entry: the whole list (what is not named is no longer eligible). */
    userEmails: z.array(emailField).max(500, "Name at most 500 people; use a group for more").default([]),
    groups: z.array(groupField).max(50, "Name at most 50 groups").default([]),
    policy: requestPolicyInput,
  })
  .strict();
export type EligibilityInput = z.infer<typeof eligibilityInput>;

const reasonField = z.string().trim().max(500, "A reason has at most 500 characters");
const ticketField = z.string().trim().max(64, "A ticket reference has at most 64 characters");
const commentField = z.string().trim().max(500, "A comment has at most 500 characters").default("");

export const createAccessRequestInput = z
  .object({
    roleId: idField("roleId"),
    durationSeconds: durationField,
    reason: reasonField.default(""),
    ticket: ticketField.optional(),
    /** Use break-glass: access at once, reviewed afterwards (only where the policy allows it). */
    breakGlass: z.boolean().default(false),
  })
  .strict();
export type CreateAccessRequestInput = z.infer<typeof createAccessRequestInput>;

export const approveInput = z
  .object({
    comment: commentField,
    /** Shorter than asked for, if the approver wants; never longer. */
    durationSeconds: durationField.optional(),
  })
  .strict();
export type ApproveInput = z.infer<typeof approveInput>;

export const denyInput = z.object({ comment: commentField }).strict();
export const endInput = z.object({ comment: commentField }).strict();
export const cancelInput = z.object({}).strict();

export const extendInput = z
  .object({
    durationSeconds: durationField,
    reason: reasonField.default(""),
  })
  .strict();
export type ExtendInput = z.infer<typeof extendInput>;

export const reviewInput = z
  .object({
    verdict: z.enum(["justified", "unjustified"], { error: "The verdict is justified or unjustified" }),
    comment: commentField,
  })
  .strict();
export type ReviewInput = z.infer<typeof reviewInput>;

export const REQUEST_VIEWS = ["mine", "to-approve", "to-review", "all"] as const;
export const REQUEST_STATUS_FILTERS = ["pending", "approved", "denied", "withdrawn", "ended", "expired", "active", "any"] as const;

export const listAccessRequestsQuery = z
  .object({
    view: z.enum(REQUEST_VIEWS, { error: `View is one of ${REQUEST_VIEWS.join(", ")}` }).default("mine"),
    status: z.enum(REQUEST_STATUS_FILTERS, { error: `Status is one of ${REQUEST_STATUS_FILTERS.join(", ")}` }).default("any"),
    limit: z.coerce.number().int().min(1).max(200, "Limit is at most 200").default(50),
  })
  .strict();
export type ListAccessRequestsQuery = z.infer<typeof listAccessRequestsQuery>;

export const accessRequestParams = z.object({ id: idField("Request id") }).strict();
export const roleParams = z.object({ id: idField("Role id") }).strict();
