// A random ExternalId for a role entry: 32 characters of [A-Za-z0-9] (about 190 bits), from the
// browser's CSPRNG. Bytes ≥ 248 are dropped so that every character is equally likely.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LIMIT = 256 - (256 % ALPHABET.length);

export function generateExternalId(length = 32): string {
  let out = "";
  const bytes = new Uint8Array(64);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) if (b < LIMIT && out.length < length) out += ALPHABET[b % ALPHABET.length];
  }
  return out;
}
