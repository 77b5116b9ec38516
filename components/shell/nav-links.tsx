"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** `count`: how many things wait for the person there (the approvals inbox); shown beside the label. */
export type NavItem = { href: string; label: string; count?: number };

/** The count beside a link, with words for screen readers ("3 waiting for you"). */
export function NavCount({ count, tone = "dark" }: { count?: number; tone?: "dark" | "light" }) {
  if (!count) return null;
  return (
    <span
      data-testid="nav-count"
      className={`ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full px-1.5 text-xs font-semibold ${tone === "dark" ? "bg-amber-400 text-slate-900" : "bg-amber-100 text-amber-900"}`}
    >
      {count > 99 ? "99+" : count}
      <span className="sr-only"> waiting for you</span>
    </span>
  );
}

export const isActive = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** The header's links, from lg up (below, they are in PhoneMenu). */
export function NavLinks({ items, className = "" }: { items: NavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={`items-center gap-1 ${className}`}>
      {items.map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`shrink-0 rounded-md px-2.5 py-1.5 2xl:px-3 text-sm font-medium transition-colors ${active ? "bg-white/15 text-white" : "text-slate-300 hover:bg-white/10 hover:text-white"}`}
          >
            {item.label}
            <NavCount count={item.count} />
          </Link>
        );
      })}
    </nav>
  );
}
