"use client";

import { KeyRound, LogOut, Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { ThemeRadios } from "@/components/ui/theme-switch";
import { isActive, NavCount, type NavItem } from "./nav-links";
import { initials, signOutHere } from "./sign-out";
import type { UserMenuProps } from "./user-menu";

/** The header below lg: one button that opens the pages, the signed-in person (with their
 * tokens), the theme and Sign out as a sheet under the header. A disclosure
 * (https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/), not a menu: it holds links and a radio
 * group, and Tab moves through them as on any page. Escape, the button, or going to a page
 * closes it. */
export function PhoneMenu({ nav, user }: { nav: NavItem[]; user: UserMenuProps }) {
  const [open, setOpen] = useState(false);
  const [openedOn, setOpenedOn] = useState("");
  const pathname = usePathname();
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // A link followed from the sheet lands on another page: the sheet is closed there.
  const shown = open && openedOn === pathname;

  useEffect(() => {
    if (!shown) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onDown);
    };
  }, [shown]);

  return (
    <div ref={root}>
      <button
        ref={button}
        type="button"
        aria-expanded={shown}
        aria-controls={shown ? panelId : undefined}
        aria-label="Menu"
        onClick={() => {
          setOpenedOn(pathname);
          setOpen(!shown);
        }}
        className="flex h-9 w-9 items-center justify-center rounded-md border border-white/20 bg-white/5 text-white hover:bg-white/10"
        data-testid="phone-menu"
      >
        {shown ? <X className="h-5 w-5" aria-hidden /> : <Menu className="h-5 w-5" aria-hidden />}
      </button>
      {shown ? (
        <div id={panelId} className="fixed inset-x-0 top-14 bottom-0 z-40 overflow-y-auto border-t border-slate-200 bg-white text-slate-900 shadow-xl scheme-page">
          <div className="mx-auto max-w-7xl space-y-5 px-4 py-4 sm:px-6">
            <nav aria-label="Main">
              <ul className="space-y-1">
                {nav.map((item) => {
                  const active = isActive(pathname, item.href);
                  return (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        aria-current={active ? "page" : undefined}
                        className={`block rounded-md px-3 py-2.5 text-base font-medium ${active ? "bg-indigo-50 text-indigo-800" : "text-slate-800 hover:bg-slate-100"}`}
                      >
                        {item.label}
                        <NavCount count={item.count} tone="light" />
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
            <div className="flex items-center gap-3 border-t border-slate-200 pt-4">
              <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white" aria-hidden>
                {initials(user.name)}
              </span>
              <div className="min-w-0">
                <p className="truncate text-sm font-medium">{user.name}</p>
                <p className="truncate text-xs text-slate-600">{user.email}</p>
                <p className="text-xs text-slate-600">
                  Console role: <span className="font-medium">{user.roleLabel}</span>
                </p>
              </div>
            </div>
            {/* The person's own page, beside who they are; not in Main, which lists the console's pages. */}
            <Link
              href="/tokens"
              aria-current={isActive(pathname, "/tokens") ? "page" : undefined}
              className={`-mt-2 flex items-center gap-2 rounded-md px-3 py-2.5 text-sm font-medium ${isActive(pathname, "/tokens") ? "bg-indigo-50 text-indigo-800" : "text-slate-800 hover:bg-slate-100"}`}
            >
              <KeyRound className="h-4 w-4" aria-hidden />
              Command line &amp; tokens
            </Link>
            <ThemeRadios initial={user.theme} />
            <button
              type="button"
              onClick={signOutHere}
              className="flex w-full items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              <LogOut className="h-4 w-4" aria-hidden />
              Sign out
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
