import "server-only";
import { logger } from "@/lib/log";

// Work nobody waits for (bookkeeping such as the menu's recents, what a switch showed about a
// role entry), run once the answer has gone out.
//
// Not Next.js's `after` (https://nextjs.org/docs/app/api-reference/functions/after): under
// `next start` it hands the work to the response as its waitUntil promise, and Next.js ends the
// response only once that promise settles (next/dist/server/pipe-readable.js, the writer's
// close()): the person would wait for the bookkeeping after all. Deferred with setImmediate
// instead, the work runs after the turn of the event loop that writes the answer.

const pending = new Set<Promise<void>>();

/** Runs `work` after the current turn of the event loop. `work` must handle its own errors:
 * nobody is left to tell. */
export function afterResponse(work: () => Promise<void>): void {
  const done = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((err: unknown) => logger.error({ err }, "work left for after a response failed"))
    .finally(() => pending.delete(done));
  pending.add(done);
}

/** Settles once all work handed to afterResponse so far is done: for tests, and for scripts that
 * exit. */
export async function afterResponseSettled(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}
