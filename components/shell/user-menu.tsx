"use client";

import { ChevronDown, KeyRound, LogOut } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ThemeChoice } from "@/components/ui/theme";
import { ThemeMenuItems } from "@/components/ui/theme-switch";
import { initials, signOutHere } from "./sign-out";

export type UserMenuProps = { name: string; email: string; roleLabel: string; theme: ThemeChoice };

const ITEM = "flex w-full items-center gap-2 px-4 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none";

/** The signed-in person (from lg up): name, console role, theme, their tokens, sign out. A menu
 * button as the WAI-ARIA menu pattern has it (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/):
 * the first item takes the focus, arrows, Home and End move, Escape and Tab close. */
export function UserMenu({ name, email, roleLabel, theme }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: (at + 1) % all.length, ArrowUp: (at - 1 + all.length) % all.length, Home: 0, End: all.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      all[to]?.focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-white/10"
        data-testid="user-menu"
      >
        <span className="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-500 text-xs font-semibold text-white">{initials(name)}</span>
        <span className="hidden max-w-40 truncate 2xl:inline">{name}</span>
        <span className="sr-only 2xl:hidden">{name}</span>
        <ChevronDown className="h-4 w-4 opacity-70" aria-hidden />
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={name}
          onKeyDown={onKeyDown}
          className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-slate-200 bg-white py-1 text-slate-800 shadow-lg scheme-page"
        >
          <div className="border-b border-slate-100 px-4 py-3">
            <p className="truncate text-sm font-medium text-slate-900">{name}</p>
            <p className="truncate text-xs text-slate-600">{email}</p>
            <p className="mt-1 text-xs text-slate-600">
              Console role: <span className="font-medium" data-testid="console-role">{roleLabel}</span>
            </p>
          </div>
          <ThemeMenuItems initial={theme} itemClass={ITEM} />
          <div role="separator" className="my-1 border-t border-slate-100" />
          {/* After the theme: the first item (which takes the focus on opening) stays System. */}
          <Link href="/tokens" role="menuitem" tabIndex={-1} onClick={() => setOpen(false)} className={ITEM}>
            <KeyRound className="h-4 w-4" aria-hidden />
            Command line &amp; tokens
          </Link>
          <button type="button" role="menuitem" tabIndex={-1} onClick={signOutHere} className={ITEM}>
            <LogOut className="h-4 w-4" aria-hidden />
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
