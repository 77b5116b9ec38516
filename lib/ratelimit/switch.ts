import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { consumeOrRefuse, formatDuration, formatWindow, rateLimiters, retryAfterSeconds } from "./limiters";
import { refusal } from "./refuse";

/** One switch by this person (console or credentials): SWITCHBOARD_RATE_SWITCH per person, so one
 * operator's script cannot spend the STS budget everyone shares. Throws `rate_limited` (429,
 * audited as a denied switch) when they are over it. */
export async function limitSwitch(actor: Pick<Actor, "id" | "email">, input: { kind: "console" | "credentials"; roleId: string }, meta: RequestMeta): Promise<void> {
  const limiters = await rateLimiters();
  const refused = await consumeOrRefuse(limiters.switch, actor.id);
  if (!refused) return;
  const { points, seconds } = limiters.settings.switch;
  const wait = retryAfterSeconds(refused);
  throw await refusal(`You have switched roles ${points} times in ${formatWindow(seconds)}; wait ${formatDuration(wait)} and try again.`, wait, {
    action: input.kind === "console" ? "session.console" : "session.credentials",
    outcome: "denied",
    actor: { id: actor.id, email: actor.email },
    target: { type: "role", id: input.roleId },
    reason: `Rate limited: more than ${points} switches in ${formatDuration(seconds)}`,
    request: meta,
    details: { limit: "switch", retryAfter: wait },
  });
}
