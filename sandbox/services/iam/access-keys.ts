// Long-term access keys of IAM users. A key is usable (signs requests) as soon as it is created.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
import { noSuchEntity } from "../../core/errors";
import { secretAccessKey, uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, AccessKey, User } from "../../core/state";
import type { World } from "../../core/world";
import { authorizedUser, targetUserName } from "./access";
import { paginate, type PageInput } from "./paging";
import { quota, quotaExceeded } from "./quotas";
import { getOwn, setOwn } from "./records";

export const accessKeysOf = (world: World, account: Account, user: User): AccessKey[] =>
  Object.values(world.state.accessKeys).filter(
    (k) => k.accountId === account.id && k.userName.toLowerCase() === user.name.toLowerCase(),
  );

const metadata = (k: AccessKey, user: User) => ({
  UserName: user.name,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: new Date(k.createDate),
});

/** Without UserName, for the calling user. */
function createAccessKey(input: { UserName?: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:CreateAccessKey", targetUserName(ctx, input.UserName));
  if (accessKeysOf(ctx.world, account, user).length >= quota("AccessKeysPerUser")) throw quotaExceeded("AccessKeysPerUser");
  const key: AccessKey = {
    accessKeyId: uniqueId("AKIA"),
    secretAccessKey: secretAccessKey(),
    accountId: account.id,
    userName: user.name,
    status: "Active",
    createDate: ctx.world.now(),
  };
  setOwn(ctx.world.state.accessKeys, key.accessKeyId, key);
  ctx.note.AccessKeyId = key.accessKeyId;
  ctx.world.changed();
  return { AccessKey: { ...metadata(key, user), SecretAccessKey: key.secretAccessKey } };
}

function listAccessKeys(input: PageInput & { UserName?: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:ListAccessKeys", targetUserName(ctx, input.UserName));
  const page = paginate(accessKeysOf(ctx.world, account, user), (k) => k.accessKeyId, input);
  return { AccessKeyMetadata: page.items.map((k) => metadata(k, user)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function deleteAccessKey(input: { AccessKeyId: string; UserName?: string }, ctx: ApiContext) {
  const { account, user } = authorizedUser(ctx, "iam:DeleteAccessKey", targetUserName(ctx, input.UserName));
  const key = getOwn(ctx.world.state.accessKeys, input.AccessKeyId);
  if (!key || !accessKeysOf(ctx.world, account, user).includes(key)) {
    throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
  }
  delete ctx.world.state.accessKeys[key.accessKeyId];
  ctx.note.AccessKeyId = key.accessKeyId;
  ctx.world.changed();
}

export const accessKeyHandlers: Record<string, ApiHandler> = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  DeleteAccessKey: deleteAccessKey,
};
