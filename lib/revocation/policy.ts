// The revocation policy: the inline policy Switchboard keeps on a role to cut off live sessions,
// one person's or everyone's. Pure: it reads the policy IAM holds now and returns the one to
// write (or null to delete it); the caller does the IAM calls.
//
// STS credentials cannot be recalled. What AWS offers instead is a Deny on the role for sessions
// issued before a time (aws:TokenIssueTime), evaluated on every request those sessions make:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
//
// Decisions:
// - One person = one statement on aws:userid (`*:<session name>`), plus one on
//   aws:SourceIdentity when the role entry sets it. Conditions inside a statement are ANDed and
//   a policy cannot OR two keys in one statement, so "their session name OR their source
//   identity" takes two statements; the second only where it can match anything. The source
//   identity Switchboard sets is the session name (lib/aws/session-name.ts), so one name
//   covers both. Statements are described in ./statements.ts.
// - Times: kept per person, the latest wins (a later revocation replaces an earlier one).
//   Rounded UP to the whole second: a deny that ends a fraction of a second late only refuses a
//   session the person started in that same second; one that ends early would miss theirs.
// - Expiry: a statement whose time lies more than the role's MaxSessionDuration (plus a margin
//   for the clock difference between Switchboard and AWS) in the past matches only expired
//   sessions, and is dropped. A person statement at or before the everyone time is redundant.
// - Size: all inline policies of a role share one quota, 10,240 characters without whitespace
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). This policy
//   keeps within a budget (4,096 by default, which leaves the role 6,144 — the size of a managed
//   policy — for its own inline policies). When the people revoked within the last
//   MaxSessionDuration do not fit, the oldest are FOLDED into the everyone statement: its time
//   moves up to the latest folded time. That denies more, never less — the sessions of people
//   nobody revoked, issued before that time, are cut off too (the AWS console's own "Revoke
//   active sessions" does exactly that for everyone at once). The result says who was folded,
//   so the console and the audit log can say so. Folding the oldest first keeps the over-reach
//   to the shortest window. A person statement costs about 176 characters plus the session name
//   (twice that with a source identity): the default budget holds 16 people with 64-character
//   names (7 with source identities) revoked within one MaxSessionDuration before any is folded.
//   A middle step — older people merged into one statement listing their names, at the latest
//   of their times — would hold about three times as many before reaching everyone.
// - Output: the document in one canonical form (everyone first, then people by session name,
//   Sids by position, formatted by lib/policy's formatPolicy), so the same revocation applied
//   twice at the same time writes the same document.
// - The existing document: statements of the three shapes are read back as revocations,
//   whatever their Sid. Any other statement (someone edited the policy by hand) is kept as it
//   is, after Switchboard's, and counted against the budget: removing a Deny could only let
//   something through. A document that cannot be read at all is refused, not overwritten — it
//   may be the only record of a revocation still in force; someone has to look at it.
//
// The caller passes the longest a live session of the role can last: the role's
// MaxSessionDuration. A console session opened with a longer SessionDuration than its
// credentials, or a MaxSessionDuration lowered after sessions were issued, would outlive that;
// pass the larger value then.

import { countPolicyCharacters, formatPolicy, parsePolicy, type Policy, type Statement } from "@/lib/policy";
import { everyoneStatement, isoSeconds, isSessionName, nameStatement, recognise, sourceStatement } from "./statements";

/** The one inline policy name Switchboard writes revocations under. */
export const REVOCATION_POLICY_NAME = "SwitchboardRevokedSessions";

/** All inline policies of a role together, whitespace not counted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export const ROLE_INLINE_QUOTA = 10_240;
/** The room this policy takes by default: the quota less a managed policy's worth (6,144). */
export const DEFAULT_REVOCATION_BUDGET = 4_096;
/** Below this not even the everyone statement and the document around it fit. */
export const MIN_REVOCATION_BUDGET = 512;

/** A role's MaxSessionDuration is 1 to 12 hours.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
const MIN_ROLE_SESSION_SECONDS = 3_600;
const MAX_ROLE_SESSION_SECONDS = 43_200;

/** How far Switchboard's clock may differ from AWS's before an expired statement is dropped. */
const CLOCK_MARGIN_MS = 5 * 60_000;

const VERSION = "2012-10-17";
const SID_EVERYONE = "RevokeEveryone";
const SID_PERSON = "RevokePerson";
const SID_SOURCE_SUFFIX = "Source";

export type Revocation =
  /** One person's sessions: `sessionName` is their RoleSessionName; `sourceIdentity` when the
   * role entry also sets it as SourceIdentity (the same value). */
  | { kind: "person"; sessionName: string; sourceIdentity?: boolean }
  /** Every session of the role. */
  | { kind: "everyone" };

export type RevocationOptions = {
  now: Date;
  /** The role's MaxSessionDuration, in seconds. */
  maxSessionSeconds: number;
  /** Characters (without whitespace) this policy may take; DEFAULT_REVOCATION_BUDGET if unset. */
  budget?: number;
};

/** A revocation in force: sessions issued before `before` (ISO 8601, UTC) are denied. */
export type PersonRevoked = { sessionName: string; before: string; sourceIdentity: boolean };
export type Dropped = { sessionName: string; before: string };

export type RevocationSummary = {
  /** Every session of the role issued before this is denied; null when no such statement. */
  everyoneBefore: string | null;
  people: PersonRevoked[];
  /** Dropped because every session they matched has expired; `sessionName` null for everyone. */
  expired: Array<{ sessionName: string | null; before: string }>;
  /** Dropped because an everyone revocation at or after their time covers them. */
  superseded: Dropped[];
  /** Merged into `everyoneBefore` to keep within the budget (denies more than they did). */
  folded: Dropped[];
  /** Statements Switchboard did not write, kept as they are. */
  foreignStatements: number;
  /** Characters, whitespace not counted (0 when the policy is to be deleted). */
  size: number;
  budget: number;
  /** Only when the statements Switchboard did not write leave no room for even the smallest
   * revocation policy; IAM may then refuse it (LimitExceeded). */
  overBudget: boolean;
};

export type RevocationError = "invalid_session_name" | "invalid_options" | "unreadable_policy";

export type RevocationResult =
  /** `document` is the policy to put, or null to delete it (nothing left in force). */
  | { ok: true; document: string | null; summary: RevocationSummary }
  | { ok: false; error: RevocationError; message: string };

/** What the policy holds, in numbers: times are whole seconds in epoch milliseconds. */
type Person = { sessionName: string; before: number; sourceIdentity: boolean };
type State = { everyoneBefore?: number; people: Map<string, Person>; foreign: Statement[] };

/** Adds a revocation at `options.now` to the existing policy and compacts the result.
 * `existing` is the policy as IAM holds it (GetRolePolicy's PolicyDocument, URL-decoded), or
 * null when the role has none. */
export function applyRevocation(existing: string | null | undefined, revocation: Revocation, options: RevocationOptions): RevocationResult {
  if (revocation.kind === "person" && !isSessionName(revocation.sessionName)) {
    return refuse("invalid_session_name", "A session name is 2 to 64 letters, digits or the characters _+=,.@- (AWS's RoleSessionName).");
  }
  return build(existing, options, (state, now) => {
    if (revocation.kind === "everyone") {
      state.everyoneBefore = Math.max(state.everyoneBefore ?? now, now);
      return;
    }
    const previous = state.people.get(revocation.sessionName);
    state.people.set(revocation.sessionName, {
      sessionName: revocation.sessionName,
      before: Math.max(previous?.before ?? now, now),
      // Once a source-identity statement is written it stays: dropping it could only let a
      // chained session through.
      sourceIdentity: (previous?.sourceIdentity ?? false) || revocation.sourceIdentity === true,
    });
  });
}

/** Compacts the existing policy without adding anything: drops what has expired or is covered,
 * and folds to fit the budget. Null when nothing remains in force. */
export function compactRevocations(existing: string | null | undefined, options: RevocationOptions): RevocationResult {
  return build(existing, options, () => undefined);
}

function build(existing: string | null | undefined, options: RevocationOptions, change: (state: State, now: number) => void): RevocationResult {
  const checked = checkOptions(options);
  if (typeof checked === "string") return refuse("invalid_options", checked);
  const read = readState(existing);
  if (!read.ok) return read;
  const { state } = read;
  const now = ceilSecond(checked.now);
  change(state, now);
  return { ok: true, ...compact(state, now, checked) };
}

type Checked = { now: number; maxSessionMs: number; budget: number };

function checkOptions(options: RevocationOptions): Checked | string {
  const now = options.now.getTime();
  if (!Number.isFinite(now)) return "The time of the revocation is not a valid date.";
  const seconds = options.maxSessionSeconds;
  if (!Number.isInteger(seconds) || seconds < MIN_ROLE_SESSION_SECONDS || seconds > MAX_ROLE_SESSION_SECONDS) {
    return `A role's MaxSessionDuration is a whole number of seconds from ${MIN_ROLE_SESSION_SECONDS} to ${MAX_ROLE_SESSION_SECONDS}.`;
  }
  const budget = options.budget ?? DEFAULT_REVOCATION_BUDGET;
  if (!Number.isInteger(budget) || budget < MIN_REVOCATION_BUDGET || budget > ROLE_INLINE_QUOTA) {
    return `The revocation policy's budget is a whole number of characters from ${MIN_REVOCATION_BUDGET} to ${ROLE_INLINE_QUOTA}.`;
  }
  return { now, maxSessionMs: seconds * 1000, budget };
}

/** The room left for this policy on a role whose other inline policies take `otherInlineSize`
 * characters: the default budget, or less when the role's quota is that full. */
export function revocationBudget(otherInlineSize: number): number {
  return Math.max(MIN_REVOCATION_BUDGET, Math.min(DEFAULT_REVOCATION_BUDGET, ROLE_INLINE_QUOTA - otherInlineSize));
}

function readState(existing: string | null | undefined): { ok: true; state: State } | { ok: false; error: RevocationError; message: string } {
  const state: State = { people: new Map(), foreign: [] };
  if (existing === null || existing === undefined || existing.trim() === "") return { ok: true, state };
  const parsed = parsePolicy(existing, "identity");
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return refuse("unreadable_policy", `The role's ${REVOCATION_POLICY_NAME} policy cannot be read (${first ? `${first.path}: ${first.message}` : "not a policy"}); fix or delete it in IAM, then revoke again.`);
  }
  for (const statement of parsed.policy.Statement) {
    const found = recognise(statement);
    if (!found) {
      state.foreign.push(statement);
      continue;
    }
    const before = ceilSecond(found.before);
    if (found.kind === "everyone") {
      state.everyoneBefore = Math.max(state.everyoneBefore ?? before, before);
      continue;
    }
    // A name statement and a source statement for one person become one revocation at the
    // later time of the two: that only moves a deny later.
    const previous = state.people.get(found.sessionName);
    state.people.set(found.sessionName, {
      sessionName: found.sessionName,
      before: Math.max(previous?.before ?? before, before),
      sourceIdentity: (previous?.sourceIdentity ?? false) || found.kind === "source",
    });
  }
  // The hand-written statements are written back under Version 2012-10-17, where policy
  // variables are read; under 2008-10-17 they were plain text.
  if (state.foreign.length > 0 && parsed.policy.Version !== VERSION) {
    return refuse("unreadable_policy", `The role's ${REVOCATION_POLICY_NAME} policy holds statements Switchboard did not write under Version ${parsed.policy.Version ?? "(none)"}; fix or delete it in IAM, then revoke again.`);
  }
  return { ok: true, state };
}

function compact(state: State, now: number, { maxSessionMs, budget }: Checked): { document: string | null; summary: RevocationSummary } {
  const horizon = now - maxSessionMs - CLOCK_MARGIN_MS;
  const expired: RevocationSummary["expired"] = [];
  const superseded: Dropped[] = [];

  let everyone = state.everyoneBefore;
  if (everyone !== undefined && everyone <= horizon) {
    expired.push({ sessionName: null, before: isoSeconds(everyone) });
    everyone = undefined;
  }
  let people: Person[] = [];
  for (const person of state.people.values()) {
    if (person.before <= horizon) expired.push({ sessionName: person.sessionName, before: isoSeconds(person.before) });
    else if (everyone !== undefined && person.before <= everyone) superseded.push(dropped(person));
    else people.push(person);
  }
  people.sort((a, b) => compareNames(a.sessionName, b.sessionName));

  let folded: Dropped[] = [];
  let policy = render(everyone, people, state.foreign);
  if (policy && size(policy) > budget && people.length > 0) {
    // Fold the k oldest, k as small as fits. Size only falls as k grows (the everyone statement
    // is there from k = 1 on, and each step removes people), so a binary search finds it.
    const byTime = [...people].sort((a, b) => a.before - b.before || compareNames(a.sessionName, b.sessionName));
    const foldAt = (k: number) => Math.max(everyone ?? 0, byTime[k - 1]!.before);
    const attempt = (k: number) => render(foldAt(k), people.filter((p) => p.before > foldAt(k)), state.foreign);
    let low = 1;
    let high = byTime.length;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (size(attempt(mid)) <= budget) high = mid;
      else low = mid + 1;
    }
    const until = foldAt(low);
    folded = byTime.filter((p) => p.before <= until).map(dropped);
    everyone = until;
    people = people.filter((p) => p.before > until);
    policy = render(everyone, people, state.foreign);
  }

  const document = policy ? formatPolicy(policy) : null;
  const count = document ? countPolicyCharacters(document) : 0;
  return {
    document,
    summary: {
      everyoneBefore: everyone === undefined ? null : isoSeconds(everyone),
      people: people.map((p) => ({ sessionName: p.sessionName, before: isoSeconds(p.before), sourceIdentity: p.sourceIdentity })),
      expired,
      superseded,
      folded,
      foreignStatements: state.foreign.length,
      size: count,
      budget,
      overBudget: count > budget,
    },
  };
}

/** The policy in its canonical order, or undefined when it would hold no statement. Sids are
 * numbered by position; a number a kept statement already uses as its Sid is skipped. */
function render(everyone: number | undefined, people: Person[], foreign: Statement[]): Policy | undefined {
  const taken = new Set(foreign.map((s) => s.Sid).filter((sid) => sid !== undefined && sid !== ""));
  const statements: Statement[] = [];
  if (everyone !== undefined) statements.push(everyoneStatement(freeSid(SID_EVERYONE, taken), everyone));
  let n = 0;
  for (const person of people) {
    let sid: string;
    do sid = `${SID_PERSON}${++n}`;
    while (taken.has(sid) || taken.has(`${sid}${SID_SOURCE_SUFFIX}`));
    statements.push(nameStatement(sid, person.sessionName, person.before));
    if (person.sourceIdentity) statements.push(sourceStatement(`${sid}${SID_SOURCE_SUFFIX}`, person.sessionName, person.before));
  }
  statements.push(...foreign);
  return statements.length > 0 ? { Version: VERSION, Statement: statements } : undefined;
}

function freeSid(base: string, taken: Set<string | undefined>): string {
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  return sid;
}

const size = (policy: Policy | undefined): number => (policy ? countPolicyCharacters(formatPolicy(policy)) : 0);
const dropped = (person: Person): Dropped => ({ sessionName: person.sessionName, before: isoSeconds(person.before) });
const ceilSecond = (ms: number): number => Math.ceil(ms / 1000) * 1000;
/** By code point, not locale: the same order on every server. */
const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function refuse(error: RevocationError, message: string): { ok: false; error: RevocationError; message: string } {
  return { ok: false, error, message };
}
