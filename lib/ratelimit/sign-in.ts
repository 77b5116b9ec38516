import "server-only";
import type { RequestMeta } from "@/lib/http/request-meta";
import { consumeOrRefuse, formatDuration, opaqueKey, rateLimiters, retryAfterSeconds, type RateLimitSettings } from "./limiters";
import { refusal } from "./refuse";

// Password sign-in is limited twice, before any password hash (each one is a 32 MiB scrypt):
// - per client address: SWITCHBOARD_RATE_SIGNIN_IP attempts per window; a success gives its
//   point back, so people who type their password right are never limited by a busy NAT;
// - per account (the email as typed, whether or not such an account exists, so that a refusal
//   says nothing about which emails are registered): a progressive delay instead of a lock.
//   After SWITCHBOARD_SIGNIN_DELAY_AFTER failures in a row each next attempt must wait 1 s, 2 s,
//   4 s, … up to SWITCHBOARD_SIGNIN_MAX_DELAY_MINUTES. A wait ends by itself, so knowing
//   someone's email no longer lets anyone keep them out for good; a success or an administrator
//   clears the count. One attempt per account runs at a time (its "turn"), so parallel
//   requests cannot all slip in before the first failure is counted.
// OWASP ASVS 6.3.x / 2.2.1; https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#login-throttling

/** The account key of a sign-in: what signInWithPassword looks the user up by. */
export function normalizeSignInEmail(raw: string): string {
  return raw.trim().toLowerCase().slice(0, 320);
}

/** The bucket of a client address: IPv4 as is; IPv6 by its /64, since one client (a home or an
 * office network, a cloud VM) is usually given a whole /64 and could otherwise rotate through it.
 * Requests without an address share one bucket, "unknown". */
export function addressBucket(ip: string | undefined): string {
  if (!ip) return "unknown";
  const address = ip.trim().toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16).toString(16) : g))
    .join(":")}::/64`;
}

const addressKey = (ip: string | undefined) => opaqueKey(`ip:${addressBucket(ip)}`);
const accountKey = (email: string) => opaqueKey(`email:${normalizeSignInEmail(email)}`);

/** How long the next attempt must wait after `failures` failed sign-ins in a row: nothing before
 * signInDelayAfter of them, then 1 s, 2 s, 4 s, … capped at signInMaxDelaySeconds. */
export function signInWaitSeconds(failures: number, settings: Pick<RateLimitSettings, "signInDelayAfter" | "signInMaxDelaySeconds">): number {
  if (failures < settings.signInDelayAfter) return 0;
  return Math.min(2 ** Math.min(failures - settings.signInDelayAfter, 30), settings.signInMaxDelaySeconds);
}

function addressRefusal(settings: RateLimitSettings, wait: number, email: string, meta: RequestMeta) {
  const { points, seconds } = settings.signInPerIp;
  return refusal(`Too many sign-in attempts from your network address (more than ${points} in ${formatDuration(seconds)}); wait ${formatDuration(wait)} and try again.`, wait, {
    action: "auth.sign_in",
    outcome: "denied",
    actorEmail: email,
    reason: `Rate limited: more than ${points} sign-in attempts from this address in ${formatDuration(seconds)}`,
    request: meta,
    details: { method: "password", limit: "address", retryAfter: wait },
  });
}

// Word for word the same whether or not the account exists.
function accountRefusal(wait: number, email: string, meta: RequestMeta) {
  return refusal(`Too many sign-in attempts for this account; wait ${formatDuration(wait)} and try again.`, wait, {
    action: "auth.sign_in",
    outcome: "denied",
    actorEmail: email,
    reason: "Rate limited: this account's sign-ins are delayed after repeated failures (or another attempt is under way)",
    request: meta,
    details: { method: "password", limit: "account", retryAfter: wait },
  });
}

/** Read-only: throws the refusal an attempt would get now, without spending anything. The sign-in
 * route uses it to answer 429 before next-auth runs; admitSignIn still decides. */
export async function checkSignIn(emailInput: string, meta: RequestMeta): Promise<void> {
  const email = normalizeSignInEmail(emailInput);
  const limiters = await rateLimiters();
  const address = await limiters.signInIp.get(addressKey(meta.ip));
  if (address && address.msBeforeNext > 0 && address.consumedPoints >= limiters.settings.signInPerIp.points) {
    throw await addressRefusal(limiters.settings, retryAfterSeconds(address), email, meta);
  }
  if (!email) return;
  const turn = await limiters.signInTurn.get(accountKey(email));
  if (turn && turn.msBeforeNext > 0 && turn.consumedPoints >= 1) throw await accountRefusal(retryAfterSeconds(turn), email, meta);
}

/** Before the password is checked: spends one attempt of the address's budget, then takes the
 * account's turn (refused while it waits after failures, or while another attempt runs). Throws
 * `rate_limited` (audited). The attempt must end with signInFailed, signInSucceeded or
 * releaseSignInTurn. */
export async function admitSignIn(emailInput: string, meta: RequestMeta): Promise<void> {
  const email = normalizeSignInEmail(emailInput);
  const limiters = await rateLimiters();
  const address = await consumeOrRefuse(limiters.signInIp, addressKey(meta.ip));
  if (address) throw await addressRefusal(limiters.settings, retryAfterSeconds(address), email, meta);
  // Held for SIGN_IN_TURN_SECONDS (limiters.ts) at most; the outcome releases it or turns it into the wait.
  const turn = await consumeOrRefuse(limiters.signInTurn, accountKey(email));
  if (turn) throw await accountRefusal(retryAfterSeconds(turn), email, meta);
}

/** A wrong password (or an unknown email): counts the failure and, past signInDelayAfter, makes
 * the account wait before its next attempt. Returns the wait in seconds (0: none). */
export async function signInFailed(emailInput: string): Promise<number> {
  const key = accountKey(emailInput);
  const limiters = await rateLimiters();
  const failures = await limiters.signInFailures.penalty(key, 1);
  const wait = signInWaitSeconds(failures.consumedPoints, limiters.settings);
  if (wait > 0) await limiters.signInTurn.block(key, wait);
  else await limiters.signInTurn.delete(key);
  return wait;
}

/** The right password: the account's count starts again, and the attempt's point goes back to
 * the address. */
export async function signInSucceeded(emailInput: string, meta: RequestMeta): Promise<void> {
  const key = accountKey(emailInput);
  const limiters = await rateLimiters();
  await Promise.all([limiters.signInFailures.delete(key), limiters.signInTurn.delete(key), limiters.signInIp.reward(addressKey(meta.ip), 1)]);
}

/** An attempt that ended without an answer (an error): gives the account's turn back. */
export async function releaseSignInTurn(emailInput: string): Promise<void> {
  const limiters = await rateLimiters();
  await limiters.signInTurn.delete(accountKey(emailInput));
}

export type SignInDelay = { failures: number; delayedUntil: string | null };

/** For administrators: failed sign-ins in a row on this email, and until when its next attempt
 * must wait (null when it need not). */
export async function signInDelay(emailInput: string): Promise<SignInDelay> {
  const key = accountKey(emailInput);
  const limiters = await rateLimiters();
  const [failures, turn] = await Promise.all([limiters.signInFailures.get(key), limiters.signInTurn.get(key)]);
  const count = failures && failures.msBeforeNext > 0 ? failures.consumedPoints : 0;
  // Blocked (2 points), not merely an attempt under way (1 point).
  const wait = count >= limiters.settings.signInDelayAfter && turn && turn.consumedPoints > 1 ? turn.msBeforeNext : 0;
  return { failures: count, delayedUntil: wait > 0 ? new Date(Date.now() + wait).toISOString() : null };
}

/** An administrator lifts the delay: the count and any wait are gone. */
export async function clearSignInDelay(emailInput: string): Promise<void> {
  const key = accountKey(emailInput);
  const limiters = await rateLimiters();
  await Promise.all([limiters.signInFailures.delete(key), limiters.signInTurn.delete(key)]);
}
