import { getAccessRequest } from "@/lib/access/requests";
import { accessRequestParams } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/access-requests/{id} — one request, its decisions and where it stands
export const GET = apiRoute({ permission: null, tokens: "read", params: accessRequestParams }, async ({ actor, params }) => ({
  request: await getAccessRequest(actor, params.id),
}));
