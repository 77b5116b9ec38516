import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth/secret";

// /setup creates the first administrator while the console has no users. Without a check,
// whoever reaches a fresh install first owns it. The page asks for a
// token that the server prints to its log at start: only someone who can read the server's log —
// the person installing it — can finish the setup. It is derived from the session secret, so
// every instance of one deployment prints, and accepts, the same token; and it is useless once
// anyone exists, because the page and its action are then gone.

const LABEL = "switchboard/setup-token/v1";

export function setupToken(): string {
  return createHmac("sha256", authSecret()).update(LABEL).digest("base64url").slice(0, 32);
}

/** Constant-time comparison with the expected token. */
export function isSetupToken(candidate: string): boolean {
  const expected = Buffer.from(setupToken());
  const given = Buffer.from(candidate.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
