import { Shuffle } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";
import { PhoneMenu } from "./phone-menu";
import { UserMenu, type UserMenuProps } from "./user-menu";

/**
 * The header, dark in both themes (scheme-light keeps its light-theme palette: globals.css).
 * From lg up: the pages, Switch role and the user menu. Below lg it is compact, so that nothing
 * in it overflows down to 360 px: Switch role as an icon button and one Menu button for the
 * pages, the person, the theme and Sign out (PhoneMenu). Between lg and 2xl the person is their
 * initials and the links are tighter, so that eight links, Switch role with the last role used and
 * a count of waiting requests still fit at 1280 px; from 2xl the header is wider than the page's
 * content and shows the name.
 */
export function AppHeader({ nav, user, switchRole, sandbox }: { nav: NavItem[]; user: UserMenuProps; switchRole: ReactNode; sandbox: boolean }) {
  return (
    <header className="sticky top-0 z-30 bg-slate-900 text-white shadow scheme-light">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 sm:px-6 2xl:max-w-[96rem] 2xl:gap-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
          <span className="flex h-7 w-7 items-center justify-center rounded-md bg-indigo-500">
            <Shuffle className="h-4 w-4" aria-hidden />
          </span>
          Switchboard
        </Link>
        {sandbox ? (
          <span
            className="shrink-0 rounded border border-amber-300/60 bg-amber-400/15 px-2 py-0.5 text-xs font-medium text-amber-200"
            title="This console talks to the local sandbox, not real AWS"
            data-testid="sandbox-badge"
          >
            Sandbox
          </span>
        ) : null}
        <NavLinks items={nav} className="hidden lg:flex" />
        <div className="ml-auto flex min-w-0 items-center gap-2 xl:gap-3">
          {switchRole}
          <div className="hidden lg:block">
            <UserMenu {...user} />
          </div>
          <div className="lg:hidden">
            <PhoneMenu nav={nav} user={user} />
          </div>
        </div>
      </div>
    </header>
  );
}
