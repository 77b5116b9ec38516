// How the Active sessions view writes times: absolute in UTC (as the audit log does), and how far
// away in words. Pure, so the table can re-render them as the clock moves.

/** "2026-12-02 23:20 UTC" */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "in 43 min", "in 2 h 5 min", "in under a minute"; "expired" once past. */
export function untilText(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "in under a minute";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `in ${hours} h ${rest} min` : `in ${hours} h`;
}

/** "43 min ago", "2 h 5 min ago", "just now". */
export function agoText(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min ago` : `${hours} h ago`;
}
