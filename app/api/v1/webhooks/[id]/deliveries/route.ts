import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { webhookIdField } from "@/lib/webhooks/schemas";
import { listDeliveries } from "@/lib/webhooks/service";

// GET /api/v1/webhooks/{id}/deliveries — the latest deliveries, newest first: status, attempts, last answer
export const GET = apiRoute({ permission: "webhooks.manage", params: z.object({ id: webhookIdField }) }, async ({ actor, params }) => ({
  deliveries: await listDeliveries(actor, params.id),
}));
