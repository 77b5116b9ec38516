"use client";

import { ExternalLink, KeyRound, Pin } from "lucide-react";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { MenuAccount, MenuRole } from "@/lib/catalog/menu-types";
import { ENVIRONMENT_BADGE, formatAccountId, safeColor, timeAgo } from "./format";
import { openInNewTab } from "./open-console";
import { PINNED, RECENT } from "./rows";
import { ROW_H } from "./sizes";

/** One role in the list. Only the active row carries its buttons (Pin, Console, Credentials). */
export function RoleRow({
  id,
  role,
  usage,
  account,
  group,
  active,
  now,
  onHover,
  onConsole,
  onCredentials,
  onPin,
  consoleHref,
  onConsoleLink,
}: {
  id: string;
  role: MenuRole;
  usage: Pick<MenuRole, "pinned" | "lastUsedAt">;
  account: MenuAccount;
  group: number;
  active: boolean;
  now: number;
  onHover: () => void;
  onConsole: () => void;
  onCredentials: () => void;
  onPin: () => void;
  consoleHref: string;
  onConsoleLink: () => void;
}) {
  // Pinned and Recent have no account header above them: the row names its account itself.
  const standalone = group === PINNED || group === RECENT;
  const env = ENVIRONMENT_BADGE[account.environment] ?? ENVIRONMENT_BADGE.other;
  const label = `${role.label}${role.name !== role.label ? ` (${role.name})` : ""}, ${account.name} ${account.id}${usage.pinned ? ", pinned" : ""}${role.requiresExternalId ? ", sends an ExternalId" : ""}`;
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-label={label}
      onMouseMove={onHover}
      onClick={onConsole}
      className={`relative flex cursor-pointer items-center gap-3 pr-2 pl-3 ${active ? "bg-indigo-50" : "hover:bg-slate-50"}`}
      style={{ height: ROW_H }}
      data-testid="switch-menu-role"
      data-role-id={role.id}
    >
      {active ? <span className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" aria-hidden /> : null}
      <span className="h-6 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(role.color) }} aria-hidden />
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-2">
          <span className="truncate text-sm font-medium text-slate-900">{role.label}</span>
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
      {/* The row's own buttons exist only on the active row (the mouse makes the row under it
          active): every other row stays a few elements, which keeps each keystroke cheap. */}
      <div className="flex shrink-0 items-center gap-1">
        {usage.pinned || active ? (
          <IconButton label={usage.pinned ? `Unpin ${role.label}` : `Pin ${role.label}`} pressed={usage.pinned} onClick={onPin} className={usage.pinned ? "text-indigo-600" : "text-slate-400"}>
            <Pin className={`h-4 w-4 ${usage.pinned ? "fill-current" : ""}`} aria-hidden />
          </IconButton>
        ) : null}
        {active ? (
          <span className="flex items-center gap-1">
            <a
              href={consoleHref}
              target="_blank"
              rel="noopener"
              tabIndex={-1}
              onClick={(e) => {
                // A plain click switches at once, like Enter; the link itself (opened another
                // way, or copied) leads to the confirmation page.
                e.preventDefault();
                e.stopPropagation();
                openInNewTab(consoleHref);
                onConsoleLink();
              }}
              className="inline-flex h-7 items-center gap-1 rounded-md bg-indigo-600 px-2 text-xs font-medium text-white hover:bg-indigo-500"
            >
              <ExternalLink className="h-3.5 w-3.5" aria-hidden />
              Console
            </a>
            <button
              type="button"
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                onCredentials();
              }}
              className="inline-flex h-7 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 text-xs font-medium text-slate-700 hover:bg-slate-50"
            >
              <KeyRound className="h-3.5 w-3.5" aria-hidden />
              Credentials
            </button>
          </span>
        ) : null}
      </div>
    </div>
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
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
      className={`inline-flex h-7 w-7 items-center justify-center rounded-md hover:bg-slate-200/60 hover:text-indigo-600 ${className}`}
    >
      {children}
    </button>
  );
}
