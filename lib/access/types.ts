// What the console shows of access requests (DTOs): shared by the API, the pages and the browser.
// Never an ExternalId, a credential or a sign-in URL.

export type AccessRequestStatus = "pending" | "approved" | "denied" | "withdrawn" | "ended" | "expired";

export type AccessDecisionDto = {
  approverEmail: string;
  decision: "approve" | "deny";
  comment: string;
  grantedSeconds: number | null;
  at: string;
};

export type AccessRequestDto = {
  id: string;
  kind: "request" | "break_glass" | "extension";
  /** "approved" whose end has passed reads "expired", whether or not the job has run. */
  status: AccessRequestStatus;
  role: { id: string; displayName: string; roleName: string; roleArn: string; accountName: string; awsAccountId: string; environment: string };
  requester: { id: string; email: string; name: string };
  reason: string;
  ticket: string | null;
  requestedSeconds: number;
  grantedSeconds: number | null;
  approvalsRequired: number;
  decisions: AccessDecisionDto[];
  createdAt: string;
  decidedAt: string | null;
  startsAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
  endComment: string | null;
  extendsId: string | null;
  /** Whether the person's live sessions are revoked when the access ends, and where that stands. */
  revokeOnEnd: boolean;
  revocation: { state: "none" | "pending" | "done" | "failed"; revokedAt: string | null; attempts: number };
  /** Break-glass: the post-hoc review. */
  review: { state: "pending" | "justified" | "unjustified"; by: string | null; at: string | null; comment: string | null } | null;
  /** What the person asking may do with it now. */
  can: { approve: boolean; deny: boolean; withdraw: boolean; end: boolean; extend: boolean; review: boolean };
};

/** A role entry the person may ask for, with what the request dialog needs. */
export type RequestableRoleDto = {
  roleId: string;
  displayName: string;
  roleName: string;
  accountName: string;
  awsAccountId: string;
  environment: string;
  maxDurationSeconds: number;
  reasonRequired: boolean;
  /** A ticket reference is asked for when set; shown as a hint. */
  ticketPattern: string | null;
  breakGlass: boolean;
  approvalsRequired: number;
  /** "any administrator or alice@example.com" */
  approvers: string;
  /** Their pending request for it, if any. */
  pendingRequestId: string | null;
  /** Their access in force from a request, if any (extend it rather than ask again). */
  activeRequest: { id: string; endsAt: string } | null;
};

export const ACCESS_STATUS_LABELS: Record<AccessRequestStatus, string> = {
  pending: "Waiting for approval",
  approved: "Active",
  denied: "Denied",
  withdrawn: "Withdrawn",
  ended: "Ended early",
  expired: "Expired",
};

export const ACCESS_KIND_LABELS: Record<AccessRequestDto["kind"], string> = {
  request: "Request",
  break_glass: "Break-glass",
  extension: "Extension",
};
