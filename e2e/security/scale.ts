// How hard the adversarial suite pushes. `npm test` runs it with the small default counts, so
// the whole suite stays within a few minutes on a two-core machine; `npm run test:security`
// sets SWITCHBOARD_SECURITY_FULL=1 for the full figures below. The only place the suite reads that variable.

export const FULL = process.env.SWITCHBOARD_SECURITY_FULL === "1";

export const scale = {
  /** Generated inputs per /api/v1 operation and per server action (full run: 10,000). */
  fuzzPerEndpoint: FULL ? 10_000 : 150,
  /** Raw protocol garbage sent to each server action (bodies Next.js itself decodes). */
  actionProtocolGarbage: FULL ? 500 : 20,
  /** Requests in flight at once while fuzzing (the console shares two cores). */
  fuzzConcurrency: 4,
  /** Redirect vectors tried through the sign-in form in Chromium: every one (≥ 40) in full
   * runs, a spread of them by default (the server-side checks always use all of them). */
  browserRedirectVectors: FULL ? Infinity : 10,
  /** Redirect vectors tried through a real credentials sign-in (each one a password hash);
   * the cheap places (sign-out, OIDC start, /api/auth/signin) always get every vector. */
  signInRedirectVectors: FULL ? Infinity : 16,
  /** Switches timed for the p50 before and during a sign-in flood. */
  latencySamples: FULL ? 40 : 20,
  /** Sign-in attempts in the flood (at least; it lasts as long as the timing does). */
  signInFlood: FULL ? 400 : 80,
  /** Connections the sign-in flood keeps busy at once: one attacker sending back to back, as fast
   * as the console answers (each answer is a few ms of Next.js request handling, so more
   * connections measure Node's single thread rather than the limiter). */
  signInFloodConcurrency: 1,
  /** The flood's pace, attempts per second: 60/s is 3,600 a minute from one address, 180 times
   * its budget. Unpaced, a client on the same two cores measures the machine's CPU split (a
   * refused attempt is still a few ms of Next.js routing) more than the console. */
  signInFloodPerSecond: 60,
  /** Switches one person fires in the switch flood (the default budget is 30 a minute). */
  switchFlood: FULL ? 120 : 45,
  /** Requests per page for the nonce-collision check (full run: 10,000 in all). */
  nonceSamples: FULL ? 10_000 : 60,
  /** Replays of a signed-out (or disabled) session per endpoint. */
  replays: FULL ? 50 : 1,
  /** Timeout for one spec's test, in ms. */
  testTimeout: FULL ? 60 * 60_000 : 240_000,
} as const;
