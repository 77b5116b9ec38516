import "server-only";
// The AWS sessions this console issued that have not expired yet, built from the audit log: every
// successful switch is recorded with its duration (lib/sessions/start-session.ts) and every
// revocation with whom it covered (./revoke.ts). No credential or token is kept anywhere, so this
// is what the console knows, not what AWS holds: a session issued outside the console is not
// here, and a session's end is computed, not observed.
//
// Who sees what: administrators (sessions.revoke) and auditors (audit.read, who can read the same
// events in the audit log) see everyone's sessions; operators (sessions.create) see their own.
//
// Limits, said plainly:
// - Expiry is the switch's time plus the AssumeRole DurationSeconds it recorded. A console
//   sign-in's SessionDuration is that duration rounded down to whole minutes (or left out, when
//   the session lasts as long as the credentials: lib/aws/duration.ts), which is not recorded,
//   so a console session may be shown up to a minute longer than it lasts.
// - "Revoked" means a later successful revocation in the same role entry named everyone, or this
//   person (by email or by session name): from the audit log, and from the store's record of
//   what each revocation denies (session_revocations), which includes the "everyone before
//   <time>" that older person revocations are folded into when the policy outgrows its budget
//   (./policy.ts) — that cuts off other people's older sessions too, and they are shown revoked.
// - A switch served from the credential cache hands out a session issued earlier; it is listed
//   with that session's times, once.
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** The longest an AWS role session can last (a role's MaxSessionDuration is at most 12 hours):
 * a switch older than this cannot have a live session.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html */
export const LONGEST_SESSION_MS = 12 * 3600_000;

/** At most this many sessions are returned, newest first. */
export const ACTIVE_SESSIONS_LIMIT = 500;

/** At most this many switches of the last 12 hours are read. More than that in 12 hours is more
 * than one page can show; the answer says it was cut short. */
const SCAN_LIMIT = 5000;

export type ActiveSession = {
  /** The audit event of the switch. */
  id: string;
  person: { id: string | null; email: string | null };
  role: { id: string; arn: string | null; label: string; accountName: string | null };
  accountId: string | null;
  kind: "console" | "credentials";
  region: string | null;
  issuedAt: string;
  expiresAt: string;
  revoked: { at: string; by: string | null } | null;
};

export type ActiveSessions = {
  /** "everyone" for administrators and auditors, "own" for operators. */
  scope: "everyone" | "own";
  /** The time the list was computed for: live at this time. */
  asOf: string;
  sessions: ActiveSession[];
  /** True when there were more live sessions than ACTIVE_SESSIONS_LIMIT (or switches than the scan reads). */
  truncated: boolean;
};

/** Whose sessions a person may list, or null when none. */
export function activeSessionsScope(actor: Actor): ActiveSessions["scope"] | null {
  if (hasPermission(actor, "sessions.revoke") || hasPermission(actor, "audit.read")) return "everyone";
  if (hasPermission(actor, "sessions.create")) return "own";
  return null;
}

type Revocation = { roleId: string; at: string; atMs: number; by: string | null; scope: "person" | "everyone"; person: string | null; sessionName: string | null };

function details(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

/** The earliest revocation that covers a session: in its role entry, after it was issued, for
 * everyone or for its person. AWS denies sessions whose aws:TokenIssueTime is before the
 * revocation's time (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html). */
function coveringRevocation(revocations: readonly Revocation[], session: { roleId: string; issuedMs: number; email: string | null; sessionName: string | null }): Revocation | null {
  const email = session.email?.toLowerCase() ?? null;
  for (const r of revocations) {
    if (r.roleId !== session.roleId || r.atMs <= session.issuedMs) continue;
    if (r.scope === "everyone") return r;
    if ((email !== null && r.person?.toLowerCase() === email) || (session.sessionName !== null && r.sessionName === session.sessionName)) return r;
  }
  return null;
}

/** GET /sessions/active: the live sessions the caller may see, newest first. Two queries: the
 * switches of the last 12 hours (with their role entries), and the revocations in those roles. */
export async function listActiveSessions(actor: Actor, now = Date.now()): Promise<ActiveSessions> {
  const scope = activeSessionsScope(actor);
  if (scope === null) throw new AppError("forbidden", `Your console role (${actor.role}) does not allow seeing live AWS sessions (sessions.create, audit.read or sessions.revoke). Ask an administrator.`);
  const since = new Date(now - LONGEST_SESSION_MS).toISOString();
  const db = await getDb();
  let query = db
    .selectFrom("audit_events")
    .leftJoin("roles", "roles.id", "audit_events.target_id")
    .leftJoin("accounts", "accounts.id", "roles.account_id")
    .select([
      "audit_events.id",
      "audit_events.at",
      "audit_events.actor_id",
      "audit_events.actor_email",
      "audit_events.action",
      "audit_events.target_id",
      "audit_events.target_label",
      "audit_events.aws_account_id",
      "audit_events.details",
      "roles.display_name",
      "accounts.name as account_name",
    ])
    .where("audit_events.action", "in", ["session.console", "session.credentials"])
    .where("audit_events.outcome", "=", "success")
    .where("audit_events.target_type", "=", "role")
    .where("audit_events.target_id", "is not", null)
    .where("audit_events.at", ">=", since);
  if (scope === "own") query = query.where("audit_events.actor_id", "=", actor.id);
  const switches = await query.orderBy("audit_events.id", "desc").limit(SCAN_LIMIT + 1).execute();

  // A switch served from the credential cache (details.cached) hands out an AWS session issued
  // earlier: it carries that session's issue and expiry times, and is listed once per kind.
  const seen = new Set<string>();
  const live = switches.slice(0, SCAN_LIMIT).flatMap((row) => {
    const d = details(row.details);
    const switchedMs = Date.parse(row.at);
    const duration = typeof d.durationSeconds === "number" && d.durationSeconds > 0 ? d.durationSeconds : null;
    if (!row.target_id || Number.isNaN(switchedMs) || duration === null) return [];
    const recordedIssue = typeof d.issuedAt === "string" ? Date.parse(d.issuedAt) : NaN;
    const issuedMs = Number.isNaN(recordedIssue) ? switchedMs : recordedIssue;
    const recordedExpiry = typeof d.credentialsExpireAt === "string" ? Date.parse(d.credentialsExpireAt) : NaN;
    const expiresMs = row.action === "session.credentials" && !Number.isNaN(recordedExpiry) ? recordedExpiry : switchedMs + duration * 1000;
    if (expiresMs <= now) return [];
    const key = `${row.actor_id}|${row.target_id}|${row.action}|${issuedMs}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ row, roleId: row.target_id, issuedMs, expiresMs, region: text(d.region), sessionName: text(d.sessionName) }];
  });

  const roleIds = [...new Set(live.map((s) => s.roleId))];
  const revocations: Revocation[] = roleIds.length
    ? (
        await db
          .selectFrom("audit_events")
          .select(["at", "actor_email", "target_id", "details"])
          .where("action", "=", "session.revoke")
          .where("outcome", "=", "success")
          .where("target_type", "=", "role")
          .where("target_id", "in", roleIds)
          .where("at", ">=", since)
          .orderBy("id", "asc")
          .execute()
      ).flatMap((r) => {
        const d = details(r.details);
        const atMs = Date.parse(r.at);
        if (!r.target_id || Number.isNaN(atMs) || (d.scope !== "person" && d.scope !== "everyone")) return [];
        return [{ roleId: r.target_id, at: r.at, atMs, by: r.actor_email, scope: d.scope, person: text(d.person), sessionName: text(d.sessionName) }];
      })
    : [];
  // The store's own record of what each revocation denies (lib/revocation/revoke.ts), which also
  // knows the "everyone before" time of older revocations folded to keep the policy small.
  if (roleIds.length) {
    const recorded = await db
      .selectFrom("session_revocations")
      .leftJoin("users", "users.id", "session_revocations.actor_id")
      .select(["session_revocations.role_id", "session_revocations.session_name", "session_revocations.revoked_before", "session_revocations.created_at", "users.email"])
      .where("session_revocations.role_id", "in", roleIds)
      .where("session_revocations.revoked_before", ">=", since)
      .orderBy("session_revocations.revoked_before", "asc")
      .execute();
    for (const r of recorded) {
      const atMs = Date.parse(r.revoked_before);
      if (Number.isNaN(atMs)) continue;
      revocations.push({ roleId: r.role_id, at: r.created_at, atMs, by: r.email, scope: r.session_name === null ? "everyone" : "person", person: null, sessionName: r.session_name });
    }
    revocations.sort((a, b) => a.atMs - b.atMs);
  }

  const sessions = live.slice(0, ACTIVE_SESSIONS_LIMIT).map(({ row, roleId, issuedMs, expiresMs, region, sessionName }): ActiveSession => {
    const revocation = coveringRevocation(revocations, { roleId, issuedMs, email: row.actor_email, sessionName });
    const arn = row.target_label;
    return {
      id: row.id,
      person: { id: row.actor_id, email: row.actor_email },
      // A role entry removed since keeps its ARN in the event; its name is the ARN's last part.
      role: { id: roleId, arn, label: row.display_name ?? arn?.split("/").at(-1) ?? roleId, accountName: row.account_name },
      accountId: row.aws_account_id,
      kind: row.action === "session.console" ? "console" : "credentials",
      region,
      issuedAt: new Date(issuedMs).toISOString(),
      expiresAt: new Date(expiresMs).toISOString(),
      revoked: revocation ? { at: revocation.at, by: revocation.by } : null,
    };
  });
  return { scope, asOf: new Date(now).toISOString(), sessions, truncated: live.length > ACTIVE_SESSIONS_LIMIT || switches.length > SCAN_LIMIT };
}
