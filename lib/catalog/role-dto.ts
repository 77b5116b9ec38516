import type { Environment, Partition } from "@/lib/db/schema";
import type { RoleHealth } from "./health";

export type RoleDto = {
  id: string;
  /** The registry id of its account. */
  accountRef: string;
  /** The 12-digit AWS account id. */
  accountId: string;
  accountName: string;
  environment: Environment;
  partition: Partition;
  roleName: string;
  path: string;
  roleArn: string;
  displayName: string;
  /** The colour the menu shows (the entry's own, else the account's). */
  color: string;
  /** The entry's own colour, if it has one. */
  ownColor: string | null;
  /** The region a switch uses by default (the entry's, else the account's). */
  defaultRegion: string;
  ownDefaultRegion: string | null;
  /** Longest session the entry asks for; null: as long as the role allows (see below). */
  sessionDuration: number | null;
  /** The IAM role's own MaxSessionDuration as AWS last reported it (read when the entry was
   * registered from Discover); null: not known. A switch never lasts longer than this.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration */
  roleMaxSessionDuration: number | null;
  /** Whether the entry has an ExternalId stored; every switch into the role then sends it as
   * AssumeRole's ExternalId. Despite the name it says nothing about the role's trust policy,
   * which the catalog does not read: a trust policy that requires sts:ExternalId while the entry
   * stores none makes the switch fail, and the failure says so.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html */
  requiresExternalId: boolean;
  /** The stored ExternalId (null: none). Present only for callers allowed roles.manage, which
   * only administrators are; absent for everyone else. */
  externalId?: string | null;
  /** Whether switches set SourceIdentity to the operator. */
  sourceIdentity: boolean;
  description: string;
  source: "manual" | "discovered" | "wizard";
  /** The last conclusive test of the entry (lib/catalog/health.ts); null: never tested. */
  health: RoleHealth | null;
  createdAt: string;
  updatedAt: string;
};

export const roleArnOf = (partition: Partition, accountId: string, path: string, name: string) => `arn:${partition}:iam::${accountId}:role${path}${name}`;

export function parseRoleArn(arn: string): { partition: Partition; accountId: string; path: string; roleName: string } | undefined {
  const m = /^arn:(aws|aws-us-gov|aws-cn|aws-eusc):iam::(\d{12}):role(\/|\/[\u0021-\u007E]{1,510}\/)([\w+=,.@-]{1,64})$/.exec(arn);
  return m ? { partition: m[1] as Partition, accountId: m[2]!, path: m[3]!, roleName: m[4]! } : undefined;
}
