import "server-only";
import type { Kysely } from "kysely";
import type { AccessEvent } from "@/lib/access/events";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { currentWorker } from "./delivery";

// How the rest of the console raises an event for the webhooks (lib/access/ calls these). The
// deliveries are rows written with the change itself, so that an event is never lost (a crash
// after the commit leaves the rows for any instance's worker) and never sent for a change that
// rolled back (the rows roll back with it).

/** Parses a webhook's `events` column; a damaged value subscribes to nothing. */
export function subscribedEvents(json: string): string[] {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Queues `event` for every enabled webhook subscribed to event.type, in the caller's transaction
 * (so an event is never lost and never sent for a change that rolled back). */
export async function enqueueWebhookEvent(db: Kysely<Database>, event: AccessEvent): Promise<void> {
  const hooks = await db.selectFrom("webhooks").select(["id", "events"]).where("enabled", "=", 1).execute();
  const targets = hooks.filter((h) => subscribedEvents(h.events).includes(event.type));
  if (!targets.length) return;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const payload = JSON.stringify(event);
  await db
    .insertInto("webhook_deliveries")
    .values(targets.map((h) => ({ id: newId(now), webhook_id: h.id, event_type: event.type, payload, status: "pending" as const, attempts: 0, next_attempt_at: at, created_at: at })))
    .execute();
}

/** Asks this process's delivery worker to look now (after the caller's transaction committed). No-op if not started. */
export function kickWebhookDelivery(): void {
  currentWorker()?.kick();
}
