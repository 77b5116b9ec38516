// The user code of a device sign-in, as RFC 8628 §6.1 suggests it: 8 characters from 20
// consonants (no vowels, so no words; no digits, no I or O to mistake for 1 or 0), shown as
// XXXX-XXXX, typed in any case, with or without the dash or spaces. 20^8 ≈ 2^34.6 codes: enough
// when a code lives 10 minutes and wrong guesses are rate-limited (lib/ratelimit/device.ts).
// https://www.rfc-editor.org/rfc/rfc8628#section-6.1
// Shared, with no packages: the console makes and checks codes, the approval page tidies what
// the person types, and the command line (bundled with nothing else) sends the constants.

/** The one client this console knows: its own command line (RFC 8628 §3.1 requires client_id). */
export const DEVICE_CLIENT_ID = "switchboard-cli";

/** RFC 8628 §3.4's grant type, which the command line's poll sends. */
export const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/** What a code looks like, for messages and placeholders. */
export const USER_CODE_EXAMPLE = "BCDF-GHJK";

/** The 8 letters a person meant, in upper case without the dash and spaces; null when what they
 * typed cannot be a code (another letter, a digit, too many or too few). */
export function normalizeUserCode(typed: string): string | null {
  const letters = typed.toUpperCase().replace(/[\s\-‐-―]/g, "");
  if (letters.length !== USER_CODE_LENGTH) return null;
  for (const c of letters) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return letters;
}

/** XXXX-XXXX, as the command line prints it and the page shows it. */
export function formatUserCode(normalized: string): string {
  return `${normalized.slice(0, 4)}-${normalized.slice(4)}`;
}

/** A code from random integers in [0, 20) (one per character); the console draws them from its
 * CSPRNG (crypto.randomInt, which is unbiased). */
export function userCodeFrom(indexes: readonly number[]): string {
  if (indexes.length !== USER_CODE_LENGTH || indexes.some((i) => !Number.isInteger(i) || i < 0 || i >= USER_CODE_ALPHABET.length)) {
    throw new RangeError(`A user code needs ${USER_CODE_LENGTH} indexes in [0, ${USER_CODE_ALPHABET.length})`);
  }
  return indexes.map((i) => USER_CODE_ALPHABET[i]).join("");
}
