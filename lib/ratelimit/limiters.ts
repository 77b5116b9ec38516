import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig, type Config } from "@/lib/config";
import { logger } from "@/lib/log";

// The console's rate limiters (rate-limiter-flexible), built once per process on first use.
// With SQLite the console is one process, so memory is the store. With Postgres several
// instances may run side by side: the counters live in one table of the console's database, so
// they share one budget (AWS's STS quota is per account, not per instance).

/** The table every limiter writes to (created by the library on first use: key, points, expire). */
export const RATE_LIMIT_TABLE = "switchboard_rate_limits";

// A handful of connections: each check is one small upsert.
const POOL_SIZE = 4;

/** How long one sign-in attempt may hold its account's turn: longer than any password check takes.
 * Released as soon as the attempt ends; this only matters if the process dies mid-attempt. */
export const SIGN_IN_TURN_SECONDS = 10;
/** Failed sign-ins in a row are remembered this long after the first of them. */
export const SIGN_IN_FAILURE_MEMORY_SECONDS = 24 * 3600;
/** The wizard's Review checks per person (lib/ratelimit/provisioning-checks.ts): each is one
 * GetRole and one GetPolicy per managed policy, so a script planning in a loop would spend the
 * account's IAM request rate for everyone. A person at the Review step plans again only when
 * they change something there, far below this. */
export const PROVISIONING_CHECKS = { points: 60, seconds: 60 } as const;

/** The command line's device sign-in (lib/device/, lib/ratelimit/device.ts): sign-ins started
 * per client address, and user codes that match no request, per person and per address. */
export const DEVICE_STARTS_PER_IP = { points: 30, seconds: 600 } as const;
export const DEVICE_GUESSES_PER_PERSON = { points: 10, seconds: 600 } as const;
export const DEVICE_GUESSES_PER_IP = { points: 30, seconds: 600 } as const;

export type RateLimitSettings = Config["rateLimits"];

export type RateLimiters = {
  settings: RateLimitSettings;
  /** Switches per person (key: user id). */
  switch: RateLimiterAbstract;
  /** STS calls by the whole console (one key). */
  sts: RateLimiterAbstract;
  /** Sign-in attempts per client address. */
  signInIp: RateLimiterAbstract;
  /** Failed sign-ins in a row per account. */
  signInFailures: RateLimiterAbstract;
  /** Per account: held (1 point) while an attempt runs, blocked for the wait after a failure. */
  signInTurn: RateLimiterAbstract;
  /** The wizard's Review checks against the account, per person (key: user id). */
  provisioningChecks: RateLimiterAbstract;
  /** Device sign-ins started per client address. */
  deviceStarts: RateLimiterAbstract;
  /** Wrong device sign-in codes per person (rewarded when a code finds its request). */
  deviceGuessesPerson: RateLimiterAbstract;
  /** Wrong device sign-in codes per client address (rewarded likewise). */
  deviceGuessesIp: RateLimiterAbstract;
  close(): Promise<void>;
};

export type RateLimitStore = { kind: "memory" } | { kind: "postgres"; url: string; table?: string };

type Spec = { keyPrefix: string; points: number; duration: number; memoryBlock?: boolean };

function specs(settings: RateLimitSettings, namespace: string): Record<Exclude<keyof RateLimiters, "settings" | "close">, Spec> {
  return {
    // Over budget, a store-backed limiter refuses from memory until the window ends, so a flood
    // costs no database round trips (memoryBlock); not for limiters that are rewarded or cleared.
    switch: { keyPrefix: `${namespace}switch`, points: settings.switch.points, duration: settings.switch.seconds, memoryBlock: true },
    sts: { keyPrefix: `${namespace}sts`, points: settings.sts.points, duration: settings.sts.seconds, memoryBlock: true },
    signInIp: { keyPrefix: `${namespace}signin_ip`, points: settings.signInPerIp.points, duration: settings.signInPerIp.seconds },
    // Never refuses by itself: its count decides the wait.
    signInFailures: { keyPrefix: `${namespace}signin_fail`, points: 1_000_000, duration: SIGN_IN_FAILURE_MEMORY_SECONDS },
    signInTurn: { keyPrefix: `${namespace}signin_turn`, points: 1, duration: SIGN_IN_TURN_SECONDS },
    provisioningChecks: { keyPrefix: `${namespace}provisioning_checks`, points: PROVISIONING_CHECKS.points, duration: PROVISIONING_CHECKS.seconds, memoryBlock: true },
    deviceStarts: { keyPrefix: `${namespace}device_start_ip`, points: DEVICE_STARTS_PER_IP.points, duration: DEVICE_STARTS_PER_IP.seconds },
    deviceGuessesPerson: { keyPrefix: `${namespace}device_code_person`, points: DEVICE_GUESSES_PER_PERSON.points, duration: DEVICE_GUESSES_PER_PERSON.seconds },
    deviceGuessesIp: { keyPrefix: `${namespace}device_code_ip`, points: DEVICE_GUESSES_PER_IP.points, duration: DEVICE_GUESSES_PER_IP.seconds },
  };
}

function createPostgresLimiter(pool: pg.Pool, table: string, spec: Spec): Promise<RateLimiterPostgres> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: "pool",
        tableName: table,
        keyPrefix: spec.keyPrefix,
        points: spec.points,
        duration: spec.duration,
        ...(spec.memoryBlock ? { inMemoryBlockOnConsumed: spec.points } : {}),
        // If the database cannot be reached, each instance keeps counting on its own rather than
        // refusing everyone (or no one).
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.duration }),
      },
      // Called once the table exists (CREATE TABLE IF NOT EXISTS).
      (err?: Error) => (err ? reject(err) : resolve(limiter)),
    );
  });
}

/** Builds a set of limiters on the given store. `namespace` prefixes every key (tests use it to
 * keep runs apart). */
export async function createRateLimiters(settings: RateLimitSettings, store: RateLimitStore, namespace = ""): Promise<RateLimiters> {
  const all = specs(settings, namespace);
  if (store.kind === "memory") {
    const built: Partial<Record<keyof typeof all, RateLimiterAbstract>> = {};
    for (const name of Object.keys(all) as (keyof typeof all)[]) built[name] = new RateLimiterMemory({ keyPrefix: all[name].keyPrefix, points: all[name].points, duration: all[name].duration });
    return { settings, ...(built as Record<keyof typeof all, RateLimiterAbstract>), close: async () => {} };
  }
  const pool = new pg.Pool({ connectionString: store.url, max: POOL_SIZE });
  // An idle connection the server drops emits "error" on the pool; unhandled, it would end the
  // process. The pool replaces the connection by itself.
  pool.on("error", (err) => logger.error({ err, operation: "ratelimit" }, "an idle Postgres connection failed"));
  const table = store.table ?? RATE_LIMIT_TABLE;
  try {
    // One after the other: concurrent CREATE TABLE IF NOT EXISTS can collide in Postgres.
    const built: Partial<Record<keyof typeof all, RateLimiterAbstract>> = {};
    for (const name of Object.keys(all) as (keyof typeof all)[]) built[name] = await createPostgresLimiter(pool, table, all[name]);
    return { settings, ...(built as Record<keyof typeof all, RateLimiterAbstract>), close: () => pool.end() };
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}

type Holder = { limiters?: Promise<RateLimiters> };

// On globalThis, like the store client: Next.js dev re-evaluates modules on every edit, and each
// evaluation would otherwise start counting from zero (and open another pool).
const holder: Holder = ((globalThis as { __switchboardRateLimits?: Holder }).__switchboardRateLimits ??= {});

/** The process-wide limiters, from the configuration: Postgres when the console's store is
 * Postgres, memory otherwise. After a failure to build them the next call tries again. */
export function rateLimiters(): Promise<RateLimiters> {
  if (!holder.limiters) {
    const config = getConfig();
    const store: RateLimitStore = config.database.dialect === "postgres" ? { kind: "postgres", url: config.database.url } : { kind: "memory" };
    const building = createRateLimiters(config.rateLimits, store);
    holder.limiters = building;
    building.catch(() => {
      if (holder.limiters === building) holder.limiters = undefined;
    });
  }
  return holder.limiters;
}

/** Closes the process-wide limiters (tests, shutdown); the next rateLimiters() builds new ones. */
export async function closeRateLimiters(): Promise<void> {
  const pending = holder.limiters;
  holder.limiters = undefined;
  const limiters = await pending?.catch(() => undefined);
  await limiters?.close();
}

/** A key for a value a caller chooses (an email, an address): hashed, so the table holds no
 * emails and every key fits its 255 characters whatever was sent. */
export function opaqueKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** Consumes points; undefined when allowed, the limiter's answer when over budget. Store errors
 * (with no insurance left) are thrown. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, points = 1): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key, points);
    return undefined;
  } catch (res) {
    if (res instanceof RateLimiterRes) return res;
    throw res;
  }
}

/** Whole seconds until the limiter allows again (at least 1). */
export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** "1 second", "12 seconds", "3 minutes", "2 minutes 5 seconds", for messages. */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (s < 60) return plural(s, "second");
  if (s < 3600) return s % 60 ? `${plural(Math.floor(s / 60), "minute")} ${plural(s % 60, "second")}` : plural(s / 60, "minute");
  return s % 3600 ? `${plural(Math.floor(s / 3600), "hour")} ${plural(Math.floor((s % 3600) / 60), "minute")}` : plural(s / 3600, "hour");
}

/** "the last minute", "the last 5 minutes", "the last second": a limiter's window, for messages. */
export function formatWindow(seconds: number): string {
  if (seconds === 1) return "the last second";
  if (seconds === 60) return "the last minute";
  if (seconds === 3600) return "the last hour";
  return `the last ${formatDuration(seconds)}`;
}
