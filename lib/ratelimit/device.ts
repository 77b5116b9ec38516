import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { consumeOrRefuse, DEVICE_GUESSES_PER_IP, DEVICE_GUESSES_PER_PERSON, DEVICE_STARTS_PER_IP, formatDuration, opaqueKey, rateLimiters, retryAfterSeconds } from "./limiters";
import { refusal } from "./refuse";
import { addressBucket } from "./sign-in";

// Device sign-in (lib/device/), limited in two places, as RFC 8628 §5.1 and §5.2 ask:
// - starting a sign-in, per client address: each start is a row and a code space taken, and
//   nobody signs in from one address this often;
// - typing a user code on the approval page, per person and per address: a code has 34.6 bits
//   and lives 10 minutes, so a person (or a network) that types wrong codes over and over is
//   guessing. A code that finds a request gives its point back, so people who type their code
//   (and approve or deny it) are never limited.
// They are among the console's limiters (lib/ratelimit/limiters.ts: the budgets are there): memory
// with SQLite (one process), the switchboard_rate_limits table with Postgres (every instance
// shares one budget).

export { DEVICE_GUESSES_PER_IP, DEVICE_GUESSES_PER_PERSON, DEVICE_STARTS_PER_IP };

const addressKey = (ip: string | undefined) => opaqueKey(`ip:${addressBucket(ip)}`);

/** One device sign-in started from this address. Throws `rate_limited` (429, audited). */
export async function limitDeviceStart(meta: RequestMeta): Promise<void> {
  const limiters = await rateLimiters();
  const refused = await consumeOrRefuse(limiters.deviceStarts, addressKey(meta.ip));
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
  const limiters = await rateLimiters();
  const person = opaqueKey(`user:${actor.id}`);
  const address = addressKey(meta.ip);
  const byPerson = await consumeOrRefuse(limiters.deviceGuessesPerson, person);
  const byAddress = byPerson ? undefined : await consumeOrRefuse(limiters.deviceGuessesIp, address);
  if (byPerson || byAddress) {
    // The point taken from the person when the address refused is given back: they typed nothing wrong yet.
    if (byAddress) await limiters.deviceGuessesPerson.reward(person, 1);
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
    await Promise.all([limiters.deviceGuessesPerson.reward(person, 1), limiters.deviceGuessesIp.reward(address, 1)]);
  };
}
