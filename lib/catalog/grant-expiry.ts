// When a grant ends, as the console offers and shows it: the choices of the "Expires" field and
// the wording of an expiry ("Expires in 3 h", "Expired 2 d ago", "Access ends in 2 h"). Shared:
// the Grants page, the Roles page's Grants dialog, the Switch Role menu and "Your roles" read it.
// The store's check is lib/catalog/visibility.ts (`grantedTo`); the input's, schemas.ts.

export const EXPIRY_CHOICES = [
  { value: "never", label: "Never", ms: null },
  { value: "1h", label: "1 hour", ms: 3600_000 },
  { value: "8h", label: "8 hours", ms: 8 * 3600_000 },
  { value: "1d", label: "1 day", ms: 24 * 3600_000 },
  { value: "7d", label: "7 days", ms: 7 * 24 * 3600_000 },
  { value: "30d", label: "30 days", ms: 30 * 24 * 3600_000 },
  { value: "at", label: "A date and time…", ms: null },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

/** The expiry a choice means from `now`: an ISO time, null for never, or what to fix (a date and
 * time chosen but left empty or unreadable). `at` is a `datetime-local` value, in the browser's zone. */
export function expiryFromChoice(choice: ExpiryChoice, at: string, now = Date.now()): { expiresAt: string | null } | { error: string } {
  if (choice === "never") return { expiresAt: null };
  if (choice === "at") {
    const when = at ? new Date(at).getTime() : NaN;
    if (Number.isNaN(when)) return { error: "Choose the date and time the grant ends" };
    return { expiresAt: new Date(when).toISOString() };
  }
  const ms = EXPIRY_CHOICES.find((c) => c.value === choice)!.ms!;
  return { expiresAt: new Date(now + ms).toISOString() };
}

/** A span of time, short: "45 min", "3 h", "2 d" (rounded down, at least a minute). */
export function shortSpan(ms: number): string {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** How a grant's expiry reads at `now`: null when it has none. */
export function describeExpiry(expiresAt: string | null, now: number): { expired: boolean; text: string } | null {
  if (!expiresAt) return null;
  const left = Date.parse(expiresAt) - now;
  return left > 0 ? { expired: false, text: `Expires in ${shortSpan(left)}` } : { expired: true, text: `Expired ${shortSpan(left)} ago` };
}

/** Within this much of its end, a role whose access expires is marked in the menu and "Your roles". */
export const ENDING_SOON_MS = 24 * 3600_000;

/** "Access ends in 2 h" for access that ends within a day of `now`; null otherwise. */
export function accessEndsText(accessEndsAt: string | null | undefined, now: number): string | null {
  if (!accessEndsAt) return null;
  const left = Date.parse(accessEndsAt) - now;
  return left > 0 && left <= ENDING_SOON_MS ? `Access ends in ${shortSpan(left)}` : null;
}

/** An instant as the console writes it where server and browser must agree (a title): UTC, to the minute. */
export function utcMinuteText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
