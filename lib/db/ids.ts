import "server-only";
import { randomBytes } from "node:crypto";

// ULIDs (https://github.com/ulid/spec): a 48-bit millisecond timestamp and 80 random bits in
// Crockford base32, 26 characters. Ids therefore sort by creation time as plain text on both
// dialects (`order by id` is chronological), and within one millisecond of one process the
// random part counts up, so they stay strictly increasing even then.

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_DIGITS = 10;
const RANDOM_DIGITS = 16;
const MAX_TIME = 2 ** 48 - 1;

export const ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let out = "";
  for (let i = 0, t = time; i < TIME_DIGITS; i++, t = Math.floor(t / 32)) out = ALPHABET[t % 32] + out;
  return out;
}

function randomDigits(): number[] {
  // A byte modulo 32 is uniform (256 is a multiple of 32): 5 random bits per digit.
  return Array.from(randomBytes(RANDOM_DIGITS), (byte) => byte % 32);
}

/** The random part plus one, as a 16-digit base32 number. */
function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]!++;
      return next;
    }
    next[i] = 0;
  }
  // 2^80 ids in one millisecond, or a random start within a few ids of the top: never in practice.
  throw new Error("Cannot make another id in this millisecond: the random part overflowed.");
}

/** A new id, greater than every id this process made before. `now` is for tests. */
export function newId(now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) throw new RangeError(`newId: ${now} is not a millisecond timestamp`);
  // A clock that stands still or steps back (NTP) keeps the last time and counts up from it.
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomDigits();
  } else {
    lastRandom = increment(lastRandom);
  }
  return encodeTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join("");
}

/** The millisecond an id was made in. */
export function idTime(id: string): number {
  if (!ID_PATTERN.test(id)) throw new RangeError(`idTime: "${id}" is not an id`);
  let time = 0;
  for (const char of id.slice(0, TIME_DIGITS)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}
