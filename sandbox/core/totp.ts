// RFC 6238 time-based one-time passwords, as AWS virtual MFA devices use them:
// HMAC-SHA1, 6 digits, 30-second steps. https://www.rfc-editor.org/rfc/rfc6238
import { createHmac } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const TOTP_STEP_SECONDS = 30;

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const idx = BASE32.indexOf(char);
    if (idx < 0) throw new Error("invalid base32");
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const totpStep = (timeMs: number) => Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);

export function totpAt(seed: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(seed)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, "0");
}

/** The code a device shows at `timeMs`. */
export const totp = (seed: string, timeMs: number) => totpAt(seed, totpStep(timeMs));

/** The step a code belongs to, accepting one step of drift either way as AWS does; undefined
 * when the code does not match. */
export function matchTotp(seed: string, code: string, timeMs: number): number | undefined {
  const now = totpStep(timeMs);
  for (const step of [now, now - 1, now + 1]) {
    if (totpAt(seed, step) === code) return step;
  }
  return undefined;
}
