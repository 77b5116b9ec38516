"use client";

import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useId, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { ApiError, requestJson } from "@/components/api/client";
import type { MenuRequestable } from "@/lib/catalog/menu-types";
import { partitionOfRegion } from "@/lib/aws/partitions";
import { browseRows, firstOption, lastOption, moveActive, rowOfRole, rowsCache, type MenuRows } from "./rows";
import { openInNewTab, switchUrl } from "./open-console";
import { listenForSwitches, OPEN_SWITCH_MENU_EVENT } from "./events";
import { usageOrder } from "./search";
import { HEADER_H, ROW_H } from "./sizes";
import { useMenuData } from "./use-menu-data";
import { layoutRows, scrollToReveal, totalHeight } from "./virtual";

export type LastRole = { id: string; label: string; accountName: string; color: string };

/** The last console the menu opened, for its status line: in a new tab, or blocked by the
 * browser (then `href` is the link to open it by hand). */
export type Opened = { name: string; blocked: boolean; href: string };

/** Where a requestable entry's row leads: the request dialog for it on the Requests page (which
 * opens at once for ?ask=<id>), or, when a request of theirs is already waiting, that list. */
export const requestHref = (entry: MenuRequestable) => (entry.pending ? "/requests?tab=mine" : `/requests?ask=${encodeURIComponent(entry.id)}`);

/** The status line's sentence. */
export const openedText = (o: Opened) => (o.blocked ? `Your browser blocked the new tab for ${o.name}.` : `Opened ${o.name} in a new tab.`);

/** How long "Opened … in a new tab" stays under the button once the menu has closed. */
const OPENED_MS = 8_000;

/** The credentials dialog's subject: which role (by index and id), for which region. */
export type CredentialsRequest = { role: number; roleId: string; region: string; hint: { roleLabel: string; accountName: string } };

/** The cursor in the list. It remembers the role (and its group) as well as the row, so that
 * when the rows are rebuilt for the same query (a pin toggled, a background refresh) it stays
 * on the same role; a new query starts again at the top. */
type Cursor = { rows: MenuRows | null; row: number; role: number; group: number; query: string };
const NO_CURSOR: Cursor = { rows: null, row: -1, role: -1, group: 0, query: "" };

const noSubscribe = () => () => {};
const isApplePlatform = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** The list's height: as many rows as fit under the header with the search box and footer. */
function listViewport(): number {
  // Below lg the menu is a full-screen sheet (switch-menu.tsx): the list takes all of it but the
  // search box and the footer.
  if (window.innerWidth < 1024) return Math.max(176, window.innerHeight - 100);
  return Math.max(176, Math.min(496, window.innerHeight - 220));
}

/**
 * Everything the Switch Role menu knows and does, apart from drawing it: open or closed, the
 * query and its rows, the cursor, the region picked, the keyboard (Ctrl/Cmd+K from anywhere,
 * arrows, Enter, Shift+Enter, Ctrl/Cmd+P, Escape) and the actions (open the console, get
 * credentials, pin).
 */
export function useSwitchMenu(lastRole: LastRole | null) {
  const { state, load, patchUsage, invalidate } = useMenuData();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [cursor, setCursor] = useState<Cursor>(NO_CURSOR);
  /** The region picked in the footer; "" means each role's own default. */
  const [region, setRegion] = useState("");
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const [notice, setNotice] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [openedAt, setOpenedAt] = useState(0);
  const [switched, setSwitched] = useState<LastRole | null>(null);
  const [credentials, setCredentials] = useState<CredentialsRequest | null>(null);
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
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const panelId = `${ids}-panel`;
  const listboxId = `${ids}-listbox`;
  /** A role row's element id: by role and group, not by position, so that a row that stays in
   * view from one query to the next keeps its element (menu-list.tsx keys rows the same way). */
  const optionId = (group: number, role: number) => `${ids}-o${group}_${role}`;

  const data = state.status === "ready" ? state.data : null;
  const index = state.status === "ready" ? state.index : null;
  const usage = state.status === "ready" ? state.usage : null;

  // Per data load or pin change: the tie-break order and the browse list. Per keystroke: the
  // search, its rows and their offsets.
  const order = useMemo(() => (index && usage ? usageOrder(index, usage) : null), [index, usage]);
  const browse = useMemo(() => (index && usage ? browseRows(index, usage) : null), [index, usage]);
  const rowsFor = useMemo(() => (index && order && browse ? rowsCache(index, order, browse) : null), [index, order, browse]);
  const rows = useMemo(() => (rowsFor ? rowsFor(query) : null), [rowsFor, query]);
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

  /** The entry behind role index `r` when it is one the person may only ask for (issue 15 §2.1). */
  const requestableAt = (r: number): MenuRequestable | undefined => (data && index && r >= index.usable ? data.requestable?.[r - index.usable] : undefined);
  const activeRequestable = requestableAt(activeRole);
  const activeId = rows && activeRow >= 0 ? optionId(rows.groups[activeRow]!, activeRole) : undefined;

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
    setOpened(null);
    setScrollTop(0);
    setViewport(listViewport());
    setOpenedAt(Date.now());
    pendingEnter.current = null;
    void load("open");
  };

  const closeMenu = (returnFocus: boolean) => {
    setOpen(false);
    // The hidden panel goes back to what the next open shows (the whole list), while the page
    // is idle, rather than on the next Ctrl+K.
    setQuery("");
    setCursor(NO_CURSOR);
    setScrollTop(0);
    setOpened((o) => (o?.blocked ? null : o));
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

  // Opened from elsewhere on the page (the home page's "Switch into a role").
  const onOpenRequest = useEffectEvent(() => {
    if (!open) openMenu();
  });
  useEffect(() => {
    const listener = () => onOpenRequest();
    window.addEventListener(OPEN_SWITCH_MENU_EVENT, listener);
    return () => window.removeEventListener(OPEN_SWITCH_MENU_EVENT, listener);
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

  // The panel is drawn (hidden) before it opens (switch-menu.tsx), at the height it will have.
  useEffect(() => {
    const resize = () => setViewport(listViewport());
    resize();
    window.addEventListener("resize", resize);
    return () => window.removeEventListener("resize", resize);
  }, []);

  // The search box has the focus as the panel shows (it was drawn hidden, so autoFocus, which
  // acts when an element is created, would not do it).
  // The list starts at its top (a hidden element keeps no scroll position, but say so).
  useLayoutEffect(() => {
    if (!open) return;
    input.current?.focus();
    if (list.current && list.current.scrollTop !== 0) list.current.scrollTop = 0;
  }, [open]);

  // A click anywhere else closes the menu (focus goes where the click went).
  const onOutside = useEffectEvent((e: PointerEvent) => {
    if (!root.current?.contains(e.target as Node)) closeMenu(false);
  });
  useEffect(() => {
    if (!open) return;
    const down = (e: PointerEvent) => onOutside(e);
    document.addEventListener("pointerdown", down);
    return () => document.removeEventListener("pointerdown", down);
  }, [open]);

  /** Tabbing out of the menu closes it; a click elsewhere is handled by onOutside, and leaving
   * the browser window (relatedTarget null) keeps it open. */
  const onRootBlur = (relatedTarget: EventTarget | null) => {
    if (open && relatedTarget instanceof Node && !root.current?.contains(relatedTarget)) closeMenu(false);
  };

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

  /** The mouse makes the row under it (role `r` in `group`) active, without scrolling. */
  const hover = (r: number, group: number) => {
    if (!rows || (r === activeRole && rows.groups[activeRow] === group)) return;
    const row = rowOfRole(rows, r, group);
    if (row >= 0) moveTo(row, false);
  };

  const changeQuery = (value: string) => {
    setQuery(value);
    // A query typed again (after a backspace) gets its cached rows back; its cursor starts at the
    // top all the same, as for any new query.
    setCursor(NO_CURSOR);
    // Every new query starts at the top with its best match. (Only when scrolled: setting
    // scrollTop forces a layout in the middle of the keystroke.)
    if (scrollTop !== 0) {
      if (list.current) list.current.scrollTop = 0;
      setScrollTop(0);
    }
  };

  // ---- Actions --------------------------------------------------------------------------------

  const rememberSwitch = (r: number) => {
    const role = data?.roles[r];
    if (!role || !usage) return;
    patchUsage(r, { lastUsedAt: new Date().toISOString(), uses: (usage[r]?.uses ?? 0) + 1 });
    setSwitched({ id: role.id, label: role.label, accountName: data.accounts[role.a]?.name ?? "", color: role.color });
  };

  /** Enter, a click on a row or on its Console button. `returnFocus`: Enter gives the focus back
   * to the header's button; a pointer leaves it where it went. */
  const openConsole = (r: number, returnFocus = true) => {
    const role = data?.roles[r];
    if (!role) return;
    const name = `${data.accounts[role.a]?.name ?? ""} / ${role.label}`;
    const href = switchUrl(role, regionFor(r));
    // Remembered as a recent once the new tab's hand-off page says the switch worked (below): a
    // switch AWS refuses must not become the header's "last used" role.
    if (openInNewTab(href)) {
      setOpened({ name, blocked: false, href });
      closeMenu(returnFocus);
    } else {
      // Blocked (a pop-up blocker, or Enter typed ahead and run once the list arrived, after the
      // browser stopped counting it as the person's own action): the menu stays open with a link,
      // which the browser lets through since it is clicked. It leads to the switch's
      // confirmation page, which opens the console.
      setOpened({ name, blocked: true, href });
    }
  };

  /** The blocked tab's link was clicked: the browser opens it. */
  const openedByLink = () => {
    setOpened((o) => (o ? { ...o, blocked: false } : o));
    closeMenu(false);
  };

  // "Opened … in a new tab" fades once said; a blocked tab's link stays until the menu closes.
  useEffect(() => {
    if (!opened || opened.blocked) return;
    const timer = setTimeout(() => setOpened(null), OPENED_MS);
    return () => clearTimeout(timer);
  }, [opened]);

  // A switch that worked, announced by the hand-off page of its tab or by a credentials dialog
  // elsewhere on a page (components/switch-menu/events.ts).
  const onAnnouncedSwitch = useEffectEvent((announced: LastRole) => {
    const r = data ? data.roles.findIndex((role) => role.id === announced.id) : -1;
    if (r >= 0 && usage) patchUsage(r, { lastUsedAt: new Date().toISOString(), uses: (usage[r]?.uses ?? 0) + 1 });
    setSwitched(announced);
  });
  useEffect(() => listenForSwitches((role) => onAnnouncedSwitch(role)), []);

  const consoleHref = (r: number) => (data?.roles[r] ? switchUrl(data.roles[r], regionFor(r)) : "#");

  const getCredentials = (r: number) => {
    const role = data?.roles[r];
    if (!role) return;
    setCredentials({ role: r, roleId: role.id, region: regionFor(r), hint: { roleLabel: role.label, accountName: data.accounts[role.a]?.name ?? "" } });
    closeMenu(false);
  };

  const closeCredentials = () => {
    setCredentials(null);
    button.current?.focus();
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

  /** Enter or a click on a requestable entry: to the Requests page, in this tab (asking is a form
   * to fill in, not a console to keep beside this one). */
  const askFor = (r: number) => {
    const entry = requestableAt(r);
    if (!entry) return;
    invalidate();
    const href = requestHref(entry);
    // The Requests page reads ?ask= and ?tab= as it mounts: already there, a client-side
    // navigation would keep it as it is, so load it anew (the menu goes with the page).
    if (window.location.pathname === "/requests") {
      window.location.assign(href);
    } else {
      router.push(href);
      closeMenu(false);
    }
  };

  /** Enter (or a click) on any row: a usable role opens its console, a requestable one asks. */
  const choose = (r: number, returnFocus = true) => {
    if (requestableAt(r)) askFor(r);
    else openConsole(r, returnFocus);
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
          // A requestable entry has no credentials to get: Shift+Enter asks for it too.
          if (activeRequestable) askFor(activeRole);
          else if (e.shiftKey) getCredentials(activeRole);
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
    if (activeRequestable) {
      // Typed ahead onto an entry to ask for: the Requests page is loaded anew, and the menu goes
      // with the page it was on (nothing for this effect to set).
      window.location.assign(requestHref(activeRequestable));
      return;
    }
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

  // ---- What the header button shows -----------------------------------------------------------

  const fromData = useMemo(() => {
    if (!data?.lastRoleId) return null;
    const role = data.roles.find((r) => r.id === data.lastRoleId);
    return role ? { id: role.id, label: role.label, accountName: data.accounts[role.a]?.name ?? "", color: role.color } : null;
  }, [data]);
  const shownLast = switched ?? lastRole ?? fromData;

  return {
    state,
    load,
    data,
    usage,
    open,
    query,
    rows,
    layout,
    activeRow,
    activeRole,
    activeRequestable,
    region,
    setRegion,
    regionFor,
    scrollTop,
    setScrollTop,
    listHeight,
    notice,
    opened,
    openedAt,
    credentials,
    isMac,
    live,
    shownLast,
    rootRef: root,
    buttonRef: button,
    listRef: list,
    inputRef: input,
    activeId,
    ids: { base: ids, panel: panelId, listbox: listboxId, option: optionId },
    openMenu,
    closeMenu,
    onRootBlur,
    hover,
    changeQuery,
    openConsole,
    choose,
    askFor,
    openedByLink,
    consoleHref,
    getCredentials,
    closeCredentials,
    rememberSwitch,
    togglePin,
    onInputKeyDown,
    onPanelKeyDown,
  };
}

export type SwitchMenuModel = ReturnType<typeof useSwitchMenu>;
