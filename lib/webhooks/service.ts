import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely, Selectable } from "kysely";
import type { AccessEvent } from "@/lib/access/events";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database, WebhookDeliveriesTable, WebhooksTable } from "@/lib/db/schema";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { attemptClaimed, claimDelivery } from "./delivery";
import { subscribedEvents } from "./enqueue";
import { newWebhookSecret } from "./format";
import { ATTEMPT_TIMEOUT_MS, refusedUrl } from "./send";
import { MAX_WEBHOOKS, type CreateWebhookInput, type DeliveryDto, type UpdateWebhookInput, type WebhookDto } from "./schemas";

// Webhooks, as administrators (webhooks.manage) set them up. The signing secret of a JSON webhook
// is in the answer that makes (or rotates) it, once, and never again; no answer, log line or audit
// row holds it or a Slack URL's path (which is that webhook's secret).
//
// The secret is stored as it is, not hashed like a personal access token: the console must compute
// HMACs with it for every delivery, so it needs the key itself. Whoever can read the store can
// therefore sign as the console; the store already holds what matters more (who may switch where).

/** How many deliveries the page and the API show for a webhook. */
export const RECENT_DELIVERIES = 20;

type WebhookRow = Selectable<WebhooksTable>;

/** Where a webhook goes, without what could be a secret. */
export function displayTarget(kind: WebhookRow["kind"], raw: string): string {
  try {
    const url = new URL(raw);
    if (kind === "slack") return `${url.origin}/…`;
    return `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
  } catch {
    return "…";
  }
}

export function deliveryDto(row: Selectable<WebhookDeliveriesTable>): DeliveryDto {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
  };
}

function webhookDto(row: WebhookRow, last: Selectable<WebhookDeliveriesTable> | undefined): WebhookDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: displayTarget(row.kind, row.url),
    events: subscribedEvents(row.events) as WebhookDto["events"],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastDelivery: last ? deliveryDto(last) : null,
  };
}

function assertUrl(url: string): void {
  const why = refusedUrl(url, getConfig().webhooks.allowPrivate);
  if (why) throw badRequest(why, { url: why });
}

/** Facts for the audit log: never the URL's path or query, never the secret. */
function auditDetails(row: Pick<WebhookRow, "kind" | "url" | "events" | "enabled">): Record<string, string | boolean> {
  return { kind: row.kind, target: displayTarget(row.kind, row.url), events: subscribedEvents(row.events).join(","), enabled: row.enabled === 1 };
}

async function findRow(db: Kysely<Database>, id: string): Promise<WebhookRow> {
  const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("There is no such webhook. It may have been removed.");
  return row;
}

async function latestDeliveries(db: Kysely<Database>, webhookIds: string[]): Promise<Map<string, Selectable<WebhookDeliveriesTable>>> {
  const latest = new Map<string, Selectable<WebhookDeliveriesTable>>();
  for (const id of webhookIds) {
    const row = await db.selectFrom("webhook_deliveries").selectAll().where("webhook_id", "=", id).orderBy("id", "desc").limit(1).executeTakeFirst();
    if (row) latest.set(id, row);
  }
  return latest;
}

export async function listWebhooks(actor: Actor): Promise<WebhookDto[]> {
  assertPermission(actor, "webhooks.manage");
  const db = await getDb();
  const rows = await db.selectFrom("webhooks").selectAll().orderBy("created_at").orderBy("id").execute();
  const latest = await latestDeliveries(db, rows.map((r) => r.id));
  return rows.map((r) => webhookDto(r, latest.get(r.id)));
}

export async function getWebhook(actor: Actor, id: string): Promise<WebhookDto> {
  assertPermission(actor, "webhooks.manage");
  const db = await getDb();
  const row = await findRow(db, id);
  return webhookDto(row, (await latestDeliveries(db, [id])).get(id));
}

/** Makes a webhook. A JSON webhook's signing secret is in this answer only. */
export async function createWebhook(actor: Actor, input: CreateWebhookInput, meta: RequestMeta): Promise<{ webhook: WebhookDto; secret: string | null }> {
  assertPermission(actor, "webhooks.manage");
  assertUrl(input.url);
  const now = new Date().toISOString();
  const secret = input.kind === "json" ? newWebhookSecret() : null;
  const row: WebhookRow = {
    id: newId(),
    name: input.name,
    kind: input.kind,
    url: input.url,
    secret,
    events: JSON.stringify(input.events),
    enabled: input.enabled ? 1 : 0,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  };
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom("webhooks").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_WEBHOOKS) throw conflict(`The console has ${MAX_WEBHOOKS} webhooks, the most it keeps; remove one you no longer use first.`);
    await trx.insertInto("webhooks").values(row).execute();
    await recordAudit({ action: "webhook.create", outcome: "success", actor, target: { type: "webhook", id: row.id, label: row.name }, request: meta, details: auditDetails(row) }, trx);
  });
  return { webhook: webhookDto(row, undefined), secret };
}

/** Changes a webhook; `rotateSecret` gives a JSON webhook a new secret, in this answer only. */
export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput, meta: RequestMeta): Promise<{ webhook: WebhookDto; secret: string | null }> {
  assertPermission(actor, "webhooks.manage");
  if (input.url !== undefined) assertUrl(input.url);
  const db = await getDb();
  let secret: string | null = null;
  const updated = await db.transaction().execute(async (trx) => {
    const row = await findRow(trx, id);
    if (input.rotateSecret && row.kind !== "json") throw badRequest("Only a JSON webhook has a signing secret. A Slack webhook's URL is its secret: make a new one in Slack and change the URL.");
    if (input.rotateSecret) secret = newWebhookSecret();
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.events !== undefined ? { events: JSON.stringify(input.events) } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled ? (1 as const) : (0 as const) } : {}),
      ...(secret ? { secret } : {}),
      updated_at: new Date().toISOString(),
    };
    await trx.updateTable("webhooks").set(changes).where("id", "=", id).execute();
    const next = { ...row, ...changes };
    const what = [input.name !== undefined && "name", input.url !== undefined && "url", input.events !== undefined && "events", input.enabled !== undefined && "enabled", input.rotateSecret && "secret"].filter(Boolean).join(",");
    await recordAudit({ action: "webhook.update", outcome: "success", actor, target: { type: "webhook", id, label: next.name }, request: meta, details: { ...auditDetails(next), changed: what } }, trx);
    return next;
  });
  return { webhook: webhookDto(updated, (await latestDeliveries(db, [id])).get(id)), secret };
}

export async function deleteWebhook(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  assertPermission(actor, "webhooks.manage");
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const row = await findRow(trx, id);
    // Its deliveries go with it (the foreign key cascades).
    await trx.deleteFrom("webhooks").where("id", "=", id).execute();
    await recordAudit({ action: "webhook.delete", outcome: "success", actor, target: { type: "webhook", id, label: row.name }, request: meta, details: auditDetails(row) }, trx);
  });
}

/** Queues a `webhook.test` event for this webhook (enabled or not: an administrator checks it before
 * turning it on) and makes its first attempt now. A failed test is retried like any delivery. */
export async function testWebhook(actor: Actor, id: string, meta: RequestMeta): Promise<DeliveryDto> {
  assertPermission(actor, "webhooks.manage");
  const db = await getDb();
  const config = getConfig();
  const now = Date.now();
  const at = new Date(now).toISOString();
  const deliveryId = newId(now);
  const event: AccessEvent = {
    id: newId(now),
    type: "webhook.test",
    at,
    actor: { email: actor.email, name: actor.name },
    request: null,
    links: { console: config.baseUrl.replace(/\/+$/, "") },
  };
  const row = await db.transaction().execute(async (trx) => {
    const hook = await findRow(trx, id);
    await trx
      .insertInto("webhook_deliveries")
      .values({ id: deliveryId, webhook_id: id, event_type: event.type, payload: JSON.stringify(event), status: "pending", attempts: 0, next_attempt_at: at, created_at: at })
      .execute();
    await recordAudit({ action: "webhook.test", outcome: "success", actor, target: { type: "webhook", id, label: hook.name }, request: meta, details: { ...auditDetails(hook), deliveryId } }, trx);
    return hook;
  });
  const lease = await claimDelivery(db, deliveryId, now);
  // A test is sent even while the webhook is off: an administrator checks it before turning it on.
  if (lease) await attemptClaimed(db, deliveryId, lease, { allowPrivate: config.webhooks.allowPrivate, evenWhenOff: row.enabled !== 1 });
  const read = () => db.selectFrom("webhook_deliveries").selectAll().where("id", "=", deliveryId).executeTakeFirstOrThrow();
  let done = await read();
  // A worker took it first (it looks every few seconds): its attempt ends within the timeout.
  for (const until = Date.now() + ATTEMPT_TIMEOUT_MS + 2_000; !lease && done.attempts === 0 && Date.now() < until; done = await read()) await sleep(200);
  return deliveryDto(done);
}

/** A webhook's recent deliveries, newest first. */
export async function listDeliveries(actor: Actor, webhookId: string): Promise<DeliveryDto[]> {
  assertPermission(actor, "webhooks.manage");
  const db = await getDb();
  await findRow(db, webhookId);
  const rows = await db.selectFrom("webhook_deliveries").selectAll().where("webhook_id", "=", webhookId).orderBy("id", "desc").limit(RECENT_DELIVERIES).execute();
  return rows.map(deliveryDto);
}
