import { extendAccessRequest } from "@/lib/access/requests";
import { accessRequestParams, extendInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/extend — the requester asks for more time { durationSeconds, reason } (approved like a request)
export const POST = apiRoute({ permission: "sessions.create", tokens: "switch", params: accessRequestParams, body: extendInput, status: 201 }, async ({ actor, params, body, meta }) => ({
  request: await extendAccessRequest(actor, params.id, body, meta),
}));
