import { approveAccessRequest } from "@/lib/access/requests";
import { accessRequestParams, approveInput } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/access-requests/{id}/approve — an approver approves, optionally for less time { comment, durationSeconds }
// Not with a personal access token: approving is a decision made in the console.
export const POST = apiRoute({ permission: "sessions.create", params: accessRequestParams, body: approveInput }, async ({ actor, params, body, meta }) => ({
  request: await approveAccessRequest(actor, params.id, body, meta),
}));
