"use client";

import { ArrowLeftRight, ChevronDown, Clock, ExternalLink, Globe, KeyRound, Loader2, Pin, RefreshCw, Search, Star } from "lucide-react";
import Link from "next/link";
import { useEffect, useEffectEvent, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { CredentialsDialog } from "@/components/credentials/credentials-dialog";
import { requestJson, ApiError } from "@/components/credentials/request";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { partitionOfRegion, REGIONS } from "@/lib/aws/partitions";
import type { MenuAccount, MenuData, MenuRole } from "@/lib/catalog/menu-types";
import { ENVIRONMENT_BADGE, formatAccountId, safeColor, timeAgo } from "./format";
import { browseRows, firstOption, headerAccount, isHeader, lastOption, moveActive, PINNED, RECENT, resultRows, rowOfRole, type MenuRows } from "./rows";
import { searchMenu, usageOrder } from "./search";
import { useMenuData } from "./use-menu-data";
import { layoutRows, rowAt, scrollToReveal, totalHeight, visibleRange, type Layout } from "./virtual";

export type LastRole = { id: string; label: string; accountName: string; color: string };

export type SwitchMenuProps = {
  /** The role this person switched into last, from the server layout (getLastRole). */
  lastRole: LastRole | null;
  /** Administrators: the empty state links to /roles. */
  canManage: boolean;
};

// Fixed heights: the virtual list positions rows from these without measuring the DOM.
const HEADER_H = 32;
const ROW_H = 44;
const OVERSCAN = 3;

/** The cursor in the list. It remembers the role (and its group) as well as the row, so that
 * when the rows are rebuilt for the same query (a pin toggled, a background refresh) it stays
 * on the same role; a new query starts again at the top. */
type Cursor = { rows: MenuRows | null; row: number; role: number; group: number; query: string };
const NO_CURSOR: Cursor = { rows: null, row: -1, role: -1, group: 0, query: "" };

const noSubscribe = () => () => {};
const isApplePlatform = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** The list's height: as many rows as fit under the header with the search box and footer. */
function listViewport(): number {
  return Math.max(176, Math.min(496, window.innerHeight - 220));
}

/** Opens the AWS console in a new tab with a POST to /switch/<id> from this page: only such a
 * POST issues a session (a GET of the same URL, from a bookmark or a shared link, shows what it
 * opens and waits for a click). With the user's activation, and without giving the new tab a
 * handle on this one. */
function openInNewTab(url: string) {
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  form.target = "_blank";
  form.rel = "noopener";
  form.hidden = true;
  document.body.appendChild(form);
  form.submit();
  form.remove();
}

const switchUrl = (role: MenuRole, region: string) => `/switch/${encodeURIComponent(role.id)}?${new URLSearchParams({ region })}`;

/** The Switch Role menu in the header: a button showing the last role used, and a searchable,
 * keyboard-first, virtualized list of every role this person may switch into (Ctrl/Cmd+K from
 * anywhere). Enter opens the AWS console in a new tab; Shift+Enter copies credentials. */
export function SwitchMenu({ lastRole, canManage }: SwitchMenuProps) {
  const { state, load, patchUsage } = useMenuData();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [cursor, setCursor] = useState<Cursor>(NO_CURSOR);
  /** The region picked in the footer; "" means each role's own default. */
  const [region, setRegion] = useState("");
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const [notice, setNotice] = useState<string | null>(null);
  const [openedAt, setOpenedAt] = useState(0);
  const [switched, setSwitched] = useState<LastRole | null>(null);
  const [credentials, setCredentials] = useState<{ role: number; roleId: string; region: string; hint: { roleLabel: string; accountName: string } } | null>(null);
  /** Enter (or Shift+Enter) pressed while the list was still loading: done once it is there,
   * so typing ahead "prod⏎" right after Ctrl+K works as it reads. */
  const pendingEnter = useRef<"console" | "credentials" | null>(null);
  const isMac = useSyncExternalStore(noSubscribe, isApplePlatform, () => false);
  // False in the server's HTML, true once this component is live and Ctrl/Cmd+K is listened for
  // (tests wait for it rather than for a fixed time).
  const live = useSyncExternalStore(noSubscribe, () => true, () => false);

  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const ids = useId();
  const panelId = `${ids}-panel`;
  const listboxId = `${ids}-listbox`;
  const rowId = (row: number) => `${ids}-row-${row}`;

  const data = state.status === "ready" ? state.data : null;
  const index = state.status === "ready" ? state.index : null;
  const usage = state.status === "ready" ? state.usage : null;

  // Per data load or pin change: the tie-break order and the browse list. Per keystroke: the
  // search, its rows and their offsets.
  const order = useMemo(() => (index && usage ? usageOrder(index, usage) : null), [index, usage]);
  const browse = useMemo(() => (index && usage ? browseRows(index, usage) : null), [index, usage]);
  const rows = useMemo(() => {
    if (!index || !order || !browse) return null;
    const result = searchMenu(index, query, order);
    return result ? resultRows(index, result) : browse;
  }, [index, order, browse, query]);
  const layout = useMemo(() => (rows ? layoutRows(rows.codes, HEADER_H, ROW_H) : null), [rows]);

  const activeRow = useMemo(() => {
    if (!rows) return -1;
    if (cursor.rows === rows) return cursor.row;
    if (cursor.query === query && cursor.role >= 0) {
      const row = rowOfRole(rows, cursor.role, cursor.group);
      if (row >= 0) return row;
    }
    return firstOption(rows);
  }, [rows, cursor, query]);
  const activeRole = rows && activeRow >= 0 ? rows.codes[activeRow]! : -1;

  /** The region a switch into role `r` uses: the footer's choice when it belongs to the role's
   * partition, else the role's default. */
  const regionFor = (r: number): string => {
    const role = data?.roles[r];
    if (!role) return region;
    const partition = data.accounts[role.a]?.partition ?? "aws";
    return region && partitionOfRegion(region) === partition ? region : role.region;
  };

  // ---- Opening and closing --------------------------------------------------------------------

  const openMenu = () => {
    setOpen(true);
    setQuery("");
    setCursor(NO_CURSOR);
    setRegion("");
    setNotice(null);
    setScrollTop(0);
    setViewport(listViewport());
    setOpenedAt(Date.now());
    pendingEnter.current = null;
    void load("open");
  };

  const closeMenu = (returnFocus: boolean) => {
    setOpen(false);
    pendingEnter.current = null;
    if (returnFocus) button.current?.focus();
  };

  // Ctrl+K / Cmd+K from anywhere, unless a modal dialog has the page.
  const onShortcut = useEffectEvent((e: globalThis.KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== "k") return;
    if (e.target instanceof Element && e.target.closest("dialog[open]")) return;
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    if (open) closeMenu(true);
    else openMenu();
  });
  useEffect(() => {
    const listener = (e: globalThis.KeyboardEvent) => onShortcut(e);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  // Prefetch when the browser is idle, so that the first Ctrl+K opens a full list.
  useEffect(() => {
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(() => void load("prefetch"), { timeout: 5000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = setTimeout(() => void load("prefetch"), 2000);
    return () => clearTimeout(id);
  }, [load]);

  // A click anywhere else closes the menu (focus goes where the click went).
  const onOutside = useEffectEvent((e: PointerEvent) => {
    if (!root.current?.contains(e.target as Node)) closeMenu(false);
  });
  const onResize = useEffectEvent(() => setViewport(listViewport()));
  useEffect(() => {
    if (!open) return;
    const down = (e: PointerEvent) => onOutside(e);
    const resize = () => onResize();
    document.addEventListener("pointerdown", down);
    window.addEventListener("resize", resize);
    return () => {
      document.removeEventListener("pointerdown", down);
      window.removeEventListener("resize", resize);
    };
  }, [open]);

  // ---- Moving the cursor ----------------------------------------------------------------------

  const listHeight = layout ? Math.min(totalHeight(layout), viewport) : 0;

  const moveTo = (row: number, reveal = true) => {
    if (!rows || !layout || row < 0) return;
    setCursor({ rows, row, role: rows.codes[row]!, group: rows.groups[row]!, query });
    const el = list.current;
    if (!reveal || !el) return;
    // A group's first role is revealed together with its header; any other row leaves room for
    // the sticky header above it.
    const first = rows.headerRow[row] === row - 1 ? row - 1 : row;
    // The scroll position as last reported by onScroll: reading el.scrollTop would force a layout.
    const top = scrollToReveal(layout, first, row, scrollTop, listHeight, first === row ? HEADER_H : 0);
    if (top !== null) {
      el.scrollTop = top;
      setScrollTop(top);
    }
  };

  const pageRows = Math.max(1, Math.floor(listHeight / ROW_H) - 1);

  // ---- Actions --------------------------------------------------------------------------------

  const rememberSwitch = (r: number) => {
    const role = data?.roles[r];
    if (!role || !usage) return;
    patchUsage(r, { lastUsedAt: new Date().toISOString(), uses: (usage[r]?.uses ?? 0) + 1 });
    setSwitched({ id: role.id, label: role.label, accountName: data.accounts[role.a]?.name ?? "", color: role.color });
  };

  const openConsole = (r: number) => {
    const role = data?.roles[r];
    if (!role) return;
    openInNewTab(switchUrl(role, regionFor(r)));
    rememberSwitch(r);
    closeMenu(true);
  };

  const getCredentials = (r: number) => {
    const role = data?.roles[r];
    if (!role) return;
    setCredentials({ role: r, roleId: role.id, region: regionFor(r), hint: { roleLabel: role.label, accountName: data.accounts[role.a]?.name ?? "" } });
    closeMenu(false);
  };

  const togglePin = async (r: number) => {
    const role = data?.roles[r];
    const current = usage?.[r];
    if (!role || !current) return;
    const pinned = !current.pinned;
    patchUsage(r, { pinned });
    setNotice(null);
    try {
      await requestJson(`/api/v1/me/pins/${encodeURIComponent(role.id)}`, { method: "PUT", body: { pinned } });
    } catch (err) {
      patchUsage(r, { pinned: !pinned });
      setNotice(`Could not ${pinned ? "pin" : "unpin"} ${role.label}: ${err instanceof ApiError ? err.message : "the console did not answer."}`);
    }
  };

  // ---- Keyboard -------------------------------------------------------------------------------

  const onInputKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (!rows) {
      if (e.key === "Enter") {
        e.preventDefault();
        pendingEnter.current = e.shiftKey ? "credentials" : "console";
      }
      return;
    }
    let handled = true;
    switch (e.key) {
      case "ArrowDown":
        moveTo(moveActive(rows, activeRow, 1));
        break;
      case "ArrowUp":
        moveTo(moveActive(rows, activeRow, -1));
        break;
      case "PageDown":
        moveTo(moveActive(rows, activeRow, pageRows));
        break;
      case "PageUp":
        moveTo(moveActive(rows, activeRow, -pageRows));
        break;
      case "Home":
        moveTo(firstOption(rows));
        break;
      case "End":
        moveTo(lastOption(rows));
        break;
      case "Enter":
        if (activeRole >= 0) {
          if (e.shiftKey) getCredentials(activeRole);
          else openConsole(activeRole);
        }
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const runPendingEnter = useEffectEvent(() => {
    const action = pendingEnter.current;
    pendingEnter.current = null;
    if (!action || activeRole < 0) return;
    if (action === "credentials") getCredentials(activeRole);
    else openConsole(activeRole);
  });
  useEffect(() => {
    if (rows) runPendingEnter();
  }, [rows]);

  const onPanelKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      closeMenu(true);
      return;
    }
    // Ctrl/Cmd+P (instead of printing) or Alt+P, by key position so Alt+P works on a Mac too.
    const p = e.code === "KeyP" || e.key.toLowerCase() === "p";
    if (p && !e.shiftKey && (((e.ctrlKey || e.metaKey) && !e.altKey) || (e.altKey && !e.ctrlKey && !e.metaKey))) {
      e.preventDefault();
      if (activeRole >= 0) void togglePin(activeRole);
    }
  };

  // ---- Rendering ------------------------------------------------------------------------------

  const fromData = useMemo(() => {
    if (!data?.lastRoleId) return null;
    const role = data.roles.find((r) => r.id === data.lastRoleId);
    return role ? { id: role.id, label: role.label, accountName: data.accounts[role.a]?.name ?? "", color: role.color } : null;
  }, [data]);
  const shownLast = switched ?? lastRole ?? fromData;
  const shortcut = isMac ? "⌘K" : "Ctrl K";

  return (
    <>
      <div
        ref={root}
        className="relative"
        onBlur={(e) => {
          // Tabbing out of the menu closes it; a click elsewhere is handled by onOutside, and
          // leaving the browser window (relatedTarget null) keeps it open.
          if (open && e.relatedTarget instanceof Node && !root.current?.contains(e.relatedTarget)) closeMenu(false);
        }}
      >
        <button
          ref={button}
          type="button"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          aria-keyshortcuts="Control+K Meta+K"
          aria-label={shownLast ? `Switch role (last used: ${shownLast.label} in ${shownLast.accountName})` : "Switch role"}
          onClick={() => (open ? closeMenu(true) : openMenu())}
          onPointerEnter={() => void load("prefetch")}
          onFocus={() => void load("prefetch")}
          className={`flex h-9 max-w-md items-center gap-2 rounded-md border px-3 text-sm font-medium text-white transition-colors ${open ? "border-indigo-400 bg-white/15" : "border-white/20 bg-white/5 hover:bg-white/10"}`}
          data-testid="switch-role-button"
          data-live={live || undefined}
        >
          <ArrowLeftRight className="h-4 w-4 shrink-0" aria-hidden />
          <span className="shrink-0">Switch role</span>
          {shownLast ? (
            <span className="hidden min-w-0 items-center gap-1.5 border-l border-white/20 pl-2 lg:flex" data-testid="switch-role-last">
              <span className="h-4 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(shownLast.color) }} aria-hidden />
              <span className="truncate">{shownLast.label}</span>
              <span className="truncate font-normal text-slate-400">{shownLast.accountName}</span>
            </span>
          ) : null}
          <kbd className="hidden shrink-0 rounded border border-white/20 px-1.5 font-sans text-[11px] font-normal text-slate-300 md:inline">{shortcut}</kbd>
        </button>

        {open ? (
          <div
            id={panelId}
            role="dialog"
            aria-label="Switch role"
            onKeyDown={onPanelKeyDown}
            className="absolute right-0 z-40 mt-2 w-[min(46rem,calc(100vw-2rem))] overflow-hidden rounded-lg border border-slate-200 bg-white text-slate-900 shadow-2xl ring-1 ring-slate-900/5"
            data-testid="switch-menu"
          >
            <div className="flex items-center gap-2 border-b border-slate-200 px-3">
              <Search className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
              <input
                role="combobox"
                aria-expanded={Boolean(rows && rows.options > 0)}
                aria-controls={listboxId}
                aria-autocomplete="list"
                aria-activedescendant={activeRow >= 0 ? rowId(activeRow) : undefined}
                aria-label="Search roles"
                aria-describedby={`${ids}-hints`}
                placeholder="Search accounts, ids, aliases, roles…"
                // The menu exists to be typed into, and opens only on a click or Ctrl+K.
                autoFocus
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  // Every new query starts at the top with its best match. (Only when scrolled:
                  // setting scrollTop forces a layout in the middle of the keystroke.)
                  if (scrollTop !== 0) {
                    if (list.current) list.current.scrollTop = 0;
                    setScrollTop(0);
                  }
                }}
                onKeyDown={onInputKeyDown}
                spellCheck={false}
                autoComplete="off"
                autoCapitalize="off"
                className="h-12 min-w-0 flex-1 bg-transparent text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none"
                data-testid="switch-menu-search"
              />
              {state.status === "loading" ? <Loader2 className="h-4 w-4 animate-spin text-slate-400" aria-hidden /> : null}
              <kbd className="rounded border border-slate-200 px-1.5 text-[11px] text-slate-500">Esc</kbd>
            </div>

            <MenuBody
              state={state}
              rows={rows}
              layout={layout}
              query={query}
              canManage={canManage}
              listRef={list}
              listboxId={listboxId}
              listHeight={listHeight}
              scrollTop={scrollTop}
              onScroll={setScrollTop}
              activeRow={activeRow}
              rowId={rowId}
              usage={usage}
              now={openedAt}
              onHover={(row) => row !== activeRow && moveTo(row, false)}
              onConsole={openConsole}
              onCredentials={getCredentials}
              onPin={(r) => void togglePin(r)}
              consoleHref={(r) => (data?.roles[r] ? switchUrl(data.roles[r], regionFor(r)) : "#")}
              onConsoleLink={(r) => {
                rememberSwitch(r);
                closeMenu(false);
              }}
              onRetry={() => void load("open")}
            />

            {notice || (state.status === "ready" && state.refreshError) ? (
              <p className="border-t border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" role="alert">
                {notice ?? `Showing the roles loaded earlier: ${state.status === "ready" ? state.refreshError?.message : ""}`}
              </p>
            ) : null}

            <Footer
              ids={ids}
              data={data}
              rows={rows}
              activeRole={activeRole}
              region={region}
              onRegion={setRegion}
              effectiveRegion={activeRole >= 0 ? regionFor(activeRole) : ""}
              isMac={isMac}
            />
          </div>
        ) : null}
      </div>

      {credentials ? (
        <CredentialsDialog
          roleId={credentials.roleId}
          region={credentials.region}
          hint={credentials.hint}
          onIssued={() => rememberSwitch(credentials.role)}
          onClose={() => {
            setCredentials(null);
            button.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

// ---- The list -----------------------------------------------------------------------------------

type BodyProps = {
  state: ReturnType<typeof useMenuData>["state"];
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
  rowId: (row: number) => string;
  usage: MenuRole[] | null;
  now: number;
  onHover: (row: number) => void;
  onConsole: (role: number) => void;
  onCredentials: (role: number) => void;
  onPin: (role: number) => void;
  consoleHref: (role: number) => string;
  onConsoleLink: (role: number) => void;
  onRetry: () => void;
};

function MenuBody(props: BodyProps) {
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
  if (state.data.roles.length === 0) {
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
  return <VirtualList {...props} rows={rows} layout={layout} data={state.data} />;
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
  rowId,
  usage,
  now,
  onHover,
  onConsole,
  onCredentials,
  onPin,
  consoleHref,
  onConsoleLink,
}: BodyProps & { rows: MenuRows; layout: Layout; data: MenuData }) {
  const [start, end] = visibleRange(layout, scrollTop, listHeight, OVERSCAN);

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

  return (
    <div className="relative">
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
          {runs.map((run, n) => (
            <div
              // By position in the window, not by group: a new query regroups the rows, and
              // keying by group would rebuild every row's DOM on each keystroke.
              key={n}
              role="group"
              aria-label={groupName(rows.codes[run.header]!, data)}
              style={{ position: "absolute", top: layout.offsets[run.from], left: 0, right: 0 }}
            >
              {Array.from({ length: run.to - run.from }, (_, k) => {
                const row = run.from + k;
                const code = rows.codes[row]!;
                if (isHeader(code)) return <GroupHeader key={row} code={code} data={data} />;
                return (
                  <RoleRow
                    key={row}
                    id={rowId(row)}
                    role={data.roles[code]!}
                    usage={usage?.[code] ?? data.roles[code]!}
                    account={data.accounts[data.roles[code]!.a]!}
                    group={rows.groups[row]!}
                    active={row === activeRow}
                    now={now}
                    onHover={() => onHover(row)}
                    onConsole={() => onConsole(code)}
                    onCredentials={() => onCredentials(code)}
                    onPin={() => onPin(code)}
                    consoleHref={consoleHref(code)}
                    onConsoleLink={() => onConsoleLink(code)}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
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
  const account = data.accounts[headerAccount(code)];
  if (!account) return "";
  return `${account.name}, ${ENVIRONMENT_BADGE[account.environment]?.label ?? account.environment}, account ${account.id}${account.alias ? `, alias ${account.alias}` : ""}`;
}

function GroupHeader({ code, data }: { code: number; data: MenuData }) {
  if (code === PINNED || code === RECENT) {
    return (
      <div className="flex items-center gap-2 border-b border-slate-100 bg-slate-50 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase" style={{ height: HEADER_H }} aria-hidden>
        {code === PINNED ? <Star className="h-3.5 w-3.5" aria-hidden /> : <Clock className="h-3.5 w-3.5" aria-hidden />}
        {code === PINNED ? "Pinned" : "Recent"}
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
      <span className="shrink-0 scale-90">
        <Badge tone={env.tone}>{env.label}</Badge>
      </span>
      <span className="shrink-0 font-mono text-slate-500 tabular-nums">{formatAccountId(account.id)}</span>
      {account.alias ? <span className="truncate text-slate-500">{account.alias}</span> : null}
    </div>
  );
}

function RoleRow({
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
  const label = `${role.label}${role.name !== role.label ? ` (${role.name})` : ""}, ${account.name} ${account.id}${usage.pinned ? ", pinned" : ""}${role.externalId ? ", sends an ExternalId" : ""}`;
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
          {role.externalId ? (
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

// ---- Footer -------------------------------------------------------------------------------------

function Footer({
  ids,
  data,
  rows,
  activeRole,
  region,
  onRegion,
  effectiveRegion,
  isMac,
}: {
  ids: string;
  data: MenuData | null;
  rows: MenuRows | null;
  activeRole: number;
  region: string;
  onRegion: (region: string) => void;
  effectiveRegion: string;
  isMac: boolean;
}) {
  // The region <select> appears when asked for: a select is a second "combobox" to assistive
  // technology (and to getByRole), which would compete with the search box it sits under.
  const [picking, setPicking] = useState(false);
  const openPicker = useRef(false);
  const role = data && activeRole >= 0 ? data.roles[activeRole] : undefined;
  const partition = role ? (data?.accounts[role.a]?.partition ?? "aws") : "aws";
  const regions = REGIONS[partition] ?? [];
  // What the next switch uses: the pick when it belongs to this role's partition, else the
  // role's own default.
  const value = role && region && effectiveRegion === region ? region : "";
  const groups = rows ? rows.codes.length - rows.options : 0;
  const count = rows ? `${rows.options.toLocaleString()} ${rows.options === 1 ? "role" : "roles"} in ${groups.toLocaleString()} ${groups === 1 ? "group" : "groups"}` : "";
  const mod = isMac ? "⌘" : "Ctrl";
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-600">
      {picking ? (
        <label className="flex items-center gap-2">
          <span className="font-medium text-slate-700">Region</span>
          <select
            ref={(el) => {
              // Opened straight away, once: the click that asked for it is still a user activation.
              if (el && openPicker.current) {
                openPicker.current = false;
                el.focus();
                try {
                  el.showPicker();
                } catch {
                  // older browsers: focused is enough
                }
              }
            }}
            value={value}
            onChange={(e) => onRegion(e.target.value)}
            disabled={!role}
            className="h-7 max-w-64 rounded-md border border-slate-300 bg-white px-1.5 text-xs text-slate-800 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none"
            data-testid="switch-menu-region"
          >
            <option value="">{role ? `Role default (${role.region})` : "Role default"}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} · {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <button
          type="button"
          disabled={!role}
          onClick={() => {
            openPicker.current = true;
            setPicking(true);
          }}
          className="flex h-7 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700 hover:bg-slate-100 disabled:text-slate-400"
          aria-label={`Region: ${effectiveRegion || "the role's default"}${value ? "" : " (role default)"}. Change`}
          data-testid="switch-menu-region-button"
        >
          <Globe className="h-3.5 w-3.5 text-slate-500" aria-hidden />
          <span className="font-medium">{effectiveRegion || "Region"}</span>
          {role && !value ? <span className="text-slate-400">default</span> : null}
          <ChevronDown className="h-3.5 w-3.5 text-slate-400" aria-hidden />
        </button>
      )}
      <span role="status" className="tabular-nums">
        {count}
      </span>
      <span id={`${ids}-hints`} className="ml-auto hidden items-center gap-3 sm:flex">
        <Hint keys="↵">Console</Hint>
        <Hint keys="⇧↵">Credentials</Hint>
        <Hint keys={`${mod} P`}>Pin</Hint>
        <Hint keys="↑↓">Move</Hint>
      </span>
    </div>
  );
}

function Hint({ keys, children }: { keys: string; children: ReactNode }) {
  return (
    <span className="flex items-center gap-1">
      <kbd className="rounded border border-slate-300 bg-white px-1 font-sans text-[11px] text-slate-600">{keys}</kbd>
      {children}
    </span>
  );
}
