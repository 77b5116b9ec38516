import { createAccessRequest, listAccessRequests } from "@/lib/access/requests";
import { createAccessRequestInput, listAccessRequestsQuery } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/access-requests?view=mine|to-approve|to-review|all&status=… — requests the caller may see
export const GET = apiRoute({ permission: null, tokens: "read", query: listAccessRequestsQuery }, async ({ actor, query }) => ({
  requests: await listAccessRequests(actor, query),
}));

// POST /api/v1/access-requests — ask for a role entry for a time, with a reason (or use break-glass)
export const POST = apiRoute({ permission: "sessions.create", tokens: "switch", body: createAccessRequestInput, status: 201 }, async ({ actor, body, meta }) => ({
  request: await createAccessRequest(actor, body, meta),
}));
