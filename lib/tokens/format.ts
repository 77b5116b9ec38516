// The shape of a personal access token: `swbt_`, 40 random base62 characters (238 bits), and a
// 6-character base62 CRC-32 of them. The prefix lets secret scanners (and people) recognise a
// leaked token; the checksum lets a scanner tell a real token from look-alike text without
// asking the console, as GitHub's token format does
// (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/).
// Shared: the console makes and checks tokens, the CLI checks what it is given.

export const TOKEN_PREFIX = "swbt_";
const RANDOM_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Matches a whole token; TOKEN_SCAN (no anchors) finds them in text. */
export const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
export const TOKEN_SCAN = new RegExp(`\\b${TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}\\b`, "g");

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value: number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out = BASE62[value % 62]! + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** A token from random bytes (at least 40; each byte below 248 becomes one character, so that
 * every character is equally likely). Null when the bytes ran out before 40 characters. */
export function tokenFromBytes(bytes: Uint8Array): string | null {
  let random = "";
  for (const byte of bytes) {
    if (byte >= 248) continue; // 248 = 4 × 62: above it, some characters would come up more often
    random += BASE62[byte % 62];
    if (random.length === RANDOM_LENGTH) return `${TOKEN_PREFIX}${random}${base62(crc32(random), CHECKSUM_LENGTH)}`;
  }
  return null;
}

/** Whether text is a well-formed token with a good checksum (it says nothing of whether the
 * console still honours it). */
export function isWellFormedToken(text: string): boolean {
  if (!TOKEN_PATTERN.test(text)) return false;
  const random = text.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  return text.slice(TOKEN_PREFIX.length + RANDOM_LENGTH) === base62(crc32(random), CHECKSUM_LENGTH);
}
