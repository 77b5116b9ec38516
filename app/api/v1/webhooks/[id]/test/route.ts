import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { webhookIdField } from "@/lib/webhooks/schemas";
import { testWebhook } from "@/lib/webhooks/service";

// POST /api/v1/webhooks/{id}/test — send a webhook.test event now; answers the delivery after its first attempt
export const POST = apiRoute({ permission: "webhooks.manage", params: z.object({ id: webhookIdField }) }, async ({ actor, params, meta }) => ({
  delivery: await testWebhook(actor, params.id, meta),
}));
