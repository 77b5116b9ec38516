// What `switchboard request` reads and prints, with no I/O: the --for durations, the times it
// shows, the tables of requests and of requestable roles, and the requestable roles as a menu
// (so that cli/role-match.ts names them the way it names your roles).
import { describeDuration } from "@/lib/access/events";
import { ACCESS_STATUS_LABELS, type AccessRequestDto, type RequestableRoleDto } from "@/lib/access/types";
import type { MenuData } from "@/lib/catalog/menu-types";
import type { Environment } from "@/lib/domain/environments";
import { usageError } from "../errors";

export { describeDuration };

/** lib/access/schemas.ts's bounds (AWS's shortest and longest role session, AssumeRole
 * DurationSeconds: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html),
 * repeated here: that module brings zod, and the bundle takes no packages. */
export const MIN_ACCESS_SECONDS = 900;
export const MAX_ACCESS_SECONDS = 43_200;

/** `45m`, `90m`, `2h`, `1h30m` → seconds, between AWS's shortest and longest role session
 * (lib/access/schemas.ts: 15 minutes to 12 hours). */
export function parseAccessDuration(text: string | undefined, usage: string): number {
  if (text === undefined || text.trim() === "") throw usageError(`Say for how long with --for, e.g. --for 2h (from 15m to 12h). Usage: ${usage}`);
  const m = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?$/i.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw usageError(`--for ${text}: give hours and minutes, e.g. 45m, 90m, 2h or 1h30m.`);
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60;
  if (seconds < MIN_ACCESS_SECONDS || seconds > MAX_ACCESS_SECONDS) throw usageError(`--for ${text}: access lasts from 15 minutes to 12 hours (15m to 12h).`);
  return seconds;
}

/** 5400 → `1h30m`, the form --for takes. */
export function shortDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return `${hours ? `${hours}h` : ""}${minutes || !hours ? `${minutes}m` : ""}`;
}

/** `14:30` today, `2026-12-04 14:30` on another day, in the machine's time zone (or `timeZone`). */
export function formatTime(iso: string, now = Date.now(), timeZone?: string): string {
  const parts = (ms: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(new Date(ms))
        .map((x) => [x.type, x.value]),
    );
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
  };
  const at = parts(Date.parse(iso));
  return at.date === parts(now).date ? at.time : `${at.date} ${at.time}`;
}

export const roleNameOf = (r: { accountName: string; displayName: string }) => `${r.accountName}/${r.displayName}`;

/** The requestable roles as the Switch Role menu's data, so cli/role-match.ts resolves a
 * `<role>` among them exactly as it does among your roles. */
export function requestableMenu(roles: RequestableRoleDto[]): MenuData {
  const accounts: MenuData["accounts"] = [];
  const index = new Map<string, number>();
  const menuRoles = roles.map((r) => {
    let a = index.get(r.awsAccountId);
    if (a === undefined) {
      a = accounts.push({ id: r.awsAccountId, name: r.accountName, alias: null, environment: r.environment as Environment, color: "#888888", partition: "aws" }) - 1;
      index.set(r.awsAccountId, a);
    }
    return { id: r.roleId, a, name: r.roleName, label: r.displayName, color: "#888888", region: "", pinned: false, lastUsedAt: null, uses: 0, requiresExternalId: false };
  });
  return { accounts, roles: menuRoles, lastRoleId: null };
}

function table(rows: string[][], header: string[] | null): string[] {
  const all = header ? [header, ...rows] : rows;
  const widths = (all[0] ?? []).map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[c]!) : cell)).join("  ").trimEnd());
}

/** When a request was asked for, or until when it gives access, or when it stopped. */
export function whenOf(r: AccessRequestDto, now = Date.now(), timeZone?: string): string {
  const t = (iso: string | null) => (iso ? formatTime(iso, now, timeZone) : "?");
  switch (r.status) {
    case "pending":
      return `asked ${t(r.createdAt)} for ${shortDuration(r.requestedSeconds)}`;
    case "approved":
      return `until ${t(r.endsAt)}`;
    case "denied":
      return `denied ${t(r.decidedAt)}`;
    case "withdrawn":
      return `withdrawn ${t(r.decidedAt)}`;
    case "ended":
      return `ended ${t(r.endedAt ?? r.endsAt)}`;
    case "expired":
      return `ended ${t(r.endsAt)}`;
  }
}

const KIND_NOTES: Record<AccessRequestDto["kind"], string> = { request: "", break_glass: " (break-glass)", extension: " (extension)" };

/** `switchboard request list`: id, status, role, when. A header line on a terminal only. */
export function formatRequests(requests: AccessRequestDto[], header: boolean, now = Date.now(), timeZone?: string): string[] {
  const rows = requests.map((r) => [r.id, `${ACCESS_STATUS_LABELS[r.status]}${KIND_NOTES[r.kind]}`, roleNameOf(r.role), whenOf(r, now, timeZone)]);
  return table(rows, header ? ["ID", "STATUS", "ACCOUNT/ROLE", "WHEN"] : null);
}

/** `switchboard request roles`: id, account/role, the longest access, who approves, and where
 * the person stands (asked already, access in force) or what the policy asks for. */
export function formatRequestableRoles(roles: RequestableRoleDto[], header: boolean, now = Date.now(), timeZone?: string): string[] {
  const rows = roles.map((r) => {
    const notes = [
      r.activeRequest ? `access until ${formatTime(r.activeRequest.endsAt, now, timeZone)}` : "",
      r.pendingRequestId ? `asked (${r.pendingRequestId})` : "",
      r.ticketPattern ? "ticket needed" : "",
      r.breakGlass ? "break-glass allowed" : "",
      r.approvalsRequired > 1 ? `${r.approvalsRequired} approvals` : "",
    ].filter(Boolean);
    return [r.roleId, roleNameOf(r), `up to ${shortDuration(r.maxDurationSeconds)}`, r.approvers, notes.join("; ")];
  });
  return table(rows, header ? ["ID", "ACCOUNT/ROLE", "MAX", "APPROVERS", ""] : null);
}
