import { reviewBreakGlass } from "@/lib/access/requests";
import { accessRequestParams, reviewInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/review — an approver marks a break-glass use { verdict: justified|unjustified, comment }
export const POST = apiRoute({ permission: "sessions.create", params: accessRequestParams, body: reviewInput }, async ({ actor, params, body, meta }) => ({
  request: await reviewBreakGlass(actor, params.id, body, meta),
}));
