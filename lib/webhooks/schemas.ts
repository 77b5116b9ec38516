// Webhooks' inputs (zod) and what the API and the page show of them. Shared: the page's form
// reads the limits and labels; no I/O.
import { z } from "zod";
import { ACCESS_EVENT_TYPES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/access/events";
import { idField } from "@/lib/catalog/schemas";

export const WEBHOOK_KIND_CHOICES = ["slack", "json"] as const;
export type WebhookKindChoice = (typeof WEBHOOK_KIND_CHOICES)[number];

export const WEBHOOK_KIND_LABELS: Record<WebhookKindChoice, string> = {
  slack: "Slack (incoming webhook)",
  json: "JSON, signed (HMAC-SHA256)",
};

/** Any number of webhooks would each be one more request per event: a console needs a few. */
export const MAX_WEBHOOKS = 20;

/** The events a webhook can subscribe to: the access events (a test is sent on demand, always). */
export const SUBSCRIBABLE_EVENTS = ACCESS_EVENT_TYPES;

export const webhookIdField = idField("The webhook id");

const name = z
  .string({ error: "Give the webhook a name" })
  .trim()
  .min(1, "Give the webhook a name, such as the channel it posts to")
  .max(80, "A webhook's name is at most 80 characters")
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "A webhook's name cannot hold control characters");

const url = z
  .string({ error: "Give the URL the console sends to" })
  .trim()
  .min(1, "Give the URL the console sends to")
  .max(2048, "A webhook URL is at most 2048 characters")
  .url("Give a full URL, starting with https://");

const events = z
  .array(z.enum(SUBSCRIBABLE_EVENTS, { error: `Events are among ${SUBSCRIBABLE_EVENTS.join(", ")}` }), { error: "Choose the events it receives" })
  .min(1, "Choose at least one event")
  .max(SUBSCRIBABLE_EVENTS.length)
  .transform((list) => [...new Set(list)]);

export const createWebhookInput = z
  .object({
    name,
    kind: z.enum(WEBHOOK_KIND_CHOICES, { error: "Choose slack or json" }),
    url,
    events: events.default([...SUBSCRIBABLE_EVENTS]),
    enabled: z.boolean({ error: "enabled is true or false" }).default(true),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z
  .object({
    name: name.optional(),
    url: url.optional(),
    events: events.optional(),
    enabled: z.boolean({ error: "enabled is true or false" }).optional(),
    /** A JSON webhook gets a new signing secret, in this answer once; the old one stops at once. */
    rotateSecret: z.literal(true, { error: "rotateSecret is true or left out" }).optional(),
  })
  .strict();
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export type WebhookDto = {
  id: string;
  name: string;
  kind: WebhookKindChoice;
  /** Where it goes, without what could be a secret: a Slack URL is its own secret, so only its
   * origin and "…"; a JSON URL without its query. */
  target: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** The latest delivery, for the list. */
  lastDelivery: DeliveryDto | null;
};

export type DeliveryStatus = "pending" | "delivered" | "failed";

export type DeliveryDto = {
  id: string;
  webhookId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: "Waiting to retry",
  delivered: "Delivered",
  failed: "Failed",
};

export { WEBHOOK_EVENT_TYPES };
