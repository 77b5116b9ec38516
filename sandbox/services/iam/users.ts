// IAM users: create, read, list, delete, their inline and managed policies, and MFA devices.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
import type { RequestContext } from "../../../lib/policy";
import { deleteConflict, entityAlreadyExists } from "../../core/errors";
import { uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, Tag, User } from "../../core/state";
import { authorize, authorizedUser, boundaryContext, callerAccount, requestTagContext, targetUserName } from "./access";
import { accessKeysOf } from "./access-keys";
import {
  attachedPolicyOutput,
  attachedPolicyRefs,
  attachPolicy,
  deleteInlinePolicy,
  detachPolicy,
  getInlinePolicy,
  inlinePolicyNames,
  policyListKey,
  putInlinePolicy,
  type PolicyHolder,
} from "./attachments";
import { encodeDocument } from "./documents";
import { findUser, requireBoundaryPolicy, userArn } from "./lookup";
import { userOutput } from "./outputs";
import { paginate, underPath, type PageInput } from "./paging";
import { quota, quotaExceeded, SUMMARY_QUOTAS } from "./quotas";
import { setOwn } from "./records";
import { requestTags } from "./tags";
import { forgetPrincipal } from "./trust";

const holder = (user: User): PolicyHolder => ({ kind: "user", name: user.name, entity: user });
const withBoundary = (user: User | undefined): RequestContext => boundaryContext(user?.permissionsBoundary);
const withPolicyArn = (arn: string) => (user: User | undefined): RequestContext => ({ "iam:PolicyARN": arn, ...withBoundary(user) });

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
  authorize(ctx, "iam:ListUsers", "*");
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

function putUserPolicy(input: { UserName: string; PolicyName: string; PolicyDocument: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:PutUserPolicy", input.UserName, withBoundary);
  putInlinePolicy(holder(user), input.PolicyName, input.PolicyDocument, SUMMARY_QUOTAS.UserPolicySizeQuota);
  ctx.world.changed();
}

function getUserPolicy(input: { UserName: string; PolicyName: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:GetUserPolicy", input.UserName);
  const policy = getInlinePolicy(holder(user), input.PolicyName);
  return { UserName: user.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
}

function listUserPolicies(input: PageInput & { UserName: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:ListUserPolicies", input.UserName);
  const page = paginate(inlinePolicyNames(holder(user)), (name) => name.toLowerCase(), input);
  return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function deleteUserPolicy(input: { UserName: string; PolicyName: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:DeleteUserPolicy", input.UserName, withBoundary);
  deleteInlinePolicy(holder(user), input.PolicyName);
  ctx.world.changed();
}

function attachUserPolicy(input: { UserName: string; PolicyArn: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:AttachUserPolicy", input.UserName, withPolicyArn(input.PolicyArn));
  attachPolicy(account, holder(user), input.PolicyArn, "PoliciesPerUser");
  ctx.world.changed();
}

function detachUserPolicy(input: { UserName: string; PolicyArn: string }, ctx: ApiContext) {
  const { user } = authorizedUser(ctx, "iam:DetachUserPolicy", input.UserName, withPolicyArn(input.PolicyArn));
  detachPolicy(holder(user), input.PolicyArn);
  ctx.world.changed();
}

function listAttachedUserPolicies(input: PageInput & { UserName: string; PathPrefix?: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:ListAttachedUserPolicies", input.UserName);
  const page = paginate(attachedPolicyRefs(account, holder(user), input.PathPrefix), policyListKey, input);
  return { AttachedPolicies: page.items.map(attachedPolicyOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
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
  PutUserPolicy: putUserPolicy,
  GetUserPolicy: getUserPolicy,
  ListUserPolicies: listUserPolicies,
  DeleteUserPolicy: deleteUserPolicy,
  AttachUserPolicy: attachUserPolicy,
  DetachUserPolicy: detachUserPolicy,
  ListAttachedUserPolicies: listAttachedUserPolicies,
  ListMFADevices: listMFADevices,
};
