// Who is calling, on which account, and whether their policies allow the action. Every IAM call
// acts on the caller's own account and is authorized before anything else happens, with the
// resource ARN and condition keys AWS documents for the action:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
import type { RequestContext } from "../../../lib/policy";
import { AwsError, validationError } from "../../core/errors";
import type { ApiContext } from "../../core/runtime";
import type { Account, Role, Tag, User } from "../../core/state";
import { findRole, findUser, requireRole, requireUser, roleResource, userResource } from "./lookup";

export function callerAccount(ctx: ApiContext): Account {
  const account = ctx.world.account(ctx.caller.accountId);
  // Authentication resolved the caller in this account, so it exists.
  if (!account) throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
  return account;
}

/** Throws AWS's AccessDenied unless the caller's policies allow `action` on `resource`. */
export function authorize(ctx: ApiContext, action: `iam:${string}`, resource: string, context?: RequestContext): void {
  ctx.note.resource = resource;
  ctx.world.require(ctx.caller, action, resource, context);
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` for the tags a request sets. */
export function requestTagContext(tags: Tag[] | undefined): RequestContext {
  if (!tags?.length) return {};
  const context: RequestContext = { "aws:TagKeys": tags.map((t) => t.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

/** `aws:ResourceTag/<key>` for the tags an existing resource carries. */
export function resourceTagContext(tags: Tag[] | undefined): RequestContext {
  const context: RequestContext = {};
  for (const tag of tags ?? []) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return context;
}

/** `iam:PermissionsBoundary`, for actions on an entity that has (or is given) a boundary. */
export const boundaryContext = (arn: string | undefined): RequestContext => (arn ? { "iam:PermissionsBoundary": arn } : {});

/** The user an operation with an optional UserName acts on: the named one, or the calling user.
 * Role sessions must name the user, as in AWS. */
export function targetUserName(ctx: ApiContext, userName: string | undefined): string {
  if (userName !== undefined) return userName;
  if (!ctx.caller.user) throw validationError("Must specify userName when calling with non-User credentials");
  return ctx.caller.user.name;
}

/** Authorizes an action on an existing role — against its ARN, with its tags as
 * `aws:ResourceTag/…` — and returns it; a missing role is NoSuchEntity once the caller is
 * allowed to ask (AWS authorizes before it looks). */
export function authorizedRole(
  ctx: ApiContext,
  action: `iam:${string}`,
  roleName: string,
  context: (role: Role | undefined) => RequestContext = () => ({}),
): { account: Account; role: Role } {
  const account = callerAccount(ctx);
  const found = findRole(account, roleName);
  authorize(ctx, action, roleResource(account, roleName), { ...resourceTagContext(found?.tags), ...context(found) });
  return { account, role: requireRole(account, roleName) };
}

/** The same for users. */
export function authorizedUser(
  ctx: ApiContext,
  action: `iam:${string}`,
  userName: string,
  context: (user: User | undefined) => RequestContext = () => ({}),
): { account: Account; user: User } {
  const account = callerAccount(ctx);
  const found = findUser(account, userName);
  authorize(ctx, action, userResource(account, userName), { ...resourceTagContext(found?.tags), ...context(found) });
  return { account, user: requireUser(account, userName) };
}
