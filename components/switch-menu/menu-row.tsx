"use client";

import { ExternalLink, Hourglass, KeyRound, Pin, Send } from "lucide-react";
import { memo, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { accessEndsText, utcMinuteText } from "@/lib/catalog/grant-expiry";
import { testedAgo, whyLabel } from "@/lib/catalog/health";
import type { MenuAccount, MenuRequestable, MenuRole } from "@/lib/catalog/menu-types";
import { ENVIRONMENT_BADGE, formatAccountId, safeColor, timeAgo } from "./format";
import { PINNED, RECENT } from "./rows";
import { ROW_H } from "./sizes";

/** One role in the list: an option that holds only text, so that it is never an interactive
 * control with controls inside (https://dequeuniversity.com/rules/axe/4.10/nested-interactive).
 * The active row's buttons (Pin, Console, Credentials) are RowActions, drawn over its right end
 * from outside the listbox. Memoized: a keystroke re-renders only the rows that changed. */
export const RoleRow = memo(function RoleRow({
  id,
  index,
  role,
  usage,
  account,
  group,
  active,
  now,
  onHover,
  onConsole,
}: {
  id: string;
  /** Its role's index in the data (for the callbacks). */
  index: number;
  role: MenuRole;
  usage: Pick<MenuRole, "pinned" | "lastUsedAt">;
  account: MenuAccount;
  group: number;
  active: boolean;
  now: number;
  onHover: (index: number, group: number) => void;
  onConsole: (index: number) => void;
}) {
  // Pinned and Recent have no account header above them: the row names its account itself.
  const standalone = group === PINNED || group === RECENT;
  const env = ENVIRONMENT_BADGE[account.environment] ?? ENVIRONMENT_BADGE.other;
  // Access that ends by itself within a day (lib/catalog/grant-expiry.ts).
  const ends = accessEndsText(role.accessEndsAt, now);
  const label = `${role.label}${role.name !== role.label ? ` (${role.name})` : ""}, ${account.name} ${account.id}${usage.pinned ? ", pinned" : ""}${role.requiresExternalId ? ", sends an ExternalId" : ""}${role.health ? `, failed its last test: ${whyLabel(role.health.why)}` : ""}${ends ? `, ${ends.toLowerCase()}` : ""}`;
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-label={label}
      onMouseMove={active ? undefined : () => onHover(index, group)}
      onClick={() => onConsole(index)}
      // The active row leaves room on the right for RowActions (ACTIONS_WIDTH).
      className={`relative flex cursor-pointer items-center gap-3 pl-3 ${active ? `bg-indigo-50 ${ACTIONS_PADDING}` : "pr-2 hover:bg-slate-50"}`}
      style={{ height: ROW_H }}
      data-testid="switch-menu-role"
      data-role-id={role.id}
    >
      {active ? <span className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" aria-hidden /> : null}
      <span className="h-6 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(role.color) }} aria-hidden />
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-2">
          {/* A role that failed its last test is greyed out, with the reason (lib/catalog/health.ts). */}
          <span className={`truncate text-sm font-medium ${role.health ? "text-slate-600" : "text-slate-900"}`}>{role.label}</span>
          {role.health ? (
            <span className="shrink-0" data-testid="switch-menu-role-health" title={`Failed its last test (${testedAgo(role.health.testedAt, now)}): ${role.health.reason}`}>
              <Badge tone="red">Fails: {whyLabel(role.health.why)}</Badge>
            </span>
          ) : null}
          {ends ? (
            <span className="shrink-0" data-testid="switch-menu-role-ends" title={`Until ${utcMinuteText(role.accessEndsAt!)}`}>
              <Badge tone="amber">{ends}</Badge>
            </span>
          ) : null}
          {role.name !== role.label ? <span className="truncate font-mono text-xs text-slate-500">{role.name}</span> : null}
          {role.requiresExternalId ? (
            <span className="shrink-0">
              <Badge tone="violet" title="Switchboard sends this role's ExternalId when it assumes it (the AWS console's own Switch role cannot)">
                ExternalId
              </Badge>
            </span>
          ) : null}
        </div>
        {standalone ? (
          <div className="flex min-w-0 items-center gap-1.5 text-xs text-slate-500">
            <span className={`shrink-0 font-medium ${env.tone === "red" ? "text-red-700" : env.tone === "amber" ? "text-amber-700" : "text-slate-600"}`}>{account.name}</span>
            <span className="shrink-0 font-mono tabular-nums">{formatAccountId(account.id)}</span>
            {group === RECENT && usage.lastUsedAt ? <span className="truncate">· {timeAgo(usage.lastUsedAt, now)}</span> : null}
          </div>
        ) : null}
      </div>
      {/* A pinned row that is not active shows the pin as a mark (its label says "pinned"). */}
      {usage.pinned && !active ? <Pin className="h-4 w-4 shrink-0 fill-current text-indigo-600" aria-hidden /> : null}
    </div>
  );
});

/** An entry the person may ask for (issue 15 §2.1): greyed like a failing entry, marked "On
 * request" (or "Requested" while a request of theirs waits), naming its account itself (the
 * "Ask for access" group has no account header). Its one action is to ask: Enter, a click, or
 * RequestAction; never a switch, credentials or a pin. */
export const RequestRow = memo(function RequestRow({
  id,
  index,
  entry,
  account,
  group,
  active,
  onHover,
  onRequest,
}: {
  id: string;
  /** Its role index in the menu (≥ MenuIndex.usable). */
  index: number;
  entry: MenuRequestable;
  account: MenuAccount;
  group: number;
  active: boolean;
  onHover: (index: number, group: number) => void;
  onRequest: (index: number) => void;
}) {
  const env = ENVIRONMENT_BADGE[account.environment] ?? ENVIRONMENT_BADGE.other;
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-label={requestLabel(entry, account)}
      onMouseMove={active ? undefined : () => onHover(index, group)}
      onClick={() => onRequest(index)}
      className={`relative flex cursor-pointer items-center gap-3 pl-3 ${active ? `bg-indigo-50 ${REQUEST_PADDING}` : "pr-2 hover:bg-slate-50"}`}
      style={{ height: ROW_H }}
      data-testid="switch-menu-requestable"
      data-role-id={entry.id}
      data-pending={entry.pending ? "true" : undefined}
    >
      {active ? <span className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" aria-hidden /> : null}
      <span className="h-6 w-1 shrink-0 rounded-full opacity-40" style={{ backgroundColor: safeColor(entry.color) }} aria-hidden />
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-2">
          <span className="truncate text-sm font-medium text-slate-600">{entry.label}</span>
          <span className="shrink-0">{entry.pending ? <Badge tone="amber">Requested</Badge> : <Badge tone="slate">On request</Badge>}</span>
          {entry.name !== entry.label ? <span className="truncate font-mono text-xs text-slate-500">{entry.name}</span> : null}
        </div>
        {/* slate-600: slate-500 falls under 4.5:1 on the active row's indigo-50. */}
        <div className="flex min-w-0 items-center gap-1.5 text-xs text-slate-600">
          <span className={`shrink-0 font-medium ${env.tone === "red" ? "text-red-700" : env.tone === "amber" ? "text-amber-700" : "text-slate-700"}`}>{account.name}</span>
          <span className="shrink-0 font-mono tabular-nums">{formatAccountId(account.id)}</span>
        </div>
      </div>
    </div>
  );
});

/** What a screen reader says of a requestable row: "Request Production / ReadOnly — you need
 * approval". */
export function requestLabel(entry: MenuRequestable, account: MenuAccount): string {
  const name = `${account.name} / ${entry.label}${entry.name !== entry.label ? ` (${entry.name})` : ""}`;
  return entry.pending ? `Requested ${name} — waiting for approval` : `Request ${name} — you need approval`;
}

/** Room the active requestable row leaves for RequestAction (one button). */
const REQUEST_PADDING = "pr-[2.5rem] sm:pr-[7.5rem]";

/** The active requestable row's one button, over its right end like RowActions: a link to the
 * request (a plain click goes there in this tab, as Enter does). */
export function RequestAction({ entry, href, onRequest }: { entry: MenuRequestable; href: string; onRequest: () => void }) {
  const Icon = entry.pending ? Hourglass : Send;
  return (
    <a
      href={href}
      tabIndex={-1}
      aria-label={entry.pending ? `See your request for ${entry.label}` : `Request ${entry.label}`}
      title={entry.pending ? `Your request for ${entry.label} is waiting for approval (Enter)` : `Ask for ${entry.label}: an approver decides (Enter)`}
      onClick={(e) => {
        // Same as Enter: the menu closes and the page changes in this tab.
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onRequest();
      }}
      className={`inline-flex h-7 w-7 items-center justify-center gap-1 rounded-md text-xs font-medium sm:w-[6.75rem] ${entry.pending ? "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50" : "bg-indigo-600 text-white hover:bg-indigo-700"}`}
      data-testid="switch-menu-request"
    >
      <Icon className="h-3.5 w-3.5 shrink-0" aria-hidden />
      <span className="hidden sm:inline">{entry.pending ? "Requested" : "Request"}</span>
    </a>
  );
}

/** Room the active row leaves for RowActions: three icon buttons on a phone, icon and word on
 * wider screens (the buttons have fixed widths, so the row's text never runs under them). */
const ACTIONS_PADDING = "pr-[6.5rem] sm:pr-[15rem]";

/** The active row's buttons. They sit outside the listbox (which may hold only options and
 * groups), positioned over the row by the list; they are not in the tab order, as the keyboard
 * has Enter, Shift+Enter and Ctrl/Cmd+P for the same actions, but a pointer, a touch or a
 * screen reader's virtual cursor reaches them by name. */
export function RowActions({
  role,
  pinned,
  onPin,
  onCredentials,
  consoleHref,
  onConsoleLink,
}: {
  role: MenuRole;
  pinned: boolean;
  onPin: () => void;
  onCredentials: () => void;
  consoleHref: string;
  onConsoleLink: () => void;
}) {
  return (
    <>
      <IconButton label={pinned ? `Unpin ${role.label}` : `Pin ${role.label}`} pressed={pinned} onClick={onPin} className={pinned ? "text-indigo-600" : "text-slate-500"}>
        <Pin className={`h-4 w-4 ${pinned ? "fill-current" : ""}`} aria-hidden />
      </IconButton>
      <a
        href={consoleHref}
        target="_blank"
        rel="noopener"
        tabIndex={-1}
        aria-label={`Open ${role.label} in the AWS console`}
        title={`Open ${role.label} in the AWS console (Enter)`}
        onClick={(e) => {
          // A plain click switches at once, like Enter; the link itself (opened another way, or
          // copied) leads to the confirmation page.
          e.preventDefault();
          onConsoleLink();
        }}
        className="inline-flex h-7 w-7 items-center justify-center gap-1 rounded-md bg-indigo-600 text-xs font-medium text-white hover:bg-indigo-700 sm:w-[5.25rem]"
      >
        <ExternalLink className="h-3.5 w-3.5 shrink-0" aria-hidden />
        <span className="hidden sm:inline">Console</span>
      </a>
      <button
        type="button"
        tabIndex={-1}
        aria-label={`Credentials for ${role.label}`}
        title={`Temporary credentials for ${role.label} (Shift+Enter)`}
        onClick={onCredentials}
        className="inline-flex h-7 w-7 items-center justify-center gap-1 rounded-md border border-slate-300 bg-white text-xs font-medium text-slate-700 hover:bg-slate-50 sm:w-[6.75rem]"
      >
        <KeyRound className="h-3.5 w-3.5 shrink-0" aria-hidden />
        <span className="hidden sm:inline">Credentials</span>
      </button>
    </>
  );
}

function IconButton({ label, pressed, onClick, className, children }: { label: string; pressed: boolean; onClick: () => void; className: string; children: ReactNode }) {
  return (
    <button
      type="button"
      tabIndex={-1}
      aria-label={label}
      aria-pressed={pressed}
      title={label}
      onClick={onClick}
      className={`inline-flex h-7 w-7 items-center justify-center rounded-md hover:bg-slate-200/60 hover:text-indigo-600 ${className}`}
    >
      {children}
    </button>
  );
}
