"use client";

import { ArrowLeftRight, Loader2, Search, X } from "lucide-react";
import { Activity } from "react";
import { CredentialsDialog } from "@/components/credentials/credentials-dialog";
import { safeColor } from "./format";
import { MenuFooter } from "./menu-footer";
import { MenuList } from "./menu-list";
import { openedText, requestHref, useSwitchMenu, type LastRole } from "./use-switch-menu";

export type SwitchMenuProps = {
  /** The role this person switched into last, from the server layout (getLastRole). */
  lastRole: LastRole | null;
  /** Administrators: the empty state links to /roles. */
  canManage: boolean;
};

/** The Switch Role menu in the header: a button showing the last role used, and a searchable,
 * keyboard-first, virtualized list of every role this person may switch into (Ctrl/Cmd+K from
 * anywhere). Enter opens the AWS console in a new tab; Shift+Enter copies credentials. */
export function SwitchMenu({ lastRole, canManage }: SwitchMenuProps) {
  const menu = useSwitchMenu(lastRole);
  const { state, open, rows, activeRow, activeRole, shownLast, credentials, ids, rootRef, buttonRef, listRef, inputRef } = menu;
  const shortcut = menu.isMac ? "⌘K" : "Ctrl K";

  return (
    <>
      <div ref={rootRef} className="relative min-w-0" onBlur={(e) => menu.onRootBlur(e.relatedTarget)}>
        <button
          ref={buttonRef}
          type="button"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? ids.panel : undefined}
          aria-keyshortcuts="Control+K Meta+K"
          aria-label={shownLast ? `Switch role (last used: ${shownLast.label} in ${shownLast.accountName})` : "Switch role"}
          onClick={() => (open ? menu.closeMenu(true) : menu.openMenu())}
          onPointerEnter={() => void menu.load("prefetch")}
          onFocus={() => void menu.load("prefetch")}
          // Below xl an icon button (its name is the aria-label); the last role used shows only
          // where the header has room for it, and shrinks before anything else does.
          className={`flex h-9 w-9 min-w-0 max-w-md items-center overflow-hidden justify-center gap-2 rounded-md border text-sm font-medium text-white transition-colors xl:w-auto xl:justify-start xl:px-3 ${open ? "border-indigo-400 bg-white/15" : "border-white/20 bg-white/5 hover:bg-white/10"}`}
          data-testid="switch-role-button"
          data-live={menu.live || undefined}
        >
          <ArrowLeftRight className="h-4 w-4 shrink-0" aria-hidden />
          <span className="hidden shrink-0 xl:inline">Switch role</span>
          {shownLast ? (
            <span className="hidden min-w-0 items-center gap-1.5 border-l border-white/20 pl-2 xl:flex" data-testid="switch-role-last">
              <span className="h-4 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(shownLast.color) }} aria-hidden />
              <span className="truncate">{shownLast.label}</span>
              {/* The account gives way first: the role's name is what a person looks for. */}
              <span className="shrink-[10] truncate font-normal text-slate-300">{shownLast.accountName}</span>
            </span>
          ) : null}
          <kbd className="hidden shrink-0 rounded border border-white/20 px-1.5 font-sans text-[11px] font-normal text-slate-300 xl:inline">{shortcut}</kbd>
        </button>

        {/* Drawn before it is opened, hidden (display: none, out of the accessibility tree), while
            the page is idle once the roles have loaded: Ctrl+K then shows a list that exists
            instead of creating it (issue 13: open within 50 ms with 5,000 roles). */}
        <Activity mode={open ? "visible" : "hidden"}>
          <div
            id={ids.panel}
            role="dialog"
            aria-label="Switch role"
            onKeyDown={menu.onPanelKeyDown}
            // A full-screen sheet below lg (phones, tablets), a panel under the button above.
            className="fixed inset-0 z-40 flex flex-col overflow-y-auto bg-white text-slate-900 scheme-page lg:absolute lg:inset-auto lg:top-full lg:right-0 lg:mt-2 lg:block lg:w-[min(46rem,calc(100vw-2rem))] lg:overflow-hidden lg:rounded-lg lg:border lg:border-slate-200 lg:shadow-2xl lg:ring-1 lg:ring-slate-900/5"
            data-testid="switch-menu"
          >
            {/* Its size never depends on what is typed (contain: strict, a fixed height): a
                keystroke's layout stays inside it instead of running from the document down. */}
            <div className="flex shrink-0 items-center gap-2 border-b border-slate-200 px-3" style={{ height: 49, contain: "strict" }}>
              <Search className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
              <input
                role="combobox"
                aria-expanded={Boolean(rows && rows.options > 0)}
                aria-controls={ids.listbox}
                aria-autocomplete="list"
                aria-activedescendant={menu.activeId}
                aria-label="Search roles"
                aria-describedby={`${ids.base}-hints`}
                placeholder="Search accounts, ids, aliases, roles…"
                // The menu exists to be typed into, and opens only on a click or Ctrl+K: it takes
                // the focus as it shows (use-switch-menu.ts).
                ref={inputRef}
                value={menu.query}
                onChange={(e) => menu.changeQuery(e.target.value)}
                onKeyDown={menu.onInputKeyDown}
                spellCheck={false}
                autoComplete="off"
                autoCapitalize="off"
                className="h-12 min-w-0 flex-1 bg-transparent text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none"
                data-testid="switch-menu-search"
              />
              {state.status === "loading" ? <Loader2 className="h-4 w-4 animate-spin text-slate-400" aria-hidden /> : null}
              <kbd className="hidden rounded border border-slate-200 px-1.5 text-[11px] text-slate-500 lg:inline">Esc</kbd>
              {/* A sheet has nothing around it to tap: it closes here (or with Escape). */}
              <button type="button" onClick={() => menu.closeMenu(true)} className="-mr-1 rounded-md p-2 text-slate-600 hover:bg-slate-100 lg:hidden" aria-label="Close">
                <X className="h-5 w-5" aria-hidden />
              </button>
            </div>

            <MenuList
              state={state}
              rows={rows}
              layout={menu.layout}
              query={menu.query}
              canManage={canManage}
              listRef={listRef}
              listboxId={ids.listbox}
              listHeight={menu.listHeight}
              scrollTop={menu.scrollTop}
              onScroll={menu.setScrollTop}
              activeRow={activeRow}
              optionId={ids.option}
              usage={menu.usage}
              now={menu.openedAt}
              onHover={menu.hover}
              onConsole={menu.choose}
              onCredentials={menu.getCredentials}
              onPin={(r) => void menu.togglePin(r)}
              consoleHref={menu.consoleHref}
              onConsoleLink={(r) => menu.openConsole(r, false)}
              onRequest={menu.askFor}
              requestHref={requestHref}
              onRetry={() => void menu.load("open")}
            />

            {menu.opened?.blocked ? (
              // What the live region below announced, with the way out.
              <p className="border-t border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="switch-menu-blocked">
                {openedText(menu.opened)}{" "}
                <a href={menu.opened.href} target="_blank" rel="noopener" onClick={menu.openedByLink} className="font-medium underline">
                  Open {menu.opened.name}
                </a>
              </p>
            ) : null}

            {menu.notice || (state.status === "ready" && state.refreshError) ? (
              <p className="border-t border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" role="alert">
                {menu.notice ?? `Showing the roles loaded earlier: ${state.status === "ready" ? state.refreshError?.message : ""}`}
              </p>
            ) : null}

            <MenuFooter
              ids={ids.base}
              data={menu.data}
              rows={rows}
              activeRole={activeRole}
              region={menu.region}
              onRegion={menu.setRegion}
              effectiveRegion={activeRole >= 0 && !menu.activeRequestable ? menu.regionFor(activeRole) : ""}
              requesting={menu.activeRequestable ? (menu.activeRequestable.pending ? "requested" : "request") : null}
              isMac={menu.isMac}
            />
          </div>
        </Activity>

        {/* What the last Enter did, said politely: "Opened Production / ReadOnly in a new tab."
            Always in the page (a live region must exist before its text changes to be read out),
            shown under the button once the menu has closed; while the menu is open (a blocked
            tab) the panel shows it with the link instead. */}
        <p
          role="status"
          className={
            menu.opened && !open
              ? "absolute top-full right-0 z-40 mt-2 w-max max-w-[min(28rem,calc(100vw-2rem))] rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-800 shadow-lg scheme-page"
              : "sr-only"
          }
          data-testid="switch-menu-status"
        >
          {menu.opened ? openedText(menu.opened) : ""}
        </p>
      </div>

      {credentials ? (
        // The dialog is drawn in the top layer but inherits from here, inside the always-dark
        // header: it takes the page's theme back.
        <div className="contents scheme-page">
          <CredentialsDialog
            roleId={credentials.roleId}
            region={credentials.region}
            hint={credentials.hint}
            onIssued={() => menu.rememberSwitch(credentials.role)}
            onClose={menu.closeCredentials}
          />
        </div>
      ) : null}
    </>
  );
}
