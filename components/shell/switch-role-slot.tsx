"use client";

import { ArrowLeftRight } from "lucide-react";
import { useEffect, useRef, useState } from "react";

/** Where the Switch Role menu lives. Until roles are registered and granted it explains how to
 * get some; the menu itself replaces this slot. */
export function SwitchRoleSlot({ canManage }: { canManage: boolean }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
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
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-md border border-white/20 bg-white/5 px-3 py-1.5 text-sm font-medium text-white hover:bg-white/10"
      >
        <ArrowLeftRight className="h-4 w-4" aria-hidden />
        Switch role
      </button>
      {open ? (
        <div role="dialog" aria-label="Switch role" className="absolute right-0 z-40 mt-2 w-80 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-lg">
          <p className="font-medium text-slate-900">No roles to switch into yet</p>
          <p className="mt-1">
            {canManage
              ? "Register your AWS accounts and their roles, then grant roles to people; they appear here for everyone they are granted to."
              : "An administrator has not granted you any roles yet. Ask them to grant you the roles you need; they will appear here."}
          </p>
        </div>
      ) : null}
    </div>
  );
}
