// Who may call an Organizations operation, AWS's error shapes, and paging.
// - Most operations "can be called only from the organization's management account or by a member
//   account that is a delegated administrator"; a member account is one when the organization's
//   delegation policy (PutResourcePolicy) grants it the action, and its own policies allow it too
//   (a cross-account request). https://docs.aws.amazon.com/organizations/latest/userguide/orgs-policy-delegate.html
// - A few are the management account's alone (CreateOrganizationalUnit, MoveAccount,
//   PutResourcePolicy, DeleteResourcePolicy), and DescribeOrganization any account in it may call.
//   https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
import { AwsError } from "../../core/errors";
import type { ApiContext } from "../../core/runtime";

export type Access = "organization" | "management" | "delegated";

/** AWS Organizations answers every client error with HTTP 400. */
export const orgError = (code: string, message: string, reason?: string) =>
  new AwsError(code, message, 400, "Sender", reason ? { Reason: reason } : {});

export const accessDenied = () => orgError("AccessDeniedException", "You don't have permissions to access this resource.");

/** Throws AccessDeniedException unless the caller may perform `action` on every resource. */
export function authorize(ctx: ApiContext, action: `organizations:${string}`, access: Access, ...resources: string[]): void {
  const { world, caller } = ctx;
  const org = world.state.organization;
  const management = caller.accountId === org.masterAccountId;
  if (access === "management" && !management) throw accessDenied();
  const delegation =
    access === "delegated" && !management && org.resourcePolicy
      ? { policy: { name: "the organization's delegation policy", policy: world.policy(org.resourcePolicy.content, "resource") }, required: true }
      : undefined;
  if (access === "delegated" && !management && !delegation) throw accessDenied();
  for (const resource of resources.length ? resources : ["*"]) {
    // From a member account the request crosses into the management account: the delegation
    // policy and the caller's own policies must both allow it.
    const resourceAccount = access === "organization" ? caller.accountId : org.masterAccountId;
    const result = world.decide(caller, { action, resource, resourceAccount }, delegation);
    if (result.decision !== "Allow") {
      ctx.note.denyReason = result.reason;
      throw accessDenied();
    }
  }
}

const DEFAULT_PAGE = 20;

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = Number.parseInt(Buffer.from(token, "base64url").toString("utf8").replace(/^offset:/, ""), 10);
  if (!Number.isInteger(offset) || offset < 0) {
    throw orgError("InvalidInputException", "You provided an invalid value for the NextToken parameter.", "INVALID_NEXT_TOKEN");
  }
  return offset;
}

/** One page of a list, and the token of the next one if there is more. */
export function page<T>(items: T[], input: { NextToken?: string; MaxResults?: number }): { items: T[]; NextToken?: string } {
  const offset = decodeToken(input.NextToken);
  const size = input.MaxResults ?? DEFAULT_PAGE;
  const next = offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString("base64url") : undefined;
  return { items: items.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
}
