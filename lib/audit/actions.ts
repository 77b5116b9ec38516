// Every kind of event the console records, and how the audit log names each for people. Shared:
// the audit page's filter and table (browser code) read the labels; lib/audit/record.ts writes
// the codes.

export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "auth.setup",
  "auth.step_up",
  "user.create",
  "user.update",
  "user.password_reset",
  "user.clear_sign_in_lock",
  "account.create",
  "account.update",
  "account.delete",
  "account.import",
  "role.create",
  "role.update",
  "role.delete",
  "role.test",
  "grant.create",
  "grant.update",
  "grant.delete",
  "session.console",
  "session.credentials",
  "session.revoke",
  "aws.sts",
  "provisioning.apply",
  "provisioning.trust_update",
  "provisioning.reconcile",
  "access.denied",
  "token.create",
  "token.revoke",
  "token.use",
  "device.approve",
  "device.deny",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What happened, in words: the table shows these, with the code (what the API, the exports and
 * the filter in the address use) beside it. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "auth.setup": "Set up the console",
  "auth.step_up": "Confirmed it was them (step-up)",
  "user.create": "Added a user",
  "user.update": "Changed a user",
  "user.password_reset": "Reset a password",
  "user.clear_sign_in_lock": "Cleared a sign-in delay",
  "account.create": "Registered an account",
  "account.update": "Changed an account",
  "account.delete": "Removed an account",
  "account.import": "Imported accounts from AWS Organizations",
  "role.create": "Registered a role",
  "role.update": "Changed a role entry",
  "role.delete": "Removed a role entry",
  "role.test": "Tested a role",
  "grant.create": "Granted a role",
  "grant.update": "Changed when a grant expires",
  "grant.delete": "Removed a grant",
  "session.console": "Switched to the console",
  "session.credentials": "Got temporary credentials",
  "session.revoke": "Revoked live AWS sessions",
  "aws.sts": "Called AWS STS",
  "provisioning.apply": "Created a role in IAM",
  "provisioning.trust_update": "Changed a role's trust policy",
  "provisioning.reconcile": "Checked an interrupted role creation",
  "access.denied": "Was refused",
  "token.create": "Made a personal access token",
  "token.revoke": "Revoked a personal access token",
  "token.use": "Used a personal access token",
  "device.approve": "Approved a command line's sign-in",
  "device.deny": "Denied a command line's sign-in",
};

/** The label of an action code; a code this build does not know (an older or newer event) as it is. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}
