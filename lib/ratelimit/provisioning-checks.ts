import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { consumeOrRefuse, formatDuration, formatWindow, PROVISIONING_CHECKS, rateLimiters, retryAfterSeconds } from "./limiters";
import { refusal } from "./refuse";

/** One Review check against the account by this person (lib/provision/account-checks.ts), at most
 * PROVISIONING_CHECKS per person; on Postgres every instance counts against the same budget. The
 * apply's own check is not counted: it needs a recent sign-in and runs once. Throws
 * `rate_limited` (429, audited) when they are over. */
export async function limitReviewChecks(actor: Pick<Actor, "id" | "email">, meta: RequestMeta | undefined): Promise<void> {
  const limiters = await rateLimiters();
  const refused = await consumeOrRefuse(limiters.provisioningChecks, actor.id);
  if (!refused) return;
  const { points, seconds } = PROVISIONING_CHECKS;
  const wait = retryAfterSeconds(refused);
  throw await refusal(`You have checked roles against AWS ${points} times in ${formatWindow(seconds)}; wait ${formatDuration(wait)} and try again.`, wait, {
    action: "access.denied",
    outcome: "denied",
    actor: { id: actor.id, email: actor.email },
    reason: `Rate limited: more than ${points} role checks in ${formatDuration(seconds)}`,
    ...(meta ? { request: meta } : {}),
    details: { limit: "provisioning-checks", retryAfter: wait },
  });
}
