import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { updateWebhookInput, webhookIdField } from "@/lib/webhooks/schemas";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/service";

const params = z.object({ id: webhookIdField });

// GET /api/v1/webhooks/{id} — one webhook (never its secret)
export const GET = apiRoute({ permission: "webhooks.manage", params }, async ({ actor, params }) => ({ webhook: await getWebhook(actor, params.id) }));

// PATCH /api/v1/webhooks/{id} — change { name?, url?, events?, enabled?, rotateSecret? }; a rotated
// secret is in this answer once
export const PATCH = apiRoute({ permission: "webhooks.manage", params, body: updateWebhookInput }, async ({ actor, params, body, meta }) => updateWebhook(actor, params.id, body, meta));

// DELETE /api/v1/webhooks/{id} — remove a webhook and its deliveries
export const DELETE = apiRoute({ permission: "webhooks.manage", params }, async ({ actor, params, meta }) => {
  await deleteWebhook(actor, params.id, meta);
  return { ok: true };
});
