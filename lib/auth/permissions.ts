// One table from console role to permissions. Every page, server action and route handler
// declares the permission it needs; nothing checks a role name directly.
import type { ConsoleRole } from "@/lib/config/schema";

export const PERMISSIONS = [
  "accounts.read",
  "accounts.manage",
  "roles.read",
  "roles.manage",
  "grants.manage",
  "sessions.create",
  "audit.read",
  "users.manage",
  "provisioning.manage",
  "settings.read",
  /** Ending people's live AWS sessions (a deny on the role for sessions issued before now). */
  "sessions.revoke",
  /** Webhooks that tell approvers of access requests (lib/webhooks/): where they go, their secrets. */
  "webhooks.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<ConsoleRole, readonly Permission[]> = {
  // Admins run the registry, the grants, the users and the role wizard.
  admin: PERMISSIONS,
  // Operators switch into the roles granted to them (the catalog they see is scoped to grants).
  operator: ["accounts.read", "roles.read", "sessions.create", "settings.read"],
  // Auditors read the audit log; they cannot switch into anything.
  auditor: ["accounts.read", "roles.read", "audit.read", "settings.read"],
};

export const ROLE_LABELS: Record<ConsoleRole, string> = {
  admin: "Administrator",
  operator: "Operator",
  auditor: "Auditor",
};

export function can(role: ConsoleRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
