// IAM users: create, read, list, delete, their inline and managed policies, and MFA devices.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
import { deleteConflict, entityAlreadyExists } from "../../core/errors";
import { uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, Tag, User } from "../../core/state";
import { authorize, authorizedUser, boundaryContext, callerAccount, requestTagContext, targetUserName } from "./access";
import { accessKeysOf } from "./access-keys";
import { entityPolicyHandlers } from "./entity-policies";
import { findUser, requireBoundaryPolicy, userArn } from "./lookup";
import { userOutput } from "./outputs";
import { paginate, underPath, type PageInput } from "./paging";
import { quota, quotaExceeded, SUMMARY_QUOTAS } from "./quotas";
import { setOwn } from "./records";
import { requestTags } from "./tags";
import { forgetPrincipal } from "./trust";

const mfaDevicesOf = (account: Account, user: User) =>
  Object.values(account.mfaDevices).filter((d) => d.userName.toLowerCase() === user.name.toLowerCase());

type CreateUserInput = { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] };

function createUser(input: CreateUserInput, ctx: ApiContext) {
  const account = callerAccount(ctx);
  const path = input.Path ?? "/";
  const arn = userArn(account.id, path, input.UserName);
  authorize(ctx, "iam:CreateUser", arn, { ...requestTagContext(input.Tags), ...boundaryContext(input.PermissionsBoundary) });
  if (findUser(account, input.UserName)) throw entityAlreadyExists(`User with name ${input.UserName} already exists.`);
  if (Object.keys(account.users).length >= quota("UsersPerAccount")) throw quotaExceeded("UsersPerAccount");
  if (input.PermissionsBoundary !== undefined) requireBoundaryPolicy(account, input.PermissionsBoundary);
  const user: User = {
    name: input.UserName,
    path,
    id: uniqueId("AIDA"),
    arn,
    createDate: ctx.world.now(),
    tags: requestTags(input.Tags),
    inlinePolicies: {},
    attachedPolicies: [],
    ...(input.PermissionsBoundary !== undefined ? { permissionsBoundary: input.PermissionsBoundary } : {}),
  };
  setOwn(account.users, user.name.toLowerCase(), user);
  ctx.world.changed();
  return { User: userOutput(user, "get") };
}

/** Without UserName, the calling user (role sessions must name one). */
function getUser(input: { UserName?: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:GetUser", targetUserName(ctx, input.UserName));
  return { User: userOutput(user, "get") };
}

function listUsers(input: PageInput & { PathPrefix?: string }, ctx: ApiContext) {
  const account = callerAccount(ctx);
  // AWS authorizes listing against the path being listed, e.g. `arn:aws:iam::111111111111:user/`
  // ("… is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111111111111:user/ …").
  authorize(ctx, "iam:ListUsers", userArn(account.id, input.PathPrefix ?? "/", ""));
  const users = Object.values(account.users).filter((u) => underPath(u.path, input.PathPrefix));
  const page = paginate(users, (u) => u.name.toLowerCase(), input);
  return { Users: page.items.map((u) => userOutput(u, "list")), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

/** DeleteUser refuses while the user has credentials or policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html#id_users_deleting_cli */
function deleteUser(input: { UserName: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:DeleteUser", input.UserName);
  if (accessKeysOf(ctx.world, account, user).length) throw deleteConflict("Cannot delete entity, must delete access keys first.");
  if (mfaDevicesOf(account, user).length) throw deleteConflict("Cannot delete entity, must delete MFA device first.");
  if (Object.keys(user.inlinePolicies).length) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if (user.attachedPolicies.length) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  delete account.users[user.name.toLowerCase()];
  forgetPrincipal(ctx.world, user.arn, user.id);
  ctx.world.changed();
}

function listMFADevices(input: PageInput & { UserName?: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:ListMFADevices", targetUserName(ctx, input.UserName));
  const page = paginate(mfaDevicesOf(account, user), (d) => d.serialNumber, input);
  return {
    MFADevices: page.items.map((d) => ({ UserName: user.name, SerialNumber: d.serialNumber, EnableDate: new Date(d.enableDate) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

export const userHandlers: Record<string, ApiHandler> = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  ...entityPolicyHandlers({
    kind: "User",
    authorized: (ctx, action, name, context) => {
      const { account, user } = authorizedUser(ctx, action, name, context);
      return { account, entity: user };
    },
    inlineSizeQuota: SUMMARY_QUOTAS.UserPolicySizeQuota,
    attachedQuota: "PoliciesPerUser",
  }),
  ListMFADevices: listMFADevices,
};
