"use client";

import { ChevronDown, LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { useEffect, useId, useRef, useState } from "react";
import { clearDrafts } from "@/components/wizard/draft";

export type UserMenuProps = { name: string; email: string; roleLabel: string };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

/** The signed-in person: name, console role, sign out. A menu button that closes on Escape and
 * on a click outside, and moves focus into the menu when opened from the keyboard. */
export function UserMenu({ name, email, roleLabel }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-white/10"
        data-testid="user-menu"
      >
        <span className="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-500 text-xs font-semibold text-white">{initials(name)}</span>
        <span className="hidden max-w-40 truncate md:inline">{name}</span>
        <ChevronDown className="h-4 w-4 opacity-70" aria-hidden />
      </button>
      {open ? (
        <div id={menuId} role="menu" className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-slate-200 bg-white py-1 text-slate-800 shadow-lg">
          <div className="border-b border-slate-100 px-4 py-3">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-slate-500">{email}</p>
            <p className="mt-1 text-xs text-slate-600">
              Console role: <span className="font-medium" data-testid="console-role">{roleLabel}</span>
            </p>
          </div>
          <button
            ref={first}
            type="button"
            role="menuitem"
            onClick={() => {
              // Wizard drafts can name accounts, roles and policies: not for the next person here.
              try {
                clearDrafts(window.localStorage);
              } catch {
                // storage unavailable: nothing was kept
              }
              void signOut({ callbackUrl: "/signin?signedOut=1" });
            }}
            className="flex w-full items-center gap-2 px-4 py-2 text-left text-sm hover:bg-slate-50 focus:bg-slate-50 focus:outline-none"
          >
            <LogOut className="h-4 w-4" aria-hidden />
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
