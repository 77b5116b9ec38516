"use server";

import { z } from "zod";
import { protectedAction } from "@/lib/http/action";
import { createWebhookInput, updateWebhookInput, webhookIdField } from "@/lib/webhooks/schemas";
import { createWebhook, deleteWebhook, listDeliveries, testWebhook, updateWebhook } from "@/lib/webhooks/service";

const byId = z.object({ id: webhookIdField }).strict();

// A JSON webhook's signing secret is in this answer once (the page shows it with a copy button).
export const createWebhookAction = protectedAction({ permission: "webhooks.manage", input: createWebhookInput }, ({ actor, input, meta }) => createWebhook(actor, input, meta));

// Turn on or off, rename, change events or URL; rotateSecret answers the new secret once.
export const updateWebhookAction = protectedAction({ permission: "webhooks.manage", input: updateWebhookInput.extend({ id: webhookIdField }) }, ({ actor, input: { id, ...changes }, meta }) =>
  updateWebhook(actor, id, changes, meta),
);

export const deleteWebhookAction = protectedAction({ permission: "webhooks.manage", input: byId }, async ({ actor, input, meta }) => {
  await deleteWebhook(actor, input.id, meta);
  return { id: input.id };
});

// Sends a test now and answers its first attempt with the webhook's latest deliveries.
export const testWebhookAction = protectedAction({ permission: "webhooks.manage", input: byId }, async ({ actor, input, meta }) => {
  const delivery = await testWebhook(actor, input.id, meta);
  return { delivery, deliveries: await listDeliveries(actor, input.id) };
});
