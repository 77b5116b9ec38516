// What the Roles page hands to its client components: only what they draw. Pure types.
import type { Environment } from "@/lib/domain/environments";
import type { Partition } from "@/lib/domain/partitions";

export type AccountOption = {
  /** Registry id. */
  id: string;
  /** 12-digit AWS account id. */
  accountId: string;
  name: string;
  environment: Environment;
  color: string;
  partition: Partition;
  defaultRegion: string;
};

/** `expiresAt`: when the grant ends (null: it does not). */
export type GrantView = { id: string; roleId: string; user: { email: string; name: string } | null; group: string | null; expiresAt: string | null };

export type UserOption = { email: string; name: string };

/** A role test, as the page shows it: works, or why not and what to add where. */
export type TestOutcome =
  | { ok: true; message: string; assumedRoleArn: string }
  | { ok: false; message: string; code: string; summary: string | null; fix: { where: string; statement: string } | null };

export type DiscoveredView = {
  roleName: string;
  path: string;
  roleArn: string;
  description: string;
  trust: string;
  brokerAccess: "allowed" | "needs-external-id" | "needs-mfa" | "not-trusted";
  /** Who the trust policy lets in today. */
  trustedPrincipals: string[];
  /** Why the console cannot use it as it is; null: it can. */
  reason: string | null;
  /** Full administration of the account: AWS Organizations' role, or AdministratorAccess attached. */
  fullAdmin: "organization-access-role" | "administrator-access" | null;
  /** False: the attached policies could not be read, and only the name was checked. */
  policiesChecked: boolean;
  /** The role's MaxSessionDuration in seconds. */
  maxSessionDuration: number;
  serviceLinked: boolean;
  registered: boolean;
};
