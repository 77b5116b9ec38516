"use server";

import { publicAction } from "@/lib/http/action";
import { setupFirstAdmin } from "@/lib/users/bootstrap";
import { setupInput } from "@/lib/users/schemas";

/** Public on purpose (nobody can sign in yet), but only for whoever holds the setup token the
 * server printed at start; and harmless once anyone exists: the store refuses a second first
 * administrator. */
export const setupAction = publicAction({ operation: "action setup", input: setupInput }, async ({ input, meta }) => {
  await setupFirstAdmin(input, meta);
  return null;
});
