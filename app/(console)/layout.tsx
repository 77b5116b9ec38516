import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import type { NavItem } from "@/components/shell/nav-links";
import { SwitchMenu } from "@/components/switch-menu/switch-menu";
import { parseTheme, THEME_COOKIE } from "@/components/ui/theme";
import { hasPermission } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/guard";
import type { Permission } from "@/lib/auth/permissions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { countWaitingForMe } from "@/lib/access/requests";
import { getLastRole } from "@/lib/catalog/menu";
import { getConfig } from "@/lib/config";

/** An item shows when the person has any one of its permissions. */
const NAV: Array<NavItem & { permission: Permission | readonly Permission[] }> = [
  { href: "/accounts", label: "Accounts", permission: "accounts.read" },
  { href: "/roles", label: "Roles", permission: "roles.read" },
  { href: "/grants", label: "Grants", permission: "grants.manage" },
  // Asking for access, and the approvals inbox (approvers are named per role, so anyone who can
  // switch may be one; administrators always may see every request).
  { href: "/requests", label: "Requests", permission: ["sessions.create", "grants.manage"] },
  // Operators see their own live sessions; administrators and auditors everyone's.
  { href: "/sessions", label: "Sessions", permission: ["sessions.create", "audit.read"] },
  { href: "/audit", label: "Audit", permission: "audit.read" },
  { href: "/users", label: "Users", permission: "users.manage" },
  { href: "/settings", label: "Settings", permission: "settings.read" },
];

// The shell only decides what to show; every page below authorizes its own request
// (layouts do not re-run on client navigation, so they cannot guard anything).
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  const lastRole = actor && hasPermission(actor, "sessions.create") ? await getLastRole(actor) : null;
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const waiting = actor ? await countWaitingForMe(actor) : 0;
  return (
    <div className="min-h-screen">
      {/* The first stop of the Tab key: past the header to the page (WCAG 2.4.1, https://www.w3.org/WAI/WCAG22/Techniques/general/G1). */}
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-4 py-2 text-sm font-medium text-indigo-700 shadow-lg focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      {actor ? (
        <AppHeader
          nav={NAV.filter((n) => [n.permission].flat().some((p) => hasPermission(actor, p))).map(({ href, label }) => ({ href, label, ...(href === "/requests" ? { count: waiting } : {}) }))}
          user={{ name: actor.name, email: actor.email, roleLabel: ROLE_LABELS[actor.role], theme }}
          switchRole={hasPermission(actor, "sessions.create") ? <SwitchMenu lastRole={lastRole} canManage={hasPermission(actor, "roles.manage")} /> : null}
          sandbox={Boolean(getConfig().aws.sandboxUrl)}
        />
      ) : null}
      {/* tabIndex -1: the skip link moves the focus here, so the next Tab starts in the page.
          isolate: the page paints as a unit of its own, so the open Switch Role menu repaints
          without the browser walking the whole page on every keystroke (npm run bench:menu). */}
      <main id="main" tabIndex={-1} className="isolate mx-auto max-w-7xl px-4 py-8 focus:outline-none sm:px-6">
        {children}
      </main>
    </div>
  );
}
