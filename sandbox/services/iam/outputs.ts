// Entities in the model's output shapes. AWS returns fewer members from List* calls than from
// Get* calls (ListRoles has no Tags, PermissionsBoundary or RoleLastUsed), and so do these.
import type { Account, InstanceProfile, Role, User } from "../../core/state";
import { encodeDocument } from "./documents";
import { getOwn } from "./records";
import { tagsOutput } from "./tags";

export const boundaryOutput = (arn: string | undefined) =>
  arn ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn } } : {};

/** "get": GetRole, UpdateRoleDescription; "create": CreateRole; "list": ListRoles and roles
 * inside instance profiles. */
export type RoleView = "get" | "create" | "list";

export function roleOutput(role: Role, view: RoleView) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    ...(role.description ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(view === "list" ? {} : { ...boundaryOutput(role.permissionsBoundary), ...tagsOutput(role.tags) }),
    // GetRole always has RoleLastUsed; it is empty until the role is first assumed.
    ...(view === "get"
      ? { RoleLastUsed: role.lastUsed ? { LastUsedDate: new Date(role.lastUsed.date), Region: role.lastUsed.region } : {} }
      : {}),
  };
}

export function userOutput(user: User, view: "get" | "list") {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: new Date(user.createDate),
    ...(view === "get" ? { ...boundaryOutput(user.permissionsBoundary), ...tagsOutput(user.tags) } : {}),
  };
}

export function instanceProfileOutput(account: Account, profile: InstanceProfile) {
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: new Date(profile.createDate),
    Roles: profile.roles.flatMap((key) => {
      const role = getOwn(account.roles, key);
      return role ? [roleOutput(role, "list")] : [];
    }),
    ...tagsOutput(profile.tags),
  };
}
