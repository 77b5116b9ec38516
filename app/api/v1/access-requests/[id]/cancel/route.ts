import { cancelAccessRequest } from "@/lib/access/requests";
import { accessRequestParams, cancelInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/cancel — the requester withdraws a request, or gives up access in force
export const POST = apiRoute({ permission: "sessions.create", tokens: "switch", params: accessRequestParams, body: cancelInput.optional() }, async ({ actor, params, meta }) => ({
  request: await cancelAccessRequest(actor, params.id, meta),
}));
