// Whether a role entry works, as the console last found out by assuming it (an administrator's
// Test, the test made when it was registered, the background re-test, or a switch whose outcome
// was about the entry). Pure: shared by the server, the API's DTO and the browser.

/** Why an entry fails, as a short kind. Derived from the denial's explanation
 * (lib/aws/explain-denial.ts) by lib/catalog/role-health.ts. */
export const HEALTH_WHY = [
  "not_trusted",
  "trust_conditions",
  "explicit_deny",
  "external_id",
  "mfa",
  "source_identity",
  "session_tags",
  "duration",
  "no_such_role",
  "broker_permission",
  "scp",
  "rcp",
  "unknown",
] as const;
export type HealthWhy = (typeof HEALTH_WHY)[number];

export type HealthSource = "manual" | "background" | "registered" | "switch";

export type RoleHealth = {
  ok: boolean;
  /** "ok", or the error code of the failed test (e.g. aws_denied). */
  code: string;
  /** Why it fails; null when it works. */
  why: HealthWhy | null;
  /** The test's own sentence: what works, or what is wrong and where to fix it. */
  reason: string;
  /** ISO time of the test. */
  testedAt: string;
  /** What tested it: an administrator's Test, its registration, the background re-test, or a
   * switch. */
  source: HealthSource;
};

/** A few words for a list or a menu row ("Fails: not trusted"). */
export const WHY_LABEL: Record<HealthWhy, string> = {
  not_trusted: "not trusted",
  trust_conditions: "trust conditions not met",
  explicit_deny: "denied by its trust policy",
  external_id: "ExternalId",
  mfa: "requires MFA",
  source_identity: "SourceIdentity not allowed",
  session_tags: "session tags not allowed",
  duration: "session too long",
  no_such_role: "no such role",
  broker_permission: "console not allowed",
  scp: "blocked by an SCP",
  rcp: "blocked by an RCP",
  unknown: "AWS refused",
};

export const SOURCE_LABEL: Record<HealthSource, string> = {
  manual: "an administrator's Test",
  background: "the background re-test",
  registered: "the test when it was registered",
  switch: "a switch",
};

export function whyLabel(why: string | null | undefined): string {
  return why && why in WHY_LABEL ? WHY_LABEL[why as HealthWhy] : WHY_LABEL.unknown;
}

/** "Works" or "Fails: not trusted". */
export function healthLabel(health: Pick<RoleHealth, "ok" | "why">): string {
  return health.ok ? "Works" : `Fails: ${whyLabel(health.why)}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", for the time of a test. */
export function testedAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
