// A failed console switch as the failure page shows it, and the details a person copies for an
// administrator. Pure: shared by the server (lib/sessions/switch-failure.ts) and the page.
import type { Environment } from "@/lib/domain/environments";

export type SwitchFailureView = {
  role: { id: string; displayName: string; roleName: string; roleArn: string; accountId: string; accountName: string; environment: Environment; color: string };
  /** The region the switch asked for. */
  region: string | null;
  requestId: string;
  /** When it failed (ISO). */
  at: string;
  /** Why, as lib/aws/explain-denial classified it ("trust-policy", "external-id", …), or the
   * error code when AWS did not refuse (throttling, an outage). */
  kind: string;
  /** What failed, in AWS's and the console's words: the explanation's summary. */
  reason: string;
  /** For administrators: the statement the explanation suggests, and where it goes. */
  fix: { where: string; statement: unknown } | null;
};

/** One sentence for a person who cannot change IAM: what is wrong, without policy language. */
const PLAIN: Record<string, string> = {
  "trust-policy": "The role does not trust this console yet, so AWS refused to let it sign you in.",
  "caller-permission": "The console's own AWS identity is not yet allowed to switch into this role.",
  "external-id": "The role asks for an ExternalId that does not match the one stored in the console.",
  mfa: "The role asks for MFA, which the console cannot present on your behalf.",
  "source-identity": "The role does not yet let the console record who you are in CloudTrail.",
  "session-tags": "The role does not yet let the console tag your session.",
  duration: "The session length asked for is longer than the role allows.",
  "role-missing": "The role no longer exists in AWS.",
  "service-control-policy": "A policy of your AWS organization blocks this switch.",
  "resource-control-policy": "A policy of your AWS organization blocks this switch.",
};

export function plainReason(kind: string): string {
  return PLAIN[kind] ?? "AWS refused to let the console sign you in to this role.";
}

/** What "Copy details" puts on the clipboard: everything an administrator needs to find the
 * failure (the request id is in the audit log) and fix it, and nothing secret. */
export function failureReport(view: SwitchFailureView): string {
  const { role } = view;
  return [
    "A switch into an AWS role failed in Switchboard.",
    `Role: ${role.displayName}${role.displayName !== role.roleName ? ` (${role.roleName})` : ""}`,
    `Role ARN: ${role.roleArn}`,
    `Account: ${role.accountName} (${role.accountId})`,
    ...(view.region ? [`Region: ${view.region}`] : []),
    `What failed: ${view.reason}`,
    `Request id: ${view.requestId}`,
    `Time: ${view.at}`,
  ].join("\n");
}
