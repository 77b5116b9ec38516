import "server-only";
// AWS credentials this console issued, kept in this process's memory so that a repeat switch by
// the same person into the same role entry does not call AssumeRole again: a console switch then
// makes one AWS call (getSigninToken, whose token is single-use), a credentials request none.
//
// What keeps it safe:
// - In memory only, in this process: never written to disk or the store, never logged.
// - Per person and role entry (and requested duration): one person's entry is never read for
//   another, even when both are granted the entry through the same group.
// - The grant is checked on every request before the cache is read (the caller does that:
//   lib/sessions/start-session.ts). What that check reads from the store also versions the
//   entry — the console session (sign-out and disabling end it), the grants that give access,
//   the entry's own settings, and the latest revocation covering the person in the role — so a
//   change made through any instance on a shared Postgres is honoured by every instance on its
//   very next request, without a timer. An entry whose version no longer matches is dropped.
// - Served only while it has at least 5 minutes left (15 for a console sign-in that cannot set
//   its own length), and never past the end of the person's console session.
// - Concurrent requests for the same key share one AssumeRole (single-flight).
// - SWITCHBOARD_CREDENTIAL_CACHE=false turns it off.
import { LRUCache } from "lru-cache";
import type { AssumedSession } from "./assume";

/** AWS's own credential providers refresh 5 minutes before expiry; an entry stops being served
 * then, so that whoever receives it has time to use it. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** An upper bound on memory: entries are small (a few hundred bytes); the least recently used
 * goes first. */
const MAX_ENTRIES = 10_000;

export type CacheSlot = {
  userId: string;
  roleId: string;
  /** The DurationSeconds the person asked for; undefined: the entry's default. */
  requestedSeconds: number | undefined;
};

export type CacheRules = {
  /** What the per-request check read from the store (see the header). */
  version: string;
  /** Sessions issued before this time (epoch ms) are revoked for this person in this role. */
  revokedBefore: number | null;
  /** The entry must have at least this much left (ms). */
  minRemainingMs: number;
  /** No credentials may outlive the person's console session (epoch ms). */
  notAfter: number;
};

type Entry = { version: string; session: AssumedSession; requestedAt: number; expiresAt: number };

export type CacheOutcome = {
  session: AssumedSession;
  /** "hit": served from memory; "shared": joined another request's AssumeRole in flight;
   * "miss": this request called AssumeRole. */
  source: "hit" | "shared" | "miss";
};

export class CredentialCache {
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_ENTRIES, ttlAutopurge: false });
  private readonly inflight = new Map<string, Promise<AssumedSession>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The session for `slot`, from memory when `rules` allow it, else from `assume()` (shared by
   * concurrent callers with the same slot and version). A failed AssumeRole is never cached. */
  async get(slot: CacheSlot, rules: CacheRules, assume: () => Promise<AssumedSession>): Promise<CacheOutcome> {
    const key = slotKey(slot);
    const entry = this.entries.get(key);
    if (entry) {
      if (this.usable(entry, rules)) return { session: entry.session, source: "hit" };
      this.entries.delete(key);
    }
    const flightKey = `${key}\u0000${rules.version}`;
    const pending = this.inflight.get(flightKey);
    if (pending) return { session: await pending, source: "shared" };

    const requestedAt = this.now();
    const flight = assume()
      .then((session) => {
        const expiresAt = Date.parse(session.credentials.expiration);
        const ttl = expiresAt - REFRESH_MARGIN_MS - this.now();
        if (Number.isFinite(ttl) && ttl > 0) this.entries.set(key, { version: rules.version, session, requestedAt, expiresAt }, { ttl });
        return session;
      })
      .finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, flight);
    return { session: await flight, source: "miss" };
  }

  private usable(entry: Entry, rules: CacheRules): boolean {
    if (entry.version !== rules.version) return false;
    // Requested before the revocation's time: the deny covers it (the time is whole seconds,
    // rounded up, so a session requested in the same second is covered too).
    if (rules.revokedBefore !== null && entry.requestedAt < rules.revokedBefore) return false;
    if (entry.expiresAt - this.now() < Math.max(rules.minRemainingMs, REFRESH_MARGIN_MS)) return false;
    return entry.expiresAt <= rules.notAfter;
  }

  /** Drops every entry of one person (signed out, disabled, sessions revoked). */
  forgetPerson(userId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${userId}\u0000`)) this.entries.delete(key);
  }

  /** Drops every entry of one role entry (changed, deleted, everyone's sessions revoked), or one
   * person's in it. */
  forgetRole(roleId: string, userId?: string): void {
    for (const key of this.entries.keys()) {
      const [user, role] = key.split("\u0000");
      if (role === roleId && (userId === undefined || user === userId)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function slotKey(slot: CacheSlot): string {
  return `${slot.userId}\u0000${slot.roleId}\u0000${slot.requestedSeconds ?? ""}`;
}

/** The console's one cache. On globalThis so that Next.js's separately bundled route handlers
 * and server actions in one process share it. */
const holder = globalThis as typeof globalThis & { __switchboardCredentialCache?: CredentialCache };
export function credentialCache(): CredentialCache {
  return (holder.__switchboardCredentialCache ??= new CredentialCache());
}
