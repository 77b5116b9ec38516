import "server-only";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Actor } from "@/lib/auth/actor";
import { getConfig } from "@/lib/config";
import type { RequestMeta } from "@/lib/http/request-meta";
import { logger } from "@/lib/log";
import { consumeOrRefuse, formatDuration, opaqueKey, RATE_LIMIT_TABLE, retryAfterSeconds } from "./limiters";
import { refusal } from "./refuse";
import { addressBucket } from "./sign-in";

// Device sign-in (lib/device/), limited in two places, as RFC 8628 §5.1 and §5.2 ask:
// - starting a sign-in, per client address: each start is a row and a code space taken, and
//   nobody signs in from one address this often;
// - typing a user code on the approval page, per person and per address: a code has 34.6 bits
//   and lives 10 minutes, so a person (or a network) that types wrong codes over and over is
//   guessing. A code that finds a request gives its point back, so people who type their code
//   (and approve or deny it) are never limited.
// Same store as the console's other limiters: memory with SQLite (one process), the
// switchboard_rate_limits table with Postgres (every instance shares one budget).

/** Sign-ins started per client address. */
export const DEVICE_STARTS_PER_IP = { points: 30, seconds: 600 } as const;
/** Wrong user codes per person. */
export const DEVICE_GUESSES_PER_PERSON = { points: 10, seconds: 600 } as const;
/** Wrong user codes per client address (several people may share one). */
export const DEVICE_GUESSES_PER_IP = { points: 30, seconds: 600 } as const;

type DeviceLimiters = { starts: RateLimiterAbstract; guessesPerson: RateLimiterAbstract; guessesIp: RateLimiterAbstract; close(): Promise<void> };
type Spec = { keyPrefix: string; points: number; duration: number };

const SPECS: Record<Exclude<keyof DeviceLimiters, "close">, Spec> = {
  starts: { keyPrefix: "device_start_ip", points: DEVICE_STARTS_PER_IP.points, duration: DEVICE_STARTS_PER_IP.seconds },
  guessesPerson: { keyPrefix: "device_code_person", points: DEVICE_GUESSES_PER_PERSON.points, duration: DEVICE_GUESSES_PER_PERSON.seconds },
  guessesIp: { keyPrefix: "device_code_ip", points: DEVICE_GUESSES_PER_IP.points, duration: DEVICE_GUESSES_PER_IP.seconds },
};

function postgresLimiter(pool: pg.Pool, spec: Spec): Promise<RateLimiterPostgres> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: "pool",
        tableName: RATE_LIMIT_TABLE,
        keyPrefix: spec.keyPrefix,
        points: spec.points,
        duration: spec.duration,
        // As lib/ratelimit/limiters.ts: without the database, each instance counts on its own.
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.duration }),
      },
      (err?: Error) => (err ? reject(err) : resolve(limiter)),
    );
  });
}

async function build(): Promise<DeviceLimiters> {
  const config = getConfig();
  if (config.database.dialect !== "postgres") {
    const memory = (s: Spec) => new RateLimiterMemory({ keyPrefix: s.keyPrefix, points: s.points, duration: s.duration });
    return { starts: memory(SPECS.starts), guessesPerson: memory(SPECS.guessesPerson), guessesIp: memory(SPECS.guessesIp), close: async () => {} };
  }
  const pool = new pg.Pool({ connectionString: config.database.url, max: 2 });
  pool.on("error", (err) => logger.error({ err, operation: "ratelimit" }, "an idle Postgres connection failed"));
  try {
    // One after the other: concurrent CREATE TABLE IF NOT EXISTS can collide in Postgres.
    const starts = await postgresLimiter(pool, SPECS.starts);
    const guessesPerson = await postgresLimiter(pool, SPECS.guessesPerson);
    const guessesIp = await postgresLimiter(pool, SPECS.guessesIp);
    return { starts, guessesPerson, guessesIp, close: () => pool.end() };
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}

type Holder = { limiters?: Promise<DeviceLimiters> };
// On globalThis, as the other limiters: one set per process, whichever bundle asks.
const holder: Holder = ((globalThis as { __switchboardDeviceRateLimits?: Holder }).__switchboardDeviceRateLimits ??= {});

function deviceLimiters(): Promise<DeviceLimiters> {
  if (!holder.limiters) {
    const building = build();
    holder.limiters = building;
    building.catch(() => {
      if (holder.limiters === building) holder.limiters = undefined;
    });
  }
  return holder.limiters;
}

/** Forgets every count (tests); the next call builds the limiters again. */
export async function closeDeviceRateLimiters(): Promise<void> {
  const pending = holder.limiters;
  holder.limiters = undefined;
  await (await pending?.catch(() => undefined))?.close();
}

const addressKey = (ip: string | undefined) => opaqueKey(`ip:${addressBucket(ip)}`);

/** One device sign-in started from this address. Throws `rate_limited` (429, audited). */
export async function limitDeviceStart(meta: RequestMeta): Promise<void> {
  const limiters = await deviceLimiters();
  const refused = await consumeOrRefuse(limiters.starts, addressKey(meta.ip));
  if (!refused) return;
  const { points, seconds } = DEVICE_STARTS_PER_IP;
  const wait = retryAfterSeconds(refused);
  throw await refusal(`Too many command-line sign-ins from your network address (more than ${points} in ${formatDuration(seconds)}); wait ${formatDuration(wait)} and try again.`, wait, {
    action: "access.denied",
    outcome: "denied",
    reason: `Rate limited: more than ${points} device sign-ins started from this address in ${formatDuration(seconds)}`,
    request: meta,
    details: { operation: "POST /api/v1/device/authorizations", limit: "device-start", retryAfter: wait },
  });
}

/** One user code typed by this person from this address, before it is looked up: refused
 * (`rate_limited`, audited) when either has typed too many wrong ones. Call the returned function
 * when the code found a request: it gives the points back. */
export async function limitUserCodeEntry(actor: Pick<Actor, "id" | "email">, meta: RequestMeta, operation: string): Promise<() => Promise<void>> {
  const limiters = await deviceLimiters();
  const person = opaqueKey(`user:${actor.id}`);
  const address = addressKey(meta.ip);
  const byPerson = await consumeOrRefuse(limiters.guessesPerson, person);
  const byAddress = byPerson ? undefined : await consumeOrRefuse(limiters.guessesIp, address);
  if (byPerson || byAddress) {
    // The point taken from the person when the address refused is given back: they typed nothing wrong yet.
    if (byAddress) await limiters.guessesPerson.reward(person, 1);
    const { points, seconds } = byPerson ? DEVICE_GUESSES_PER_PERSON : DEVICE_GUESSES_PER_IP;
    const wait = retryAfterSeconds((byPerson ?? byAddress)!);
    const who = byPerson ? "You have" : "Your network address has";
    throw await refusal(`${who} typed more than ${points} sign-in codes that match no request in ${formatDuration(seconds)}; wait ${formatDuration(wait)} and try again.`, wait, {
      action: "access.denied",
      outcome: "denied",
      actor: { id: actor.id, email: actor.email },
      reason: `Rate limited: more than ${points} wrong device sign-in codes ${byPerson ? "by this person" : "from this address"} in ${formatDuration(seconds)}`,
      request: meta,
      details: { operation, limit: byPerson ? "device-code-person" : "device-code-address", retryAfter: wait },
    });
  }
  return async () => {
    await Promise.all([limiters.guessesPerson.reward(person, 1), limiters.guessesIp.reward(address, 1)]);
  };
}
