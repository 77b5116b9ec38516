import "server-only";
import { after } from "next/server";

/** Runs work nobody waits for (bookkeeping such as the menu's recents) after the answer has gone
 * out, with Next.js's `after` (https://nextjs.org/docs/app/api-reference/functions/after): it
 * costs the person nothing. Outside a request (scripts, unit tests) there is no answer to wait
 * for, so it runs at once and the returned promise settles when it is done. `work` must handle
 * its own errors: nobody is left to tell. */
export async function afterResponse(work: () => Promise<void>): Promise<void> {
  try {
    after(work);
    return;
  } catch {
    // `after` throws outside a request scope.
  }
  await work();
}
