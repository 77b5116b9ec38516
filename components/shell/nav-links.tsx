"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavItem = {
  href: string;
  label: string;
  /** Left out of the header below the sm breakpoint: the header has no phone menu yet and
   * already overflows at phone width, so a newer link must not widen it further. */
  hideOnPhones?: boolean;
};

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`${item.hideOnPhones ? "hidden sm:block" : ""} rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
              active ? "bg-white/15 text-white" : "text-slate-300 hover:bg-white/10 hover:text-white"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
