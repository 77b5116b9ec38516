// ARNs and lookups of IAM entities in an account, with IAM's NoSuchEntity wording.
import { noSuchEntity } from "../../core/errors";
import type { Account, InstanceProfile, ManagedPolicy, Role, User } from "../../core/state";
import { AWS_MANAGED_POLICIES, PARTITION, type AwsManagedPolicy } from "../../core/world";
import { getOwn } from "./records";

export const iamArn = (accountId: string, resource: string) => `arn:${PARTITION}:iam::${accountId}:${resource}`;

// Paths start and end with "/", so `role${path}${name}` is `role/name` or `role/a/b/name`.
export const roleArn = (accountId: string, path: string, name: string) => iamArn(accountId, `role${path}${name}`);
export const userArn = (accountId: string, path: string, name: string) => iamArn(accountId, `user${path}${name}`);
export const policyArn = (accountId: string, path: string, name: string) => iamArn(accountId, `policy${path}${name}`);
export const instanceProfileArn = (accountId: string, path: string, name: string) =>
  iamArn(accountId, `instance-profile${path}${name}`);

export const findRole = (account: Account, name: string): Role | undefined => getOwn(account.roles, name.toLowerCase());
export const findUser = (account: Account, name: string): User | undefined => getOwn(account.users, name.toLowerCase());
export const findInstanceProfile = (account: Account, name: string): InstanceProfile | undefined =>
  getOwn(account.instanceProfiles, name.toLowerCase());

export function requireRole(account: Account, name: string): Role {
  const role = findRole(account, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export function requireUser(account: Account, name: string): User {
  const user = findUser(account, name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function requireInstanceProfile(account: Account, name: string): InstanceProfile {
  const profile = findInstanceProfile(account, name);
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** The ARN an action on a role is authorized against: the role's own (with its path) when it
 * exists, else the ARN its name would have at the root path. */
export const roleResource = (account: Account, name: string) => findRole(account, name)?.arn ?? roleArn(account.id, "/", name);
export const userResource = (account: Account, name: string) => findUser(account, name)?.arn ?? userArn(account.id, "/", name);
export const instanceProfileResource = (account: Account, name: string) =>
  findInstanceProfile(account, name)?.arn ?? instanceProfileArn(account.id, "/", name);

/** A managed policy as the caller's account sees it: every AWS-managed policy, and the
 * account's own customer-managed policies (another account's are invisible). */
export type PolicyRef = { scope: "aws"; policy: AwsManagedPolicy } | { scope: "local"; policy: ManagedPolicy };

export function findPolicy(account: Account, arn: string): PolicyRef | undefined {
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return { scope: "aws", policy: aws };
  const local = getOwn(account.policies, arn);
  return local ? { scope: "local", policy: local } : undefined;
}

export function requirePolicy(account: Account, arn: string): PolicyRef {
  const found = findPolicy(account, arn);
  if (!found) throw noSuchEntity(`Policy ${arn} was not found.`);
  return found;
}

/** For AttachRolePolicy/AttachUserPolicy. */
export function requireAttachablePolicy(account: Account, arn: string): PolicyRef {
  const found = findPolicy(account, arn);
  if (!found) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return found;
}

/** For a permissions boundary (CreateRole, CreateUser, PutRolePermissionsBoundary). */
export function requireBoundaryPolicy(account: Account, arn: string): PolicyRef {
  const found = findPolicy(account, arn);
  if (!found) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return found;
}
