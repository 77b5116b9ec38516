import { denyAccessRequest } from "@/lib/access/requests";
import { accessRequestParams, denyInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/deny — an approver denies { comment }
export const POST = apiRoute({ permission: "sessions.create", params: accessRequestParams, body: denyInput }, async ({ actor, params, body, meta }) => ({
  request: await denyAccessRequest(actor, params.id, body.comment, meta),
}));
