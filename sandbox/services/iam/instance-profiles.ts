// Instance profiles: the container that hands a role to EC2, holding at most one role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
import { deleteConflict, entityAlreadyExists, noSuchEntity } from "../../core/errors";
import { uniqueId } from "../../core/ids";
import type { ApiContext, ApiHandler } from "../../core/runtime";
import type { Account, InstanceProfile, Tag } from "../../core/state";
import { authorize, authorizedRole, callerAccount, requestTagContext, resourceTagContext } from "./access";
import { findInstanceProfile, instanceProfileArn, instanceProfileResource, requireInstanceProfile } from "./lookup";
import { instanceProfileOutput } from "./outputs";
import { paginate, underPath, type PageInput } from "./paging";
import { quota, quotaExceeded } from "./quotas";
import { setOwn } from "./records";
import { requestTags } from "./tags";

function authorizedProfile(ctx: ApiContext, action: `iam:${string}`, name: string): { account: Account; profile: InstanceProfile } {
  const account = callerAccount(ctx);
  authorize(ctx, action, instanceProfileResource(account, name), resourceTagContext(findInstanceProfile(account, name)?.tags));
  return { account, profile: requireInstanceProfile(account, name) };
}

function createInstanceProfile(input: { InstanceProfileName: string; Path?: string; Tags?: Tag[] }, ctx: ApiContext) {
  const account = callerAccount(ctx);
  const path = input.Path ?? "/";
  const arn = instanceProfileArn(account.id, path, input.InstanceProfileName);
  authorize(ctx, "iam:CreateInstanceProfile", arn, requestTagContext(input.Tags));
  if (findInstanceProfile(account, input.InstanceProfileName)) {
    throw entityAlreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`);
  }
  if (Object.keys(account.instanceProfiles).length >= quota("InstanceProfilesPerAccount")) throw quotaExceeded("InstanceProfilesPerAccount");
  const profile: InstanceProfile = {
    name: input.InstanceProfileName,
    path,
    id: uniqueId("AIPA"),
    arn,
    createDate: ctx.world.now(),
    roles: [],
    tags: requestTags(input.Tags),
  };
  setOwn(account.instanceProfiles, profile.name.toLowerCase(), profile);
  ctx.world.changed();
  return { InstanceProfile: instanceProfileOutput(account, profile) };
}

function getInstanceProfile(input: { InstanceProfileName: string }, ctx: ApiContext) {
  const { account, profile } = authorizedProfile(ctx, "iam:GetInstanceProfile", input.InstanceProfileName);
  return { InstanceProfile: instanceProfileOutput(account, profile) };
}

function deleteInstanceProfile(input: { InstanceProfileName: string }, ctx: ApiContext) {
  const { account, profile } = authorizedProfile(ctx, "iam:DeleteInstanceProfile", input.InstanceProfileName);
  if (profile.roles.length) throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  delete account.instanceProfiles[profile.name.toLowerCase()];
  ctx.world.changed();
}

function listInstanceProfiles(input: PageInput & { PathPrefix?: string }, ctx: ApiContext) {
  const account = callerAccount(ctx);
  authorize(ctx, "iam:ListInstanceProfiles", "*");
  const profiles = Object.values(account.instanceProfiles).filter((p) => underPath(p.path, input.PathPrefix));
  const page = paginate(profiles, (p) => p.name.toLowerCase(), input);
  return {
    InstanceProfiles: page.items.map((p) => instanceProfileOutput(account, p)),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

/** Putting a role in an instance profile hands it to whoever launches instances with the
 * profile, so the caller also needs iam:PassRole on the role.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html */
function addRoleToInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, ctx: ApiContext) {
  const { profile } = authorizedProfile(ctx, "iam:AddRoleToInstanceProfile", input.InstanceProfileName);
  const { role } = authorizedRole(ctx, "iam:PassRole", input.RoleName);
  if (profile.roles.length >= quota("InstanceSessionsPerInstanceProfile")) throw quotaExceeded("InstanceSessionsPerInstanceProfile");
  profile.roles.push(role.name.toLowerCase());
  ctx.world.changed();
}

function removeRoleFromInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, ctx: ApiContext) {
  const { profile } = authorizedProfile(ctx, "iam:RemoveRoleFromInstanceProfile", input.InstanceProfileName);
  const key = input.RoleName.toLowerCase();
  if (!profile.roles.includes(key)) {
    throw noSuchEntity(`The role with name ${input.RoleName} is not in instance profile ${profile.name}.`);
  }
  profile.roles = profile.roles.filter((r) => r !== key);
  ctx.world.changed();
}

function listInstanceProfilesForRole(input: PageInput & { RoleName: string }, ctx: ApiContext) {
  const { account, role } = authorizedRole(ctx, "iam:ListInstanceProfilesForRole", input.RoleName);
  const key = role.name.toLowerCase();
  const profiles = Object.values(account.instanceProfiles).filter((p) => p.roles.includes(key));
  const page = paginate(profiles, (p) => p.name.toLowerCase(), input);
  return {
    InstanceProfiles: page.items.map((p) => instanceProfileOutput(account, p)),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

export const instanceProfileHandlers: Record<string, ApiHandler> = {
  CreateInstanceProfile: createInstanceProfile,
  GetInstanceProfile: getInstanceProfile,
  DeleteInstanceProfile: deleteInstanceProfile,
  ListInstanceProfiles: listInstanceProfiles,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
};
