import "server-only";
import type { STSClient } from "@aws-sdk/client-sts";
import { consumeOrRefuse, formatDuration, rateLimiters, retryAfterSeconds } from "./limiters";
import { refusal } from "./refuse";

// AWS throttles STS per account and region, and will not raise the quota
// (https://repost.aws/knowledge-center/iam-sts-throttling-error): once the broker is throttled,
// every switch fails. The console keeps its own budget below that (SWITCHBOARD_RATE_STS), shared
// by every caller and, on Postgres, every instance, and refuses with a clear 429 instead.
const KEY = "console";

/** One STS call by the broker. Throws `rate_limited` (429, audited as aws.sts) when the console
 * has spent its budget for now. */
export async function limitStsCall(operation: string): Promise<void> {
  const limiters = await rateLimiters();
  const refused = await consumeOrRefuse(limiters.sts, KEY);
  if (!refused) return;
  const { points, seconds } = limiters.settings.sts;
  const wait = retryAfterSeconds(refused);
  const rate = `${points} in ${formatDuration(seconds)}`;
  throw await refusal(`The console is making too many AWS STS calls right now (more than ${rate}, for everyone together); wait ${formatDuration(wait)} and try again.`, wait, {
    action: "aws.sts",
    outcome: "denied",
    reason: `Rate limited: the console's STS budget (${rate}) is spent`,
    details: { operation, limit: "sts", retryAfter: wait },
  });
}

/** Makes every command sent through this client spend one point of the STS budget, before it is
 * signed or sent. The initialize step runs once per command: the SDK's own retry (at most one,
 * see broker-clients.ts) is not counted again. */
export function addStsBudget(client: STSClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      await limitStsCall(context.commandName ?? "unknown");
      return next(args);
    },
    { step: "initialize", name: "switchboardStsBudget", override: true },
  );
}
