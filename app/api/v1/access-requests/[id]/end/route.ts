import { endAccessRequest } from "@/lib/access/requests";
import { accessRequestParams, endInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/end — an approver or administrator ends access now { comment }; the person's live sessions are revoked
export const POST = apiRoute({ permission: "sessions.create", params: accessRequestParams, body: endInput }, async ({ actor, params, body, meta }) => ({
  request: await endAccessRequest(actor, params.id, body.comment, meta),
}));
