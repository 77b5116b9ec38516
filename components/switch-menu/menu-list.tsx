"use client";

import { Clock, RefreshCw, Send, Star } from "lucide-react";
import Link from "next/link";
import { memo, useCallback, useLayoutEffect, useRef, type RefObject } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import type { MenuData, MenuRequestable, MenuRole } from "@/lib/catalog/menu-types";
import { ENVIRONMENT_BADGE, formatAccountId, safeColor } from "./format";
import { RequestAction, RequestRow, RoleRow, RowActions } from "./menu-row";
import { headerAccount, isHeader, PINNED, RECENT, REQUESTABLE, type MenuRows } from "./rows";
import { HEADER_H, OVERSCAN, ROW_H } from "./sizes";
import type { MenuState } from "./use-menu-data";
import { rowAt, totalHeight, visibleRange, type Layout } from "./virtual";

export type MenuListProps = {
  state: MenuState;
  rows: MenuRows | null;
  layout: Layout | null;
  query: string;
  canManage: boolean;
  listRef: RefObject<HTMLDivElement | null>;
  listboxId: string;
  listHeight: number;
  scrollTop: number;
  onScroll: (top: number) => void;
  activeRow: number;
  /** A role row's element id, by its group and role. */
  optionId: (group: number, role: number) => string;
  usage: MenuRole[] | null;
  now: number;
  onHover: (role: number, group: number) => void;
  onConsole: (role: number) => void;
  onCredentials: (role: number) => void;
  onPin: (role: number) => void;
  consoleHref: (role: number) => string;
  onConsoleLink: (role: number) => void;
  /** Enter, a click or the Request button on an entry the person may only ask for. */
  onRequest: (role: number) => void;
  requestHref: (entry: MenuRequestable) => string;
  onRetry: () => void;
};

/** The panel's body: loading, the error (with a way out), the empty states, or the virtual list. */
export function MenuList(props: MenuListProps) {
  const { state, rows, layout, query, canManage } = props;
  if (state.status === "idle" || state.status === "loading") {
    return (
      <div className="space-y-2 px-3 py-4" role="status" aria-label="Loading your roles">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="flex animate-pulse items-center gap-3" style={{ height: 28 }}>
            <span className="h-5 w-1 rounded-full bg-slate-200" />
            <span className="h-3 rounded bg-slate-200" style={{ width: `${30 + ((i * 17) % 40)}%` }} />
          </div>
        ))}
        <p className="pt-1 text-xs text-slate-500">Loading your roles…</p>
      </div>
    );
  }
  if (state.status === "error") {
    return (
      <div className="space-y-3 p-4" data-testid="switch-menu-error">
        <Alert title="Your roles could not be loaded">{state.error.message}</Alert>
        {state.error.status !== 401 && state.error.status !== 403 ? (
          <Button variant="secondary" size="sm" onClick={props.onRetry}>
            <RefreshCw className="h-4 w-4" aria-hidden />
            Try again
          </Button>
        ) : state.error.status === 401 ? (
          <a href="/signin" className={buttonClass("secondary", "sm")}>
            Sign in again
          </a>
        ) : null}
      </div>
    );
  }
  const requestable = state.data.requestable?.length ?? 0;
  if (state.data.roles.length === 0 && requestable === 0) {
    return (
      <div className="px-6 py-8 text-center" data-testid="switch-menu-empty">
        <p className="font-medium text-slate-900">No roles to switch into yet</p>
        {canManage ? (
          <>
            <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">
              Register your AWS accounts and the roles in them, then grant roles to people. Each person sees here the roles granted to them; administrators see every role.
            </p>
            <Link href="/roles" className={buttonClass("primary", "sm", "mt-4")}>
              Register roles
            </Link>
          </>
        ) : (
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">
            No role has been granted to you. Ask a Switchboard administrator to grant you the roles you need; they appear here as soon as they are.
          </p>
        )}
      </div>
    );
  }
  if (!rows || !layout || rows.codes.length === 0) {
    return (
      <div className="px-6 py-8 text-center text-sm text-slate-600" data-testid="switch-menu-no-match">
        <p className="font-medium text-slate-900">No role matches “{query.trim()}”</p>
        <p className="mt-1">Try part of an account name, a 12-digit account id, an alias or a role name, or paste a role ARN.</p>
        {/* The combobox points here even when there is nothing to list. */}
        <div id={props.listboxId} role="listbox" aria-label="Roles" />
      </div>
    );
  }
  const list = <VirtualList {...props} rows={rows} layout={layout} data={state.data} usable={state.index.usable} />;
  if (state.data.roles.length > 0) return list;
  // Nothing usable yet, but something to ask for: say so above the list rather than "no roles".
  return (
    <>
      <p className="border-b border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="switch-menu-only-requestable">
        No role is granted to you yet. You can ask for {requestable === 1 ? "the one below" : `the ${requestable} below`}: pick one to send a request, and an approver decides.
      </p>
      {list}
    </>
  );
}

function VirtualList({
  rows,
  layout,
  data,
  listRef,
  listboxId,
  listHeight,
  scrollTop,
  onScroll,
  activeRow,
  optionId,
  usage,
  now,
  onHover,
  onConsole,
  onCredentials,
  onPin,
  consoleHref,
  onConsoleLink,
  onRequest,
  requestHref,
  usable,
}: MenuListProps & { rows: MenuRows; layout: Layout; data: MenuData; usable: number }) {
  const [start, end] = visibleRange(layout, scrollTop, listHeight, OVERSCAN);

  // Row callbacks that keep their identity across renders, so that a keystroke re-renders only
  // the rows whose role, usage or state changed (RoleRow is memoized); they call the latest
  // handlers, which close over the menu's current state.
  const handlers = useRef({ onHover, onConsole, onRequest });
  useLayoutEffect(() => {
    handlers.current = { onHover, onConsole, onRequest };
  });
  const hoverRole = useCallback((role: number, group: number) => handlers.current.onHover(role, group), []);
  const consoleRole = useCallback((role: number) => handlers.current.onConsole(role), []);
  const requestRole = useCallback((role: number) => handlers.current.onRequest(role), []);

  // The window in runs of one group each, so every run can carry role="group" with its name
  // even when the group's header has scrolled out of the DOM.
  const runs: Array<{ header: number; from: number; to: number }> = [];
  for (let i = start; i < end; ) {
    const header = rows.headerRow[i]!;
    let j = i + 1;
    while (j < end && rows.headerRow[j] === header) j++;
    runs.push({ header, from: i, to: j });
    i = j;
  }

  // The sticky header: the group of the row at the top, when its own header has scrolled
  // away; pushed up by the next group's header as it arrives.
  const topRow = rowAt(layout, scrollTop);
  const stickyHeader = rows.headerRow[topRow]!;
  const showSticky = layout.offsets[stickyHeader]! < scrollTop;
  const next = topRow + 1 < rows.codes.length && isHeader(rows.codes[topRow + 1]!) ? layout.offsets[topRow + 1]! - scrollTop : Infinity;
  const stickyShift = Math.min(0, next - HEADER_H);

  // The active row's buttons, over its right end while the whole row is in view (and not under
  // the sticky header).
  const activeRole = activeRow >= 0 && activeRow < rows.codes.length && !isHeader(rows.codes[activeRow]!) ? rows.codes[activeRow]! : -1;
  const rowTop = activeRole >= 0 ? layout.offsets[activeRow]! - scrollTop : 0;
  const actionsTop = activeRole >= 0 && rowTop >= (showSticky ? HEADER_H : 0) && rowTop + ROW_H <= listHeight ? rowTop : null;
  const activeEntry = activeRole >= usable ? data.requestable?.[activeRole - usable] : undefined;

  return (
    // The list and what is drawn over it (the active row's buttons, the sticky header) in a box
    // whose size never depends on them: a keystroke's layout stays inside.
    <div className="relative shrink-0" style={{ height: listHeight, contain: "strict" }}>
      <div
        ref={listRef}
        id={listboxId}
        role="listbox"
        aria-label="Roles"
        tabIndex={-1}
        onScroll={(e) => onScroll(e.currentTarget.scrollTop)}
        // Keep the focus in the search box: a click in the list must not blur it.
        onMouseDown={(e) => e.preventDefault()}
        className="overflow-y-auto overscroll-contain"
        // Its size never depends on its rows: a keystroke's layout and paint stay inside it.
        style={{ height: listHeight, contain: "strict" }}
        data-testid="switch-menu-list"
      >
        <div style={{ height: totalHeight(layout), position: "relative" }}>
          {runs.map((run) => (
            <div
              // By group, and the rows in it by role: as a query grows ("pay", "paym", …) the
              // same accounts and roles stay on top, and their elements are kept (moved if need
              // be) rather than rewritten; a row's element id follows its role the same way.
              key={rows.codes[run.header]!}
              role="group"
              aria-label={groupName(rows.codes[run.header]!, data)}
              style={{ position: "absolute", top: layout.offsets[run.from], left: 0, right: 0 }}
            >
              {Array.from({ length: run.to - run.from }, (_, k) => {
                const row = run.from + k;
                const code = rows.codes[row]!;
                if (isHeader(code)) return <GroupHeader key="header" code={code} data={data} />;
                if (code >= usable) {
                  const entry = data.requestable![code - usable]!;
                  return (
                    <RequestRow
                      key={code}
                      id={optionId(rows.groups[row]!, code)}
                      index={code}
                      entry={entry}
                      account={data.accounts[entry.a]!}
                      group={rows.groups[row]!}
                      active={row === activeRow}
                      onHover={hoverRole}
                      onRequest={requestRole}
                    />
                  );
                }
                return (
                  <RoleRow
                    key={code}
                    id={optionId(rows.groups[row]!, code)}
                    index={code}
                    role={data.roles[code]!}
                    usage={usage?.[code] ?? data.roles[code]!}
                    account={data.accounts[data.roles[code]!.a]!}
                    group={rows.groups[row]!}
                    active={row === activeRow}
                    // Only a recent's "2 h ago", a failed test's time and "Access ends in 2 h"
                    // read the clock: the other rows drawn before the menu opened stay as they
                    // are when it does.
                    now={(rows.groups[row] === RECENT && (usage?.[code] ?? data.roles[code]!).lastUsedAt) || data.roles[code]!.health || data.roles[code]!.accessEndsAt ? now : 0}
                    onHover={hoverRole}
                    onConsole={consoleRole}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {actionsTop !== null ? (
        <div
          className="absolute right-0 flex items-center gap-1 pr-2"
          style={{ top: actionsTop, height: ROW_H }}
          // Like the list: a click here keeps the focus in the search box.
          onMouseDown={(e) => e.preventDefault()}
          data-testid="switch-menu-row-actions"
        >
          {activeEntry ? (
            <RequestAction entry={activeEntry} href={requestHref(activeEntry)} onRequest={() => onRequest(activeRole)} />
          ) : (
            <RowActions
              role={data.roles[activeRole]!}
              pinned={(usage?.[activeRole] ?? data.roles[activeRole]!).pinned}
              onPin={() => onPin(activeRole)}
              onCredentials={() => onCredentials(activeRole)}
              consoleHref={consoleHref(activeRole)}
              onConsoleLink={() => onConsoleLink(activeRole)}
            />
          )}
        </div>
      ) : null}
      {showSticky ? (
        <div className="absolute inset-x-0 top-0 overflow-hidden" style={{ height: HEADER_H + stickyShift }} aria-hidden>
          <div style={{ transform: `translateY(${stickyShift}px)` }}>
            <GroupHeader code={rows.codes[stickyHeader]!} data={data} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function groupName(code: number, data: MenuData): string {
  if (code === PINNED) return "Pinned";
  if (code === RECENT) return "Recent";
  if (code === REQUESTABLE) return "Ask for access";
  const account = data.accounts[headerAccount(code)];
  if (!account) return "";
  return `${account.name}, ${ENVIRONMENT_BADGE[account.environment]?.label ?? account.environment}, account ${account.id}${account.alias ? `, alias ${account.alias}` : ""}`;
}

const GroupHeader = memo(function GroupHeader({ code, data }: { code: number; data: MenuData }) {
  if (code === PINNED || code === RECENT) {
    return (
      <div className="flex items-center gap-2 border-b border-slate-100 bg-slate-50 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase" style={{ height: HEADER_H }} aria-hidden>
        {code === PINNED ? <Star className="h-3.5 w-3.5" aria-hidden /> : <Clock className="h-3.5 w-3.5" aria-hidden />}
        {code === PINNED ? "Pinned" : "Recent"}
      </div>
    );
  }
  if (code === REQUESTABLE) {
    return (
      <div
        className="flex items-center gap-2 border-b border-slate-100 bg-slate-50 px-3 text-xs text-slate-500"
        style={{ height: HEADER_H }}
        aria-hidden
        data-testid="switch-menu-requestable-header"
      >
        <Send className="h-3.5 w-3.5 shrink-0" aria-hidden />
        <span className="font-semibold tracking-wide uppercase">Ask for access</span>
        <span className="truncate">you need approval to use these</span>
      </div>
    );
  }
  const account = data.accounts[headerAccount(code)]!;
  const env = ENVIRONMENT_BADGE[account.environment] ?? ENVIRONMENT_BADGE.other;
  return (
    <div
      className="flex items-center gap-2 border-b border-l-4 border-b-slate-100 bg-slate-50 pr-3 pl-2 text-xs"
      style={{ height: HEADER_H, borderLeftColor: safeColor(account.color) }}
      aria-hidden
      data-testid="switch-menu-account"
    >
      <span className="truncate font-semibold text-slate-800">{account.name}</span>
      <span className="shrink-0">
        <Badge tone={env.tone}>{env.label}</Badge>
      </span>
      <span className="shrink-0 font-mono text-slate-500 tabular-nums">{formatAccountId(account.id)}</span>
      {account.alias ? <span className="truncate text-slate-500">{account.alias}</span> : null}
    </div>
  );
});
