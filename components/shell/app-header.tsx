import { Shuffle } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";
import { UserMenu, type UserMenuProps } from "./user-menu";

export function AppHeader({ nav, user, switchRole, sandbox }: { nav: NavItem[]; user: UserMenuProps; switchRole: ReactNode; sandbox: boolean }) {
  return (
    <header className="sticky top-0 z-30 bg-slate-900 text-white shadow">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="flex h-7 w-7 items-center justify-center rounded-md bg-indigo-500">
            <Shuffle className="h-4 w-4" aria-hidden />
          </span>
          Switchboard
        </Link>
        {sandbox ? (
          <span
            className="rounded border border-amber-300/60 bg-amber-400/15 px-2 py-0.5 text-xs font-medium text-amber-200"
            title="This console talks to the local sandbox, not real AWS"
            data-testid="sandbox-badge"
          >
            Sandbox
          </span>
        ) : null}
        <NavLinks items={nav} />
        <div className="ml-auto flex items-center gap-3">
          {switchRole}
          <UserMenu {...user} />
        </div>
      </div>
    </header>
  );
}
