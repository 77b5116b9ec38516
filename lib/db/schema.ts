// The store's tables as Kysely sees them. The migrations in ./migrations create them; this file
// must follow every migration. Conventions, chosen so that one set of migrations and one query
// layer serve SQLite and Postgres alike:
// - ids are text (newId() in ids.ts: time-ordered, so `order by id` is creation order);
// - timestamps are ISO-8601 UTC text from nowIso() (fixed width: they sort and compare as text);
// - booleans are integers 0/1; JSON is text (parse it at the edge of the data-access code).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { ConsoleRole } from "@/lib/config";
import type { Environment } from "@/lib/domain/environments";
import type { Partition } from "@/lib/domain/partitions";

export const AUTH_PROVIDERS = ["local", "oidc"] as const;
export type AuthProvider = (typeof AUTH_PROVIDERS)[number];

// The accounts table's environment and partition columns take the shared lists of lib/domain.
export { ENVIRONMENTS, type Environment } from "@/lib/domain/environments";
export { PARTITIONS, type Partition } from "@/lib/domain/partitions";

export const ACCOUNT_SOURCES = ["manual", "organizations"] as const;
export type AccountSource = (typeof ACCOUNT_SOURCES)[number];

export const ROLE_SOURCES = ["manual", "discovered", "wizard"] as const;
export type RoleSource = (typeof ROLE_SOURCES)[number];

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** 0 or 1: SQLite has no boolean type. */
export type Flag = 0 | 1;

export type UsersTable = {
  id: string;
  /** Lower-cased before it is stored (a CHECK refuses anything else), so uniqueness ignores case. */
  email: string;
  name: string;
  role: ConsoleRole;
  /** Null for people who sign in through OIDC. */
  password_hash: string | null;
  auth_provider: Generated<AuthProvider>;
  /** The OIDC `sub` claim; unique when set. */
  oidc_subject: string | null;
  /** JSON array of group names (from the OIDC groups claim). */
  groups: Generated<string>;
  disabled_at: string | null;
  /** Part of every session; bumping it ends the user's sessions on their next request. */
  session_version: Generated<number>;
  failed_sign_ins: Generated<number>;
  locked_until: string | null;
  last_sign_in_at: string | null;
  /** RoleSessionName and SourceIdentity of this person's AWS sessions: set when the user is
   * created (lib/users/aws-identity.ts) and never changed, whatever their email becomes: the
   * type allows no update. Null only for a row inserted without one; the guard fills it in once. */
  aws_identity: ColumnType<string | null, string | undefined, never>;
  created_at: string;
  updated_at: string;
};

/** One sign-in (migration 0005): the session cookie names its row. */
export type ConsoleSessionsTable = {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  step_up_at: string | null;
  ended_at: string | null;
  ip: string | null;
  user_agent: string | null;
};

export type TokenScope = "read" | "switch";

/** A person's access token for the API; the token itself is never stored (migration 0009). */
export type PersonalTokensTable = {
  id: string;
  user_id: string;
  name: string;
  scope: TokenScope;
  token_hash: string;
  hint: string;
  created_via: "web" | "device";
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
};

export type DeviceAuthorizationStatus = "pending" | "approved" | "denied" | "consumed";

/** A command line's device sign-in (migration 0010, lib/device/): neither code is stored as it is. */
export type DeviceAuthorizationsTable = {
  id: string;
  device_code_hash: string;
  user_code_hash: string;
  status: DeviceAuthorizationStatus;
  scope: "switch";
  description: string;
  requester_ip: string | null;
  requester_user_agent: string | null;
  created_at: string;
  expires_at: string;
  last_polled_at: string | null;
  interval_seconds: number;
  decided_by: string | null;
  decided_at: string | null;
  token_id: string | null;
};

/** A revocation the console wrote into a role (migration 0006). */
export type SessionRevocationsTable = {
  id: string;
  role_id: string;
  /** null: every session of the role. */
  session_name: string | null;
  revoked_before: string;
  actor_id: string | null;
  created_at: string;
};

export const ROLE_HEALTH_SOURCES = ["manual", "background", "registered", "switch"] as const;
export type RoleHealthSource = (typeof ROLE_HEALTH_SOURCES)[number];

/** The last conclusive test of a role entry (migration 0007): one row per entry. */
export type RoleHealthTable = {
  role_id: string;
  ok: Flag;
  /** "ok", or the error code the test answered with. */
  code: string;
  /** Why it fails (lib/catalog/health.ts); null when ok. */
  why: string | null;
  reason: string;
  tested_at: string;
  source: RoleHealthSource;
};

/** Who runs a periodic job, and when its last round started (migration 0007, lib/db/leases.ts). */
export type JobLeasesTable = {
  name: string;
  holder: string | null;
  lease_until: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
};

export type AccountsTable = {
  id: string;
  /** 12 digits, leading zeros kept. */
  aws_account_id: string;
  name: string;
  alias: string | null;
  environment: Generated<Environment>;
  /** CSS colour, e.g. "#2563eb". */
  color: string;
  default_region: Generated<string>;
  partition: Generated<Partition>;
  provisioning_role_name: Generated<string>;
  notes: Generated<string>;
  source: Generated<AccountSource>;
  created_at: string;
  updated_at: string;
};

/** A role entry in the catalog: an IAM role in one account that people may switch into. */
export type RolesTable = {
  id: string;
  account_id: string;
  role_name: string;
  path: Generated<string>;
  display_name: string;
  /** Null: the account's colour. */
  color: string | null;
  /** Null: the account's default region. */
  default_region: string | null;
  /** Seconds (900–43200); null: the broker's default. */
  session_duration: number | null;
  external_id: string | null;
  set_source_identity: Generated<Flag>;
  /** The IAM role's own MaxSessionDuration in seconds, as AWS last reported it; null: unknown. */
  role_max_session_duration: number | null;
  description: Generated<string>;
  source: Generated<RoleSource>;
  created_at: string;
  updated_at: string;
};

/** Who may use a role entry: one user, or everyone in one (OIDC) group. */
export type GrantsTable = {
  id: string;
  role_id: string;
  user_id: string | null;
  group_name: string | null;
  /** Null once the admin who created it is deleted. */
  created_by: string | null;
  created_at: string;
  /** When the grant stops giving access (ISO, exclusive); null: never. Migration 0011. */
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The approved access request that made this grant (migration 0012); null: a standing grant. */
  access_request_id: ColumnType<string | null, string | null | undefined, string | null>;
};

/** A role entry's request policy (migration 0012); without a row the defaults of lib/access/policy.ts apply. */
export type RequestPoliciesTable = {
  role_id: string;
  /** JSON array of user ids. */
  approver_users: Generated<string>;
  /** JSON array of identity-provider group names. */
  approver_groups: Generated<string>;
  any_admin: Generated<Flag>;
  approvals_required: Generated<number>;
  max_duration_seconds: number;
  reason_required: Generated<Flag>;
  ticket_pattern: string | null;
  break_glass: Generated<Flag>;
  revoke_on_end: Generated<Flag>;
  updated_by: string | null;
  updated_at: string;
};

/** Who may ask for a role entry: one user, or everyone in one (OIDC) group. */
export type RoleEligibilityTable = {
  id: string;
  role_id: string;
  user_id: string | null;
  group_name: string | null;
  created_by: string | null;
  created_at: string;
};

export const ACCESS_REQUEST_KINDS = ["request", "break_glass", "extension"] as const;
export type AccessRequestKind = (typeof ACCESS_REQUEST_KINDS)[number];
export const ACCESS_REQUEST_STATUSES = ["pending", "approved", "denied", "withdrawn", "ended", "expired"] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];
export type RevocationState = "none" | "pending" | "done" | "failed";
export type ReviewState = "pending" | "justified" | "unjustified";

export type AccessRequestsTable = {
  id: string;
  role_id: string;
  requester_id: string;
  kind: AccessRequestKind;
  extends_id: string | null;
  status: AccessRequestStatus;
  reason: Generated<string>;
  ticket: string | null;
  requested_seconds: number;
  granted_seconds: number | null;
  approvals_required: number;
  revoke_on_end: Flag;
  created_at: string;
  decided_at: string | null;
  starts_at: string | null;
  ends_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
  end_comment: string | null;
  revocation_state: Generated<RevocationState>;
  revocation_lease_until: string | null;
  revocation_attempts: Generated<number>;
  revoked_at: string | null;
  expiry_notified_at: string | null;
  review_state: ReviewState | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
};

export type AccessRequestDecisionsTable = {
  id: string;
  request_id: string;
  approver_id: string | null;
  approver_email: string;
  decision: "approve" | "deny";
  comment: Generated<string>;
  granted_seconds: number | null;
  at: string;
};

export const WEBHOOK_KINDS = ["slack", "json"] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

/** Migration 0012: where approvers are told of access requests (lib/webhooks/). */
export type WebhooksTable = {
  id: string;
  name: string;
  kind: WebhookKind;
  url: string;
  /** HMAC-SHA256 key of a JSON webhook; null for Slack. Never sent back after creation. */
  secret: string | null;
  /** JSON array of event types. */
  events: string;
  enabled: Generated<Flag>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export type WebhookDeliveriesTable = {
  id: string;
  webhook_id: string;
  event_type: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
};

/** Per-person pins and recents for the Switch Role menu. */
export type RoleUsageTable = {
  user_id: string;
  role_id: string;
  pinned: Generated<Flag>;
  use_count: Generated<number>;
  last_used_at: string | null;
  last_region: string | null;
};

/** Append-only. No foreign keys: an event outlives the user, account or role it names. */
export type AuditEventsTable = {
  /** Time-ordered, so `order by id` is chronological. */
  id: string;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  /** e.g. `auth.sign_in` */
  action: string;
  outcome: AuditOutcome;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  aws_account_id: string | null;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** JSON object. */
  details: Generated<string>;
};

export const PROVISION_RUN_STATES = ["running", "succeeded", "failed", "rolled_back", "rollback_incomplete"] as const;
export type ProvisionRunState = (typeof PROVISION_RUN_STATES)[number];

/** The role wizard's write-ahead log: one row per apply (migration 0004). */
export type ProvisionRunsTable = {
  id: string;
  actor_id: string;
  actor_email: string;
  aws_account_id: string;
  role_arn: string;
  idempotency_key: string | null;
  state: ProvisionRunState;
  /** Plan JSON. */
  plan: string;
  /** JournalEntry[] JSON. */
  journal: Generated<string>;
  /** ApplyResult JSON once finished. */
  result: string | null;
  started_at: string;
  lease_until: string;
  updated_at: string;
};

export type Database = {
  users: UsersTable;
  accounts: AccountsTable;
  roles: RolesTable;
  grants: GrantsTable;
  role_usage: RoleUsageTable;
  audit_events: AuditEventsTable;
  provision_runs: ProvisionRunsTable;
  console_sessions: ConsoleSessionsTable;
  session_revocations: SessionRevocationsTable;
  role_health: RoleHealthTable;
  job_leases: JobLeasesTable;
  personal_tokens: PersonalTokensTable;
  device_authorizations: DeviceAuthorizationsTable;
  request_policies: RequestPoliciesTable;
  role_eligibility: RoleEligibilityTable;
  access_requests: AccessRequestsTable;
  access_request_decisions: AccessRequestDecisionsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
};

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

export type AccountRow = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;

export type RoleRow = Selectable<RolesTable>;
export type NewRole = Insertable<RolesTable>;
export type RoleUpdate = Updateable<RolesTable>;

export type GrantRow = Selectable<GrantsTable>;
export type NewGrant = Insertable<GrantsTable>;

export type RoleUsageRow = Selectable<RoleUsageTable>;
export type NewRoleUsage = Insertable<RoleUsageTable>;
export type RoleUsageUpdate = Updateable<RoleUsageTable>;

export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
