import { apiRoute } from "@/lib/http/api";
import { createWebhookInput } from "@/lib/webhooks/schemas";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

// GET /api/v1/webhooks — the webhooks that tell approvers of access requests (never a secret)
export const GET = apiRoute({ permission: "webhooks.manage" }, async ({ actor }) => ({ webhooks: await listWebhooks(actor) }));

// POST /api/v1/webhooks — add one { name, kind: slack | json, url, events?, enabled? }; a JSON
// webhook's signing secret is in this answer once
export const POST = apiRoute({ permission: "webhooks.manage", body: createWebhookInput, status: 201 }, async ({ actor, body, meta }) => createWebhook(actor, body, meta));
