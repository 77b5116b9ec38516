// What approvers and requesters are told about access requests (issue 15 §2): the events the
// console raises, as the webhooks send them (lib/webhooks/ formats them for Slack or as signed
// JSON) and as the approvals inbox counts them. Shared: no I/O. Never a secret: no credential,
// no ExternalId, no sign-in URL — only who asked for what, why, and links into the console.

export const ACCESS_EVENT_TYPES = [
  "access.requested",
  "access.approved",
  "access.denied",
  "access.withdrawn",
  "access.ended",
  "access.expired",
  "access.break_glass",
  "access.extension_requested",
] as const;
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

/** Every type a webhook can receive: the access events and a test delivery. */
export const WEBHOOK_EVENT_TYPES = [...ACCESS_EVENT_TYPES, "webhook.test"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const ACCESS_EVENT_LABELS: Record<WebhookEventType, string> = {
  "access.requested": "Access requested",
  "access.approved": "Request approved",
  "access.denied": "Request denied",
  "access.withdrawn": "Request withdrawn",
  "access.ended": "Access ended early",
  "access.expired": "Access expired",
  "access.break_glass": "Break-glass access used",
  "access.extension_requested": "Extension requested",
  "webhook.test": "Test delivery",
};

export type AccessEventRequest = {
  id: string;
  kind: "request" | "break_glass" | "extension";
  status: string;
  role: { id: string; displayName: string; roleArn: string; accountName: string; awsAccountId: string };
  requester: { email: string; name: string };
  reason: string;
  ticket: string | null;
  requestedSeconds: number;
  grantedSeconds: number | null;
  startsAt: string | null;
  endsAt: string | null;
};

/** One event, as delivered. `id` is unique per event (a receiver de-duplicates retries by it). */
export type AccessEvent = {
  id: string;
  type: WebhookEventType;
  /** ISO-8601 UTC. */
  at: string;
  /** Who did it (the requester, an approver, or null for the console itself: expiry). */
  actor: { email: string; name: string } | null;
  request: AccessEventRequest | null;
  /** An approver's or ender's comment. */
  comment?: string;
  /** Absolute links into the console: the request (approve / deny there) and the switch. */
  links: { request?: string; switch?: string; console: string };
};

/** A duration as people read it: "45 minutes", "2 hours", "1 hour 30 minutes". */
export function describeDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  const parts = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (minutes || !hours) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  return parts.join(" ");
}

/** The durations offered, up to `max`: the usual steps, and `max` itself when it falls between them. */
export function durationChoices(max: number): number[] {
  return [...new Set([900, 1800, 3600, 7200, 14_400, 28_800, 43_200, max])].filter((s) => s >= 900 && s <= max).sort((a, b) => a - b);
}
