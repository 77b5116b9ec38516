// How long a session lasts: never longer than the console session that asked for it (Teleport's
// lib/srv/app/cloud.go getFederationDuration caps it the same way).
// Pure and browser-safe, so the menu can show the effective duration before the click.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds)
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html (SessionDuration)

export type BrokerKind = "long-term" | "instance-profile" | "temporary";

/** AssumeRole's DurationSeconds: at least 15 minutes. */
export const MIN_SESSION_SECONDS = 900;
/** AssumeRole's DurationSeconds and getSigninToken's SessionDuration: at most 12 hours. */
export const MAX_SESSION_SECONDS = 43200;
/** AssumeRole without DurationSeconds gives one hour; so do we. */
export const DEFAULT_SESSION_SECONDS = 3600;
/** "If you assume a role using role chaining and provide a DurationSeconds parameter value
 * greater than one hour, the operation fails." (AssumeRole API reference) */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

export type DurationCap = "entry" | "role" | "chaining" | "session" | "access";

export type SessionDurationInput = {
  /** What the operator asked for, if anything. */
  requested?: number;
  /** The role entry's session duration, set by an admin: the default when the operator asks
   * for nothing, and the most an operator may ask for. */
  entryDefault?: number | null;
  /** The role's MaxSessionDuration in IAM (1–12 h), when known. */
  roleMax?: number;
  brokerKind: BrokerKind;
  /** Seconds left of the person's console session: no AWS session may outlive it (Teleport
   * caps the AWS session at the identity's remaining TTL the same way). */
  sessionRemaining?: number;
  /** Seconds left of the person's access to the role, when it ends (a time-limited grant, or
   * access on request): the session ends with it. Under 900 s the session still gets AWS's
   * minimum; ending the access revokes the person's sessions in the role (lib/access/expiry.ts)
   * when its policy says so, which is the default. */
  accessRemaining?: number;
};

export type SessionDurationResult = {
  /** The DurationSeconds to send to AssumeRole. */
  seconds: number;
  /** Every limit that was lower than what was asked for (or the default), for the UI to name. */
  cappedBy: DurationCap[];
};

/** The DurationSeconds to send to AssumeRole:
 *   min(requested ?? entry ?? 3600, entry, role max, 3600 when chaining), within [900, 43200].
 * - The entry's duration is the most an operator may ask for: admins decide how long sessions
 *   into a role may last, not operators.
 * - The role's MaxSessionDuration caps it, or AssumeRole fails with "The requested
 *   DurationSeconds exceeds the MaxSessionDuration set for this role".
 * - A broker on temporary credentials is role chaining, capped at one hour, or AssumeRole fails
 *   with "…exceeds the 1 hour session limit for roles assumed by role chaining". An EC2 instance
 *   profile is not counted as chaining (AWS custom-URL doc; Teleport treats it the same way).
 * - A request under 900 s is raised to 900, AssumeRole's minimum; values are whole seconds.
 * - The person's remaining console session caps it too; when that is under 900 s the caller
 *   refuses instead: rounding up to AWS's minimum would outlive the sign-in.
 * - So does the person's remaining access to the role, when it ends. */
export function sessionDuration(input: SessionDurationInput): SessionDurationResult {
  const entry = positive(input.entryDefault);
  const roleMax = positive(input.roleMax);
  const wanted = positive(input.requested) ?? entry ?? DEFAULT_SESSION_SECONDS;

  const limits: Array<[DurationCap, number | undefined]> = [
    ["entry", entry],
    ["role", roleMax],
    ["chaining", input.brokerKind === "temporary" ? ROLE_CHAINING_MAX_SECONDS : undefined],
    ["session", positive(input.sessionRemaining)],
    ["access", positive(input.accessRemaining)],
  ];
  const cappedBy: DurationCap[] = [];
  let seconds = wanted;
  for (const [cap, limit] of limits) {
    if (limit === undefined || limit >= wanted) continue;
    cappedBy.push(cap);
    seconds = Math.min(seconds, limit);
  }
  return { seconds: clamp(Math.floor(seconds), MIN_SESSION_SECONDS, MAX_SESSION_SECONDS), cappedBy };
}

/** Whole seconds from now until `epochMs` (negative once it has passed). */
export function secondsUntil(epochMs: number): number {
  return Math.floor((epochMs - Date.now()) / 1000);
}

/** The SessionDuration to send to getSigninToken, or undefined to leave it out.
 * - Left out for a broker on temporary credentials: AWS answers HTTP 400 "Invalid credentials
 *   parameter" when SessionDuration comes with credentials from role chaining
 *   (https://repost.aws/knowledge-center/invalid-credentials-parameter). Without it the console
 *   session lasts as long as the credentials.
 * - Otherwise rounded down to whole minutes (odd values such as 7273 s have been refused with
 *   HTTP 400, wnkz/aws-sso PR #11) and kept within 900–43200, the documented range. */
export function consoleSessionDuration(seconds: number, brokerKind: BrokerKind): number | undefined {
  if (brokerKind === "temporary") return undefined;
  if (!Number.isFinite(seconds)) return undefined;
  return clamp(Math.floor(seconds / 60) * 60, MIN_SESSION_SECONDS, MAX_SESSION_SECONDS);
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
