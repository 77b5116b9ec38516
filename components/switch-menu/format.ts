// Small presentation helpers for the menu, kept pure so they can be tested.
import type { MenuEnvironment } from "@/lib/catalog/menu-types";
import type { BadgeTone } from "@/components/ui/badge";

/** Production stands out in red, staging in amber: the colours people already read as
 * "careful". */
export const ENVIRONMENT_BADGE: Record<MenuEnvironment, { label: string; tone: BadgeTone }> = {
  production: { label: "Production", tone: "red" },
  staging: { label: "Staging", tone: "amber" },
  development: { label: "Development", tone: "sky" },
  test: { label: "Test", tone: "violet" },
  operations: { label: "Operations", tone: "indigo" },
  sandbox: { label: "Sandbox", tone: "emerald" },
  other: { label: "Other", tone: "slate" },
};

/** "1111 2222 3333": twelve digits are easier to compare in groups of four. */
export function formatAccountId(id: string): string {
  return /^\d{12}$/.test(id) ? `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)}` : id;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function timeAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days} d ago`;
  return new Date(then).toISOString().slice(0, 10);
}

/** A colour from the store for an inline style: only `#rgb`/`#rrggbb`, anything else grey, so
 * a stored value can never become arbitrary CSS. */
export function safeColor(color: string | null | undefined): string {
  return color && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : "#94a3b8";
}
