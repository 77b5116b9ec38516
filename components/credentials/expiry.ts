// The credentials' remaining lifetime, as the dialog counts it down.

export type Remaining = { expired: boolean; text: string; /** Under five minutes left. */ soon: boolean };

const SOON_MS = 5 * 60_000;

/** "59:32", "1:02:03" (hours when there are any), or expired. Rounds down, so the display
 * never claims a second the credentials do not have. */
export function remaining(expiresAt: string, now: number): Remaining {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return { expired: false, text: "unknown", soon: false };
  const ms = end - now;
  if (ms <= 0) return { expired: true, text: "expired", soon: true };
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return { expired: false, text: h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`, soon: ms < SOON_MS };
}
